"""Row and column rules a scan lost, put back where the text says a row or a column is.

A faint or broken row rule leaves two printed rows as one lattice row: two lines of numbers
stacked in each value cell, two numbered labels in one label cell (1.属于国家秘密 over
2.其他法律行政法规禁止公开), and the values of one row are read as "01". A row exists where
text stands under other text in two columns or more, numbers below in one of them at least (a
value under a value or a header; 件 under 件 in a unit column beside it), with paper between them
across the whole row, or numbers stacked over numbers in a value column with text stacked likewise
in another (a second value column, 件 over 件) and paper between them across those columns (a label
wrapped over two lines may cross it), or where one numbered item follows another in a label cell (4.…
over 5.…) with paper between them across the row's own cells (a small agency's blank rows show no
number; a group label centred on its rows may cross it);
a cell that spans rows is cut at a row boundary where a numbered item or a number starts below it,
or where its text parts with numbers beside it in the next column on both sides (一、本年新收… over
二、上年结转…, their rule lost in the label column only, each beside its own row of values); a value
cell that spans rows is cut where the label cells left of it part (its rule lost in that column only).

A column rule lost along a whole table leaves two printed columns as one lattice column: 0 | 430
read as "0430", 尚未审结 | 总计 as one header. A column exists where that column's own cells
(not those spanning it) leave paper at one x from top to bottom, with text on both sides of it
in two cells or more and numbers on both sides in one at least. A column rule lost in one row
only leaves a cell spanning columns that another row keeps apart: it is cut there when its text
shows two cells (0 | 0 read as one cell "010", the rule's remnant read as 1; 规章 | 4).

OCR also reads the rules themselves: a crossing as X, a stroke of a column rule as 1 (`is_rule_mark`).
"""

from __future__ import annotations

from collections import defaultdict

from ogi_extract.inference.layout.lattice import GridCell, Lattice, Placed, place
from ogi_extract.inference.layout.text import as_digits, is_number, item_number, level
from ogi_extract.types import BBox, Word
from ogi_extract.wordsplit import char_boxes

RULE_GLYPHS = frozenset("1lI|丨」T!一")  # what OCR makes of a stretch of rule between two digits
ROW_RULE_GLYPHS = frozenset("一-_—－")  # ...and of a stretch of a row rule
PARTED = 0.5  # of a character's height: paper between two numbers that one cell took in (centres a glyph apart more)
REMNANT = 0.3  # of a character's height: how close to a column boundary a rule's remnant lies
OVERHANG = 0.2  # share of a text box's height that may lie past a row boundary it does not cross
MIN_COLUMNS = 2  # cells that must show text on both sides of a lost rule (numbers beyond it in one at least)


def with_text_rules(lat: Lattice, words: list[Word]) -> Lattice:
    """`lat` with a column, then a row boundary wherever the text shows a lost rule, and cells cut there."""
    if not lat.ruled or lat.n_rows < 1:
        return lat
    return _with_labelled_rows(_with_text_rows(_with_parted_spans(_with_text_cols(lat, words), words), words), words)


def _with_text_cols(lat: Lattice, words: list[Word]) -> Lattice:
    placed = [p for w in words if (p := _placed(lat, w)) is not None]
    cuts = [(c, x) for c in range(lat.n_cols) for x in _lost_cols(lat, c, placed)]
    if not cuts:
        return lat
    cols = sorted(lat.cols + [x for _, x in cuts])
    index = {x: i for i, x in enumerate(cols)}
    cells = []
    for g in lat.cells:
        left, right = index[lat.cols[g.col]], index[lat.cols[g.col + g.col_span]]
        if g.col_span == 1:  # its own column: the text said where it parts
            cells += [GridCell(g.row, k, g.row_span, 1) for k in range(left, right)]
        else:
            cells.append(GridCell(g.row, left, g.row_span, right - left))
    return lat.remade(cells, cols=cols)


