"""Second readings of every numeric cell of a scanned page, and blank versus 0 decided by evidence.

The page's OCR gives one reading per cell. The numeric-cell recognizer (models/cells) reads each
value cell's crop again and keeps its top-k readings with probabilities (`Cell.readings`), which
the relation solver (solver.py) may choose from; nothing is changed here except:

- an empty cell holding glyph-sized ink (reread.ink_crop) that the cell recognizer reads as a
  number with high probability gets that number: an empty recognition is no evidence of blank;
- an empty cell without ink, or whose likeliest reading is blank, stays empty (null).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from ogi_extract.inference.layout import is_number
from ogi_extract.inference.reread import ink_crop
from ogi_extract.models.cells import CellRecognizer
from ogi_extract.models.ctc import merged
from ogi_extract.models.ocr.base import cpu_threads
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Cell, Document, Page, Table, Word

FILL_PROBABILITY = 0.9  # an empty cell with ink becomes a number only this sure
TOP_K = 5
BATCH = 32


def numeric_cells(table: Table) -> list[Cell]:
    """Single-column cells, empty or numeric, in columns that hold numbers elsewhere."""
    numeric = {c.col for c in table.cells if c.col_span == 1 and is_number(c.text)}
    return [c for c in table.cells if c.col_span == 1 and c.col in numeric and (not c.words or is_number(c.text))]


def cell_crop(image: np.ndarray, cell: Cell) -> np.ndarray | None:
    x0, y0, x1, y1 = (int(round(v)) for v in cell.box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(image.shape[1], x1), min(image.shape[0], y1)
    return image[y0:y1, x0:x1] if x1 - x0 >= 6 and y1 - y0 >= 6 else None


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
            if not page.words or any(w.source == "text_layer" for w in page.words):
                continue  # digital text: nothing to doubt
            cells = [c for t in page.tables for c in numeric_cells(t)]
            crops = [(c, x) for c in cells if (x := cell_crop(page.image, c)) is not None]
            for i in range(0, len(crops), BATCH):
                chunk = crops[i:i + BATCH]
                for (cell, _), readings in zip(chunk, self.recognizer.read([x for _, x in chunk], TOP_K)):
                    cell.readings = readings
                    if not cell.words:
                        self.decide_blank(page, cell)
        doc.timings["alternatives"] = doc.timings.get("alternatives", 0.0) + time.perf_counter() - start
        return pages

    def decide_blank(self, page: Page, cell: Cell) -> None:
        """Fill an empty cell when ink is there and the recognizer is sure of a number; else leave it null."""
        if not cell.readings:
            return
        text, p = cell.readings[0]
        if not text or p < FILL_PROBABILITY or not is_number(text):
            return
        found = ink_crop(page.image, cell.box, page.dpi)
        if found is not None:
            cell.words = [Word(text, found[1], p, "ocr")]


def variants(crop: np.ndarray) -> list[np.ndarray]:
    """The crop as it is, binarised (Otsu), and enlarged 1.5x: thin or faint digits read differently."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    big = cv2.resize(crop, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    return [crop, cv2.cvtColor(otsu, cv2.COLOR_GRAY2RGB), big]


def page_rereader(doc: Document, engine: Callable[[], object]) -> Callable[[int, BBox], list[tuple[str, float]]]:
    """For the solver: (1-based page, cell box) -> the page recognizer's top-k readings of that cell, averaged
    over `variants`; none when the engine (built on first use by `engine()`) has no top-k `readings`."""

    def read(page: int, box: BBox) -> list[tuple[str, float]]:
        readings = getattr(engine(), "readings", None)
        image = doc.pages[page - 1].image
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        crop = image[max(0, y0):y1, max(0, x0):x1]
        if readings is None or crop.shape[0] < 6 or crop.shape[1] < 6:
            return []
        found = [r for v in variants(crop) for r in readings(v, TOP_K)]
        return [(t, p / 3) for t, p in merged(found)]

    return read
