"""Review pages: the marks logic on a hand-built result, and the real page in headless chromium."""

import subprocess

import numpy as np
from conftest import DATA
from PIL import Image

from ogi_extract.inference.result import MetricValue, RelationCheck, Result, TableCell, UnmappedRow
from ogi_extract.review.marks import page_marks


def _result() -> Result:
    def value(v, conf, box):
        return MetricValue(value=v, raw=str(v), label="x", page=1, box=box, dpi=100, confidence=conf,
                           source="text_layer")

    cells = [TableCell(page=1, box=(10, 10, 50, 30), row=0, col=0, text="行政复议"),
             TableCell(page=1, box=(50, 10, 90, 30), row=0, col=1, text="3"),
             TableCell(page=1, box=(10, 30, 50, 50), row=1, col=0, text="其他事项"),
             TableCell(page=1, box=(10, 100, 90, 120), row=0, col=0, text="第二张表")]
    return Result(file="x.pdf", pages=1, dpi=100, cells=cells, metrics={
        "review.total": value(0, 0.99, (50, 10, 90, 30)), "review.upheld": value(3, 0.99, (50, 30, 90, 50)),
        "proactive.total": value(7, 0.4, (50, 60, 90, 80)), "fees.amount": value(1, 0.99, None)},
        relations=[RelationCheck(relation="review.total = review.upheld", holds=False, lhs=0, rhs=3)],
        unmapped=[UnmappedRow(label="其他事项", values=["2"], page=1, probability=0.7)])


def test_marks_flag_low_confidence_breaks_and_unmapped_rows():
    marks, entries = page_marks(_result(), low_confidence=0.8)
    flags = {e.text.get("metric", e.text.get("label", e.text.get("relation"))): e.flags for e in entries}
    assert flags == {"review.total": ["break"], "review.upheld": ["break"], "proactive.total": ["low"],
                     "fees.amount": [], "其他事项": ["unmapped"], "review.total = review.upheld": ["break"]}
    kinds = [m.kind for m in marks[1]]
    assert kinds.count("table") == 2 and kinds.count("cell") == 4 and kinds.count("value") == 3  # no box, no mark
    assert [m.box for m in marks[1] if m.kind == "unmapped"] == [(10, 30, 50, 50)]
    assert [m.box for m in marks[1] if m.kind == "table"] == [(10, 10, 90, 50), (10, 100, 90, 120)]


def _colour_pixels(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 30) -> int:
    return int((np.abs(img.astype(int) - rgb).max(axis=2) <= tol).sum())


def test_predict_review_page_shows_the_page_and_its_outlines_in_chromium(tmp_path):
    from ogi_extract.cli import main

    pdf = DATA / "real" / "hongze_qzf_2023.pdf"
    out = tmp_path / "review"
    assert main(["predict", str(pdf), "-o", str(tmp_path / "r.jsonl"), "--review", str(out), "-q"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    page = out / "000_hongze_qzf_2023.html"
    assert "000_hongze_qzf_2023.html" in index and "洪泽区人民政府" in index
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html  # no network
    assert html.count('class="value break"') == 10  # the terms of the two relations this report breaks as printed
    shot = tmp_path / "shot.png"
    # a tall window shows pages 1-4 (page 4 holds table 四 with the printed breaks)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1400,4800", "--virtual-time-budget=5000", f"--screenshot={shot}",
                    f"file://{page}"], check=True, capture_output=True, timeout=120)
    img = np.asarray(Image.open(shot).convert("RGB"))
    left = img[80:, : img.shape[1] // 2]  # the page column, below the header
    assert _colour_pixels(left, (0, 0, 0), tol=60) > 2000  # the page image's printed text shows
    assert _colour_pixels(left, (0x15, 0x65, 0xC0)) > 500  # table outlines
    assert _colour_pixels(left, (0xD5, 0x00, 0x00), tol=40) > 100  # the broken values outlined in red
