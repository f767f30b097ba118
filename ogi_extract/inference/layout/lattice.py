"""A table's lattice: row and column boundaries plus the cells over its slots.

Scans are deskewed before rules are found, so a lattice lives in its own upright frame and
maps page points into it (`Lattice.slot`); slots whose separating rule is missing belong to
one spanning cell.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ogi_extract.inference.layout.text import CJK, as_digits, is_number, is_value
from ogi_extract.types import BBox, Word


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1

    def cut_rows(self, at: Iterable[int]) -> list[GridCell]:
        """This cell cut at the row boundaries `at` (each inside it), top to bottom."""
        edges = [self.row, *sorted(at), self.row + self.row_span]
        return [GridCell(a, self.col, b - a, self.col_span) for a, b in zip(edges, edges[1:])]


@dataclass
class Lattice:
    """One table: boundaries (upright frame, page pixels) and the cells over its slots."""

    rows: list[float]  # n_rows + 1 y boundaries, top to bottom
    cols: list[float]  # n_cols + 1 x boundaries, left to right
    cells: list[GridCell]
    ruled: bool = True  # False when rebuilt from word geometry
    angle: float = 0.0  # degrees the page was turned to make the rules upright
    center: tuple[float, float] = (0.0, 0.0)
    header_rows: int = 0  # leading rows known to be headers (word-geometry lattices)

    @property
    def n_rows(self) -> int:
        return len(self.rows) - 1

    @property
    def n_cols(self) -> int:
        return len(self.cols) - 1

    def remade(self, cells: list[GridCell], rows: list[float] | None = None, cols: list[float] | None = None) -> Lattice:
        """The same table with new cells (and boundaries), in reading order."""
        return replace(self, rows=self.rows if rows is None else rows, cols=self.cols if cols is None else cols,
                       cells=sorted(cells, key=lambda g: (g.row, g.col)))

    @property
    def box(self) -> BBox:
        """Bounding box in page coordinates."""
        corners = [self.to_page(x, y) for x in (self.cols[0], self.cols[-1]) for y in (self.rows[0], self.rows[-1])]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def cell_box(self, cell: GridCell) -> BBox:
        """A cell's box in page coordinates."""
        x0, x1 = self.cols[cell.col], self.cols[cell.col + cell.col_span]
        y0, y1 = self.rows[cell.row], self.rows[cell.row + cell.row_span]
        corners = [self.to_page(x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        return rotate(x, y, self.center, self.angle)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return rotate(x, y, self.center, -self.angle)

    def slot(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, col) of the slot holding a page point, or None outside the lattice."""
        fx, fy = self.to_frame(x, y)
        r = bisect_left(self.rows, fy) - 1  # as np.searchsorted, without turning the list into an array each call
        c = bisect_left(self.cols, fx) - 1
        return (r, c) if 0 <= r < self.n_rows and 0 <= c < self.n_cols else None


def split_unruled(lat: Lattice, words: list[Word]) -> Lattice:
    """Split spanning cells at rules the scan lost in them: a column rule that no word crosses while
    words lie on both sides; in a cell of values only over value columns, a column or row rule
    that most of the table keeps; and such a column rule where a body row's label cell runs on
    into the value columns (the labels' block would read that row as a header, and its first value
    column as labels); and, in each column piece, a row rule most of the table keeps where a header
    or label cell runs on down into the row of values under it (`_header_over_values`).

    A scan can lose a rule in one row (3.网络申请数 | 件 read as one cell); a truly spanning
    cell has its text across the rule or on one side only. Value cells never span in the official
    tables, so a lone number (or nothing) in two value slots whose rule the other rows keep belongs
    to the slot it lies in, and the other slot is blank: a broken rule had made that number the
    wrong column's, and the blank no column's. `words` are the page's words.
    """
    framed = [_cornered(lat, p) for w in words if (p := place(lat, w)) is not None]
    held = {id(g): [w for w in framed if lat.cols[g.col] <= w.center <= lat.cols[g.col + g.col_span]
                    and lat.rows[g.row] <= w.middle <= lat.rows[g.row + g.row_span]] for g in lat.cells}
    texts = {id(g): "".join(w.text for w in held[id(g)]) for g in lat.cells}
    body = _body_top(lat, texts)
    value_cols = _value_columns(lat, texts, body)
    col_kept, row_kept = _kept_rules(lat)
    value_rows = {g.row for g in lat.cells if g.row_span == g.col_span == 1 and is_number(as_digits(texts[id(g)]))}
    labels = [g for g in lat.cells if CJK.search(texts[id(g)]) and not is_value(texts[id(g)])]

    def values_only(inside: list[Placed], first: int, end: int) -> bool:  # columns first .. end - 1
        return all(c in value_cols for c in range(first, end)) and all(
            is_value(w.text) for w in inside if w.center >= lat.cols[first])

    def spilled(g: GridCell, inside: list[Placed], k: int) -> bool:
        """A body row's label cell, over label columns up to column k - 1, run on into the value columns
        from k (short of the table's right edge, where a section title spans)."""
        return (g.row >= body and g.col + g.col_span < lat.n_cols and not value_cols.intersection(range(g.col, k))
                and values_only(inside, k, g.col + g.col_span))

    cells = []
    for g in lat.cells:
        inside, start, end = held[id(g)], g.col, g.col + g.col_span
        pieces = []
        for k in range(g.col + 1, end):
            x = lat.cols[k]
            left = any(lat.cols[start] <= w.center and w.right <= x for w in inside)
            right = any(w.left >= x for w in inside)
            if not any(w.left < x < w.right for w in inside) and (
                    left and right or col_kept[k] >= KEPT and (values_only(inside, start, end) or spilled(g, inside, k))):
                pieces.append(GridCell(g.row, start, g.row_span, k - start))
                start = k
        pieces.append(GridCell(g.row, start, g.row_span, end - start))
        for piece in pieces:
            if piece.row_span == 1:
                cells.append(piece)
                continue
            first, last = piece.col, piece.col + piece.col_span
            part = [w for w in inside if lat.cols[first] <= w.center and (last == end or w.center < lat.cols[last])]
            if values_only(part, first, last):
                cells += _split_rows(lat, piece, part, row_kept)
            else:
                cells += _header_over_values(lat, piece, part, row_kept, value_rows, labels)
    return lat.remade(cells)


KEPT = 0.5  # a lost rule is put back in a value cell where at least this share of the table keeps it


class Placed(NamedTuple):
    """A word in a lattice's upright frame: its slot and its extent."""

    word: Word
    row: int
    col: int
    top: float
    bottom: float
    left: float
    right: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2

    @property
    def text(self) -> str:
        return self.word.text

    @property
    def numeric(self) -> bool:
        """A number as OCR reads digits (77| and O0 too: a rule read with a number, O for 0)."""
        return is_number(as_digits(self.word.text))


def place(lat: Lattice, word: Word) -> Placed | None:
    """The word in the lattice frame; None when its centre lies outside the lattice."""
    x0, y0, x1, y1 = word.box
    slot = lat.slot((x0 + x1) / 2, (y0 + y1) / 2)
    if slot is None:
        return None
    _, top = lat.to_frame((x0 + x1) / 2, y0)
    _, bottom = lat.to_frame((x0 + x1) / 2, y1)
    left, _ = lat.to_frame(x0, (y0 + y1) / 2)
    right, _ = lat.to_frame(x1, (y0 + y1) / 2)
    return Placed(word, *slot, top, bottom, left, right)


def _cornered(lat: Lattice, p: Placed) -> Placed:
    """`p` with its extent taken from its box's top-left and bottom-right corners, as this step was measured
    with. On a tilted table these differ from the edges' midpoints `place` gives (by the box's other side
    times the tilt, halved): the refactor that gave both steps one type had changed a held-out report."""
    x0, y0, x1, y1 = p.word.box
    (left, top), (right, bottom) = lat.to_frame(x0, y0), lat.to_frame(x1, y1)
    return p._replace(top=top, bottom=bottom, left=left, right=right)


def _body_top(lat: Lattice, texts: dict[int, str]) -> int:
    """The first row with a number in a cell of one column (the header ends above it); n_rows if none."""
    return min((g.row for g in lat.cells if g.col_span == 1 and is_number(as_digits(texts[id(g)]))), default=lat.n_rows)


def _value_columns(lat: Lattice, texts: dict[int, str], body: int) -> set[int]:
    """Columns where no cell below the header (from row `body`) starts with text other than a value:
    the value columns, also those printed all blank."""
    if body >= lat.n_rows:
        return set()
    labels = {g.col for g in lat.cells if g.row >= body and not is_value(texts[id(g)])}
    return set(range(1, lat.n_cols)) - labels


def _kept_rules(lat: Lattice) -> tuple[list[float], list[float]]:
    """For each inner column rule the share of rows that keep it; for each inner row rule the share
    of columns that keep it (index k: the rule between slots k - 1 and k; 0 and the outer rules unused)."""
    owner = np.full((lat.n_rows, lat.n_cols), -1)
    for i, g in enumerate(lat.cells):
        owner[g.row:g.row + g.row_span, g.col:g.col + g.col_span] = i
    cols = [0.0] + [float(np.mean(owner[:, k - 1] != owner[:, k])) for k in range(1, lat.n_cols)]
    rows = [0.0] + [float(np.mean(owner[k - 1] != owner[k])) for k in range(1, lat.n_rows)]
    return cols, rows


def _split_rows(lat: Lattice, g: GridCell, inside: list[Placed], row_kept: list[float]) -> list[GridCell]:
    """A value cell over several rows cut at the row rules the table keeps and no word crosses."""
    return g.cut_rows(k for k in range(g.row + 1, g.row + g.row_span)
                      if row_kept[k] >= KEPT and not any(w.top < lat.rows[k] < w.bottom for w in inside))


def _header_over_values(lat: Lattice, g: GridCell, inside: list[Placed], row_kept: list[float],
                        value_rows: set[int], labels: list[GridCell]) -> list[GridCell]:
    """A header or label cell run on down into the row below it, where the scan lost the rule under it in
    this column: cut at the lowest row rule inside it that the table keeps and no word crosses, when only
    numbers lie below it (a header or label never ends in a lone number on the next row; value cells never
    span), or, in rows whose other cells hold numbers, nothing, a placeholder or no Chinese (a value or a
    label OCR missed or garbled, 8 read X: cut, the value cell is read again from its ink, the row placed
    by the form). Not where a label to the right names those rows (a group label over its items)."""
    kept = [k for k in range(g.row + 1, g.row + g.row_span) if row_kept[k] >= KEPT]
    if not kept:
        return [g]
    k, end = kept[-1], g.row + g.row_span
    if any(w.top < lat.rows[k] < w.bottom for w in inside) or any(
            c.col >= g.col + g.col_span and c.row < end and c.row + c.row_span > k for c in labels):
        return [g]
    below = [w for w in inside if w.top >= lat.rows[k]]
    numbers = bool(below) and all(w.numeric for w in below)
    unread = value_rows.issuperset(range(k, end)) and all(is_value(w.text) or not CJK.search(w.text) for w in below)
    return g.cut_rows([k]) if numbers or unread else [g]


def rotate(x: float, y: float, center: tuple[float, float], angle: float) -> tuple[float, float]:
    if not angle:
        return x, y
    t = np.deg2rad(angle)
    dx, dy = x - center[0], y - center[1]
    return (center[0] + dx * np.cos(t) + dy * np.sin(t), center[1] - dx * np.sin(t) + dy * np.cos(t))
