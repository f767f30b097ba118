"""Tables read as data rows: label, enclosing group labels, section, value cells and their headers.

A table is read top to bottom as blocks: a block is optional section rows (第二十条第（一）项),
header rows (text only) and body rows. Value columns are the columns right of the last one
holding label text in the block's body; a short unit column (条, 件, 万元) just left of them
goes to `Row.unit`. Group labels come from spanning label cells to a row's left, or, in a
table with one label column, from the numbering of the labels (一、 > （一） > 1. > 其中：).
A continued table carries the previous one's headers, groups and numbering over.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ogi_extract.inference.layout import is_number, is_placeholder, is_unit, is_value, level, text_lines
from ogi_extract.types import Cell, Document, Row, Table

Grid = list[list[Cell | None]]  # Table.grid(): the cell over each slot
LEAF = 9  # level of an unnumbered label
UNIT_HEADER = re.compile(r"(计量)?单位")
NUMBERED = re.compile(r"(?=(?<!^)(?:\d+\s*[.、．]|[（(][一二三四五六七八九十]+[）)]))")  # where a numbered item starts
# A value cell that took in its garbled unit (件24 read 牛24) is text, but no header after a body ends in a number.
ENDS_IN_NUMBER = re.compile(r"\d\s*$")
SECTION_SPAN = 0.6  # share of the columns a one-cell row must span to be a section or title row


def read_rows(doc: Document) -> list[Row]:
    """Every data row of every table, in reading order."""
    reader = _Reader()
    rows = [row for page in doc.pages for table in sorted(page.tables, key=lambda t: t.box[1])
            for row in reader.read(table)]
    # A row printed without a value whose items follow (二、回应解读情况) is a group label, not a metric.
    return [row for row, nxt in zip(rows, rows[1:] + [None]) if _has_value(row) or nxt is None
            or row.label not in nxt.parents]


def _has_value(row: Row) -> bool:
    return any(c.text and not is_placeholder(c.text) for c in row.values)


@dataclass
class _Span:
    """Text over an x-range of the page: a column's header path, or a group label cell."""

    x0: float
    x1: float
    texts: list[str]


@dataclass
class _Numbering:
    """Parents of labels in a one-label-column table, from their numbering."""

    stack: list[tuple[float, str]] = field(default_factory=list)
    previous: float = LEAF
    among: tuple[float, int | None] | None = None  # (level, numbering) of a 其中： list

    def push(self, label: str, group: bool = False) -> list[str]:
        """The parents of `label`, which then encloses the labels below it that sit deeper.

        `group`: a row with no value; unnumbered (OCR may drop 二、), it is taken as a top group.
        """
        lvl = level(label)
        if label.startswith("其中"):
            depth = self.previous + 0.5
            self.among = (depth, level(label[2:].lstrip("：: ")))
        elif self.among and lvl == self.among[1]:
            depth = self.among[0]
        else:
            if self.among:  # the 其中： list is over: its items enclose nothing
                self.stack = [s for s in self.stack if s[0] < self.among[0]]
            self.among = None
            depth = lvl or (min((d for d, _ in self.stack), default=1) if group else LEAF)
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        parents = [text for _, text in self.stack]
        self.stack.append((depth, label))
        self.previous = depth
        return parents


@dataclass
class _Block:
    section: str
    head: list[int] = field(default_factory=list)  # header rows
    body: list[int] = field(default_factory=list)


