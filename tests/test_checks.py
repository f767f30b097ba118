from conftest import DATA, truth

from ogi_extract.inference.checks import check_relations
from ogi_extract.inference.result import MetricValue


def _metrics(values: dict) -> dict:
    return {k: MetricValue(value=v, raw=str(v), label="", page=1, confidence=1, source="ocr") for k, v in values.items()}


def test_printed_break_is_flagged_not_fixed():
    t = truth("seeds", "001_c76baea7d958f164")  # 镇海 2019 prints （七）总计 = 0 0 0 0 0 0 2
    checks = check_relations(_metrics(t["metrics"]), "ogi2019")
    broken = {c.relation.split(" = ")[0] for c in checks if c.holds is False}
    assert "applications.total.total" in broken
    assert any(c.holds for c in checks)


def test_consistent_report_holds():
    t = truth("real", "huaian_szf_2024")
    checks = check_relations(_metrics(t["metrics"]), "ogi2021")
    assert checks and all(c.holds for c in checks), [c for c in checks if not c.holds]


def test_unsplit_other_row_in_ogi2021():
    t = truth("real", "hongze_qzf_2024")
    checks = check_relations(_metrics(t["metrics"]), "ogi2021")
    assert all(c.holds is not False for c in checks)
    assert not any(c.missing for c in checks)


def test_hongze_2023_review_break():
    t = truth("real", "hongze_qzf_2023")
    broken = [c.relation for c in check_relations(_metrics(t["metrics"]), "ogi2021") if c.holds is False]
    assert any(r.startswith("review.total") for r in broken)
    assert any(r.startswith("litigation.after_review.total") for r in broken)


def test_empty_cells_make_a_relation_unknown():
    t = truth("seeds", "002_6d48f98caee9bd35")  # 宝鸡: damaged rows printed empty
    checks = check_relations(_metrics(t["metrics"]), "ogi2019")
    assert any(c.holds is None and c.missing for c in checks)


def test_narrative_contradiction_is_reported():
    import numpy as np

    from ogi_extract.inference.checks import prose_cross_check
    from ogi_extract.types import Document, Page, Word

    text = (DATA / "seeds" / "000_9883ccc3c4a509fd.txt").read_text(encoding="utf-8").split("附表")[0]
    doc = Document("宁波2017", [Page(0, np.zeros((4, 4, 3), np.uint8), 200, words=[Word(text, (0, 0, 1, 1))])])
    t = truth("seeds", "000_9883ccc3c4a509fd")
    warnings = prose_cross_check(doc, _metrics(t["metrics"]), "ogi2008")
    assert warnings == ["proactive.weibo: the narrative says 498, the table prints 4989"]
