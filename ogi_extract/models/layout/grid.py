"""Table lattices on a page image: from ruling lines (OpenCV), else from word geometry.

A lattice is the grid of row and column boundaries of one table plus its cells: slots
whose separating rule is missing belong to one spanning cell. Scans are deskewed first
(rules up to 3 degrees off), so a lattice lives in its own upright frame and maps page
points into it (`Lattice.slot`). Rules may be broken, thin or doubled; a dash (——) in a
cell is not a rule. Tables without column rules, or without any, get their columns (and
rows) from the text: lines that end in values aligned in columns. The small text classes
a table reader needs (value, unit, placeholder, numbering level) live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from ogi_extract.types import BBox, Word

MAX_SKEW_DEG = 3.0
SEPARATOR_COVER = 0.3  # share of a slot border inked with rule pieces (scans break rules) to count as one
NUMBER = re.compile(r"[-−+]?\d[\d,，.．]*%?")


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
        return _rotate(x, y, self.center, self.angle)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return _rotate(x, y, self.center, -self.angle)

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


def _rotate(x: float, y: float, center: tuple[float, float], angle: float) -> tuple[float, float]:
    if not angle:
        return x, y
    t = np.deg2rad(angle)
    dx, dy = x - center[0], y - center[1]
    return (center[0] + dx * np.cos(t) + dy * np.sin(t), center[1] - dx * np.sin(t) + dy * np.cos(t))


# --- ruled tables ------------------------------------------------------------------------


@dataclass
class _Masks:
    horizontal: np.ndarray
    vertical: np.ndarray
    scale: float  # pixels per typographic point (1/72 inch)


def find_lattices(image: np.ndarray, dpi: float | None = None) -> list[Lattice]:
    """Ruled tables on a page image (RGB or gray), top to bottom; without a dpi the page is taken as A4 wide."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    scale = dpi / 72 if dpi else gray.shape[1] / 595
    angle = _skew(gray)
    center = (gray.shape[1] / 2, gray.shape[0] / 2)
    if angle:
        # Same convention as _rotate: a page point p maps to R(angle) p in the upright frame.
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        gray = cv2.warpAffine(gray, m, (gray.shape[1], gray.shape[0]), borderValue=255, flags=cv2.INTER_LINEAR)
    masks = _line_masks(gray, scale)
    lattices = []
    for x0, y0, x1, y1 in _table_regions(masks):
        lat = _lattice(masks, x0, y0, x1, y1)
        if lat is not None:
            lat.angle, lat.center = angle, center
            lattices.append(lat)
    return sorted(lattices, key=lambda t: t.rows[0])