@dataclass
class _Reader:
    section: str = ""
    headers: list[_Span] = field(default_factory=list)  # header path over each value column
    groups: list[_Span] = field(default_factory=list)  # group label cells open at the last table's bottom
    numbering: _Numbering = field(default_factory=_Numbering)
    last_rows: list[Row] = field(default_factory=list)  # rows of the last table read
    carried: dict[int, str] = field(default_factory=dict)  # id(cell) -> label carried over a page break

    def read(self, table: Table) -> list[Row]:
        if not table.continued:
            self.section, self.headers, self.groups, self.numbering = table.section, [], [], _Numbering()
        grid = table.grid()
        lines = [_distinct(slots) for slots in grid]
        top = lines[0] if table.continued and lines else []
        self.carried = {id(c): self._carry(c) for c in top if not c.text or not is_value(c.text)}
        rows: list[Row] = []
        for block in self._blocks(table, lines):
            rows += self._read_block(table, grid, lines, block)
        labels = [(c, t) for c in (lines[-1] if lines else []) if _is_label(t := self._text(c))]
        self.groups = [_Span(c.box[0], c.box[2], [t]) for c, t in labels[:-1]]  # all but the innermost
        self.last_rows = rows
        return rows

    def _blocks(self, table: Table, lines: list[list[Cell]]) -> list[_Block]:
        """Split a table's rows into blocks at section rows and at header rows after a body."""
        blocks = [_Block(self.section)]
        label_cols = -1  # rightmost column holding label text in the current block's body
        for r, cells in enumerate(lines):
            filled = [c for c in cells if c.text]
            block = blocks[-1]
            if not filled:
                continue
            if _wide(filled, table.n_cols) and (not block.head and not block.body or "第二十条" in filled[0].text):
                blocks.append(_Block(filled[0].text))
                label_cols = -1
                continue
            texts = [c for c in filled if _is_label(c.text)]
            beyond = [c for c in texts if c.col + c.col_span - 1 > label_cols]
            if len(filled) >= 2 and len(texts) == len(filled) and (
                not block.body or beyond and not any(ENDS_IN_NUMBER.search(c.text) for c in beyond)
            ):
                if block.body:
                    blocks.append(block := _Block(block.section))
                    label_cols = -1
                block.head.append(r)
                continue
            block.body.append(r)
            if not _wide(filled, table.n_cols):
                label_cols = max([label_cols] + [c.col + c.col_span - 1 for c in filled if not is_value(c.text)])
        self.section = blocks[-1].section
        return [b for b in blocks if b.head or b.body]

    def _read_block(self, table: Table, grid: Grid, lines: list[list[Cell]], block: _Block) -> list[Row]:
        head, body = block.head, block.body
        # A header cell hanging down into the body over a value column (the rule under 尚未审结 lost)
        # is no value; over the label column it may hold the row's label (指标名称 over 其他情形).
        body_cells = [[c for c in lines[r] if c.text and (c.row not in head or c.col == 0)] for r in body]
        vcol = _first_value_column([c for cells in body_cells if not _wide(cells, table.n_cols) for c in cells])
        lines = [[c for c in cells if c.row not in head or c.col < vcol] for cells in lines]
        if head:
            self.headers = _headers(grid, head, vcol, table.n_cols)
        unit_col = next((k for k in range(vcol, table.n_cols) if self._headed_unit([grid[r][k] for r in body])
                         or _is_unit_column([grid[r][k] for r in body])), None)
        one_label = vcol == 1
        valued = [r for r in body if any(c.text for c in lines[r] if c.col >= vcol and c.col != unit_col)]
        rows: list[Row] = []
        for r in body:
            cells = _label_cells(lines[r], r, vcol, self._text)
            texts = [self._text(c) for c in cells]
            values = [c for c in lines[r] if c.col >= vcol and c.col != unit_col]
            if cells and id(cells[-1]) not in self.carried:
                texts[-1] = _part_of(cells[-1], valued, r) or texts[-1]
                if cells[-1].row in head and values:
                    texts[-1] = _level_with(cells[-1], values) or texts[-1]
            unit = grid[r][unit_col].text if unit_col is not None and grid[r][unit_col] else ""
            spare = _trailing_number(cells[-1]) if cells and texts[-1] == cells[-1].text else None
            if spare is not None:
                texts[-1] = "".join(w.text for w in cells[-1].words if w is not spare.words[0]).strip()
            row = Row(table.page, texts[-1] if texts else "", texts[:-1], block.section, values,
                      [self._header(c) for c in values], unit or None, spare)
            dashed = any(is_placeholder(t) for t in [unit, *(c.text for c in values)] if t)
            if one_label and row.label:
                row.parents = self.numbering.push(row.label, group=not _has_value(row) and (not unit or dashed))
            if not values or not _has_value(row) and dashed:
                continue  # a group label (—— printed for its value), not a metric row
            rows.append(row)
        return rows

    def _headed_unit(self, column: list[Cell | None]) -> bool:
        """A column under a 单位 / 计量单位 header (this table's, or the one it continues) holds units,
        however a fax garbled them (件 read as 14 down the column)."""
        cell = next((c for c in column if c is not None and c.col_span == 1), None)
        return cell is not None and any(
            UNIT_HEADER.fullmatch(re.sub(r"\s", "", h.texts[-1])) and _overlap(h.x0, h.x1, cell.box[0], cell.box[2])
            > (cell.box[2] - cell.box[0]) / 2 for h in self.headers)

    def _carry(self, cell: Cell) -> str:
        """A top-row label cell of a continued table: an empty one carries on the last page's group label."""
        mid = (cell.box[0] + cell.box[2]) / 2
        group = next((g.texts[0] for g in self.groups if g.x0 <= mid <= g.x1), None)
        if group is None or (cell.text and level(cell.text) is not None):
            return cell.text
        if cell.text and group != cell.text:
            # A label cut by the page break (（四）无 | 法提供): join the halves, also in rows already read.
            whole = group + cell.text
            for row in self.last_rows:
                row.parents = [whole if p == group else p for p in row.parents]
            return whole
        return group

    def _text(self, cell: Cell) -> str:
        return self.carried.get(id(cell), cell.text)

    def _header(self, cell: Cell) -> str:
        best = max(self.headers, key=lambda h: _overlap(h.x0, h.x1, cell.box[0], cell.box[2]), default=None)
        if best is None or _overlap(best.x0, best.x1, cell.box[0], cell.box[2]) < 0.3 * (cell.box[2] - cell.box[0]):
            return ""
        # The bottom header when it tells the columns apart (自然人, 商业企业), else the whole path
        # (行政诉讼 复议后起诉 总计).
        unique = len({h.texts[-1] for h in self.headers}) == len(self.headers)
        return best.texts[-1] if unique else " ".join(best.texts)


