"""Second readings of every numeric cell of a scanned page, and blank versus 0 decided by evidence.

The page's OCR gives one reading per cell. The numeric-cell recognizer (models/cells) reads the
ink of each value cell again (`reread.ink_crop`: rules wiped, tight around the glyphs, as it was
trained) and keeps its top-k readings with probabilities (`Cell.readings`), which the relation
solver (solver.py) may choose from. Trained on value-cell ink of every degradation level, it reads
those cells better than the page OCR (benchmarks/cell_recognizers.py), so (`decide`):

- an empty cell holding glyph-sized ink, or one the page OCR read as no number ('1?', 'la'), gets
  the recognizer's number when it is sure: no recognition is no evidence of blank;
- a cell the page OCR read as another number gets the recognizer's reading when that one is very
  sure (source "cell-recognizer", the page OCR's reading kept as the original);
- a placeholder printed for none (—, /) stays as printed;
- an empty cell without ink, or whose likeliest reading is blank, stays empty (null).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import cv2
import numpy as np

from ogi_extract.inference.layout.text import CJK, is_number
from ogi_extract.inference.reread import cell_ink
from ogi_extract.inference.values import parse_number
from ogi_extract.models.cells import CellRecognizer
from ogi_extract.models.ctc import merged
from ogi_extract.models.ocr.base import cpu_threads
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Cell, Document, Page, Table, Word

FILL_PROBABILITY = 0.9  # an empty cell with ink becomes a number only this sure
OUTWEIGH = 2.0  # ...or by one this many times the page OCR's confidence plus the recognizer's own share of
# that number (dev fax 0.859 -> 0.863, seed-4242 fax 397 -> 391 errors; at 1.5: 0.869, but 397 with 4 broken)
OVERRIDE_PROBABILITY = 0.95  # a page-OCR reading is replaced only by a reading this sure (dev: at 0.8 it broke decimals)
TOP_K = 5
BATCH = 32


def numeric_cells(table: Table) -> list[Cell]:
    """Single-column cells where values are: empty, numeric, or read as no number and no Chinese
    either ('1?', 'la', '3:': a number the page OCR garbled). Values are in columns that hold
    numbers elsewhere, and right of the Chinese text of a row holding two numbers or more (a
    table's one data row, such as the 15 counts of 行政复议 and 行政诉讼, has no other row to show them)."""
    single = [c for c in table.cells if c.col_span == 1]
    numeric = {c.col for c in single if is_number(c.text)}
    counts = Counter(c.row for c in single if is_number(c.text))
    values_from = {r: max((c.col + c.col_span for c in table.cells if c.row == r and CJK.search(c.text)), default=0)
                   for r, n in counts.items() if n >= 2}
    return [c for c in single if not CJK.search(c.text)
            and (c.col in numeric or (c.row in values_from and c.col >= values_from[c.row]))]


class CellAlternatives:
    """Stage: top-k readings of every numeric cell on OCR pages; empty cells with inked numbers filled."""

    def __init__(self, settings: Settings, recognizer: CellRecognizer | None = None):
        self.settings = settings
        self._recognizer = recognizer

    @property
    def recognizer(self) -> CellRecognizer:
        if self._recognizer is None:
            path, threads = self.settings.cell_model, cpu_threads(self.settings)
            self._recognizer = CellRecognizer.load(path, threads) if path else CellRecognizer.default(threads)
        return self._recognizer

    def __call__(self, doc: Document, pages: list[Page]) -> list[Page]:
        start = time.perf_counter()
        for page in pages:
            if not page.read_by_ocr:
                continue  # digital text or markup: nothing to doubt
            inked = [(c, found) for t in page.tables for c in numeric_cells(t)
                     if (found := cell_ink(page, c.box)) is not None]  # no ink: blank, no reading
            for i in range(0, len(inked), BATCH):
                chunk = inked[i:i + BATCH]
                for (cell, (_, box)), readings in zip(chunk, self.recognizer.read([crop for _, (crop, _) in chunk], TOP_K)):
                    cell.readings = readings
                    decide(cell, box)
        doc.timings["alternatives"] = doc.timings.get("alternatives", 0.0) + time.perf_counter() - start
        return pages


def decide(cell: Cell, box: BBox) -> None:
    """The cell recognizer's likeliest reading, when it is a number read this sure, fills an empty
    cell (ink is there: no recognition is no evidence of blank) or replaces a page-OCR reading that
    is no number or another number (kept in `cell.replaced`); it also replaces a page-OCR number that
    it outweighs by both readers' evidence (a faint fax number the page OCR read unsure). Anything
    else stays as read."""
    text, p = cell.readings[0] if cell.readings else ("", 0.0)
    theirs = parse_number(cell.text)
    if cell.words and theirs.ok and theirs.value is None:
        return  # a placeholder printed for none (—, /)
    read = bool(cell.words) and theirs.ok  # the page OCR read a number
    outweighs = read and p > OUTWEIGH * (cell.confidence + _probability(cell.readings, theirs.value))
    if not text or not is_number(text) or (p < (OVERRIDE_PROBABILITY if read else FILL_PROBABILITY) and not outweighs):
        return
    if cell.words:
        ours = parse_number(text)
        if not ours.ok or (theirs.ok and ours.value == theirs.value):
            return
        cell.replaced = (cell.text, cell.confidence)
    cell.words = [Word(text, box, p, "cell-recognizer")]


def _probability(readings: list[tuple[str, float]], value: object) -> float:
    """The recognizer's probability of a value (its readings of it summed)."""
    return sum(p for text, p in readings if (n := parse_number(text)).ok and n.value == value)


def variants(crop: np.ndarray) -> list[np.ndarray]:
    """The crop as it is, binarised (Otsu), and enlarged 1.5x: thin or faint digits read differently."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    big = cv2.resize(crop, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    return [crop, cv2.cvtColor(otsu, cv2.COLOR_GRAY2RGB), big]


def page_rereader(doc: Document, engine: Callable[[], object]) -> Callable[[int, BBox], list[tuple[str, float]]]:
    """For the solver: (1-based page, cell box) -> the page recognizer's top-k readings of that cell, averaged
    over `variants`; none when the engine (built on first use by `engine()`) has no top-k `readings`. A cell
    is read once: the auto layout's second reading asks again for the same cells of the same pages."""
    done: dict[tuple[int, int, int, int, int], list[tuple[str, float]]] = {}

    def read(page: int, box: BBox) -> list[tuple[str, float]]:
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        key = (page, x0, y0, x1, y1)
        if key not in done:
            readings = getattr(engine(), "readings", None)
            crop = doc.pages[page - 1].image[max(0, y0):y1, max(0, x0):x1]
            done[key] = [] if readings is None or crop.shape[0] < 6 or crop.shape[1] < 6 else \
                [(t, p / 3) for t, p in merged([r for v in variants(crop) for r in readings(v, TOP_K)])]
        return done[key]

    return read
