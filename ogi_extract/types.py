"""Data passed between the stages of the one extraction path.

PDF/image -> Document(pages) -> Words -> Tables(cells) -> Rows -> LabeledRows -> metrics.
Boxes are (x0, y0, x1, y1) in pixels of the page image (`Page.dpi`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

import cv2
import numpy as np

BBox = tuple[float, float, float, float]
WordSource = Literal["text_layer", "ocr", "markup", "cell-recognizer"]  # markup: HTML or Word text, no geometry read


def union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Word:
    text: str
    box: BBox
    confidence: float = 1.0
    source: WordSource = "ocr"
    chars: list[tuple[str, BBox]] | None = None  # per-character boxes, when the reader has them


class Raster(Protocol):
    """A page not yet drawn into pixels (a PDF page): a text-layer page is never rendered whole."""

    size: tuple[int, int]  # (width, height) in pixels at the page's dpi

    def render(self, dpi: float) -> np.ndarray: ...


@dataclass
class Page:
    index: int  # 0-based
    raster: np.ndarray | Raster  # H x W x 3 uint8 RGB, or what renders it when first asked (`image`)
    dpi: int
    words: list[Word] | None = None  # filled by the text layer or OCR
    text_layer: list[Word] | None = None  # words of the PDF text layer, if any
    tables: list[Table] = field(default_factory=list)
    headings: list[Word] = field(default_factory=list)  # section headings (一、二、…) as lines
    rules: list[BBox] | None = None  # a digital page's vector rule pieces; None: look in the image
    markup: bool = False  # words and tables came from HTML/Word markup: no OCR, no lattice stage
    seals: list[tuple[float, float, float]] = field(default_factory=list)  # rings (x, y, r) of grey seals, wiped; not their text
    scan_rules: object | None = None  # its ruling-line masks (layout.ruled.PageRules), kept for a second reading of its tables
    ink: dict[tuple[int, ...], tuple[np.ndarray, BBox] | None] = field(default_factory=dict, repr=False)  # cells' ink by box (reread.cell_ink), for this image

    @property
    def read_by_ocr(self) -> bool:
        """A scanned page: words read from its pixels, not from a usable text layer or from markup."""
        return bool(self.words) and not self.markup and not any(w.source == "text_layer" for w in self.words or [])

    @property
    def image(self) -> np.ndarray:
        """H x W x 3 uint8 RGB at `dpi`, rendered on first use and kept."""
        if not isinstance(self.raster, np.ndarray):
            self.raster = self.raster.render(self.dpi)
        return self.raster

    @image.setter
    def image(self, value: np.ndarray) -> None:
        self.raster = value
        self.ink = {}

    @property
    def size(self) -> tuple[int, int]:
        if isinstance(self.raster, np.ndarray):
            return self.raster.shape[1], self.raster.shape[0]
        return self.raster.size

    def preview(self, dpi: float) -> np.ndarray:
        """The page at a lower `dpi`, without rendering it whole when it is not yet."""
        if isinstance(self.raster, np.ndarray):
            return cv2.resize(self.raster, None, fx=dpi / self.dpi, fy=dpi / self.dpi, interpolation=cv2.INTER_AREA)
        return self.raster.render(dpi)


@dataclass
class Document:
    source: str  # the path as given, or "<bytes>"
    pages: list[Page]
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in p.words or []) for p in self.pages)


@dataclass
class Cell:
    row: int
    col: int
    box: BBox
    words: list[Word] = field(default_factory=list)
    row_span: int = 1
    col_span: int = 1
    ref: tuple[int, int, int] | None = None  # (table, row, col) in the source markup, for HTML/Word
    readings: list[tuple[str, float]] = field(default_factory=list)  # other readings of a value cell, likeliest first
    replaced: tuple[str, float] | None = None  # the page OCR's reading (text, confidence) the cell recognizer overrode

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words).strip()

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=1.0)


@dataclass
class Table:
    page: int
    box: BBox
    cells: list[Cell]
    n_rows: int
    n_cols: int
    section: str = ""  # nearest section heading above the table
    continued: bool = False  # continues the last table of the previous page

    def grid(self) -> list[list[Cell | None]]:
        """n_rows x n_cols, each slot pointing at the (possibly spanning) cell covering it."""
        out: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    out[r][k] = c
        return out


@dataclass
class Row:
    """One data row of a table, read: its label, context and value cells."""

    page: int
    label: str  # the innermost label cell
    parents: list[str]  # enclosing group labels, outermost first
    section: str
    values: list[Cell]  # value cells, left to right (an empty cell has no words)
    headers: list[str]  # column header text above each value cell
    unit: str | None = None  # a unit column's text (条, 件, 元, 万元)
    spare: Cell | None = None  # a number the label cell took in (its column rule lost): a value where the row lacks one


@dataclass
class LabeledRow:
    row: Row
    target: str  # a schema row key, or schema.UNMAPPED
    probability: float