def _with_parted_spans(lat: Lattice, words: list[Word]) -> Lattice:
    """Cells spanning columns cut at each inner boundary that another row keeps apart between two
    texts (numbers, or headers over a one-row table), where its text shows two cells (`_two_cells`;
    a rule's remnant left out). Between a label and its numbers a boundary that only rules keep
    apart in other rows will do (the rule lost through one section of the table: 规章 24 in one cell)."""
    placed = sorted((p for w in words if (p := _placed(lat, w)) is not None), key=lambda p: p.left)
    slots = _slots(lat)
    filled = {(p.row, p.col) for p in placed}
    numbers = {(p.row, p.col) for p in placed if p.numeric}
    numeric = {k for _, k in numbers}
    kept_apart = {k for r, k in filled if (r, k - 1) in filled and slots.get((r, k - 1)) is not slots.get((r, k))}
    starts = {g.col for g in lat.cells}  # boundaries another row's cells keep apart, by text or by rules
    cells = []
    for g in lat.cells:
        if g.col_span == 1:
            cells.append(g)
            continue
        inside = [p for p in placed if g.row <= p.row < g.row + g.row_span and g.col <= p.col < g.col + g.col_span]
        chars = [c for p in inside for c in frame_chars(lat, char_boxes(p.word))]
        gone = remnants(lat, chars)
        chars = [c for i, c in enumerate(chars) if i not in gone]
        start = g.col
        for k in range(g.col + 1, g.col + g.col_span):
            left = [c for c in chars if lat.cols[start] <= c[1] < lat.cols[k]]
            right = [c for c in chars if lat.cols[k] <= c[1] < lat.cols[g.col + g.col_span]]
            label_beside_values = start not in numeric and k in numeric
            parted = bool(left) and (k in kept_apart or label_beside_values and k in starts) and _two_cells(
                left, right, label_beside_values)
            # a value OCR left unread, between the label already cut off and the row's next number
            unread = (not left and g.col < start and start in numeric and k in kept_apart and _is_number(right)
                      and any(r == g.row and c >= g.col + g.col_span for r, c in numbers))
            if parted or unread:
                cells.append(GridCell(g.row, start, g.row_span, k - start))
                start = k
        cells.append(GridCell(g.row, start, g.row_span, g.col + g.col_span - start))
    return lat.remade(cells)


def _two_cells(left: list[tuple[str, float, float]], right: list[tuple[str, float, float]], label_beside_values: bool) -> bool:
    """Whether the characters left and right of a boundary are two cells' contents: a number right of
    a number with paper between them, or, left in a label column beside a value column, a label and
    its number, or a label alone (its value unread, to be re-read from the ink)."""
    texts = ["".join(t for t, _, _ in side) for side in (left, right)]
    if not right:
        return label_beside_values and _words_only(texts[0])
    parted = right[0][1] - left[-1][1] > (1 + PARTED) * max(left[-1][2], right[0][2]) / 2
    return parted and _is_number(right) and (_is_number(left) or label_beside_values and _words_only(texts[0]))


def _is_number(chars: list[tuple[str, float, float]]) -> bool:
    return is_number(as_digits("".join(t for t, _, _ in chars)))


def _words_only(text: str) -> bool:
    """A label's text (规章, 行政规范性文件): Chinese, no digits a number could have lost."""
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def remnants(lat: Lattice, chars: list[tuple[str, float, float]]) -> set[int]:
    """Indices of the (char, frame x, height) in reading order that are a column rule's remnant:
    a 1, l, | or 」 on an inner column boundary with a digit on each side."""
    inner = lat.cols[1:-1]
    return {i for i in range(1, len(chars) - 1)
            if chars[i][0] in RULE_GLYPHS and as_digits(chars[i - 1][0]).isdigit() and as_digits(chars[i + 1][0]).isdigit()
            and any(abs(chars[i][1] - x) < REMNANT * chars[i][2] for x in inner)}


