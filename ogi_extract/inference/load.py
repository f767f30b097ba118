"""Input loading: a PDF or page image(s) -> Document of RGB page images (+ PDF text-layer words).

Everything is read into memory first (bounded by `settings.max_file_mb`) and sniffed by its
magic bytes, never by file name. Library errors become typed `InputError`s naming the file.
pdfium is not thread-safe: load one document per process.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps, ImageSequence

from ogi_extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    InputError,
    NotAPdfError,
)
from ogi_extract.inference.pdf_rules import vector_rules
from ogi_extract.inference.readers.forms import MARKUP_KINDS, read_form
from ogi_extract.inference.readers.longimage import tile_long_pages
from ogi_extract.inference.sniff import sniff
from ogi_extract.wordsplit import split_words
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Document, Page, Word

DEFAULT_IMAGE_DPI = 200  # for images that do not say
MAX_PAGE_PIXELS = 60_000_000  # a huge PDF page is rendered at a lower dpi rather than exhaust memory
PdfBox = tuple[float, float, float, float]  # (left, bottom, right, top) in PDF user space


def load_document(source: str | Path | bytes, settings: Settings) -> Document:
    """Read a PDF, PNG, JPEG or (multi-page) TIFF, HTML page or Word file into a `Document`.

    The kind comes from the content (`sniff`); long images are cut into page-sized tiles."""
    name, data = _read(source, settings)
    if not data or data.isspace():
        raise EmptyFileError(name)
    kind, warnings = sniff(data), []
    if kind == "pdf":
        pages = _load_pdf(name, data, settings)
    elif kind == "image":
        pages, warnings = tile_long_pages(_load_images(name, data, settings))
        _check_pages(name, len(pages), settings)
    elif kind in MARKUP_KINDS:
        path = None if isinstance(source, bytes | bytearray) else Path(source)
        pages, warnings = read_form(kind, name, data, settings, path)
    else:
        raise NotAPdfError(name, f"starts with {data[:8]!r}")
    return Document(source=name, pages=pages, warnings=warnings)


def _read(source: str | Path | bytes, settings: Settings) -> tuple[str, bytes]:
    """The source's name and content; a file over `max_file_mb` is refused before it is read."""
    if isinstance(source, bytes | bytearray):
        name, size = "<bytes>", len(source)
    else:
        name, path = str(source), Path(source)
        if not path.is_file():
            raise InputError(name, "no such file")
        size = path.stat().st_size
    if size > settings.max_file_mb * 2**20:
        raise FileTooLargeError(name, f"{size / 2**20:.1f} MB > max_file_mb={settings.max_file_mb}")
    if isinstance(source, bytes | bytearray):
        return name, bytes(source)
    try:
        return name, path.read_bytes()
    except OSError as e:
        raise InputError(name, e.strerror or str(e)) from None


def _check_pages(name: str, n: int, settings: Settings) -> None:
    if n == 0:
        raise EmptyFileError(name, "no pages")
    if n > settings.max_pages:
        raise FileTooLargeError(name, f"{n} pages > max_pages={settings.max_pages}")


# --- PDF ---------------------------------------------------------------------------------


def _load_pdf(name: str, data: bytes, settings: Settings) -> list[Page]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFileError(name, "password required") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFileError(name, "unsupported security handler") from None
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            raise EmptyFileError(name, "no pages") from None
        raise CorruptFileError(name, str(e)) from None
    try:
        _check_pages(name, len(pdf), settings)
        return [_load_pdf_page(name, pdf, i, settings.dpi) for i in range(len(pdf))]
    finally:
        pdf.close()


def _load_pdf_page(name: str, pdf: pdfium.PdfDocument, index: int, dpi: int) -> Page:
    page = None
    try:
        page = pdf[index]
        width, height = page.get_size()
        dpi = min(dpi, int(72 * (MAX_PAGE_PIXELS / max(width * height, 1)) ** 0.5))
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
        image = np.array(bitmap.to_numpy()[:, :, :3])  # a copy that outlives pdfium's bitmap
        bitmap.close()
        words = text_layer_words(page, image.shape[1], image.shape[0])
        rules = vector_rules(page, _page_to_pixels(page, image.shape[1], image.shape[0])) if words else None
    except pdfium.PdfiumError as e:
        raise CorruptFileError(name, f"page {index + 1}: {e}") from None
    finally:
        if page is not None:
            page.close()
    return Page(index=index, image=image, dpi=dpi, text_layer=words, rules=rules)