def _binary(gray: np.ndarray, block: int = 15) -> np.ndarray:
    """Ink as 255: adaptive, so shaded header cells and uneven scans still show their rules."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def _runs(ink: np.ndarray, length: int, bridge: int, horizontal: bool) -> np.ndarray:
    """Straight runs of ink at least `length` long, then small breaks between them bridged.

    Outside the image counts as paper, so text cut by a crop's edge does not pass for a rule.
    """
    def morph(img: np.ndarray, op: int, size: int) -> np.ndarray:
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, 1) if horizontal else (1, size))
        return cv2.morphologyEx(img, op, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)

    return morph(morph(ink, cv2.MORPH_OPEN, length), cv2.MORPH_CLOSE, bridge)


def _line_masks(gray: np.ndarray, scale: float) -> _Masks:
    ink = _binary(gray, max(15, int(10 * scale) | 1))
    bridge = max(3, int(3 * scale))
    # A rule is longer than any stroke of a character (about 12 pt at most).
    length = max(10, int(18 * scale))
    return _Masks(_runs(ink, length, bridge, True), _runs(ink, length, bridge, False), scale)


def _skew(gray: np.ndarray) -> float:
    """Angle (degrees) of the long horizontal rules; 0 when there are none or it is tiny.

    Measured on a small copy, then again on that copy turned upright, since a tilted rule
    reads a little flatter than it is.
    """
    small_scale = 1000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    center = (small.shape[1] / 2, small.shape[0] / 2)
    angle = 0.0
    for _ in range(3):
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        turned = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]), borderValue=255)
        residual = _rule_angle(turned)
        angle += residual
        if abs(residual) < 0.05:
            break
    return angle if 0.05 < abs(angle) <= MAX_SKEW_DEG else 0.0


def _rule_angle(small: np.ndarray) -> float:
    """Median slope (degrees) of the long near-horizontal rules in a small page image."""
    # Thicken vertically so a tilted rule stays one run.
    ink = cv2.dilate(_binary(small), cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    lines = _runs(ink, small.shape[1] // 8, 5, True)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines)
    angles = []
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_WIDTH] < small.shape[1] // 5:
            continue
        ys, xs = np.nonzero(labels == i)
        angles.append(np.degrees(np.arctan(np.polyfit(xs, ys, 1)[0])))
    return float(np.median(angles)) if angles else 0.0


def _table_regions(masks: _Masks) -> list[tuple[int, int, int, int]]:
    """Boxes of connected rule structures with two row rules at least, plus stacks of row rules alone."""
    grid = cv2.dilate(masks.horizontal | masks.vertical, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    out = []
    min_w, min_h = 60 * masks.scale, 15 * masks.scale
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        if w < min_w or h < min_h:
            continue
        region_h = masks.horizontal[y : y + h, x : x + w]
        if _positions(region_h, axis=0, min_len=w * 0.3).size >= 2:
            out.append((int(x), int(y), int(x + w), int(y + h)))
    return out + _stacked_rules(masks, out)


def _stacked_rules(masks: _Masks, taken: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Tables ruled across only (三线表, or column rules lost): three long row rules or more, close together."""
    width = masks.horizontal.shape[1]
    rules = [
        r for r in _rules(_segments(masks.horizontal, horizontal=True))
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


def _rules(pieces: list[tuple[float, float, float]], gap: float = 4) -> list[tuple[float, float, float]]:
    """Pieces in line with each other joined into rules: (mean position, start, end)."""
    pieces = sorted(pieces)
    groups: list[list[tuple[float, float, float]]] = []
    for p in pieces:
        if groups and p[0] - groups[-1][-1][0] <= gap:
            groups[-1].append(p)
        else:
            groups.append([p])
    return [(float(np.mean([p[0] for p in g])), min(p[1] for p in g), max(p[2] for p in g)) for g in groups]


def _positions(mask: np.ndarray, axis: int, min_len: float) -> np.ndarray:
    """Centres of rules at least `min_len` long: axis=0 for horizontal rules (y), 1 for vertical (x)."""
    pieces = _segments(mask, horizontal=axis == 0)
    return _cluster(np.sort([p for p, a, b in pieces if b - a >= min_len]), gap=4)


def _cluster(values: np.ndarray, gap: float) -> np.ndarray:
    """Merge sorted values closer than `gap` into their mean."""
    if values.size == 0:
        return values
    groups = np.split(values, np.nonzero(np.diff(values) > gap)[0] + 1)
    return np.array([g.mean() for g in groups])


def _lattice(masks: _Masks, x0: int, y0: int, x1: int, y1: int) -> Lattice | None:
    pad, tol = 3, 4 * masks.scale  # rules closer than `tol` are one (a double border)
    verticals = _segments(masks.vertical[y0:y1, x0:x1], horizontal=False)
    xs = _cluster(np.sort([x for x, _, _ in verticals]), gap=tol) + x0
    # A horizontal rule (its pieces together) meets a column rule or the table's edge at one end at
    # least (scans break the other); a dash (——) inside a cell meets none.
    anchors = np.r_[0, xs - x0, x1 - x0]
    ys = _cluster(np.sort([
        y for y, a, b in _rules(_segments(masks.horizontal[y0:y1, x0:x1], horizontal=True))
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


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, float, float]]:
    """Rule pieces in a mask as (position across, start, end along)."""
    n, _, stats, cents = cv2.connectedComponentsWithStats(mask)
    out = []
    for (x, y, w, h, _), (cx, cy) in zip(stats[1:], cents[1:]):
        out.append((cy, x, x + w) if horizontal else (cx, y, y + h))
    return out


def _inked(mask: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> float:
    """Share of a thin border band (horizontal or vertical) that holds a rule."""
    t = 3
    if abs(y1 - y0) < 1:  # horizontal border at y0
        band = mask[max(0, int(y0) - t) : int(y0) + t + 1, int(x0) : int(x1)]
        return float((band.max(axis=0) > 0).mean()) if band.size else 0.0
    band = mask[int(y0) : int(y1), max(0, int(x0) - t) : int(x0) + t + 1]
    return float((band.max(axis=1) > 0).mean()) if band.size else 0.0


def _merge_slots(masks: _Masks, rows: list[float], cols: list[float]) -> list[GridCell]:
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


# --- cell text: values, units, numbering --------------------------------------------------

UNITS = {"条", "件", "个", "人", "次", "篇", "人次", "元", "万元", "项", "家", "份", "场", "期", "天", "%"}
PLACEHOLDER = re.compile(r"[—–―\-－─一/／\\、.。]+|无|空")  # OCR reads —— as 一 too
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "，": ",", "．": "."})
_LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2),
    (re.compile(r"^\d+\s*[.、．]"), 3),
    (re.compile(r"^([（(]\d+[）)]|[①-⑳])"), 4),
)


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text.replace(" ", "")) is not None