def frame_chars(lat: Lattice, chars: list[tuple[str, BBox]]) -> list[tuple[str, float, float]]:
    """Characters (`char_boxes`) as (char, centre x in the lattice frame, height)."""
    return [(ch, lat.to_frame((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)[0], b[3] - b[1]) for ch, b in chars]


def _lost_cols(lat: Lattice, c: int, placed: list[Placed]) -> list[float]:
    """Boundaries inside column `c`: x where no word of its own cells lies across, text on both sides."""
    own = [g for g in lat.cells if g.col == c and g.col_span == 1]
    cells = [[p for p in placed if p.col == c and g.row <= p.row < g.row + g.row_span] for g in own]
    cuts = []
    for left_end, right_start in _gaps([(p.left, p.right) for ws in cells for p in ws]):
        x = (left_end + right_start) / 2
        both = [ws for ws in cells if any(p.right < x for p in ws) and any(p.left > x for p in ws)]
        numbers = [ws for ws in both if any(p.right < x and p.numeric for p in ws)
                   and any(p.left > x and p.numeric for p in ws)]
        if len(both) >= MIN_COLUMNS and numbers:
            cuts.append(x)
    return cuts


def _with_text_rows(lat: Lattice, words: list[Word]) -> Lattice:
    placed = [p for w in words if (p := _placed(lat, w)) is not None]
    slots = _slots(lat)
    in_row = {id(p) for p in placed if slots[(p.row, p.col)].row_span == 1}
    cuts = [y for r in range(lat.n_rows) for y in _lost_rules(lat, r, placed, in_row)]
    rows = sorted(lat.rows + cuts)  # with no cut, spanning cells are still cut where their text shows two rows
    index = {y: i for i, y in enumerate(rows)}
    numbers: defaultdict[int, list[float]] = defaultdict(list)  # middles of the numbers in each column
    for p in placed:
        if p.numeric:
            numbers[p.col].append(p.middle)
    cells = []
    for g in lat.cells:
        top, bottom = index[lat.rows[g.row]], index[lat.rows[g.row + g.row_span]]
        inside = [p for p in placed if g.col <= p.col < g.col + g.col_span and rows[top] <= p.middle <= rows[bottom]]
        beside = numbers[g.col + g.col_span]
        cells += GridCell(top, g.col, bottom - top, g.col_span).cut_rows(
            k for k in range(top + 1, bottom)
            if _starts_row(inside, rows[k]) or _parted(inside, rows[k]) and all(
                any(a <= y <= b for y in beside) for a, b in ((rows[k - 1], rows[k]), (rows[k], rows[k + 1]))))
    return lat.remade(cells, rows=rows)


def _with_labelled_rows(lat: Lattice, words: list[Word]) -> Lattice:
    """Value cells spanning rows cut where labels left of them keep those rows apart (一、本年新收… over
    二、上年结转…, each in its own cell): a broken rule joined two rows' value slots, and the one number
    read in them belongs to the row it lies in. A number lying across the boundary keeps its cell whole,
    and an empty cell stays as it is (cutting those was tried: a 2008 table's blank column beside its
    values then read as one more value column, seed 5151 heavy 48 -> 62 field errors)."""
    placed = [p for w in words if (p := _placed(lat, w)) is not None]
    slots = _slots(lat)
    texts: defaultdict[int, list[Placed]] = defaultdict(list)
    for p in placed:
        texts[id(slots[(p.row, p.col)])].append(p)
    labels = {key for key, inside in texts.items() if any(not p.numeric for p in inside)}
    apart = {}  # boundary -> the leftmost column whose label cells part there
    for k in range(1, lat.n_rows):
        apart[k] = next((c for c in range(lat.n_cols) if slots[(k - 1, c)] is not slots[(k, c)]
                         and {id(slots[(k - 1, c)]), id(slots[(k, c)])} <= labels), lat.n_cols)
    cells = []
    for g in lat.cells:
        inside = texts[id(g)]
        cells += g.cut_rows(k for k in range(g.row + 1, g.row + g.row_span)
                            if inside and apart[k] < g.col and id(g) not in labels
                            and all(_above(p, lat.rows[k]) or _below(p, lat.rows[k]) for p in inside))
    return lat.remade(cells)


def is_rule_mark(lat: Lattice, word: Word) -> bool:
    """A character OCR read off the rules themselves: one glyph centred on a crossing of a column and a
    row boundary (X, 十, +), a stroke (1, |) centred on a column boundary, or a dash (一) centred on a
    row boundary. Text never sits there."""
    text = word.text.strip()
    if word.source != "ocr" or len(text) != 1 or not lat.ruled:
        return False
    x0, y0, x1, y1 = word.box
    x, y = lat.to_frame((x0 + x1) / 2, (y0 + y1) / 2)
    near = REMNANT * (y1 - y0)
    on_column = any(abs(x - c) < near for c in lat.cols[1:-1])
    on_row = any(abs(y - r) < near for r in lat.rows[1:-1])
    return on_column and (text in RULE_GLYPHS or on_row) or on_row and text in ROW_RULE_GLYPHS


def _slots(lat: Lattice) -> dict[tuple[int, int], GridCell]:
    """The cell over each (row, column) slot."""
    return {(r, k): g for g in lat.cells for r in range(g.row, g.row + g.row_span) for k in range(g.col, g.col + g.col_span)}


def _placed(lat: Lattice, word: Word) -> Placed | None:
    """The word in the lattice frame; None outside the lattice or for a mark OCR read off a rule (a
    stroke of a column rule read as 1 would bridge the paper between two rows)."""
    p = place(lat, word)
    return None if p is None or is_rule_mark(lat, word) else p


def _lost_rules(lat: Lattice, r: int, placed: list[Placed], in_row: set[int]) -> list[float]:
    """Boundaries inside row `r`: gaps above lines of numbers that no word of the row crosses, and
    between two numbered items that no word of a cell of this row only crosses (`in_row`: their ids)."""
    top, bottom = lat.rows[r], lat.rows[r + 1]
    inside = [p for p in placed if top <= p.middle <= bottom]
    cuts = []
    for above_end, below_start in _gaps([(p.top, p.bottom) for p in inside]):
        y = (above_end + below_start) / 2
        above = {p.col for p in inside if p.bottom < y}  # numbers, or a header whose rule below was lost
        below = {p.col for p in inside if p.top > y}
        numbers_below = {p.col for p in inside if p.top > y and p.numeric}
        if len(above & below) >= MIN_COLUMNS and above & numbers_below:
            cuts.append(y)
    cuts += [(a + b) / 2 for a, b in _stacked_numbers(inside, top, bottom) if not any(a < c < b for c in cuts)]
    own = [p for p in inside if id(p) in in_row]  # a group label centred on its rows may lie across the lost rule
    return cuts + [y for a, b in _gaps([(p.top, p.bottom) for p in own])
                   if _next_item(own, y := (a + b) / 2) and not any(a < c < b for c in cuts)]


def _next_item(inside: list[Placed], y: float) -> bool:
    """Two numbered items one after the other in one label cell, 4.保护第三方合法权益 over 5.属于三类内部
    事务信息, parted at `y` (no word of the row across it): two rows, whatever their values (a small
    agency's are often all blank, and no number then shows the lost rule)."""
    for col in {p.col for p in inside}:
        above = min((p for p in inside if p.col == col and p.bottom < y), key=lambda p: (p.top, p.left), default=None)
        below = min((p for p in inside if p.col == col and p.top > y), key=lambda p: (p.top, p.left), default=None)
        first, second = (item_number(p.word.text) if p else None for p in (above, below))
        if first and second and first[0] == second[0] and second[1] == first[1] + 1:
            return True
    return False


def _stacked_numbers(inside: list[Placed], top: float, bottom: float) -> list[tuple[float, float]]:
    """Gaps between two lines of numbers stacked in a value cell, with text stacked likewise in another
    column (a 2008 table's units: 16 over 105 beside 件 over 件), even where a label wrapped over two
    lines crosses them (paper across those columns, not the whole row). Only words wholly inside the
    row count: a skewed scan's digits can straddle its rule."""
    whole = [p for p in inside if _below(p, top) and _above(p, bottom)]
    numbers = [p for p in whole if p.numeric]
    gaps = []
    for above_end, below_start in _gaps([(p.top, p.bottom) for p in numbers]):
        y = (above_end + below_start) / 2
        crossed = {p.col for p in inside if not _above(p, y) and not _below(p, y)}
        stacked = {p.col for p in numbers if _above(p, y)} & {p.col for p in numbers if _below(p, y)} - crossed
        beside = {p.col for p in whole if _above(p, y)} & {p.col for p in whole if _below(p, y)} - crossed
        if stacked and len(beside) >= MIN_COLUMNS:
            gaps.append((above_end, below_start))
    return gaps  # the paper between the lines: one cut anywhere in it


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The paper between extents once overlapping ones are merged into bands: (end of one, start of next)."""
    bands: list[list[float]] = []
    for start, end in sorted(spans):
        if bands and start <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], end)
        else:
            bands.append([start, end])
    return [(a[1], b[0]) for a, b in zip(bands, bands[1:], strict=False)]


def _starts_row(inside: list[Placed], y: float) -> bool:
    """A cell's words part at `y`, and what starts below is a numbered item or a number, or numbers
    lie on both sides (a value cell that took in its unit cell: 条 322 over 条 310): two rows'
    contents, not one label wrapped over two lines."""
    if not _parted(inside, y):
        return False
    first = min((p for p in inside if _below(p, y)), key=lambda p: (p.top, p.word.box[0])).word.text
    numbers = [p for p in inside if p.numeric]
    return (level(first) is not None or is_number(first)
            or any(_above(p, y) for p in numbers) and any(_below(p, y) for p in numbers))


def _parted(inside: list[Placed], y: float) -> bool:
    """A cell's words lie on both sides of `y`, none across it."""
    above = sum(_above(p, y) for p in inside)
    below = sum(_below(p, y) for p in inside)
    return above > 0 and below > 0 and above + below == len(inside)


def _above(p: Placed, y: float) -> bool:
    """Wholly above `y` but for an overhang (OCR boxes are generous, and a line is often set tight
    under its rule)."""
    return p.bottom - OVERHANG * (p.bottom - p.top) <= y


def _below(p: Placed, y: float) -> bool:
    return p.top + OVERHANG * (p.bottom - p.top) >= y
