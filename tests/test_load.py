"""Loading real PDFs and images, the text layer, and typed errors for bad input."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ogi_extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    InputError,
    NotAPdfError,
)
from ogi_extract.inference.load import load_document
from ogi_extract.inference.words import WordReader, text_layer_usable
from ogi_extract.settings import Settings
from ogi_extract.types import Page, Word

REAL = Path(__file__).parent / "data" / "real"
HUAIAN = REAL / "huaian_szf_2024.pdf"
LOW = Settings(dpi=100)  # fast enough for tests; boxes scale with it


@pytest.fixture(scope="module")
def huaian():
    return load_document(HUAIAN, LOW)


def _word(page: Page, text: str) -> Word:
    return next(w for w in page.text_layer or [] if w.text == text)


def test_real_pdf_pages_and_text_layer(huaian):
    assert len(huaian.pages) == 6
    page = huaian.pages[3]
    assert page.dpi == 100 and np.allclose(page.size, (595 / 72 * 100, 842 / 72 * 100), atol=1)  # A4
    assert page.image.dtype == np.uint8 and page.image.shape[2] == 3
    fees = _word(page, "96171.6")
    assert all(w.source == "text_layer" for w in page.text_layer)
    assert "".join(c for c, _ in fees.chars) == "96171.6"
    x0, y0, x1, y1 = fees.box
    assert 0 <= x0 < x1 <= page.size[0] and 0 <= y0 < y1 <= page.size[1]
    # the box lies on dark ink in the rendered image, not on blank paper
    assert page.image[int(y0):int(y1) + 1, int(x0):int(x1) + 1].min() < 100


def test_cells_of_one_row_stay_separate_words(huaian):
    page = huaian.pages[3]
    label, value = _word(page, "行政处罚"), _word(page, "3985758")
    assert abs((label.box[1] + label.box[3]) - (value.box[1] + value.box[3])) < 0.5 * (label.box[3] - label.box[1])
    assert label.box[2] < value.box[0]
    row = sorted((w for w in page.text_layer if abs(w.box[1] - _word(page, "3001").box[1]) < 5), key=lambda w: w.box[0])
    assert [w.text for w in row][-7:] == ["3001", "53", "0", "0", "61", "4", "3119"]


def test_boxes_scale_with_dpi(huaian):
    hi = load_document(HUAIAN, Settings(dpi=200)).pages[3]
    a, b = _word(huaian.pages[3], "96171.6").box, _word(hi, "96171.6").box
    assert np.allclose(np.array(b), 2 * np.array(a), atol=1.5)


def _on_ink(page: Page) -> float:
    """Share of text-layer words whose box holds a dark pixel of the rendered page."""
    hits = [page.image[int(y0):int(y1) + 1, int(x0):int(x1) + 1].min() < 128 for x0, y0, x1, y1 in
            (w.box for w in page.text_layer)]
    return sum(hits) / len(hits)


def test_rotated_page_boxes_follow_the_rendering(huaian):
    pdf = pdfium.PdfDocument(HUAIAN)
    pdf[3].set_rotation(90)
    buf = io.BytesIO()
    pdf.save(buf)
    page = load_document(buf.getvalue(), LOW).pages[3]
    assert page.size == huaian.pages[3].size[::-1]
    assert _on_ink(page) > 0.98 and _on_ink(huaian.pages[3]) > 0.98


def test_real_text_layers_are_usable(huaian):
    assert all(text_layer_usable(p) for p in huaian.pages)


def _image_pdf(image: np.ndarray, dpi: int, caption: str | None = None) -> bytes:
    """A scanned-style PDF: the page is one image, optionally with a stray line of real text."""
    h, w = image.shape[:2]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(w * 72 / dpi, h * 72 / dpi))
    pdf.drawImage(ImageReader(Image.fromarray(image)), 0, 0, w * 72 / dpi, h * 72 / dpi)
    if caption:
        pdf.drawString(20, 20, caption)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_image_only_pdf_has_no_usable_layer(huaian):
    src = huaian.pages[3]
    doc = load_document(_image_pdf(src.image, 100), LOW)
    page = doc.pages[0]
    assert doc.source == "<bytes>" and page.text_layer == [] and not text_layer_usable(page)
    assert abs(page.size[0] - src.size[0]) <= 1 and abs(page.size[1] - src.size[1]) <= 1
    # a scan with a stray text line is still a scan
    stamped = load_document(_image_pdf(src.image, 100, "Page 4"), LOW).pages[0]
    assert [w.text for w in stamped.text_layer] == ["Page", "4"] and not text_layer_usable(stamped)


def test_junk_text_layer_is_not_usable(huaian):
    page = huaian.pages[3]
    junk = [Word("\ue000" * len(w.text), w.box, source="text_layer") for w in page.text_layer]
    assert not text_layer_usable(Page(page.index, page.image, page.dpi, text_layer=junk))


def test_word_reader_takes_the_text_layer(huaian):
    doc = load_document(HUAIAN, LOW)
    pages = WordReader(LOW)(doc, doc.pages[3:4])
    assert pages[0].words == pages[0].text_layer and "text_layer" in doc.timings
    assert "96171.6" in doc.text


def test_a_text_layer_page_is_never_rendered_whole():
    doc = load_document(HUAIAN, LOW)
    WordReader(LOW)(doc, doc.pages)
    assert all(p.words == p.text_layer for p in doc.pages)
    assert not any(isinstance(p.raster, np.ndarray) for p in doc.pages)  # only a 72 dpi preview was drawn
    page = doc.pages[3]
    assert page.image.shape[1::-1] == page.size and isinstance(page.raster, np.ndarray)  # drawn when asked, at the boxes' size


def test_png_tiff_jpeg_and_bytes(tmp_path, huaian):
    rgb = huaian.pages[3].image
    png = tmp_path / "page.png"
    Image.fromarray(rgb).save(png, dpi=(150, 150))
    page = load_document(png, LOW).pages[0]
    assert page.dpi == 150 and np.array_equal(page.image, rgb) and page.text_layer is None

    tiff = tmp_path / "scan.tif"
    frames = [Image.fromarray(rgb).convert("L"), Image.fromarray(rgb[::2, ::2]).convert("1")]
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(300, 300), compression="tiff_lzw")
    doc = load_document(tiff.read_bytes(), LOW)
    assert [p.index for p in doc.pages] == [0, 1] and doc.source == "<bytes>"
    assert doc.pages[1].image.shape == (*rgb[::2, ::2].shape[:2], 3) and doc.pages[0].dpi == 300

    jpeg = io.BytesIO()
    Image.fromarray(rgb).save(jpeg, format="JPEG")
    page = load_document(jpeg.getvalue(), LOW).pages[0]
    assert page.dpi == 200 and page.image.shape == rgb.shape  # no dpi in the file: assume 200


def test_typed_errors(tmp_path):
    data = HUAIAN.read_bytes()
    cases = {
        CorruptFileError: data[: len(data) // 2],
        NotAPdfError: b"\xef\xbb\xbf\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf just text",
        EmptyFileError: b"",
    }
    for error, content in cases.items():
        path = tmp_path / "report.pdf"
        path.write_bytes(content)
        with pytest.raises(error, match="report.pdf"):
            load_document(path, LOW)
    with pytest.raises(CorruptFileError):
        load_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, LOW)
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "missing.pdf", LOW)
    with pytest.raises(FileTooLargeError, match="max_file_mb"):
        load_document(HUAIAN, Settings(max_file_mb=0.1))
    with pytest.raises(FileTooLargeError, match="max_pages"):
        load_document(HUAIAN, Settings(max_pages=5))


def test_encrypted_pdf():
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret"))
    pdf.drawString(100, 700, "2024")
    pdf.showPage()
    pdf.save()
    with pytest.raises(EncryptedFileError, match="<bytes>"):
        load_document(buf.getvalue(), LOW)
