"""HTML and Word content -> one `Page` whose words and tables are already read.

Markup has no geometry, so the page gets a plain synthetic one: each text block is one line,
each table a grid of equal cells, stacked top to bottom in document order. The stages after
layout (rows, headers by column overlap, sections by the heading above a table, report fields
from the first lines) then work on it exactly as on a PDF page. The page's image is a blank
view of that size (no memory); `Page.markup` tells the OCR and lattice stages to leave it be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ogi_extract.types import Cell, Page, Table, Word

MARKUP_DPI = 96  # CSS pixels: nominal only, boxes of markup pages are synthetic
COL_W, ROW_H, LINE_H, GAP = 120, 40, 40, 20
CHAR_W = 20
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1


@dataclass
class MarkupTable:
    """A table with spans resolved: every cell at its top-left grid slot."""

    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.col_span for c in self.cells), default=0)


Block = str | MarkupTable  # a text block (paragraph, heading, title line) or a table


def cell_text(text: str) -> str:
    """A cell's text as one run: whitespace, &nbsp; and full-width spaces dropped (CJK labels
    and numbers have none inside; a number split across tags or lines is joined)."""
    return _SPACE.sub("", text)


def line_text(text: str) -> str:
    """A text block's text: runs of whitespace (and &nbsp;) as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def markup_page(index: int, blocks: list[Block], first_table: int = 0) -> Page:
    """A page laid out from `blocks`; tables are numbered from `first_table` (0-based) for provenance."""
    words: list[Word] = []
    tables: list[Table] = []
    y, width = float(GAP), 1000
    for block in blocks:
        if isinstance(block, MarkupTable):
            if not block.cells:
                continue
            table = _table(index, block, y, first_table + len(tables))
            tables.append(table)
            words += [w for c in table.cells for w in c.words]
            width = max(width, int(table.box[2]) + GAP)
            y = table.box[3] + GAP
        elif text := line_text(block):
            words.append(Word(text, (0, y, len(text) * CHAR_W, y + LINE_H - 10), 1.0, "markup"))
            width = max(width, len(text) * CHAR_W + GAP)
            y += LINE_H
    image = np.broadcast_to(np.full(3, 255, np.uint8), (int(y) + GAP, width, 3))
    return Page(index=index, raster=image, dpi=MARKUP_DPI, words=words, tables=tables, markup=True)


def _table(page: int, grid: MarkupTable, top: float, number: int) -> Table:
    cells = []
    for g in grid.cells:
        box = (g.col * COL_W, top + g.row * ROW_H, (g.col + g.col_span) * COL_W, top + (g.row + g.row_span) * ROW_H)
        text = cell_text(g.text)
        inner = (box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2)
        words = [Word(text, inner, 1.0, "markup")] if text else []
        cells.append(Cell(g.row, g.col, box, words, g.row_span, g.col_span, ref=(number, g.row, g.col)))
    box = (0, top, grid.n_cols * COL_W, top + grid.n_rows * ROW_H)
    return Table(page, box, cells, grid.n_rows, grid.n_cols)
