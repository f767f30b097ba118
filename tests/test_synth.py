"""The synthetic report pipeline: documents, rendering with ground truth, degradation, generator."""

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from ogi_extract import schema
from ogi_extract.training.synth import seeds, values
from ogi_extract.training.synth.degrade import LEVELS, degrade, move_box
from ogi_extract.training.synth.document import Report
from ogi_extract.training.synth.generate import generate, random_report, write_doc
from ogi_extract.training.synth.render import rasterize, render_pdf

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[1]


def _pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _ink(dark: np.ndarray, box: list[float], pad: int = 1) -> float:
    """Share of dark pixels in the box."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    crop = dark[max(y0 - pad, 0):y1 + pad, max(x0 - pad, 0):x1 + pad]
    return float(crop.mean()) if crop.size else 0.0


def _ruled(dark: np.ndarray, box: list[float], pad: int = 3) -> float:
    """Share of the box's top edge with ink within `pad` pixels (a ruling line)."""
    x0, y0, x1, _ = (int(round(v)) for v in box)
    strip = dark[max(y0 - pad, 0):y0 + pad + 1, x0 + pad:x1 - pad]
    return float(strip.any(axis=0).mean()) if strip.size else 1.0


@pytest.fixture(scope="module")
def seed_reports() -> list[Report]:
    return seeds.seed_reports()


def test_seed_documents_carry_the_labeled_truth(seed_reports):
    for report in seed_reports:
        truth = json.loads((DATA / "seeds" / "truth" / f"{report.doc_id}.json").read_text(encoding="utf-8"))
        assert report.metrics() == truth["metrics"]
        assert (report.agency, report.year, report.format) == (truth["agency"], truth["year"], truth["format"])
        stored = Report.load(ROOT / "annotations" / "seeds" / f"{report.doc_id}.json")
        assert stored.metrics() == truth["metrics"]
    by_id = {r.doc_id: r for r in seed_reports}
    assert by_id["000_9883ccc3c4a509fd"].metrics()["proactive.weibo"] == 4989
    zhenhai = by_id["001_c76baea7d958f164"].metrics()
    assert zhenhai["applications.total.total"] == 2 and zhenhai["applications.total.natural_person"] == 0
    sanming = by_id["004_07cc7924a28de747"].tables[0]
    cumulative = [c.text for c in sanming.cells if c.col == 3 and c.row > 0]
    assert "24112" in cumulative and all(c.metric_id is None for c in sanming.cells if c.col == 3)


def test_digital_render_has_labels_and_values_in_its_text_layer(seed_reports, tmp_path):
    report = next(r for r in seed_reports if r.doc_id == "002_6d48f98caee9bd35")
    pages = render_pdf(report, tmp_path / "baoji.pdf", dpi=100)
    text = _pdf_text(tmp_path / "baoji.pdf").replace(" ", "").replace("\r", "").replace("\n", "")
    for label in ("行政许可", "其他对外管理服务事项", "政府集中采购", "本年新收政府信息公开申请数量", "复议后起诉"):
        assert label in text
    for value in ("788308", "1092", "9487", "2750", "1710.15"):
        assert value in text
    assert report.title[0].replace(" ", "") in text
    printed = {c["metric_id"]: c["text"] for p in pages for c in p.cells if c["metric_id"]}
    assert printed["art20.licensing.decisions"] == "788308"
    assert printed["applications.new.natural_person"] == ""  # printed empty: null in the truth
    assert set(printed) == set(report.metrics())


def test_truth_boxes_fall_on_ink_digital_and_scanned(tmp_path):
    report, _ = random_report(np.random.default_rng(7), "t")
    for kind, level in (("digital", "clean"), ("scanned", "heavy")):
        pdf = write_doc(report, tmp_path / kind, kind=kind, degradation=level, seed=3, dpi=100)
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        images = rasterize(pdf, truth["pages"][0]["dpi"])
        assert len(images) == len(truth["pages"])
        for page, image in zip(truth["pages"], images):
            assert image.shape == (page["height"], page["width"])
            dark = image < np.median(image) - 40  # well below the paper's grey
            words = [w for w in page["words"] if len(w["text"]) > 1]
            on_ink = [_ink(dark, w["box"]) > 0.02 for w in words]
            assert words and np.mean(on_ink) > 0.97, (kind, np.mean(on_ink))
            ruled = [_ruled(dark, c["box"]) for c in page["cells"]]  # cell tops lie on ruling lines
            assert not ruled or np.mean(ruled) > (0.95 if kind == "digital" else 0.4), (kind, np.mean(ruled))


