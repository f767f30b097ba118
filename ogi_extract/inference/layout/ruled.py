"""Lattices of ruled tables: table regions from connected rules, boundaries from rule
positions, spanning cells where a slot border has no rule (scans break rules, so a border
counts as ruled when enough of it is inked). A dash (——) in a cell is not a rule.

Given the page's words, a region reaches across the text in its rows, and pieces of one table
that a heavy scan broke apart (a band of rules lost) are joined where the text between them
reads as table rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ogi_extract.inference.layout.lattice import GridCell, Lattice
from ogi_extract.inference.layout.rules import (
    Masks,
    cluster,
    line_masks,
    positions,
    rule_lines,
    segments,
    skew,
)
from ogi_extract.inference.layout.text import level
from ogi_extract.types import BBox, Word

RULES_PX_PER_PT = 1.0  # raster of a digital page's exact vector rules (72 dpi)
MAX_RULES_PIXELS = 8_000_000  # ...coarser on a giant page box (14400 pt), whose masks would otherwise take GBs
BROKEN_GAP_PT = 4.0  # two rule structures side by side this close are one table broken apart
PIECE_GAP_PT = 150.0  # pieces of one table this close one above the other (rows lost between them) are joined
TOUCHING_PT = 8.0  # ...this close with no text between them
SEPARATOR_COVER = 0.3  # share of a slot border inked with rule pieces (scans break rules) to count as one


@dataclass
class PageRules:
    """A scanned page's ruling-line masks, turned upright: what a second reading of its tables reuses."""

    masks: Masks
    angle: float  # the page's skew, degrees
    center: tuple[float, float]
    turn: np.ndarray | None  # 2 x 3: page -> upright frame; None when the page is not skewed


