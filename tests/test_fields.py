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


@pytest.mark.parametrize("lines, agency", [
    (["四川省司法厅关于2021年度", "政府信息公开工作的年度报告", "一、总体情况"], "四川省司法厅"),
    (["—", "1", "—", "2019年南阳市市场监督管理局", "政府信息公开工作年度报告"], "南阳市市场监督管理局"),
    (["淮安市人民政府2024年政府信息公开工作年度报告"], "淮安市人民政府"),
])
def test_agency_from_titles_wrapped_over_two_lines(lines, agency):
    assert detect_agency(lines) == agency