def _distinct(slots: list[Cell | None]) -> list[Cell]:
    """The cells over a grid row's slots, left to right, each once."""
    cells: list[Cell] = []
    for c in slots:
        if c is not None and (not cells or cells[-1] is not c):
            cells.append(c)
    return cells


def _part_of(cell: Cell, valued: list[int], r: int) -> str | None:
    """Row r's part of a label cell over several rows with values (their rule lost in the label column
    only): the cell's numbered items (1.… 2.…), or its lines, when there are as many as those rows."""
    rows = [v for v in valued if cell.row <= v < cell.row + cell.row_span]
    if len(rows) < 2 or r not in rows:
        return None
    items = [part for part in NUMBERED.split(cell.text) if part]
    if len(items) == len(rows) and all(level(part) for part in items):
        return items[rows.index(r)]
    lines = text_lines(cell.words)
    if len(lines) == len(rows):
        return "".join(w.text for w in lines[rows.index(r)]).strip()
    return None


def _level_with(cell: Cell, values: list[Cell]) -> str:
    """The lines of a label cell hanging down from the header into a row (the rule under 信息内容 lost
    in the label column only: 信息内容 over 行政许可 in one cell) that lie level with the row's values."""
    top, bottom = min(v.box[1] for v in values), max(v.box[3] for v in values)
    lines = [line for line in text_lines(cell.words) if top <= (line[0].box[1] + line[0].box[3]) / 2 <= bottom]
    return "".join(w.text for line in lines for w in line).strip()


def _trailing_number(cell: Cell) -> Cell | None:
    """The number a label cell took in from the value column beside it (规章 4, the rule between them
    lost): a number word ending its last line, paper between it and the label's text."""
    lines = text_lines(cell.words)
    line = lines[-1] if lines else []
    if len(line) < 2 or not is_number(line[-1].text) or is_value(line[-2].text):
        return None
    word, before = line[-1], line[-2]
    if word.box[0] - before.box[2] < word.box[3] - word.box[1]:
        return None
    return Cell(cell.row, cell.col, word.box, [word])


def _label_cells(line: list[Cell], r: int, vcol: int, text: Callable[[Cell], str]) -> list[Cell]:
    """The label cells of row `r`, outermost first. An inner label cell hanging down from the row
    above beside a label that starts here (3.其他情形 over the 总计 row, their rule lost in that
    column only) belongs to the row above: it is no parent of this row's label."""
    cells = [c for c in line if c.col < vcol and _is_label(text(c))]
    own = [c for c in cells if c.row == r]
    if own and cells[-1].row < r:
        return [c for c in cells if c.col <= own[-1].col]
    return cells


def _is_label(text: str) -> bool:
    return not is_value(text) and not is_unit(text)


def _wide(filled: list[Cell], n_cols: int) -> bool:
    """A row whose only text spans (nearly) the whole table: a title, section or group label."""
    return n_cols > 1 and len(filled) == 1 and filled[0].col_span >= SECTION_SPAN * n_cols


def _first_value_column(cells: list[Cell]) -> int:
    """The column right of the last one whose text is mostly labels.

    A misread value (8 as ∞) or unit (条 as 杀) is text, but its column, of values and
    units, is no label column.
    """
    ends = {c.col + c.col_span - 1 for c in cells if _is_label(c.text)}
    label_cols = [k for k in ends if sum(_is_label(c.text) for c in cells if c.col + c.col_span - 1 == k)
                  > sum(not _is_label(c.text) for c in cells if c.col <= k < c.col + c.col_span)]
    return 1 + max(label_cols, default=-1)


def _is_unit_column(cells: list[Cell | None]) -> bool:
    """Units (条, 件) or placeholders, but for a misread cell or two."""
    texts = [c.text for c in cells if c is not None and c.text]
    units = sum(is_unit(t) for t in texts)
    return units > 0 and units + sum(is_placeholder(t) for t in texts) >= 0.8 * len(texts)


def _headers(grid: Grid, head: list[int], vcol: int, n_cols: int) -> list[_Span]:
    """Header path (top to bottom) over each value column."""
    out: list[_Span] = []
    for c in range(vcol, n_cols):
        cells = _distinct([grid[r][c] for r in head])
        cells = [cell for cell in cells if cell.text]
        if len(cells) > 1 and cells[0].col <= vcol and cells[0].col + cells[0].col_span >= n_cols:
            cells = cells[1:]  # a title over all value columns (申请人情况) tells them not apart
        path = [cell.text for cell in cells]
        if path and out and out[-1].texts == path:
            out[-1].x1 = cells[-1].box[2]
        elif path:
            out.append(_Span(cells[-1].box[0], cells[-1].box[2], path))
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)