def page_rules(image: np.ndarray, dpi: float | None = None) -> PageRules:
    """The ruling lines of a page image (RGB or gray); without a dpi the page is taken as A4 wide."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    scale = dpi / 72 if dpi else gray.shape[1] / 595
    angle = skew(gray)
    center = (gray.shape[1] / 2, gray.shape[0] / 2)
    turn = None
    if angle:
        # Same convention as lattice.rotate: a page point p maps to R(angle) p in the upright frame.
        turn = cv2.getRotationMatrix2D(center, angle, 1.0)
        gray = cv2.warpAffine(gray, turn, (gray.shape[1], gray.shape[0]), borderValue=255, flags=cv2.INTER_LINEAR)
    return PageRules(line_masks(gray, scale), angle, center, turn)


def find_lattices(image: np.ndarray, dpi: float | None = None,
                  separators: tuple[np.ndarray, np.ndarray] | None = None,
                  words: list[Word] | None = None, rules: PageRules | None = None) -> list[Lattice]:
    """Ruled tables on a page image (RGB or gray), top to bottom; without a dpi the page is taken as A4 wide.

    `separators`: (horizontal, vertical) masks of predicted separators at page size (learned.py),
    joined to the printed rules, so a faint, broken or unprinted rule still separates.
    `words`: the page's words; a table reaches as far across as the text in its rows, and pieces of
    one table a scan broke apart are joined where the text between them shows its rows.
    `rules`: the page's `page_rules`, when already found.
    """
    rules = rules or page_rules(image, dpi)
    masks = rules.masks
    if separators is not None:
        masks = _with_separators(masks, separators, rules.turn)
    m = rules.turn
    text = [w if m is None else Word(w.text, _turned(w.box, m)) for w in words or []]
    return _lattices(masks, rules.angle, rules.center, text)


def lattices_from_rules(rules: list[BBox], size: tuple[int, int], dpi: float) -> list[Lattice]:
    """Ruled tables from rule pieces known exactly (a digital PDF's vector lines): no image to search.

    Exact rules need no fine raster: they are drawn at `RULES_PX_PER_PT` and the lattice scaled back.
    """
    k = min(RULES_PX_PER_PT * 72 / dpi, (MAX_RULES_PIXELS / max(1, size[0] * size[1])) ** 0.5)  # page px -> mask px
    width, height = int(size[0] * k) + 1, int(size[1] * k) + 1
    masks = Masks(np.zeros((height, width), np.uint8), np.zeros((height, width), np.uint8),
                  max(1.0, k * dpi / 72))  # its tolerances are in pt: not below a pixel each
    for x0, y0, x1, y1 in ((a * k, b * k, c * k, d * k) for a, b, c, d in rules):
        horizontal = x1 - x0 >= y1 - y0
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if horizontal:
            x0, x1, y0, y1 = x0, x1, min(y0, cy - 1), max(y1, cy + 1)
        else:
            x0, x1, y0, y1 = min(x0, cx - 1), max(x1, cx + 1), y0, y1
        cv2.rectangle(masks.horizontal if horizontal else masks.vertical,
                      (round(x0), round(y0)), (round(x1), round(y1)), 255, thickness=-1)
    lattices = _lattices(masks, 0.0, (0.0, 0.0), [])
    for lat in lattices:
        lat.rows, lat.cols = [y / k for y in lat.rows], [x / k for x in lat.cols]
        lat.center = (size[0] / 2, size[1] / 2)
    return lattices


def _lattices(masks: Masks, angle: float, center: tuple[float, float], words: list[Word]) -> list[Lattice]:
    lattices = []
    for x0, y0, x1, y1 in _table_regions(masks, words):
        lat = _lattice(masks, x0, y0, x1, y1)
        if lat is not None:
            lat.angle, lat.center = angle, center
            lattices.append(lat)
    return sorted(lattices, key=lambda t: t.rows[0])


def _with_separators(masks: Masks, separators: tuple[np.ndarray, np.ndarray], m: np.ndarray | None) -> Masks:
    """Printed rules, plus the predicted separators (turned upright like the page) that no printed
    rule runs along: where a rule is printed, even broken, the rules path places it more exactly,
    and a prediction a few pixels off it would make a second, empty row or column."""
    h, w = masks.horizontal.shape
    if m is not None:
        separators = tuple(cv2.warpAffine(s, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0) for s in separators)
    near = int(12 * masks.scale) | 1  # +-6 pt: rows are 16 pt apart at least
    out = []
    for rules, seps, band in ((masks.horizontal, separators[0], (near, 1)), (masks.vertical, separators[1], (1, near))):
        x, y, bw, bh = cv2.boundingRect(seps)  # work where the separators are (tables), not on the whole page
        if not bw:
            out.append(rules)
            continue
        x0, y0, x1, y1 = max(0, x - near), max(0, y - near), min(w, x + bw + near), min(h, y + bh + near)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(seps[y0:y1, x0:x1])
        close = np.bincount(labels[cv2.dilate(rules[y0:y1, x0:x1], np.ones(band, np.uint8)) > 0], minlength=n)
        keep = close < SEPARATOR_COVER * stats[:, cv2.CC_STAT_AREA]
        keep[0] = False
        merged = rules.copy()
        merged[y0:y1, x0:x1] |= np.where(keep[labels], 255, 0).astype(np.uint8)
        out.append(merged)
    return Masks(out[0], out[1], masks.scale)


def _table_regions(masks: Masks, words: list[Word]) -> list[tuple[int, int, int, int]]:
    """Boxes of connected rule structures with two row rules at least, plus stacks of row rules alone;
    pieces of one table a scan broke apart joined, and each reaching across the text in its rows."""
    grid = cv2.dilate(masks.horizontal | masks.vertical, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    min_w, min_h = 60 * masks.scale, 15 * masks.scale
    out: list[tuple[int, int, int, int]] = []
    weak: list[tuple[int, int, int, int]] = []  # rule structures without two long row rules
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h in stats[1:, :4] if w >= min_w and h >= min_h]
    for x0, y0, x1, y1 in _joined(boxes, BROKEN_GAP_PT * masks.scale):
        rows = positions(masks.horizontal[y0:y1, x0:x1], axis=0, min_len=(x1 - x0) * 0.3).size
        (out if rows >= 2 else weak).append((x0, y0, x1, y1))
    out = _across_text(out + _stacked_rules(masks, out), words, masks.horizontal.shape[1])
    # A weak structure is no table of its own, but may be the part of one whose row rules a scan broke.
    joined = _stacked_pieces(out + _across_text(weak, words, masks.horizontal.shape[1]), words, masks.scale)
    return sorted((b for b in joined if any(_inside(t, b) for t in out)), key=lambda b: b[1])


def _inside(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def _joined(boxes: list[tuple[int, int, int, int]], gap: float) -> list[tuple[int, int, int, int]]:
    """Boxes that overlap, or stand side by side within `gap` over most of their height, as one:
    a table whose row rules break at the same place (a heavy scan) falls apart into a left and a
    right piece, which would part the labels from their values."""
    def one_table(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
        overlap_y = min(a[3], b[3]) - max(a[1], b[1])
        return overlap_y > 0.5 * min(a[3] - a[1], b[3] - b[1]) and max(a[0], b[0]) - min(a[2], b[2]) <= gap

    return _merged(boxes, one_table)


def _merged(boxes: list[tuple[int, int, int, int]],
            one_table: Callable[[tuple[int, int, int, int], tuple[int, int, int, int]], bool]) -> list[tuple[int, int, int, int]]:
    """Pairs of boxes that `one_table` says belong together replaced by their union, until none do."""
    boxes = list(boxes)
    while True:
        pair = next(((i, j) for i, j in itertools.combinations(range(len(boxes)), 2)
                     if one_table(boxes[i], boxes[j])), None)
        if pair is None:
            return boxes
        a, b = boxes[pair[0]], boxes.pop(pair[1])  # pair[1] > pair[0]
        boxes[pair[0]] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _stacked_pieces(boxes: list[tuple[int, int, int, int]], words: list[Word], scale: float) -> list[tuple[int, int, int, int]]:
    """Boxes one above the other with only table rows between them, as one: a heavy scan lost a
    stretch of the table's rules and it fell apart, the rows in between with it. With nothing at
    all between them, the two must nearly touch."""
    def one_table(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
        top, bottom = min(a[3], b[3]), max(a[1], b[1])  # the band between them
        x0, x1 = max(a[0], b[0]), min(a[2], b[2])
        if x1 <= x0 or bottom - top > PIECE_GAP_PT * scale:
            return False
        between = [w for w in words if top < (w.box[1] + w.box[3]) / 2 < bottom]
        if not between:
            return bottom - top <= TOUCHING_PT * scale
        return _table_rows(between, x0, x1)

    return _merged(boxes, one_table)


def _table_rows(words: list[Word], x0: float, x1: float) -> bool:
    """The words look like rows of a table x0..x1: text in its left and in its right third, no line
    across its middle (prose), no part heading standing alone on its line (三、收到和处理…, not the
    三、 of a label set one character a line)."""
    third = (x1 - x0) / 3
    left = [w for w in words if w.box[2] < x0 + third]
    right = [w for w in words if w.box[0] > x1 - third]

    def alone(w: Word) -> bool:
        return not any(v.box[0] > w.box[2] and v.box[1] < (w.box[1] + w.box[3]) / 2 < v.box[3] for v in words)

    return (bool(left) and bool(right) and not any(w.box[0] < x0 + third and w.box[2] > x1 - third for w in words)
            and not any(level(w.text) == 1 and len(w.text) > 3 and alone(w) for w in words))


def _across_text(boxes: list[tuple[int, int, int, int]], words: list[Word], width: int) -> list[tuple[int, int, int, int]]:
    """Each box widened to the words whose middles lie in its rows (a report prints nothing beside a
    table): a scan may have lost the rules around the label column, whose labels belong to it."""
    out = []
    for x0, y0, x1, y1 in boxes:
        beside = [w.box for w in words if y0 < (w.box[1] + w.box[3]) / 2 < y1]
        left = min([x0, *(int(w[0]) - 2 for w in beside)])
        right = max([x1, *(int(w[2]) + 2 for w in beside)])
        out.append((max(0, left), y0, min(width, right), y1))
    return out


def _turned(box: BBox, m: np.ndarray) -> BBox:
    """The bounds of a page box turned upright by the 2x3 map `m`."""
    x0, y0, x1, y1 = box
    corners = np.float32([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ m.T
    lo, hi = corners.min(0), corners.max(0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def _stacked_rules(masks: Masks, taken: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Tables ruled across only (三线表, or column rules lost): three long row rules or more, close together."""
    width = masks.horizontal.shape[1]
    rules = [
        r for r in rule_lines(segments(masks.horizontal, horizontal=True))
        if r[2] - r[1] >= 0.25 * width and not any(t[1] - 3 <= r[0] <= t[3] + 3 for t in taken)
    ]
    stacks: list[list[tuple[float, float, float]]] = []
    for r in rules:
        if stacks and r[0] - stacks[-1][-1][0] <= 60 * masks.scale:
            stacks[-1].append(r)
        else:
            stacks.append([r])
    return [
        (int(min(r[1] for r in s)), int(s[0][0]) - 2, int(max(r[2] for r in s)), int(s[-1][0]) + 3)
        for s in stacks if len(s) >= 3
    ]


def _lattice(masks: Masks, x0: int, y0: int, x1: int, y1: int) -> Lattice | None:
    pad, tol = 3, 4 * masks.scale  # rules closer than `tol` are one (a double border)
    verticals = segments(masks.vertical[y0:y1, x0:x1], horizontal=False)
    xs = cluster(np.sort([x for x, _, _ in verticals]), gap=tol) + x0
    # A horizontal rule (its pieces together) meets a column rule or the table's edge at one end at
    # least (scans break the other); a dash (——) inside a cell meets none.
    anchors = np.r_[0, xs - x0, x1 - x0]
    ys = cluster(np.sort([
        y for y, a, b in rule_lines(segments(masks.horizontal[y0:y1, x0:x1], horizontal=True))
        if min(np.abs(anchors - a).min(), np.abs(anchors - b).min()) <= tol
    ]), gap=tol) + y0
    if ys.size == 0:
        return None
    # Open tables: rules of one direction reaching past the last rule of the other close the grid.
    if xs.size == 0 or xs[0] - x0 > 5 * masks.scale:
        xs = np.r_[x0 + pad, xs]
    if x1 - xs[-1] > 5 * masks.scale:
        xs = np.r_[xs, x1 - pad]
    if ys[0] - y0 > 5 * masks.scale:
        ys = np.r_[y0 + pad, ys]
    if y1 - ys[-1] > 5 * masks.scale:
        ys = np.r_[ys, y1 - pad]
    if ys.size < 2 or xs.size < 2:
        return None
    rows, cols = [float(v) for v in ys], [float(v) for v in xs]
    return Lattice(rows, cols, _merge_slots(masks, rows, cols))


def _inked(mask: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> float:
    """Share of a thin border band (horizontal or vertical) that holds a rule."""
    t = 3
    if abs(y1 - y0) < 1:  # horizontal border at y0
        band = mask[max(0, int(y0) - t) : int(y0) + t + 1, int(x0) : int(x1)]
        return float((band.max(axis=0) > 0).mean()) if band.size else 0.0
    band = mask[int(y0) : int(y1), max(0, int(x0) - t) : int(x0) + t + 1]
    return float((band.max(axis=1) > 0).mean()) if band.size else 0.0


def _merge_slots(masks: Masks, rows: list[float], cols: list[float]) -> list[GridCell]:
    """Union slots whose shared border has no rule; each group becomes one spanning cell."""
    n_r, n_c = len(rows) - 1, len(cols) - 1
    parent = list(range(n_r * n_c))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    m = 2  # keep clear of the crossing rules at the border's ends
    for r in range(n_r):
        for c in range(n_c):
            x, y = cols[c + 1] if c + 1 < n_c else 0, rows[r + 1] if r + 1 < n_r else 0
            if c + 1 < n_c and _inked(masks.vertical, x, rows[r] + m, x, rows[r + 1] - m) < SEPARATOR_COVER:
                parent[find(r * n_c + c + 1)] = find(r * n_c + c)
            if r + 1 < n_r and _inked(masks.horizontal, cols[c] + m, y, cols[c + 1] - m, y) < SEPARATOR_COVER:
                parent[find((r + 1) * n_c + c)] = find(r * n_c + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_r):
        for c in range(n_c):
            groups.setdefault(find(r * n_c + c), []).append((r, c))
    return sorted((g for slots in groups.values() for g in _rectangles(slots)), key=lambda g: (g.row, g.col))


def _rectangles(slots: list[tuple[int, int]]) -> list[GridCell]:
    """A merged group as rectangles: itself when rectangular, else its row runs stacked where they line up.

    A group is not rectangular when a broken rule joined two cells; this keeps both.
    """
    runs: list[GridCell] = []
    for r in sorted({s[0] for s in slots}):
        cols = sorted(c for rr, c in slots if rr == r)
        start = cols[0]
        for a, b in zip(cols, cols[1:] + [None]):
            if b != a + 1:
                runs.append(GridCell(r, start, 1, a - start + 1))
                start = b
    out: list[GridCell] = []
    for run in runs:
        key = (run.row, run.col, run.col_span)
        above = next((g for g in out if (g.row + g.row_span, g.col, g.col_span) == key), None)
        if above:
            above.row_span += 1
        else:
            out.append(run)
    return out
