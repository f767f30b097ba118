import pytest
from conftest import DATA, truth

from ogi_extract.inference.fields import detect_agency, detect_format, detect_year

SEEDS = sorted(p.stem for p in (DATA / "seeds").glob("*.txt"))


@pytest.mark.parametrize("stem", SEEDS)
def test_report_fields_from_seed_text(stem):
    text = (DATA / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    t = truth("seeds", stem)
    year = detect_year(lines)
    assert (detect_agency(lines), year, detect_format(text, year)) == (t["agency"], t["year"], t["format"])
