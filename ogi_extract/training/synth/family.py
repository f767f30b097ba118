"""THE HELD-OUT REPORT FAMILY: one agency's house style, kept out of every training path.

A pre-template (ogi2008-era) agency that prints its own statistical table: home-made row wordings
for 35 metrics (plus 3 rows of its own that mean no metric), and its own table layout — a
类别 column of group cells spanning their rows, a 序号 column, the label, 计量单位, then
本年数 | 上年数 (a previous-year column, never the metric), some long labels wrapped onto two lines.

It exists to measure fine-tuning honestly (issue 10 item 3, benchmarks/finetune_family.py): the
shipped models never saw it, a user annotates three of its reports, and the field F1 on its other
reports and on everything else is compared before and after. So it MUST STAY OUT of the default
trainers: nothing in `generate.random_report`, `models/labels/variants.py`, `train_layout` or
`train_cells` may import it, and none of its wordings may be added to the label variants
(tests/test_finetune.py checks the wordings against the label trainer's rows).
The wordings were written for this family (invented, realistic for a 2009-2018 agency table);
none is taken from the seed or real reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ogi_extract.training.synth import corpus, values
from ogi_extract.training.synth.document import Block, Cell, Paragraph, Report, Table, number_text
from ogi_extract.training.synth.generate import _narrative, random_style, write_doc

AGENCY = "江州市住房和城乡建设局"
STYLE_SEED = 7300  # the house's look (fonts, rules, sizes): the same in every report of the family
SEED = 7301  # generator seed of the family's reports (never 9001, the frozen test split's)
HEAD = ["类别", "序号", "统计项目", "计量单位", "本年数", "上年数"]
WRAP_AT = 9  # labels longer than this print on two lines
DROP = 0.08  # a row (not a group's first) left out of one year's table
RENAMED = 0.4  # a row printed in its other wording (ALSO) that year

# (group, printed label, unit, metric id or None for a row of the house's own)
ROWS: list[tuple[str, str, str, str | None]] = [
    ("主动公开", "全年主动公开信息总条数", "条", "proactive.total"),
    ("主动公开", "公开规范性文件件数", "件", "proactive.normative_docs"),
    ("主动公开", "门户网站发布信息条数", "条", "proactive.website"),
    ("主动公开", "政府公报刊登条数", "条", "proactive.gazette"),
    ("主动公开", "官方微博发布条数", "条", "proactive.weibo"),
    ("主动公开", "微信公众号推送条数", "条", "proactive.wechat"),
    ("主动公开", "门户网站信息浏览量", "人次", None),
    ("主动公开", "回应社会关切次数", "次", "response.hotspots"),
    ("主动公开", "召开新闻发布会场次", "场", "response.press_conferences"),
    ("主动公开", "政策解读材料篇数", "篇", "response.interpretations"),
    ("依申请公开", "全年受理公开申请件数", "件", "requests.received"),
    ("依申请公开", "窗口现场受理件数", "件", "requests.in_person"),
    ("依申请公开", "在线平台受理件数", "件", "requests.online"),
    ("依申请公开", "邮寄信函受理件数", "件", "requests.letter"),
    ("依申请公开", "传真方式受理件数", "件", "requests.fax"),
    ("依申请公开", "12345热线转办件数", "件", None),
    ("依申请公开", "已办结申请件数", "件", "requests.completed"),
    ("依申请公开", "法定期限内办结件数", "件", "requests.on_time"),
    ("依申请公开", "延长期限办结件数", "件", "requests.extended"),
    ("答复情况", "告知已主动公开件数", "件", "answers.already_public"),
    ("答复情况", "予以公开件数", "件", "answers.granted"),
    ("答复情况", "部分予以公开件数", "件", "answers.partially_granted"),
    ("答复情况", "决定不予公开件数", "件", "answers.refused"),
    ("答复情况", "告知非本机关职责件数", "件", "answers.not_this_agency"),
    ("答复情况", "经检索未找到相关信息件数", "件", "answers.nonexistent"),
    ("答复情况", "通知申请人补正件数", "件", "answers.amend"),
    ("答复情况", "告知另行办理件数", "件", "answers.other_channel"),
    ("救济情况", "被申请行政复议件数", "件", "review.total"),
    ("救济情况", "被提起行政诉讼件数", "件", "litigation.total"),
    ("救济情况", "收到举报投诉件数", "件", "complaints.total"),
    ("救济情况", "收取检索复制费用", "万元", "fees.total"),
    ("工作保障", "信息公开工作人员总数", "人", "org.staff"),
    ("工作保障", "专职工作人员人数", "人", "org.staff_full_time"),
    ("工作保障", "兼职工作人员人数", "人", "org.staff_part_time"),
    ("工作保障", "档案查阅接待人次", "人次", None),
    ("工作保障", "召开专题工作会议次数", "次", "training.meetings"),
    ("工作保障", "组织业务培训期数", "期", "training.classes"),
    ("工作保障", "参训人员人次", "人次", "training.trainees"),
]


ALSO = {  # the other wording some years print (the table was retyped by another hand)
    "全年主动公开信息总条数": "主动公开信息总条数", "门户网站发布信息条数": "门户网站公开信息条数",
    "全年受理公开申请件数": "受理公开申请总件数", "窗口现场受理件数": "窗口受理件数",
    "在线平台受理件数": "网上平台受理件数", "予以公开件数": "全部予以公开件数",
    "决定不予公开件数": "决定不公开件数", "经检索未找到相关信息件数": "经检索无相关信息件数",
    "被申请行政复议件数": "行政复议案件数", "被提起行政诉讼件数": "行政诉讼案件数",
    "信息公开工作人员总数": "信息公开工作人员数", "参训人员人次": "参加培训人次",
    "收到举报投诉件数": "收到投诉举报件数", "收取检索复制费用": "收取检索复制等费用",
}


def wordings() -> dict[str, str | None]:
    """Every printed label of the house -> metric id (None: a row of its own, unmapped)."""
    out = {label: mid for _, label, _, mid in ROWS}
    return out | {ALSO[label]: mid for label, mid in out.items() if label in ALSO}


def _wrap(label: str) -> str:
    return label if len(label) <= WRAP_AT else label[: (len(label) + 1) // 2] + "\n" + label[(len(label) + 1) // 2:]


def house_table(rng: np.random.Generator, v: values.Values) -> Table:
    """The house statistical table, filled with this year's values and last year's."""
    cells = [Cell(row=0, col=c, text=t, header=True) for c, t in enumerate(HEAD)]
    start: dict[str, int] = {}
    rows = [r for k, r in enumerate(ROWS) if r[0] != ROWS[k - 1][0] or rng.random() > DROP]
    for i, (group, label, unit, mid) in enumerate(rows, start=1):
        start.setdefault(group, i)
        label = ALSO[label] if label in ALSO and rng.random() < RENAMED else label
        now = v[mid] if mid else values.count(rng, 200 if unit == "人次" else 5, 0.2)
        before = round(float(now) * rng.uniform(0.6, 1.3), 2) if isinstance(now, float) else values.count(rng, now or 1, 0.2)
        cells += [Cell(row=i, col=1, text=str(i)), Cell(row=i, col=2, text=_wrap(label), align="left"),
                  Cell(row=i, col=3, text=unit),
                  Cell(row=i, col=4, text=number_text(now), metric_id=mid, value=now if mid else None),
                  Cell(row=i, col=5, text=number_text(before))]
    ends = list(start.values())[1:] + [len(rows) + 1]
    cells += [Cell(row=s, col=0, row_span=e - s, text=g) for (g, s), e in zip(start.items(), ends)]
    return Table(n_rows=len(rows) + 1, n_cols=len(HEAD), widths=[1.0, 0.6, 3.6, 1.0, 1.0, 1.0], cells=cells,
                 header_rows=1, landscape=False)


def family_report(rng: np.random.Generator, doc_id: str) -> Report:
    """One year's report of the house: narrative as usual, the house table as its 附表."""
    year = int(rng.integers(2009, 2019))
    v = values.ogi2008_values(rng)
    table: list[Block] = [Paragraph(text=f"{AGENCY}{year}年度政府信息公开工作统计表", align="center", bold=True),
                          house_table(rng, v)]
    blocks = _narrative(rng, "ogi2008", v, AGENCY, year, {7: table})
    return Report(doc_id=doc_id, agency=AGENCY, year=year, format="ogi2008", title=corpus.title(rng, AGENCY, year),
                  blocks=blocks, style=random_style(np.random.default_rng(STYLE_SEED)))


def write_family(indices: Iterable[int], out: Path, seed: int = SEED, kind: str = "digital",
                 degradation: str = "clean") -> list[Path]:
    """`family_<seed>_<i>.pdf` + truth JSON for each i: report i is the same whatever `kind` (scans seeded per report)."""
    paths = []
    for i in indices:
        rng = np.random.default_rng([seed, i])
        report = family_report(rng, f"family_{seed}_{i:03d}")
        paths.append(write_doc(report, out, kind, degradation, seed=int(rng.integers(2**31)),
                               extra={"family": AGENCY}))
    return paths
