"""Re-read empty value cells of OCR pages with recognition alone.

The text detector misses a lone short number now and then (a thin "1", a faint "0" on a
heavy scan), which leaves its cell empty, and an empty cell means "not printed"; read with
the line around it, a lone "1" or "0" may also come out as 一 or 。, which mean "not printed"
too. A cell with digit-tall ink left once its rules are wiped out (a printed dash is not that
tall) is cut out tight around that ink and given to the recognizer; a confident number becomes
the cell's word. Nothing else is changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from ogi_extract.inference.layout import as_digits, is_number
from ogi_extract.inference.layout.rules import binary, line_masks
from ogi_extract.models.ocr.base import LineRecognizer, OcrEngine
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Cell, Document, Page, Table, Word

DASH_GLYPHS = frozenset("—–―-－─一、.。")  # what OCR may make of a lone thin digit: re-read when digit-tall
MIN_CONFIDENCE = 0.8  # a recognizer reading speckle or a rule remnant scores lower
MIN_INK_HEIGHT_PT = 4.0  # a digit is at least this tall (a speckle is smaller)
PAD_PT = 2.0  # paper kept around the ink for the recognizer
JOIN_PT = 2.0  # pieces of a digit a fax broke apart lie closer than this


class CellRereader:
    """Stage: fills empty value cells of OCR pages that hold ink, when it reads as a number."""

    def __init__(self, settings: Settings, engine: OcrEngine | Callable[[], OcrEngine]):
        """`engine`, or a function giving it: the word reader's, asked for on the first OCR page only."""
        self.settings = settings
        self._engine = engine

    @property
    def engine(self) -> OcrEngine:
        if not hasattr(self._engine, "read"):
            self._engine = self._engine()
        return self._engine

    def __call__(self, doc: Document, pages: list[Page]) -> list[Page]:
        start = time.perf_counter()
        for page in pages:
            if not page.read_by_ocr:
                continue
            if not isinstance(self.engine, LineRecognizer):
                break  # an engine that cannot read without detection
            for table in page.tables:
                for cell in unread_value_cells(table):
                    word = self.read_cell(page, cell)
                    if word is not None:
                        cell.words = [word]
        doc.timings["reread"] = doc.timings.get("reread", 0.0) + time.perf_counter() - start
        return pages

    def read_cell(self, page: Page, cell: Cell) -> Word | None:
        """The cell's number, read from the ink inside its box; None when blank or unsure."""
        assert isinstance(self.engine, LineRecognizer)
        found = cell_ink(page, cell.box)
        if found is None:
            return None
        crop, box = found
        text, confidence = self.engine.recognize(crop)
        text = as_digits(text.replace(" ", ""))
        if confidence < MIN_CONFIDENCE or not is_number(text):
            return None
        return Word(text, box, confidence, "ocr")


def unread_value_cells(table: Table) -> list[Cell]:
    """Single-column cells in columns that hold numbers elsewhere (not label or unit columns), or
    nothing at all below a header (OCR missed a whole column of lone digits), empty or holding one
    dash or dot that OCR read."""
    numeric = {c.col for c in table.cells if c.col_span == 1 and is_number(c.text)}
    numeric |= set(range(table.n_cols)) - {c.col for c in table.cells if c.row > 0 and c.text}
    return [c for c in table.cells if c.col_span == 1 and c.col in numeric and (
        not c.words or len(c.words) == 1 and c.words[0].source == "ocr" and len(c.text) == 1 and c.text in DASH_GLYPHS)]


def cell_ink(page: Page, box: BBox) -> tuple[np.ndarray, BBox] | None:
    """`ink_crop` of a box on the page, cut once: the reread and alternatives stages, and a second reading
    of the page's tables, ask for the same cells again."""
    key = tuple(int(v) for v in box)  # all of the box that ink_crop looks at
    if key not in page.ink:
        page.ink[key] = ink_crop(page.image, box, page.dpi)
    return page.ink[key]


def ink_crop(image: np.ndarray, box: BBox, dpi: int) -> tuple[np.ndarray, BBox] | None:
    """The glyph-sized ink inside a cell on white paper, its rules wiped out, and where it lies on the page
    (an RGB page gives an RGB crop, a grey one a grey crop)."""
    scale = dpi / 72
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(image.shape[1], int(box[2])), min(image.shape[0], int(box[3]))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    gray = image[y0:y1, x0:x1] if image.ndim == 2 else cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    ink = binary(gray, max(15, int(10 * scale) | 1))
    masks = line_masks(gray, scale)
    rules = cv2.dilate(masks.horizontal | masks.vertical, np.ones((5, 5), np.uint8)) > 0
    ink[rules] = 0
    glyphs = _pieces(ink)
    tall = [g for g in glyphs if g[3] - g[1] >= MIN_INK_HEIGHT_PT * scale]
    if not tall:  # a fax breaks a digit into pieces shorter than a digit: join near pieces and look again
        r = int(JOIN_PT * scale / 2)
        joined = cv2.dilate(ink, np.ones((2 * r + 1, 2 * r + 1), np.uint8))
        glyphs = [(x0 + r, y0 + r, x1 - r, y1 - r) for x0, y0, x1, y1 in _pieces(joined)]
        tall = [g for g in glyphs if g[3] - g[1] >= MIN_INK_HEIGHT_PT * scale]
    if not tall:
        return None
    # The glyphs on the tall ones' line and near them (a decimal point, a comma or a minus is small,
    # but in line and close; a speckle further off is not part of the number).
    top, bottom = min(g[1] for g in tall), max(g[3] for g in tall)
    reach = bottom - top
    line = [g for g in glyphs if g[3] > top and g[1] < bottom
            and any(g[0] - reach <= t[2] and t[0] - reach <= g[2] for t in tall)]
    gx0, gy0 = min(g[0] for g in line), min(g[1] for g in line)
    gx1, gy1 = max(g[2] for g in line), max(g[3] for g in line)
    paper = gray.copy()
    paper[rules] = 255
    pad = int(PAD_PT * scale)
    crop = cv2.copyMakeBorder(paper[gy0:gy1, gx0:gx1], pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return (crop if image.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)), (x0 + gx0, y0 + gy0, x0 + gx1, y0 + gy1)


def _pieces(ink: np.ndarray, border: int = 2) -> list[tuple[int, int, int, int]]:
    """Boxes of the ink's connected pieces clear of the crop's edge (rule remnants touch it; a digit sits inside)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    return [(x, y, x + w, y + h) for x, y, w, h, _ in stats[1:n]
            if x > border and y > border and x + w < ink.shape[1] - border and y + h < ink.shape[0] - border]
