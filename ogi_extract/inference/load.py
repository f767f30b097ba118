"""Input loading: a PDF or page image(s) -> Document of RGB page images (+ PDF text-layer words).

Everything is read into memory first (bounded by `settings.max_file_mb`) and sniffed by its
magic bytes, never by file name. Library errors become typed `InputError`s naming the file.
pdfium is not thread-safe: load one document per process.
"""

from __future__ import annotations

import ctypes
import errno
import io
import math
import os
import re
import stat
import struct
import warnings
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
    MissingFileError,
    NotAFileError,
    NotAPdfError,
    PermissionDeniedError,
    SymlinkLoopError,
    TruncatedFileError,
)
from ogi_extract.inference.pdf_rules import PdfBox, vector_rules
from ogi_extract.inference.readers.forms import MARKUP_KINDS, read_form
from ogi_extract.inference.readers.longimage import tile_long_pages
from ogi_extract.inference.sniff import sniff
from ogi_extract.remote import is_url, read_url
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Document, Page, Word
from ogi_extract.wordsplit import split_words

DEFAULT_IMAGE_DPI = 200  # for images that do not say
BOMB_PIXELS = 2 * 89_478_485  # Pillow's own default error limit, never raised


def load_document(source: str | Path | bytes, settings: Settings) -> Document:
    """Read a PDF, PNG, JPEG or (multi-page) TIFF, HTML page or Word file into a `Document`.

    The kind comes from the content (`sniff`); long images are cut into page-sized tiles."""
    name, data = _read(source, settings)
    if not data or data.isspace():
        raise EmptyFileError(name)
    kind, notes = sniff(data), list[str]()
    with warnings.catch_warnings(record=True) as caught:  # Pillow's warnings go to the result, not stderr
        warnings.simplefilter("always")
        if kind == "pdf":
            pages = _load_pdf(name, data, settings)
            notes += [] if xref_intact(data) else ["pdf: cross-reference table damaged; pdfium rebuilt it from the objects"]
        elif kind == "image":
            pages, notes = tile_long_pages(_load_images(name, data, settings))
            _check_pages(name, len(pages), settings)
        elif kind in MARKUP_KINDS:
            path = None if isinstance(source, bytes | bytearray) or is_url(source) else Path(source)
            pages, notes = read_form(kind, name, data, settings, path)
        else:
            raise NotAPdfError(name, f"starts with {data[:8]!r}")
    notes += list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    return Document(source=name, pages=pages, warnings=notes)


def xref_intact(data: bytes) -> bool:
    """Whether the last `startxref` points at a cross-reference table or stream (offsets may count
    from the `%PDF` header when junk precedes it). pdfium silently rebuilds a broken one by scanning
    the objects, which can pick up an older revision's objects: worth a warning."""
    at = data.rfind(b"startxref")
    offset = re.match(rb"startxref\s+(\d+)", data[at:at + 40]) if at >= 0 else None
    if offset is None:
        return False
    for start in {0, max(0, data.find(b"%PDF"))}:
        head = data[start + int(offset[1]):start + int(offset[1]) + 32].lstrip()
        if head.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", head):
            return True
    return False


def _read(source: str | Path | bytes, settings: Settings) -> tuple[str, bytes]:
    """The source's name and content; a file over `max_file_mb` is refused before it is read."""
    if isinstance(source, bytes | bytearray):
        name, size = "<bytes>", len(source)
    elif is_url(source):  # s3://, gs://, file://…: through fsspec
        return str(source), read_url(str(source), settings.max_file_mb)
    else:
        name, path = str(source), Path(source)
        size = check_file(name, path).st_size
    if size > settings.max_file_mb * 2**20:
        raise FileTooLargeError(name, f"{size / 2**20:.1f} MB > max_file_mb={settings.max_file_mb}")
    if isinstance(source, bytes | bytearray):
        return name, bytes(source)
    try:
        return name, path.read_bytes()
    except OSError as e:
        raise _os_error(name, e) from None


def check_file(name: str, path: Path) -> os.stat_result:
    """`path`'s stat if it is a regular file; else a typed error (a FIFO is never opened: it would block)."""
    try:
        st = path.stat()
    except OSError as e:
        raise _os_error(name, e) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise NotAFileError(name, kind)
    return st


def _os_error(name: str, e: OSError) -> InputError:
    if e.errno == errno.ELOOP:
        return SymlinkLoopError(name)
    if e.errno in (errno.EACCES, errno.EPERM):
        return PermissionDeniedError(name)
    if e.errno in (errno.ENOENT, errno.ENOTDIR):
        return MissingFileError(name)
    if e.errno == errno.EISDIR:
        return NotAFileError(name, "a folder")
    return InputError(name, e.strerror or type(e).__name__)


def _check_pages(name: str, n: int, settings: Settings) -> None:
    if n == 0:
        raise EmptyFileError(name, "no pages")
    if n > settings.max_pages:
        raise FileTooLargeError(name, f"{n} pages > max_pages={settings.max_pages}")


