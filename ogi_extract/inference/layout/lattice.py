"""A table's lattice: row and column boundaries plus the cells over its slots.

Scans are deskewed before rules are found, so a lattice lives in its own upright frame and
maps page points into it (`Lattice.slot`); slots whose separating rule is missing belong to
one spanning cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogi_extract.types import BBox


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


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
        r = int(np.searchsorted(self.rows, fy)) - 1
        c = int(np.searchsorted(self.cols, fx)) - 1
        return (r, c) if 0 <= r < self.n_rows and 0 <= c < self.n_cols else None


def split_unruled(lat: Lattice, boxes: list[BBox]) -> Lattice:
    """Split spanning cells at column rules that no word crosses while words lie on both sides.

    A scan can lose a rule in one row (3.网络申请数 | 件 read as one cell); a truly spanning
    cell has its text across the rule or on one side only. `boxes` are word boxes on the page.
    """
    words = []  # (x0, x1, centre x, centre y) in the lattice frame
    for b in boxes:
        (x0, _), (x1, _) = lat.to_frame(b[0], b[1]), lat.to_frame(b[2], b[3])
        words.append((x0, x1, *lat.to_frame((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)))
    cells = []
    for g in lat.cells:
        left_edge, right_edge = lat.cols[g.col], lat.cols[g.col + g.col_span]
        top, bottom = lat.rows[g.row], lat.rows[g.row + g.row_span]
        inside = [w for w in words if left_edge <= w[2] <= right_edge and top <= w[3] <= bottom]
        start = g.col
        for k in range(g.col + 1, g.col + g.col_span):
            x = lat.cols[k]
            left = any(lat.cols[start] <= w[2] and w[1] <= x for w in inside)
            right = any(w[0] >= x for w in inside)
            if left and right and not any(w[0] < x < w[1] for w in inside):
                cells.append(GridCell(g.row, start, g.row_span, k - start))
                start = k
        cells.append(GridCell(g.row, start, g.row_span, g.col + g.col_span - start))
    lat.cells = sorted(cells, key=lambda g: (g.row, g.col))
    return lat


def rotate(x: float, y: float, center: tuple[float, float], angle: float) -> tuple[float, float]:
    if not angle:
        return x, y
    t = np.deg2rad(angle)
    dx, dy = x - center[0], y - center[1]
    return (center[0] + dx * np.cos(t) + dy * np.sin(t), center[1] - dx * np.sin(t) + dy * np.cos(t))
