"""The official table layouts, filled from {metric id: value}.

ogi2008 and the pre-template forms are plain lists (label | unit | value columns); ogi2019 and
ogi2021 print the 第二十条 sub-tables, the application matrix (three header levels, row-group
cells spanning many rows) and table 四 (15 cells). Printed labels default to the spec's;
callers pass `label` (row key -> text) to vary them, and `text` (metric id -> text) to print
a value differently from its number (e.g. "19 项").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ogi_extract import schema
from ogi_extract.training.synth.document import Cell, Number, Table, number_text

Values = dict[str, Number | None]
Labeler = Callable[[str, str], str]  # (row key, spec label) -> printed label


def _same(key: str, label: str) -> str:
    return label


@dataclass
class ListRow:
    """One row of a list table: a label, then printed cells (a metric id or None each)."""

    label: str
    cells: Sequence[tuple[str, str | None, Number | None]]  # (text, metric id, value)
    header: bool = False  # a group row (一、主动公开情况 | —— | )


def list_table(head: Sequence[str], rows: Sequence[ListRow], widths: Sequence[float],
               head_rows: Sequence[Sequence[str]] = ()) -> Table:
    """Label column + value columns, no spans: the ogi2008 statistical table and its kin."""
    cells: list[Cell] = []
    header_lines = [*head_rows, head]
    for r, line in enumerate(header_lines):
        for c, text in enumerate(line):
            cells.append(Cell(row=r, col=c, text=text, header=True))
    top = len(header_lines)
    for i, row in enumerate(rows):
        r = top + i
        cells.append(Cell(row=r, col=0, text=row.label, align="left", header=row.header))
        for c, (text, mid, value) in enumerate(row.cells, start=1):
            cells.append(Cell(row=r, col=c, text=text, metric_id=mid, value=value))
    return Table(n_rows=top + len(rows), n_cols=len(head), widths=list(widths), cells=cells)


# ---------------------------------------------------------------- ogi2019 / ogi2021

ART20_CLAUSE = {"rules": "（一）", "normative": "（一）", "licensing": "（五）", "other_services": "（五）",
                "penalty": "（六）", "compulsion": "（六）", "fees": "（八）", "procurement": "（九）"}


@dataclass
class ExtraItem:
    """A home-made row added to a 第二十条 sub-table (no metric id)."""

    clause: str
    label: str
    values: list[str] = field(default_factory=list)


def art20_table(fmt: str, values: Values, label: Labeler = _same, text: dict[str, str] | None = None,
                extra: Sequence[ExtraItem] = (), clause_label: Callable[[str], str] | None = None) -> Table:
    """The 第二十条 sub-tables as one 4-column table; fewer value columns span the rest."""
    text = text or {}
    clause_label = clause_label or (lambda c: f"第二十条第{c}项")
    spec = schema.load_spec()[fmt]
    items = [r for r in spec.rows if r.key.startswith("art20.")]
    cells: list[Cell] = []
    r = 0
    clauses: dict[str, list[schema.RowSpec]] = {}
    for item in items:
        clauses.setdefault(ART20_CLAUSE[item.key.split(".")[1]], []).append(item)
    for clause, rows in clauses.items():
        cols = rows[0].columns
        spans = _spans(len(cols), 3)
        cells.append(Cell(row=r, col=0, col_span=4, text=clause_label(clause), header=True))
        cells.append(Cell(row=r + 1, col=0, text="信息内容", header=True))
        for (c0, span), col in zip(spans, cols):
            cells.append(Cell(row=r + 1, col=c0, col_span=span, text=col.label, header=True))
        r += 2
        for item in rows:
            cells.append(Cell(row=r, col=0, text=label(item.key, item.label)))
            for (c0, span), col in zip(spans, cols):
                mid = item.metric_id(col)
                value = values.get(mid)
                cells.append(Cell(row=r, col=c0, col_span=span, metric_id=mid, value=value,
                                  text=text.get(mid, number_text(value))))
            r += 1
        for ex in (e for e in extra if e.clause == clause):
            cells.append(Cell(row=r, col=0, text=ex.label))
            for (c0, span), v in zip(spans, ex.values):
                cells.append(Cell(row=r, col=c0, col_span=span, text=v))
            r += 1
    return Table(n_rows=r, n_cols=4, widths=[2.2, 1, 1, 1], cells=cells)


def _spans(n: int, width: int) -> list[tuple[int, int]]:
    """Start column and span of n value cells laid over `width` columns (from column 1)."""
    spans = [(1 + i, 1) for i in range(n)]
    last_col, _ = spans[-1]
    spans[-1] = (last_col, width - n + 1)
    return spans


APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
MATRIX_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def applications_table(fmt: str, values: Values, label: Labeler = _same, text: dict[str, str] | None = None,
                       unsplit_other: bool = False) -> Table:
    """三、收到和处理政府信息公开申请情况: 3 label columns under a 3-level header, 7 value columns."""
    text = text or {}
    spec = schema.load_spec()[fmt]
    rows = [r for r in spec.rows if r.key.startswith("applications.")]
    if unsplit_other:  # an ogi2021 report printing （六）其他处理 as one row
        rows = [r for r in rows if not r.key.startswith("applications.other.")]
        at = next(i for i, r in enumerate(rows) if r.key == "applications.total")
        rows.insert(at, spec.row("applications.other"))
    cells = [
        Cell(row=0, col=0, row_span=3, col_span=3, text=MATRIX_NOTE, header=True),
        Cell(row=0, col=3, col_span=7, text="申请人情况", header=True),
        Cell(row=1, col=3, row_span=2, text="自然人", header=True),
        Cell(row=1, col=4, col_span=5, text="法人或其他组织", header=True),
        Cell(row=1, col=9, row_span=2, text="总计", header=True),
    ] + [Cell(row=2, col=4 + i, text=t, header=True) for i, t in enumerate(APPLICANTS[1:6])]
    top = 3
    result_rows = [i for i, r in enumerate(rows) if r.parent]
    if result_rows:
        cells.append(Cell(row=top + result_rows[0], col=0, row_span=len(result_rows), text="三、本年度办理结果"))
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        r = top + i
        printed = label(row.key, row.label)
        if not row.parent:
            cells.append(Cell(row=r, col=0, col_span=3, text=printed, align="left"))
        elif row.parent == "三、本年度办理结果":
            cells.append(Cell(row=r, col=1, col_span=2, text=printed, align="left"))
        else:
            groups.setdefault(row.parent, []).append(r)
            cells.append(Cell(row=r, col=2, text=printed, align="left"))
        for c, col in enumerate(row.columns):
            mid = row.metric_id(col)
            value = values.get(mid)
            cells.append(Cell(row=r, col=3 + c, metric_id=mid, value=value, text=text.get(mid, number_text(value))))
    for parent, rs in groups.items():
        cells.append(Cell(row=rs[0], col=1, row_span=len(rs), text=label(parent, parent)))
    widths = [1.0, 1.3, 3.2] + [1.0] * 7
    return Table(n_rows=top + len(rows), n_cols=10, widths=widths, cells=cells)


REVIEW_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def review_table(fmt: str, values: Values, text: dict[str, str] | None = None) -> Table:
    """四、行政复议、行政诉讼: 行政复议 (5) | 行政诉讼 未经复议直接起诉 (5) | 复议后起诉 (5)."""
    text = text or {}
    row = schema.load_spec()[fmt].row(schema.REVIEW_LITIGATION)
    cells = [
        Cell(row=0, col=0, col_span=5, text="行政复议", header=True),
        Cell(row=0, col=5, col_span=10, text="行政诉讼", header=True),
        Cell(row=1, col=5, col_span=5, text="未经复议直接起诉", header=True),
        Cell(row=1, col=10, col_span=5, text="复议后起诉", header=True),
    ]
    cells += [Cell(row=1, col=i, row_span=2, text=t, header=True) for i, t in enumerate(REVIEW_COLS)]
    cells += [Cell(row=2, col=5 + i, text=t, header=True) for i, t in enumerate(REVIEW_COLS * 2)]
    for c, col in enumerate(row.columns):
        mid = row.metric_id(col)
        value = values.get(mid)
        cells.append(Cell(row=3, col=c, metric_id=mid, value=value, text=text.get(mid, number_text(value))))
    return Table(n_rows=4, n_cols=15, widths=[1.0] * 15, cells=cells)