def test_generated_values_satisfy_the_relations():
    for i in range(20):
        rng = np.random.default_rng(i)
        for fmt, v in (("ogi2008", values.ogi2008_values(rng)), ("ogi2019", values.template_values("ogi2019", rng)),
                       ("ogi2021", values.template_values("ogi2021", rng)),
                       ("ogi2021", values.template_values("ogi2021", rng, unsplit_other=True))):
            assert set(v) <= set(schema.load_spec()[fmt].metric_ids)
            checks = [values.holds(r, v) for r in values.relations(fmt, v)]
            assert checks and all(checks), fmt
            broken = values.break_one(fmt, v, rng)
            assert broken in [r.text for r in values.relations(fmt, v) if values.holds(r, v) is False]


def test_random_reports_break_relations_only_where_they_misprint():
    misprints = 0
    for i in range(150):
        report, misprint = random_report(np.random.default_rng([11, i]), f"r{i}")
        m = report.metrics()
        assert set(m) <= set(schema.load_spec()[report.format].metric_ids)  # home-made rows carry no id
        breaks = [r for r in values.relations(report.format, m) if values.holds(r, m) is False]
        if misprint is None:
            assert not breaks
        else:
            misprints += 1
            assert all(misprint == r.lhs or misprint in [t for _, t in schema.relation_terms(r)] for r in breaks)
    assert 1 <= misprints <= 20


@pytest.mark.parametrize("level", LEVELS)
def test_degradation_keeps_the_size_and_moves_boxes_with_the_ink(level):
    image = np.full((400, 300), 255, np.uint8)
    image[100:140, 60:200] = 0
    out, matrix = degrade(image, level, np.random.default_rng(1))
    assert out.shape == image.shape and out.dtype == np.uint8
    assert (out == image).all() == (level == "clean")
    box = move_box([60, 100, 200, 140], matrix)
    inside = out[int(box[1]) + 4:int(box[3]) - 4, int(box[0]) + 4:int(box[2]) - 4]
    assert inside.mean() < 110  # the moved box still covers the (degraded) black block


def test_generate_writes_pdfs_and_truth(tmp_path):
    paths = generate(2, tmp_path, seed=5, dpi=100)
    assert [p.name for p in paths] == ["synth_5_00000.pdf", "synth_5_00001.pdf"]
    for pdf in paths:
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        assert {"doc_id", "agency", "year", "format", "metrics", "kind", "degradation", "source", "pages"} <= set(truth)
        assert truth["source"] == "synth" and truth["metrics"]
        cells = [c for p in truth["pages"] for c in p["cells"] if c["metric_id"]]
        assert {c["metric_id"] for c in cells} == set(truth["metrics"])
        year_range = {"ogi2008": range(2008, 2019), "ogi2019": range(2019, 2021), "ogi2021": range(2021, 2026)}
        assert truth["year"] in year_range[truth["format"]]


def test_varied_tables_are_the_same_reports_drawn_in_other_styles(tmp_path):
    """`--varied` draws table styles from draws of their own: a seed's reports keep their values."""
    plain = generate(3, tmp_path / "plain", seed=6161, dpi=72, level="clean")
    varied = generate(3, tmp_path / "varied", seed=6161, dpi=72, level="clean", varied=True)
    for a, b in zip(plain, varied, strict=True):
        ta, tb = (json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in (a, b))
        assert ta["metrics"] == tb["metrics"] and ta["agency"] == tb["agency"]
    pixels = [[page.tobytes() for page in rasterize(p, 72)] for p in (*plain, *varied)]
    assert pixels[:3] != pixels[3:]  # shaded bands, grey inner rules, seals


