"""OCR engines on small crops of a rasterized real report, checked against its labeled truth."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ogi_extract.errors import ModelNotFoundError
from ogi_extract.inference.load import load_document
from ogi_extract.inference.words import WordReader
from ogi_extract.models.ocr.base import OcrEngine, build_engine
from ogi_extract.settings import Settings
from ogi_extract.types import Word

DATA = Path(__file__).parent / "data"
CROPS = DATA / "images"  # cut from tests/data/real/huaian_szf_2024.pdf page 4, rendered at 200 dpi
TRUTH = json.loads((DATA / "real" / "truth" / "huaian_szf_2024.json").read_text(encoding="utf-8"))["metrics"]
COLUMNS = ("natural_person", "enterprise", "research_institution", "social_org", "legal_service", "other_org", "total")


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return build_engine(Settings(ocr_engine="rapidocr"))


def _row_after(words: list[Word], label_part: str) -> list[str]:
    """Texts of the words right of the label containing `label_part`, on its line, left to right."""
    label = next(w for w in words if label_part in w.text)
    mid = (label.box[1] + label.box[3]) / 2
    row = [w for w in words if w.box[1] < mid < w.box[3] and w.box[0] > label.box[2]]
    return [w.text for w in sorted(row, key=lambda w: w.box[0])]


def _check_words(words: list[Word]) -> None:
    for w in words:
        assert w.source == "ocr" and 0 <= w.confidence <= 1 and w.text == "".join(c for c, _ in w.chars)
        x0, y0, x1, y1 = w.box
        assert all(x0 <= b[0] <= b[2] <= x1 and y0 <= b[1] <= b[3] <= y1 for _, b in w.chars)


def _reads_table_cells(engine: OcrEngine) -> None:
    page = load_document(CROPS / "huaian_2024_p4_applications.png", Settings()).pages[0]
    words = engine.read(page.image)
    _check_words(words)
    for label, key in (("本年新收", "new"), ("上年结转", "carried_over"), ("予以公开", "granted")):
        assert _row_after(words, label) == [str(TRUTH[f"applications.{key}.{c}"]) for c in COLUMNS]


def test_rapid_reads_every_cell_of_table_rows_as_its_own_word(engine):
    _reads_table_cells(engine)


def test_openvino_detector_agrees_with_onnxruntime():
    """The default detector runtime is OpenVINO (3x faster); it must see what onnxruntime sees."""
    page = load_document(CROPS / "huaian_2024_p4_applications.png", Settings()).pages[0]
    engines = [build_engine(Settings(detector_runtime=r)) for r in ("openvino", "onnxruntime")]
    det = [e._ocr._load_det_model() for e in engines]  # type: ignore[attr-defined]
    x = det[1].get_preprocess()(page.image[:, :, ::-1])
    maps = [d.session(x) for d in det]
    assert type(det[0].session).__name__ == "OpenVinoSession" and maps[0].shape == maps[1].shape
    assert np.abs(maps[0] - maps[1]).max() < 1e-3
    assert [w.text for w in engines[0].read(page.image)] == [w.text for w in engines[1].read(page.image)]


def test_detector_input_from_the_table_is_rapidocrs_own(engine):
    """The tabled normalization must hand the detector exactly the floats rapidocr's arithmetic gives."""
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    page = load_document(CROPS / "huaian_2024_p4_applications.png", Settings()).pages[0]
    det = engine._ocr._load_det_model()
    ours = det.get_preprocess()
    theirs = DetPreProcess(det.limit_side_len, det.limit_type, det.mean, det.std)
    assert type(ours).__name__ == "TabledDetPreProcess"
    bgr = page.image[:, :, ::-1]
    x = ours(bgr)
    assert x is not None and x.dtype == np.float32 and x.flags.c_contiguous
    assert np.array_equal(x, theirs(bgr))


def test_rapid_reads_large_and_decimal_numbers(engine):
    page = load_document(CROPS / "huaian_2024_p4_art20.png", Settings()).pages[0]  # grayscale PNG
    words = engine.read(page.image)
    _check_words(words)
    assert _row_after(words, "行政处罚") == [str(TRUTH["art20.penalty.decisions"])]
    assert _row_after(words, "行政强制") == [str(TRUTH["art20.compulsion.decisions"])]
    assert _row_after(words, "行政事业性收费") == [str(TRUTH["art20.fees.amount"])]


