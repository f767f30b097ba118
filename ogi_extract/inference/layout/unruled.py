"""Tables drawn without rules: rows from text lines, columns from values aligned in columns.

Also gives a ruled table without column rules (三线表) its columns from its words.
"""

from __future__ import annotations

import itertools

import numpy as np

from ogi_extract.inference.layout.lattice import GridCell, Lattice
from ogi_extract.inference.layout.rules import cluster
from ogi_extract.inference.layout.text import UNITS, is_number, is_value, level, text_lines
from ogi_extract.types import Word

MIN_BARE_VALUES = 5
# Lines that open a sub-table of 第二十条 (its heading, its header): the table goes on below them,
# however far its last values lie above.
SUB_TABLE_LINES = ("第二十条", "信息内容")
SPECKS = "'\"`‘’"  # noise OCR read as a quote after a number (0'): still a value where the line's columns are found


def lattices_from_words(words: list[Word], min_rows: int = 3) -> list[Lattice]:
    """Tables drawn without rules: runs of text lines that end in values (and units) set in columns.

    Rows are text lines (a wrapped label line joins the nearest line with values, unless it
    starts a numbered item); columns split midway between the x-clusters of the values; the
    label column is everything left of them; text lines just above whose words reach into
    the value columns are header rows. A run goes on past a 第二十条 sub-table's heading and header;
    a line of values alone under a header is a table of one row.
    """
    lines = text_lines(words)
    if not lines:
        return []
    height = float(np.median([w.box[3] - w.box[1] for w in words]))
    runs, run, last = [], [], 0
    for i, line in enumerate(lines):
        if run and _gap(lines[last], line) > 3 * height:
            runs.append(run)
            run = []
        valued = bool(_tail(line))
        if valued:
            run.append(i)
        if valued or run and line[0].text.replace(" ", "").startswith(SUB_TABLE_LINES):
            last = i
    runs.append(run)
    return [_word_lattice(lines, run, height) for run in runs
            if len(run) >= min_rows or _bare_row(lines, run, height)]


def _bare_row(lines: list[list[Word]], run: list[int], height: float) -> bool:
    """Values alone on a line under their header (table 四's 15 counts of 行政复议 and 行政诉讼): a
    table of one row, which prose never is. A value a scan set lower reads as a line of its own."""
    found = [w for i in run for w in lines[i]]
    return (bool(run) and run[0] > 0 and all(_values_only(lines[i]) for i in run)
            and sum(is_number(w.text) for w in found) >= MIN_BARE_VALUES
            and max(w.box[3] for w in found) - min(w.box[1] for w in found) < 2 * height)


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
    while k > 0 and (is_value(line[k - 1].text.rstrip(SPECKS)) or line[k - 1].text in UNITS):
        k -= 1
    tail = line[k:]
    return tail if any(is_number(w.text) or is_value(w.text) and w.text[:1].isdigit() for w in tail) else []


def _values_only(line: list[Word]) -> bool:
    """A line of values with no label before them."""
    return len(_tail(line)) == len(line)


def _word_lattice(lines: list[list[Word]], run: list[int], height: float) -> Lattice:
    tails = [w for i in run for w in _tail(lines[i])]
    centers = cluster(np.sort([(w.box[0] + w.box[2]) / 2 for w in tails]), gap=1.5 * height)
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
    rows = _row_bounds(lines, header, members, height, starts[0])
    cells = [GridCell(r, c) for r in range(len(rows) - 1) for c in range(len(cols) - 1)]
    return Lattice(rows, [float(c) for c in cols], cells, ruled=False, header_rows=len(header))


def _row_bounds(lines: list[list[Word]], header: list[int], members: list[int], height: float,
                values_from: float) -> list[float]:
    """Row boundaries: one per header line, per labelled line with values or a numbered label, and per
    line of text reaching into the value columns (a sub-table's heading or header inside the run:
    第二十条第（五）项, 信息内容 | 本年处理决定数量).

    Other lines (a label's wrapped part, values printed beside a two-line label, and a line OCR set
    apart from the one above it in the same printed row: `_same_row`) join the nearest such line.
    """
    def starts_row(line: list[Word]) -> bool:
        if _values_only(line):
            return False
        return (bool(_tail(line)) or level(line[0].text) is not None or line[0].text.startswith(("其中", "第二十条"))
                or max(w.box[2] for w in line) > values_from + height)

    anchors = [i for i in members if starts_row(lines[i])] or members[:1]
    anchors = [i for k, i in enumerate(anchors) if k == 0 or not _same_row(lines[anchors[k - 1]], lines[i])]
    mid = {i: (min(w.box[1] for w in lines[i]) + max(w.box[3] for w in lines[i])) / 2 for i in members}
    groups: dict[int, list[int]] = {a: [a] for a in header + anchors}
    for i in members:
        if i not in groups:
            groups[min(anchors, key=lambda a: abs(mid[a] - mid[i]))].append(i)
    spans = sorted((_span(lines, g) for g in groups.values()), key=lambda s: s[:2])
    inner = [_between(a, b, height) for a, b in itertools.pairwise(spans)]
    return [float(b) for b in [spans[0][0] - height / 4, *inner, spans[-1][1] + height / 4]]


def _same_row(above: list[Word], line: list[Word]) -> bool:
    """Two lines OCR set apart that are one printed row: they overlap, the lower one starts no numbered
    item, and their values stand in different columns (2.没有现成信息需要另行制作 0 over 供 0 0 0 0 0 0:
    供, the last line of the group label (四)无法提供 centred on its rows, took in the row's values)."""
    tails = _tail(above), _tail(line)
    return (_gap(above, line) < 0 and level(line[0].text) is None and all(tails) and not any(
        a.box[0] < b.box[2] and b.box[0] < a.box[2] for a in tails[0] for b in tails[1]))


RowSpan = tuple[float, float, float | None, float | None]  # top, bottom; its values' top, bottom


def _span(lines: list[list[Word]], group: list[int]) -> RowSpan:
    """A row's top and bottom, and its values' (None without values)."""
    words = [w for i in group for w in lines[i]]
    values = [w for i in group for w in _tail(lines[i])]
    return (min(w.box[1] for w in words), max(w.box[3] for w in words),
            min((w.box[1] for w in values), default=None), max((w.box[3] for w in values), default=None))


def _between(a: RowSpan, b: RowSpan, height: float) -> float:
    """The boundary between two rows: midway between them, but clear of either's values by a quarter
    line (a tall label beside them pulled it into the values below, cutting off the tops of the zeros
    OCR had missed there, which a re-read of the cell then could not see)."""
    middle = (a[1] + b[0]) / 2
    low = a[3] + height / 4 if a[3] is not None else -np.inf
    high = b[2] - height / 4 if b[2] is not None else np.inf
    return float(min(max(middle, low), high)) if low <= high else (a[3] + b[2]) / 2