def test_seed_fixtures_are_small_and_labeled():
    for kind in ("digital", "scanned"):
        for stem in seeds.STEMS:
            pdf = DATA / kind / f"{stem}.pdf"
            assert pdf.stat().st_size < 400_000
            truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
            seed_truth = json.loads((DATA / "seeds" / "truth" / f"{stem}.json").read_text(encoding="utf-8"))
            assert truth["metrics"] == seed_truth["metrics"] and truth["source"] == "seed"
    sample = json.loads((ROOT / "examples" / "sample_scanned.truth.json").read_text(encoding="utf-8"))
    assert sample["format"] == "ogi2019" and len(sample["pages"]) <= 3
    assert (ROOT / "examples" / "sample_scanned.pdf").stat().st_size < 600_000


def test_a_table_broken_across_pages_can_repeat_its_header(seed_reports, tmp_path):
    report = next(r for r in seed_reports if r.doc_id == "000_9883ccc3c4a509fd").model_copy(deep=True)
    report.style.repeat_header = True
    pages = render_pdf(report, tmp_path / "ningbo.pdf", dpi=72)
    parts = [t for p in pages for t in p.tables if t["table"] == 0]
    assert len(parts) >= 2 and parts[1]["continued"] and parts[1]["repeated_header_rows"] == 1
    page = next(p for p in pages if any(t["continued"] for t in p.tables))
    top_row = sorted((c for c in page.cells if c["row"] == 0), key=lambda c: c["col"])
    assert [c["text"] for c in top_row] == ["统　计　指　标", "单位", "统计数"]
    assert {c["metric_id"] for p in pages for c in p.cells if c["metric_id"]} == set(report.metrics())


def test_a_landscape_table_gets_its_own_wide_pages(seed_reports, tmp_path):
    report = next(r for r in seed_reports if r.doc_id == "001_c76baea7d958f164").model_copy(deep=True)
    matrix = report.tables[1]
    matrix.landscape = True
    pages = render_pdf(report, tmp_path / "zhenhai.pdf", dpi=72)
    wide = [p for p in pages if p.width > p.height]
    assert wide and all({c["table"] for c in p.cells} == {1} for p in wide)
    assert {c["metric_id"] for p in pages for c in p.cells if c["metric_id"]} == set(report.metrics())
    assert [img.shape[1] > img.shape[0] for img in rasterize(tmp_path / "zhenhai.pdf", 72)] == \
        [p.width > p.height for p in pages]


def test_augraphy_keeps_the_size_changes_the_page_and_leaves_boxes_on_the_ink(tmp_path):
    import augraphy  # noqa: F401  (make test installs every extra: missing is a failure, not a skip)
    report, _ = random_report(np.random.default_rng(7), "t")
    page = render_pdf(report, tmp_path / "t.pdf", dpi=100)[0]
    image = rasterize(tmp_path / "t.pdf", 100)[0]
    if image.ndim == 3:
        image = image.mean(axis=2).astype(np.uint8)
    x, y = min(int(w["box"][0]) for w in page.words), min(int(w["box"][1]) for w in page.words)
    crop = np.ascontiguousarray(image[y:y + 600, x:x + 400])  # 600 x 400 of printed text and table
    out, matrix = degrade(crop, "augraphy", np.random.default_rng(3), dpi=100)
    assert out.shape == crop.shape and out.dtype == np.uint8
    assert (out != crop).mean() > 0.05
    dark = out < np.median(out) - 40
    words = [move_box([w["box"][0] - x, w["box"][1] - y, w["box"][2] - x, w["box"][3] - y], matrix)
             for w in page.words if len(w["text"]) > 1 and w["box"][2] < x + 400 and w["box"][3] < y + 600]
    assert len(words) >= 5 and np.mean([_ink(dark, b) > 0.02 for b in words]) > 0.95


def test_one_level_gives_the_same_reports_scanned_at_that_level(tmp_path):
    [plain] = generate(1, tmp_path / "plain", seed=7)
    [fax] = generate(1, tmp_path / "fax", seed=7, level="fax")
    a, b = (json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in (plain, fax))
    assert b["doc_id"] == a["doc_id"] + ".fax" and b["kind"] == "scanned" and b["degradation"] == "fax"
    assert b["metrics"] == a["metrics"] and b["agency"] == a["agency"]
