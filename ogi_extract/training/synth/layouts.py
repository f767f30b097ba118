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
        cells.append(Cell(row=r, col=0, text=row.label, align="left"))
        for c, (text, mid, value) in enumerate(row.cells, start=1):
            cells.append(Cell(row=r, col=c, text=text, metric_id=mid, value=value))
    return Table(n_rows=top + len(rows), n_cols=len(head), widths=list(widths), cells=cells, header_rows=top)


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
    in_results = [bool(r.parent) or r.key == "applications.total" for r in rows]  # （七）总计 sits in the group
    result_rows = [i for i, inside in enumerate(in_results) if inside]
    if result_rows:
        cells.append(Cell(row=top + result_rows[0], col=0, row_span=len(result_rows), text="三、本年度办理结果"))
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        r = top + i
        printed = label(row.key, row.label)
        if not in_results[i]:
            cells.append(Cell(row=r, col=0, col_span=3, text=printed, align="left"))
        elif row.parent in ("三、本年度办理结果", ""):
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
    return Table(n_rows=top + len(rows), n_cols=10, widths=widths, cells=cells, header_rows=top)


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
    return Table(n_rows=4, n_cols=15, widths=[1.0] * 15, cells=cells, header_rows=3)


# ---------------------------------------------------------------- ogi2008 统计表

# The official form: (printed label, depth); a label ending in "|" is a group row (unit ——).
# The others are the spec's ogi2008 metrics, in order.
OGI2008_FORM = [
    ("一、主动公开情况|", 0), ("（一）主动公开政府信息数\n（不同渠道和方式公开相同信息计1条）", 1),
    ("其中：主动公开规范性文件数", 3), ("制发规范性文件总数", 4),
    ("（二）通过不同渠道和方式公开政府信息的情况|", 1), ("1.政府公报公开政府信息数", 2),
    ("2.政府网站公开政府信息数", 2), ("3.政务微博公开政府信息数", 2), ("4.政务微信公开政府信息数", 2),
    ("5.其他方式公开政府信息数", 2),
    ("二、回应解读情况|", 0), ("（一）回应公众关注热点或重大舆情数\n（不同方式回应同一热点或舆情计1次）", 1),
    ("（二）通过不同渠道和方式回应解读的情况|", 1), ("1.参加或举办新闻发布会总次数", 2),
    ("其中：主要负责同志参加新闻发布会次数", 3), ("2.政府网站在线访谈次数", 2),
    ("其中：主要负责同志参加政府网站在线访谈次数", 3), ("3.政策解读稿件发布数", 2), ("4.微博微信回应事件数", 2),
    ("5.其他方式回应事件数", 2),
    ("三、依申请公开情况|", 0), ("（一）收到申请数", 1), ("1.当面申请数", 2), ("2.传真申请数", 2),
    ("3.网络申请数", 2), ("4.信函申请数", 2), ("（二）申请办结数", 1), ("1.按时办结数", 2), ("2.延期办结数", 2),
    ("（三）申请答复数", 1), ("1.属于已主动公开范围数", 2), ("2.同意公开答复数", 2), ("3.同意部分公开答复数", 2),
    ("4.不同意公开答复数", 2), ("其中：涉及国家秘密", 3), ("涉及商业秘密", 4), ("涉及个人隐私", 4),
    ("危及国家安全、公共安全、经济安全和社会稳定", 4), ("不是《条例》所指政府信息", 4), ("法律法规规定的其他情形", 4),
    ("5.不属于本行政机关公开数", 2), ("6.申请信息不存在数", 2), ("7.告知作出更改补充数", 2),
    ("8.告知通过其他途径办理数", 2),
    ("四、行政复议数量", 0), ("（一）维持具体行政行为数", 1), ("（二）被依法纠错数", 1), ("（三）其他情形数", 1),
    ("五、行政诉讼数量", 0), ("（一）维持具体行政行为或者驳回原告诉讼请求数", 1), ("（二）被依法纠错数", 1),
    ("（三）其他情形数", 1), ("六、举报投诉数量", 0), ("七、依申请公开信息收取的费用", 0),
    ("八、机构建设和保障经费情况|", 0), ("（一）政府信息公开工作专门机构数", 1), ("（二）设置政府信息公开查阅点数", 1),
    ("（三）从事政府信息公开工作人员数", 1), ("1.专职人员数（不包括政府公报及政府网站工作人员数）", 2),
    ("2.兼职人员数", 2), ("（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", 1),
    ("九、政府信息公开会议和培训情况|", 0), ("（一）召开政府信息公开工作会议或专题会议数", 1), ("（二）举办各类培训班数", 1),
    ("（三）接受培训人员数", 1),
]


def ogi2008_form() -> list[tuple[str, int, str | None]]:
    """(label, depth, metric id or None for a group row) for every row of the official form."""
    metrics = iter(schema.load_spec()["ogi2008"].rows)
    return [(label.rstrip("|"), depth, None if label.endswith("|") else next(metrics).key)
            for label, depth in OGI2008_FORM]


# ---------------------------------------------------------------- pre-template forms

FUJIAN_ROWS = [  # 指标名称 | 计量单位 | 本年度 | 历年累计 (as 三明 2016); None: a row with no metric id
    ("主动公开文件数", "条", "proactive.total"), ("其中:1.政府网站公开数", "条", "proactive.website"),
    ("2.政府公报公开数", "条", "proactive.gazette"), ("受理政府信息公开申请总数", "条", "requests.received"),
    ("其中:1.当面申请数", "条", "requests.in_person"), ("2.网上申请数", "条", "requests.online"),
    ("3.信函、传真申请数", "条", None), ("对申请的答复总数", "条", "requests.answered"),
    ("其中:1.同意公开答复数", "条", "answers.granted"), ("2.同意部分公开答复数", "条", "answers.partially_granted"),
    ("3.不予公开答复数", "条", "answers.refused"), ("4.其他类型答复数", "条", None),
    ("政府信息公开收费减免金额", "元", None), ("行政复议数", "件", "review.total"), ("行政诉讼数", "件", "litigation.total"),
    ("接受行政申诉、举报数", "件", None),
]
CODED_IDS = [  # the short 2008-2013 forms: 指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计
    "proactive.total", "proactive.normative_docs", "proactive.website", "proactive.gazette", "requests.received",
    "requests.in_person", "requests.fax", "requests.online", "requests.letter", "requests.answered",
    "answers.already_public", "answers.granted", "answers.partially_granted", "answers.refused",
    "answers.not_this_agency", "answers.nonexistent", "answers.amend", "answers.other_channel", "review.total",
    "litigation.total", "complaints.total", "fees.total", "org.staff", "org.staff_full_time", "org.staff_part_time",
    "training.meetings", "training.classes", "training.trainees",
]