def is_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.fullmatch(text.replace(" ", "")))


def is_value(text: str) -> bool:
    """A value cell's text: a number (OCR's O/l read as 0/1; a unit may follow), a placeholder (——), or nothing."""
    text = text.replace(" ", "")
    number = text.translate(_OCR_DIGITS)
    unit = max((u for u in UNITS if number.endswith(u) and len(number) > len(u)), key=len, default="")
    return not text or is_placeholder(text) or is_number(number[: len(number) - len(unit)])


def level(label: str) -> int | None:
    """Numbering depth of a label: 一、 1, （一） 2, 1. 3, （1） 4; None when unnumbered."""
    return next((lvl for pattern, lvl in _LEVELS if pattern.match(label)), None)


# --- tables without rules: rows from text lines, columns from aligned values ------------------


def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        cy, h = (w.box[1] + w.box[3]) / 2, w.box[3] - w.box[1]
        for line in reversed(lines[-3:]):
            top, bottom = min(v.box[1] for v in line), max(v.box[3] for v in line)
            if top <= cy <= bottom and h < 2 * (bottom - top) and bottom - top < 2 * h:
                line.append(w)
                break
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]


def lattices_from_words(words: list[Word], min_rows: int = 3) -> list[Lattice]:
    """Tables drawn without rules: runs of text lines that end in values (and units) set in columns.

    Rows are text lines (a wrapped label line joins the nearest line with values, unless it
    starts a numbered item); columns split midway between the x-clusters of the values; the
    label column is everything left of them; text lines just above whose words reach into
    the value columns are header rows.
    """
    lines = text_lines(words)
    if not lines:
        return []
    height = float(np.median([w.box[3] - w.box[1] for w in words]))
    runs, run = [], []
    for i, line in enumerate(lines):
        if run and _gap(lines[run[-1]], line) > 3 * height:
            runs.append(run)
            run = []
        if _tail(line):
            run.append(i)
    runs.append(run)
    return [_word_lattice(lines, run, height) for run in runs if len(run) >= min_rows]


def _right(line: list[Word]) -> float:
    return max(w.box[2] for w in line)


