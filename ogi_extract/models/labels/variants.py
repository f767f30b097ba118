"""Training rows for the label classifier, generated from the official labels of the spec.

Each official table is laid out as it is printed (numbering, groups, headers), then copied many
times with the damage real reports show: other numbering styles, spaces inside words, wrapped or
truncated lines, dropped and OCR-confused characters, missing context. Rows that mean no
canonical metric (headers, group headings, home-made rows with no exact counterpart, narrative
fragments, other government statistics) are mixed in as `unmapped`.

Sources, besides the spec: the printed layout of the official ogi2008 statistical table
(numbering, group headings, its two printed notes); home-made wordings of pre-template reports
named in the labeling rules (tests/data/seeds/README.md), five of which are printed verbatim in
seed report 004; invented wordings and negatives marked as such below (each list says where its
entries come from). No other wording of the seed or real reports is used.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

from ogi_extract.models.labels.features import Example
from ogi_extract.models.labels.noise import add_spaces, near_miss, noisy
from ogi_extract.schema import FORMATS, REVIEW_LITIGATION, UNMAPPED, Spec, load_spec

# The official ogi2008 table as printed: (numbering, metric id or group heading, printed note).
OGI2008_LAYOUT = [
    ("一、", "主动公开情况", ""),
    ("（一）", "proactive.total", "（不同渠道和方式公开相同信息计1条）"),
    ("", "proactive.normative_docs", ""),
    ("", "proactive.normative_docs_issued", ""),
    ("（二）", "通过不同渠道和方式公开政府信息的情况", ""),
    ("1.", "proactive.gazette", ""), ("2.", "proactive.website", ""), ("3.", "proactive.weibo", ""),
    ("4.", "proactive.wechat", ""), ("5.", "proactive.other_channels", ""),
    ("二、", "回应解读情况", ""),
    ("（一）", "response.hotspots", "（不同方式回应同一热点或舆情计1次）"),
    ("（二）", "通过不同渠道和方式回应解读的情况", ""),
    ("1.", "response.press_conferences", ""), ("", "response.press_conferences_by_head", ""),
    ("2.", "response.online_interviews", ""), ("", "response.online_interviews_by_head", ""),
    ("3.", "response.interpretations", ""), ("4.", "response.weibo_wechat", ""), ("5.", "response.other", ""),
    ("三、", "依申请公开情况", ""),
    ("（一）", "requests.received", ""),
    ("1.", "requests.in_person", ""), ("2.", "requests.fax", ""), ("3.", "requests.online", ""),
    ("4.", "requests.letter", ""),
    ("（二）", "requests.completed", ""), ("1.", "requests.on_time", ""), ("2.", "requests.extended", ""),
    ("（三）", "requests.answered", ""),
    ("1.", "answers.already_public", ""), ("2.", "answers.granted", ""), ("3.", "answers.partially_granted", ""),
    ("4.", "answers.refused", ""),
    ("其中：", "answers.refused.state_secret", ""), ("", "answers.refused.commercial_secret", ""),
    ("", "answers.refused.privacy", ""), ("", "answers.refused.security_stability", ""),
    ("", "answers.refused.not_gov_info", ""), ("", "answers.refused.other_legal", ""),
    ("5.", "answers.not_this_agency", ""), ("6.", "answers.nonexistent", ""), ("7.", "answers.amend", ""),
    ("8.", "answers.other_channel", ""),
    ("四、", "review.total", ""),
    ("（一）", "review.upheld", ""), ("（二）", "review.corrected", ""), ("（三）", "review.other", ""),
    ("五、", "litigation.total", ""),
    ("（一）", "litigation.upheld", ""), ("（二）", "litigation.corrected", ""), ("（三）", "litigation.other", ""),
    ("六、", "complaints.total", ""),
    ("七、", "fees.total", ""),
    ("八、", "机构建设和保障经费情况", ""),
    ("（一）", "org.offices", ""), ("（二）", "org.reading_points", ""), ("（三）", "org.staff", ""),
    ("1.", "org.staff_full_time", ""), ("2.", "org.staff_part_time", ""), ("（四）", "org.budget", ""),
    ("九、", "政府信息公开会议和培训情况", ""),
    ("（一）", "training.meetings", ""), ("（二）", "training.classes", ""), ("（三）", "training.trainees", ""),
]

# Where each hand-written wording comes from (checked with grep against tests/data/seeds/):
#   [seed004]  printed verbatim in the seed report 004_07cc7924a28de747 (三明市公安局 2016,
#              tests/data/seeds/004_….txt), so figures on that report are not held-out for these rows;
#   [rules]    named in the labeling rules, tests/data/seeds/README.md ("Labeling rules");
#   [invented] written for this generator, not taken from any report.
# Pre-template (home-made) wordings with an exact counterpart:
HOME_MADE = [
    ("主动公开文件数", "proactive.total"), ("政府网站公开数", "proactive.website"),  # [seed004]
    ("网上申请数", "requests.online"), ("受理政府信息公开申请总数", "requests.received"),  # [seed004]
    ("对申请的答复总数", "requests.answered"),  # [seed004]
    ("不予公开答复数", "answers.refused"),  # [seed004] [rules]
    ("否决公开答复数", "answers.refused"),  # [rules]
    # invented:
    ("主动公开政府信息总数", "proactive.total"), ("通过政府网站公开信息数", "proactive.website"),
    ("收到政府信息公开申请数", "requests.received"), ("依申请公开答复数", "requests.answered"),
    ("现场申请数", "requests.in_person"), ("政府信息公开专项经费", "org.budget"),
]

# Rows with no exact counterpart:
NO_COUNTERPART = [
    "信函、传真申请数", "其他类型答复数", "政府信息公开收费减免金额", "接受行政申诉、举报数",  # [seed004] [rules]
    # invented: other government statistics
    "依申请公开办理满意率", "网站访问量", "政务新媒体账号数", "门户网站日均点击量", "人大代表建议办理数",
    "政协委员提案办理数", "政府信息公开指南修订次数", "依申请公开平均办理天数", "新闻发言人人数",
    "领导信箱来信数", "政务热线受理量", "听证会次数", "公开征求意见次数", "电子邮件申请数",
    "随机抽查事项数", "政务公开栏更新期数", "网上办事事项数", "清理规范性文件数", "政务服务事项办件量",
    "公开目录更新条数", "信息公开查阅人次", "行政许可事项目录数", "咨询电话接听量", "舆情监测条数",
]
HEADERS = [  # header-ish rows: 申请人情况, 信息内容 (the official 2019/2021 tables, printed in seeds 000-003),
    # 统计指标 (the official 2008 table, printed in seed 003); 合计 and the rest [invented]
    "申请人情况", "信息内容", "统计指标", "合计", "指标名称", "计量单位", "单位", "统计数", "项目", "序号", "备注",
    "本年度", "历年累计", "数量", "类别", "填报单位（盖章）", "政府信息公开情况统计表", "自然人", "法人或其他组织",
]
NARRATIVE = [  # invented sentences; rows cut from running text that a table reader may pick up
    "全年共受理各类咨询并及时予以答复", "进一步加强政府信息公开工作的组织领导", "按照上级部署稳步推进政务公开",
    "全面梳理本部门主动公开目录", "严格落实保密审查制度确保信息安全", "注：本表数据统计期限为全年",
    "下一步我们将继续加强队伍建设", "全年未发生因信息公开引起的舆情事件", "说明：表中空白处表示无此项数据",
]

OUTLINE = [  # invented: headings a pre-template report's table may sit under
    "一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况",
    "五、因政府信息公开申请提起行政复议、行政诉讼的情况", "六、存在的主要问题及改进措施", "七、其他需要报告的事项",
    "附件", "附表", "政府信息公开情况统计表", "八、附表和说明",
]

_ART20_CLAUSE = {"rules": "（一）", "normative": "（一）", "licensing": "（五）", "other_services": "（五）",
                 "penalty": "（六）", "compulsion": "（六）", "fees": "（八）", "procurement": "（九）"}
def _ogi2008_table(spec: Spec) -> list[Example]:
    labels = {r.key: r.label for r in spec["ogi2008"].rows}
    rows, stack = [], []
    for numbering, key, note in OGI2008_LAYOUT:
        depth = 0 if numbering.endswith("、") else 1 if numbering.startswith("（") else 2 if numbering else 3
        if key in labels:
            text = numbering + labels[key] + note
            target = key
        else:
            text, target = numbering + key, UNMAPPED
        parents = tuple(t for d, t in stack if d < depth)
        rows.append(Example(text, "ogi2008", parents, "", ("统计数",), 1, "num" if key in labels else "empty",
                            target=target))
        stack = [(d, t) for d, t in stack if d < depth] + [(depth, text)]
    return rows


def _home_made_table(spec: Spec, rng: random.Random) -> list[Example]:
    """A pre-template table: home-made and official wordings, a current-year and a cumulative column."""
    year = rng.randint(2009, 2018)
    headers = (f"{year}年度", "历年累计")
    official = [(r.label, r.key) for r in rng.sample(spec["ogi2008"].rows, 12)]
    items = HOME_MADE + official + [(label, UNMAPPED) for label in rng.sample(NO_COUNTERPART, 5)]
    rng.shuffle(items)
    return [Example(label, "ogi2008", (), "", headers, 2, target=key) for label, key in items]


def _template_tables(spec: Spec, fmt: str) -> list[list[Example]]:
    f = spec[fmt]
    tables: list[list[Example]] = []
    section = "二、主动公开政府信息情况"
    for row in [r for r in f.rows if r.key.startswith("art20.")]:
        clause = f"第二十条第{_ART20_CLAUSE[row.key.split('.')[1]]}项"
        cols = tuple(c.label for c in row.columns)
        if not tables or tables[-1][0].label != clause:
            tables.append([Example(clause, fmt, (), section, (), 0, "empty", target=UNMAPPED),
                           Example("信息内容", fmt, (clause,), section, cols, len(cols), "text", target=UNMAPPED)])
        tables[-1].append(Example(row.label, fmt, (clause,), section, cols, len(cols), target=row.key))

    section = "三、收到和处理政府信息公开申请情况"
    app = [r for r in f.all_rows if r.key.startswith("applications.")]
    cols = tuple(c.label for c in app[0].columns)
    table = [Example("申请人情况", fmt, (), section, cols, len(cols), "text", target=UNMAPPED)]
    for row in app:
        if fmt == "ogi2021" and row.key == "applications.other":
            continue  # the split sub-rows stand in its place; the unsplit row is added below
        parents = () if not row.parent else (row.parent,) if row.parent.startswith("三") else (
            "三、本年度办理结果", row.parent)
        table.append(Example(row.label, fmt, parents, section, cols, len(cols), target=row.key))
    tables.append(table)
    if fmt == "ogi2021":  # the unsplit （六）其他处理 some ogi2021 reports print
        other = f.row("applications.other")
        split = [i for i, e in enumerate(table) if e.target.startswith("applications.other.")]
        unsplit = Example(other.label, fmt, ("三、本年度办理结果",), section, cols, len(cols), target=other.key)
        tables.append(table[: split[0]] + [unsplit] + table[split[-1] + 1:])

    section = "四、政府信息公开行政复议、行政诉讼情况"
    row = f.row(REVIEW_LITIGATION)
    heads = tuple(c.label.replace("行政复议", "").replace("行政诉讼", "") for c in row.columns)
    tables.append([
        Example("行政复议", fmt, (), section, (), 1, "text", target=UNMAPPED),
        Example("行政诉讼", fmt, ("行政复议",), section, (), 2, "text", target=UNMAPPED),
        Example("", fmt, (), section, heads[:5], 5, "text", target=UNMAPPED),
        Example("", fmt, (), section, heads, len(heads), target=REVIEW_LITIGATION),
    ])
    return tables


def clean_tables(spec: Spec | None = None) -> list[list[Example]]:
    """Every official table once, as printed, with full context."""
    spec = spec or load_spec()
    tables = [_ogi2008_table(spec)]
    for fmt in ("ogi2019", "ogi2021"):
        tables += _template_tables(spec, fmt)
    return tables


def _negative(fmt: str, n_values: int, rng: random.Random, spec: Spec) -> Example:
    if rng.random() < 0.08:  # the rest of a row whose label went to the row above
        return Example("", fmt, (), "", (), rng.randint(1, 3), target=UNMAPPED)
    pool = rng.choice([NO_COUNTERPART, NO_COUNTERPART, HEADERS, NARRATIVE, []])
    label = rng.choice(pool) if pool else near_miss(rng.choice(spec[rng.choice(FORMATS)].rows).label, rng)
    if pool is NARRATIVE and rng.random() < 0.5:
        k = rng.randint(4, len(label))
        label = label[rng.randint(0, len(label) - k):][:k]
    values = "text" if pool is HEADERS and rng.random() < 0.6 else rng.choice(["num", "num", "empty"])
    return Example(label, fmt, (), "", (), n_values, values, target=UNMAPPED)


def _damaged(table: list[Example], rng: random.Random, strength: float, spec: Spec,
             above: tuple[str, ...] = ()) -> list[Example]:
    """One printed copy of a table, read with damage; `before` follows the damaged labels (and `above`,
    the last labels of the table printed before it)."""
    rows = list(table)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        ref = rng.choice(rows)
        rows.insert(rng.randrange(len(rows) + 1), _negative(ref.fmt, max(1, ref.n_values), rng, spec))
    fmt_other = rng.random() < 0.15
    poor_scan = rng.choice([1, 1, 1, 2])  # one copy in four read from a bad scan or fax
    keep_parents, keep_section, keep_headers = (rng.random() > p for p in (0.35, 0.35, 0.3))
    heading = rng.choice(OUTLINE) if rng.random() < 0.6 else ""  # the nearest heading, when none is official
    parent_as_section = rng.random() < 0.25  # readers differ in what they call a section
    out: list[Example] = []
    for ex in rows:
        parents, section = ex.parents, ex.section or heading
        if parent_as_section and parents:
            parents, section = parents[:-1], parents[-1]
        label = "" if not ex.label else noisy(ex.label, rng, strength * poor_scan)
        n = ex.n_values
        if n > 3 and rng.random() < 0.1:
            n += rng.choice([-1, 1])  # a cell lost or split by a damaged extraction
        values = "empty" if ex.values == "num" and rng.random() < 0.1 else ex.values
        if ex.target != UNMAPPED and rng.random() < 0.08:  # a row whose cells were misread: trust the label
            n, values = rng.randint(0, 9), rng.choice(["num", "empty", "text"])
        out.append(replace(
            ex, label=label, n_values=n, values=values,
            fmt="other" if fmt_other else ex.fmt,
            parents=tuple(noisy(p, rng, 0.5) for p in parents) if keep_parents else (),
            section=section if keep_section else "",
            headers=tuple(add_spaces(h, rng) if rng.random() < 0.2 else h for h in ex.headers) if keep_headers else (),
            before=(above + tuple(o.label for o in out))[-2:],
        ))
    return out


def generate(copies: int, seed: int = 0, strength: float = 1.0, spec: Spec | None = None) -> Iterator[Example]:
    """`copies` damaged copies of every official table, plus home-made tables; deterministic per seed."""
    rng = random.Random(seed)
    spec = spec or load_spec()
    tables = clean_tables(spec)
    for _ in range(copies):
        above: tuple[str, ...] = ()
        for previous, table in zip([None, *tables], tables):
            if previous is not None and previous[0].fmt != table[0].fmt:
                above = ()  # a report prints one format's tables in a row
            rows = _damaged(table, rng, strength, spec, above)
            above = tuple(r.label for r in rows[-2:])
            yield from rows
        yield from _damaged(_home_made_table(spec, rng), rng, strength, spec)
