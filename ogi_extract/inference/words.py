"""Words per page: the PDF text layer where it is usable, else OCR (a seal printed over the scan is
wiped first, and a scan lying sideways or upside down is turned upright, so the later stages see the
page so too).

Words are cut by `ogi_extract.wordsplit.split_words`, shared with the OCR engines.
"""

from __future__ import annotations

import time
import unicodedata

import cv2
import numpy as np

from ogi_extract.inference.seals import without_seals
from ogi_extract.models.ocr.base import OcrEngine, Orienting, build_engine
from ogi_extract.settings import Settings
from ogi_extract.types import Document, Page, Word

MAX_JUNK = 0.1  # share of private-use / replacement / control chars that marks a garbage layer
MIN_INK_COVERED = 0.7  # share of the page's text ink the layer must cover (real layers: ~1.0)
CHECK_DPI = 72  # the text-layer check looks at the page this coarsely (a text-layer page is never rendered whole)
MIN_INK_PIXELS = 200  # at 800 px page width: less dark ink than this is a blank page
MIN_UPRIGHT_SCORE = 0.4  # share of chars in confident horizontal words below which a page looks turned


def text_layer_usable(page: Page) -> bool:
    """Whether the PDF text layer can stand in for OCR on this page.

    Not when it is missing, mostly junk (unmapped CID glyphs come out as private-use or
    replacement chars), or leaves much of the page's text ink uncovered (a scan with a stray
    text line, or a digital report with a table pasted in as an image).
    An empty layer never is: a faint scan can look blank to an ink count, and OCR of a truly
    blank page costs little.
    """
    words = page.text_layer
    if not words:  # an image, a scanned page, or a blank one
        return False
    text = "".join(w.text for w in words)
    if text and sum(_is_junk(c) for c in text) > MAX_JUNK * len(text):
        return False
    dpi = min(CHECK_DPI, page.dpi / 2)  # a page capped by max_page_pixels (a giant page box) is coarser still
    return ink_covered(page.preview(dpi), words, dpi / page.dpi) >= MIN_INK_COVERED


def _is_junk(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cs")


def ink_covered(image: np.ndarray, words: list[Word], scale: float) -> float:
    """Share of the page's dark ink inside word boxes (`scale`: image pixels per box pixel),
    leaving out colour (red seals) and table rules: runs of even faint ink unbroken for a tenth
    of the page width, which text never has."""
    small = np.maximum(np.maximum(image[:, :, 0], image[:, :, 1]), image[:, :, 2])  # numpy's max(axis=2) is 10x slower
    faint, ink = (small < 200).astype(np.uint8), (small < 128).astype(np.uint8)
    run = max(15, small.shape[1] // 10)
    rules = np.zeros_like(ink)
    for shape in ((1, run), (run, 1)):
        rules |= cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones(shape, np.uint8))
    ink &= 1 - cv2.dilate(rules, np.ones((3, 3), np.uint8))
    total = int(ink.sum())
    if total < MIN_INK_PIXELS * (image.shape[1] / 800) ** 2:  # a blank page (or bare rules): nothing for OCR to find either
        return 1.0
    mask = np.zeros_like(ink)
    for w in words:
        x0, y0, x1, y1 = (round(v * scale) for v in w.box)
        cv2.rectangle(mask, (x0 - 1, y0 - 1), (x1 + 1, y1 + 1), 1, thickness=-1)
    return float((ink & mask).sum()) / total


class WordReader:
    """Stage: fills `page.words` from the usable text layer, else from OCR (engine built once, lazily)."""

    def __init__(self, settings: Settings, engine: OcrEngine | None = None):
        self.settings = settings
        self._engine = engine

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = build_engine(self.settings)
        return self._engine

    def __call__(self, doc: Document, pages: list[Page]) -> list[Page]:
        for page in pages:
            if page.markup:  # HTML/Word: words already read from the markup
                continue
            start = time.perf_counter()
            if self.settings.use_text_layer and text_layer_usable(page):
                page.words = list(page.text_layer or [])
                key = "text_layer"
            else:
                if self.settings.use_text_layer and page.text_layer:
                    doc.warnings.append(f"page {page.index + 1}: text layer unusable, read by OCR")
                page.image, page.seals = without_seals(page.image, page.dpi)
                page.words = self._read_upright(doc, page)
                key = "ocr"
            doc.timings[key] = doc.timings.get(key, 0.0) + time.perf_counter() - start
        return pages

    def _read_upright(self, doc: Document, page: Page) -> list[Word]:
        """OCR words of the page, first turning a sideways or upside-down scan upright (in place)."""
        words = self.engine.read(page.image)
        if not _looks_turned(words):
            return words
        # an engine that can tell how the page lies reads it again only when it lies turned (a noisy fax page
        # looks turned too: reading every turn made such a page cost four pages' OCR)
        turns = [self.engine.turn(page.image)] if isinstance(self.engine, Orienting) else [1, 2, 3]
        reads = [(0, words)] + [(k, self.engine.read(np.ascontiguousarray(np.rot90(page.image, k)))) for k in turns if k]
        k, words = max(reads, key=lambda kw: _reading_score(kw[1]))
        if k:
            page.image = np.ascontiguousarray(np.rot90(page.image, k))
            page.seals = []  # found on the page as scanned; their text is left in this rare case
            doc.warnings.append(f"page {page.index + 1}: turned {90 * k} degrees counterclockwise to read it")
        return words


def _looks_turned(words: list[Word]) -> bool:
    """Few characters read into confident horizontal words: the page lies sideways (its lines cut
    into single chars) or upside down. Upright report pages score 0.65 or more."""
    chars = sum(len(w.text) for w in words)
    return chars > 0 and _reading_score(words) < MIN_UPRIGHT_SCORE * chars


def _reading_score(words: list[Word]) -> float:
    """Confident characters in horizontal multi-char words: highest for the upright page."""
    return sum(w.confidence * len(w.text) for w in words
               if len(w.text) >= 2 and w.box[2] - w.box[0] >= w.box[3] - w.box[1])