def with_word_columns(lat: Lattice, words: list[Word]) -> Lattice:
    """A ruled table with no column rules (三线表) takes its columns, and rows where unruled, from its words."""
    if lat.n_cols > 1:
        return lat
    x0, y0, x1, y1 = lat.box
    inside = [w for w in words if x0 <= (w.box[0] + w.box[2]) / 2 <= x1 and y0 <= (w.box[1] + w.box[3]) / 2 <= y1]
    found = lattices_from_words(inside, min_rows=2)
    if not found:
        return lat
    best = max(found, key=lambda t: t.n_rows)
    if best.n_rows > lat.n_rows:
        return best
    cols = [x0, *best.cols[1:-1], x1]
    cells = [GridCell(r, c) for r in range(lat.n_rows) for c in range(len(cols) - 1)]
    return Lattice(lat.rows, cols, cells, ruled=True, angle=lat.angle, center=lat.center)


def _gap(a: list[Word], b: list[Word]) -> float:
    return min(w.box[1] for w in b) - max(w.box[3] for w in a)


def _tail(line: list[Word]) -> list[Word]:
    """The values and units that end a table line, or [] (prose, a label alone)."""
    k = len(line)
    while k > 0 and (is_value(line[k - 1].text) or line[k - 1].text in UNITS):
        k -= 1
    tail = line[k:]
    return tail if any(is_number(w.text) or is_value(w.text) and w.text[:1].isdigit() for w in tail) else []


def _word_lattice(lines: list[list[Word]], run: list[int], height: float) -> Lattice:
    tails = [w for i in run for w in _tail(lines[i])]
    centers = _cluster(np.sort([(w.box[0] + w.box[2]) / 2 for w in tails]), gap=1.5 * height)
    near = [[w for w in tails if abs((w.box[0] + w.box[2]) / 2 - c) < 1.5 * height] for c in centers]
    starts, ends = [min(w.box[0] for w in g) for g in near], [max(w.box[2] for w in g) for g in near]
    first = run[0]
    # The first row's label may wrap onto lines above its values.
    while first > 0 and _gap(lines[first - 1], lines[first]) < height and _right(lines[first - 1]) < starts[0]:
        first -= 1
    header = []
    for i in range(first - 1, max(-1, first - 4), -1):
        if _gap(lines[i], lines[i + 1]) > 2.5 * height or not any(w.box[2] > starts[0] for w in lines[i]):
            break
        header.insert(0, i)
    members = list(range(first, run[-1] + 1))
    words = [w for i in header + members for w in lines[i]]
    left, right = min(w.box[0] for w in words) - 2, max(max(w.box[2] for w in words), ends[-1]) + 2
    cols = [left, starts[0] - height / 2] + [(ends[k] + starts[k + 1]) / 2 for k in range(len(centers) - 1)] + [right]
    rows = _row_bounds(lines, header, members, height)
    cells = [GridCell(r, c) for r in range(len(rows) - 1) for c in range(len(cols) - 1)]
    return Lattice(rows, [float(c) for c in cols], cells, ruled=False, header_rows=len(header))


def _row_bounds(lines: list[list[Word]], header: list[int], members: list[int], height: float) -> list[float]:
    """Row boundaries: one per header line and per labelled line with values or a numbered label.

    Other lines (a label's wrapped part, values printed beside a two-line label) join the
    nearest such line.
    """
    def starts_row(line: list[Word]) -> bool:
        tail = _tail(line)
        if len(tail) == len(line):
            return False
        return bool(tail) or level(line[0].text) is not None or line[0].text.startswith("其中")

    anchors = [i for i in members if starts_row(lines[i])] or members[:1]
    mid = {i: (min(w.box[1] for w in lines[i]) + max(w.box[3] for w in lines[i])) / 2 for i in members}
    groups: dict[int, list[int]] = {a: [a] for a in header + anchors}
    for i in members:
        if i not in groups:
            groups[min(anchors, key=lambda a: abs(mid[a] - mid[i]))].append(i)
    boxes = [[w.box for i in g for w in lines[i]] for g in groups.values()]
    spans = sorted((min(b[1] for b in bs), max(b[3] for b in bs)) for bs in boxes)
    inner = [(b0 + t1) / 2 for (_, b0), (t1, _) in zip(spans, spans[1:])]
    return [float(b) for b in [spans[0][0] - height / 4, *inner, spans[-1][1] + height / 4]]
