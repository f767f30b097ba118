"""Row rules a scan lost, put back where the text says a row is.

A faint or broken row rule leaves two printed rows as one lattice row: two lines of numbers
stacked in each value cell, two numbered labels in one label cell (1.属于国家秘密 over
2.其他法律行政法规禁止公开), and the values of one row are read as "01". A row exists where
numbers stand under other text (numbers, or a header) in two columns or more, with paper between
them across the whole row;
a cell that spans rows is cut at a row boundary where a numbered item or a number starts below it.
"""

from __future__ import annotations

from typing import NamedTuple

from ogi_extract.inference.layout.lattice import GridCell, Lattice
from ogi_extract.inference.layout.text import is_number, level
from ogi_extract.types import Word

MIN_VALUE_COLUMNS = 2  # columns that must show numbers on both sides of a lost rule


class Placed(NamedTuple):
    """A word in the lattice's upright frame: its column, top and bottom."""

    word: Word
    col: int
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def with_text_rows(lat: Lattice, words: list[Word]) -> Lattice:
    """`lat` with a row boundary wherever the text shows a lost row rule, and its spanning cells cut there."""
    if not lat.ruled or lat.n_rows < 1:
        return lat
    placed = [p for w in words if (p := _placed(lat, w)) is not None]
    cuts = [y for r in range(lat.n_rows) for y in _lost_rules(lat, r, placed)]
    if not cuts:
        return lat
    rows = sorted(lat.rows + cuts)
    index = {y: i for i, y in enumerate(rows)}
    cells = []
    for g in lat.cells:
        top, bottom = index[lat.rows[g.row]], index[lat.rows[g.row + g.row_span]]
        inside = [p for p in placed if g.col <= p.col < g.col + g.col_span and rows[top] <= p.middle <= rows[bottom]]
        start = top
        for k in range(top + 1, bottom):
            if _starts_row(inside, rows[k]):
                cells.append(GridCell(start, g.col, k - start, g.col_span))
                start = k
        cells.append(GridCell(start, g.col, bottom - start, g.col_span))
    return Lattice(rows, lat.cols, sorted(cells, key=lambda c: (c.row, c.col)), lat.ruled, lat.angle, lat.center,
                   lat.header_rows)


def _placed(lat: Lattice, word: Word) -> Placed | None:
    """The word in the lattice frame; None when its centre lies outside the lattice."""
    x0, y0, x1, y1 = word.box
    slot = lat.slot((x0 + x1) / 2, (y0 + y1) / 2)
    if slot is None:
        return None
    _, top = lat.to_frame((x0 + x1) / 2, y0)
    _, bottom = lat.to_frame((x0 + x1) / 2, y1)
    return Placed(word, slot[1], top, bottom)


def _lost_rules(lat: Lattice, r: int, placed: list[Placed]) -> list[float]:
    """Boundaries inside row `r`: gaps above lines of numbers that no word of the row crosses."""
    top, bottom = lat.rows[r], lat.rows[r + 1]
    inside = [p for p in placed if top <= p.middle <= bottom]
    bands: list[list[float]] = []  # the row's text, merged into vertical bands
    for _, _, y0, y1 in sorted(inside, key=lambda p: p.top):
        if bands and y0 <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], y1)
        else:
            bands.append([y0, y1])
    numbers = [p for p in inside if is_number(p.word.text)]
    cuts = []
    for (_, above_end), (below_start, _) in zip(bands, bands[1:], strict=False):
        y = (above_end + below_start) / 2
        above = {p.col for p in inside if p.bottom < y}  # numbers, or a header whose rule below was lost
        below = {p.col for p in numbers if p.top > y}
        if len(above & below) >= MIN_VALUE_COLUMNS:
            cuts.append(y)
    return cuts


def _starts_row(inside: list[Placed], y: float) -> bool:
    """A cell's words lie on both sides of `y`, none across it, and what starts below is a numbered
    item or a number: two rows' contents, not one label wrapped over two lines."""
    above = [p for p in inside if p.bottom <= y]
    below = sorted((p for p in inside if p.top >= y), key=lambda p: (p.top, p.word.box[0]))
    if not above or not below or len(above) + len(below) < len(inside):
        return False
    first = below[0].word.text
    return level(first) is not None or is_number(first)