def text_layer_words(page: pdfium.PdfPage, width_px: int, height_px: int) -> list[Word]:
    """The page's text layer as words, boxes in pixels of its `width_px` x `height_px` rendering."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        codes = [pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(n)]
        boxes = _char_boxes(textpage, n)
    finally:
        textpage.close()
    to_px = _page_to_pixels(page, width_px, height_px)
    chars = [(chr(c) if 0 < c < 0x110000 else "\ufffd", to_px(b)) for c, b in zip(codes, boxes)]
    return split_words(chars, "text_layer")


def _char_boxes(textpage: pdfium.PdfTextPage, n: int) -> list[PdfBox]:
    """Loose (font-bound) char boxes, which give a line's chars one height and no gaps inside words;
    the tight glyph box where a font's bounds are implausible (over 3x the page's median height)."""

    def box(i: int, loose: bool) -> PdfBox:
        try:
            return textpage.get_charbox(i, loose=loose)
        except pdfium.PdfiumError:
            return (0.0, 0.0, 0.0, 0.0)

    tight, loose = [box(i, False) for i in range(n)], [box(i, True) for i in range(n)]
    loose_h = np.median([b[3] - b[1] for b in loose if b[3] > b[1]] or [0])
    tight_h = np.median([b[3] - b[1] for b in tight if b[3] > b[1]] or [0])
    limit = 3 * loose_h if loose_h <= 3 * tight_h else 0  # 0: the font bounds are broken page-wide
    return [lb if lb[3] - lb[1] <= limit else tb for lb, tb in zip(loose, tight)]


def _page_to_pixels(page: pdfium.PdfPage, width_px: int, height_px: int) -> Callable[[PdfBox], BBox]:
    """PDF user-space (l, b, r, t) -> pixel (x0, y0, x1, y1), honouring the page's crop box and rotation."""
    # pdfium's own page-to-device mapping on three points fixes the affine transform.
    def device(x: float, y: float) -> tuple[int, int]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page, 0, 0, width_px * 16, height_px * 16, 0, x, y, dx, dy)
        return dx.value / 16, dy.value / 16

    (ox, oy), (ax, ay), (bx, by) = device(0, 0), device(1000, 0), device(0, 1000)
    exx, exy, eyx, eyy = (ax - ox) / 1000, (ay - oy) / 1000, (bx - ox) / 1000, (by - oy) / 1000

    def to_px(box: PdfBox) -> BBox:  # plain floats: called for every char of the page
        left, bottom, right, top = box
        xs = [ox + x * exx + y * eyx for x in (left, right) for y in (bottom, top)]
        ys = [oy + x * exy + y * eyy for x in (left, right) for y in (bottom, top)]
        return (min(xs), min(ys), max(xs), max(ys))

    return to_px


# --- images ------------------------------------------------------------------------------


def _load_images(name: str, data: bytes, settings: Settings) -> list[Page]:
    try:
        with Image.open(io.BytesIO(data)) as img:
            _check_pages(name, getattr(img, "n_frames", 1), settings)
            return [_image_page(frame, i) for i, frame in enumerate(ImageSequence.Iterator(img))]
    except Image.DecompressionBombError as e:
        raise FileTooLargeError(name, str(e)) from None
    except (OSError, SyntaxError, ValueError) as e:
        raise CorruptFileError(name, str(e) or type(e).__name__) from None


def _image_page(frame: Image.Image, index: int) -> Page:
    stated = float(frame.info.get("dpi", (0, 0))[0] or 0)
    dpi = round(stated) if 50 <= stated <= 1200 else DEFAULT_IMAGE_DPI
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        frame = frame.convert("RGBA")
        white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, frame)
    return Page(index=index, image=np.array(frame.convert("RGB")), dpi=dpi)