def test_word_reader_runs_ocr_on_an_image_only_pdf(engine):
    crop = Image.open(CROPS / "huaian_2024_p4_art20.png")
    scan = io.BytesIO()
    crop.save(scan, format="PDF", resolution=200)
    doc = load_document(scan.getvalue(), Settings())
    WordReader(Settings(), engine)(doc, doc.pages)
    assert doc.pages[0].text_layer == [] and "ocr" in doc.timings
    assert all(w.source == "ocr" for w in doc.pages[0].words)
    assert str(TRUTH["art20.fees.amount"]) in doc.text.split()


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_word_reader_turns_a_sideways_or_upside_down_scan_upright(engine, turns):
    upright = np.array(Image.open(CROPS / "huaian_2024_p4_applications.png").convert("RGB"))
    scan = io.BytesIO()
    Image.fromarray(np.rot90(upright, -turns)).save(scan, format="PNG")  # as it lay on the scanner
    doc = load_document(scan.getvalue(), Settings())
    counting = _CountingReads(engine)
    WordReader(Settings(), counting)(doc, doc.pages)
    page = doc.pages[0]
    assert np.array_equal(page.image, upright) and "turned" in doc.warnings[0]
    assert _row_after(page.words, "本年新收") == [str(TRUTH[f"applications.new.{c}"]) for c in COLUMNS]
    assert counting.reads == 2  # as it lay, then turned: the turn is found without reading every one


class _CountingReads:
    """The real engine, counting its whole-page reads."""

    name = "counting"

    def __init__(self, engine):
        self.engine, self.reads, self.turn = engine, 0, engine.turn

    def read(self, image):
        self.reads += 1
        return self.engine.read(image)


@pytest.mark.parametrize("page", [0, 3])
def test_rapid_engine_tells_how_a_page_lies(engine, page):
    """Every quarter turn of whole real pages (a table page and a prose page), rendered at 150 dpi."""
    pdf = pdfium.PdfDocument(DATA / "real" / "huaian_szf_2024.pdf")
    upright = np.array(pdf[page].render(scale=150 / 72).to_pil().convert("RGB"))
    assert [engine.turn(np.ascontiguousarray(np.rot90(upright, -k))) for k in range(4)] == [0, 1, 2, 3]


def test_paddle_model_folders_from_the_rapidocr_wheel(tmp_path, monkeypatch):
    import onnxruntime as ort
    import yaml

    from ogi_extract.models.ocr import paddle

    monkeypatch.setattr(paddle, "CACHE", tmp_path)
    det, rec = paddle.model_folders(Settings())
    assert yaml.safe_load((det / "inference.yml").read_text())["Global"]["model_name"] == paddle.DET_NAME
    chars = yaml.safe_load((rec / "inference.yml").read_text(encoding="utf-8"))["PostProcess"]["character_dict"]
    classes = ort.InferenceSession(rec / "inference.onnx").get_outputs()[0].shape[-1]
    assert len(chars) + 2 == classes  # + CTC blank + space, as PaddleOCR's decoder adds them
    with pytest.raises(ModelNotFoundError):
        paddle.model_folders(Settings(paddle_models=tmp_path / "nowhere"))


def test_paddle_backend_reads_table_cells():
    import paddleocr  # noqa: F401  (make test installs every extra: missing is a failure, not a skip)
    _reads_table_cells(build_engine(Settings(ocr_engine="paddleocr")))


def test_wide_body_lines_are_recognized_squeezed_to_the_same_words(engine, monkeypatch):
    """Recognition costs in proportion to width: wide label lines are read at 0.6 of it, and still give
    the words (texts and boxes in page pixels) that the full width gives."""
    from ogi_extract.models.ocr import rapid

    page = load_document(CROPS / "huaian_2024_p4_applications.png", Settings()).pages[0]
    rec = engine._ocr._load_rec_model()  # type: ignore[attr-defined]
    session, widths = rec.session, []
    monkeypatch.setattr(rec, "session", lambda x: widths.append(x.shape[0] * x.shape[3]) or session(x))
    squeezed = engine.read(page.image)
    work, widths[:] = sum(widths), []
    monkeypatch.setattr(rapid, "SQUEEZE", 1.0)
    full = engine.read(page.image)
    assert work < 0.8 * sum(widths)
    assert [w.text for w in squeezed] == [w.text for w in full]
    assert max(abs(a - b) for s, f in zip(squeezed, full) for a, b in zip(s.box, f.box)) < 0.3 * page.dpi / 72 * 12


def test_squeezing_keeps_numbers_and_titles_whole():
    from ogi_extract.models.ocr.rapid import squeezed

    body, number, title = np.zeros((30, 900, 3), np.uint8), np.zeros((30, 80, 3), np.uint8), np.zeros((60, 1200, 3), np.uint8)
    out = squeezed([body, body, number, title])
    assert out[0].shape == (30, 540, 3) and out[2] is number and out[3] is title
    assert squeezed([body])[0].shape == (30, 540, 3)  # a cell re-read alone is its own body height


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2), min_size=4, max_size=4))
def test_character_box_corners_are_ordered_as_rapidocr_orders_them(box):
    """Small coordinates, so that the ties its branches turn on (equal x or y, a point at the centre) come up."""
    from rapidocr.cal_rec_boxes import CalRecBoxes

    from ogi_extract.models.ocr.rapid import CharBoxes

    assert CharBoxes.order_points(box) == CalRecBoxes.order_points(box)