# --- PDF ---------------------------------------------------------------------------------


def _load_pdf(name: str, data: bytes, settings: Settings) -> list[Page]:
    # pdfium leaves its last error as it was when a zero-page PDF fails to load: set a marker first,
    # so the previous file's error (encrypted, corrupt) is never reported for this one.
    pdfium_c.FPDF_LoadDocument(b"/nonexistent/ogi-extract-marker.pdf", None)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFileError(name, "password required") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFileError(name, "unsupported security handler") from None
        if code in (pdfium_c.FPDF_ERR_SUCCESS, pdfium_c.FPDF_ERR_FILE):
            raise EmptyFileError(name, "no pages") from None
        raise CorruptFileError(name, str(e)) from None
    try:
        _check_pages(name, len(pdf), settings)
        return [_load_pdf_page(name, data, pdf, i, settings) for i in range(len(pdf))]
    finally:
        pdf.close()


def _load_pdf_page(name: str, data: bytes, pdf: pdfium.PdfDocument, index: int, settings: Settings) -> Page:
    """One page's text layer and vector rules; its pixels are rendered only when a stage asks
    (OCR, a text layer found unusable, review images). A page bigger than `max_page_pixels` at
    `dpi` renders at the dpi that fits (a 14400 pt page box stays a few megapixels)."""
    page = None
    try:
        page = pdf[index]
        width, height = page.get_size()
        fit = 72 * (settings.max_page_pixels / max(width * height, 1e-6)) ** 0.5
        dpi = max(1, min(settings.dpi, int(fit)))
        size = math.ceil(width * dpi / 72), math.ceil(height * dpi / 72)  # as pdfium renders it
        words = text_layer_words(page, *size)
        rules = vector_rules(page, _page_to_pixels(page, *size)) if words else None
    except pdfium.PdfiumError as e:
        raise CorruptFileError(name, f"page {index + 1}: {e}") from None
    finally:
        if page is not None:
            page.close()
    return Page(index=index, raster=PdfRaster(name, data, index, size), dpi=dpi, text_layer=words, rules=rules)


class PdfRaster:
    """Renders one page of a PDF held in memory (the document is opened again for it: pdfium
    documents are not kept open between stages, nor sent between processes)."""

    def __init__(self, name: str, data: bytes, index: int, size: tuple[int, int]):
        self.name, self.data, self.index, self.size = name, data, index, size

    def render(self, dpi: float) -> np.ndarray:
        pdf = page = None
        try:
            pdf = pdfium.PdfDocument(self.data)
            page = pdf[self.index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = np.array(bitmap.to_numpy()[:, :, :3])  # a copy that outlives pdfium's bitmap
            bitmap.close()
            return image
        except pdfium.PdfiumError as e:
            raise CorruptFileError(self.name, f"page {self.index + 1}: {e}") from None
        finally:
            if page is not None:
                page.close()
            if pdf is not None:
                pdf.close()


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
    def device(x: float, y: float) -> tuple[float, float]:
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
            if img.size[0] * img.size[1] > BOMB_PIXELS:  # checked here too: some library may lift Pillow's limit
                raise Image.DecompressionBombError(f"{img.size[0]} x {img.size[1]} pixels > {BOMB_PIXELS}")
            _check_pages(name, getattr(img, "n_frames", 1), settings)
            return [_image_page(frame, i, settings.max_page_pixels) for i, frame in enumerate(ImageSequence.Iterator(img))]
    except Image.DecompressionBombError as e:
        raise FileTooLargeError(name, str(e)) from None
    except (EOFError, TypeError, struct.error) as e:  # a multi-page TIFF cut short: "Missing dimensions"
        raise TruncatedFileError(name, str(e) or type(e).__name__) from None
    except (OSError, SyntaxError, ValueError, MemoryError) as e:
        raise CorruptFileError(name, str(e) or type(e).__name__) from None
    except (KeyError, IndexError, ZeroDivisionError, AttributeError) as e:  # Pillow on malformed tags (found by fuzzing)
        raise CorruptFileError(name, f"{type(e).__name__}: {e}") from None


def _image_page(frame: Image.Image, index: int, max_pixels: int) -> Page:
    try:
        stated = float(frame.info.get("dpi", (0, 0))[0] or 0)
    except (TypeError, ValueError):
        stated = 0.0
    dpi = round(stated) if 50 <= stated <= 1200 else DEFAULT_IMAGE_DPI
    w, h = frame.size
    if w * h > max_pixels:  # scaled down while decoding where the codec can (JPEG draft)
        scale = (max_pixels / (w * h)) ** 0.5
        frame = frame.copy() if getattr(frame, "n_frames", 1) > 1 else frame
        frame.thumbnail((max(1, int(w * scale)), max(1, int(h * scale))))
        dpi = max(1, round(dpi * scale))
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        frame = frame.convert("RGBA")
        white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, frame)
    return Page(index=index, raster=np.array(frame.convert("RGB")), dpi=dpi)
