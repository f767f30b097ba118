"""The five seed reports (tests/data/seeds) as structured documents, and their rendered fixtures.

Tables are rebuilt from the seed text in the real layouts and filled with the labeled truth,
so the printed quirks stay (镇海's broken total row, 宝鸡's empty cells and its unlabeled third
fee cell, 三明's 历年累计 column, 宁波's 4989). Narrative: the first paragraphs of the real
sections. Build the labeled JSON and the fixtures with

    python -m ogi_extract.training.synth.seeds --out tests/data
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

from ogi_extract import schema
from ogi_extract.training.synth import layouts
from ogi_extract.training.synth.document import Block, Cell, Heading, Number, Paragraph, Report, Style, Table
from ogi_extract.training.synth.layouts import ListRow

SEEDS = Path(__file__).resolve().parents[3] / "tests" / "data" / "seeds"
ANNOTATIONS = Path(__file__).resolve().parents[3] / "annotations" / "seeds"
STEMS = ["000_9883ccc3c4a509fd", "001_c76baea7d958f164", "002_6d48f98caee9bd35",
         "003_e2413f448b1da81d", "004_07cc7924a28de747"]
SAMPLE = "001_c76baea7d958f164"  # the ogi2019 seed shipped as examples/sample_scanned.pdf

_H1 = re.compile(r"^\s*[一二三四五六七八九十]+[、 ]\S")
_H2 = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


def _number(text: str) -> Number | None:
    m = re.search(r"-?\d+(\.\d+)?", text)
    if not m:
        return None
    return float(m.group()) if m.group(1) else int(m.group())


def narrative(text: str, sections: dict[str, int], skip: Callable[[str], bool] = lambda s: False) -> dict[str, list[Block]]:
    """Section heading -> its heading and first paragraphs, for the headings named in `sections`
    (a prefix of the heading -> how many paragraphs to keep)."""
    out: dict[str, list[Block]] = {}
    current: str | None = None
    kept = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or "\t" in raw or skip(line):
            continue
        if _H1.match(line) and len(line) < 30:
            current = next((k for k in sections if line.startswith(k)), None)
            if current:
                out[current] = [Heading(text=line, level=1)]
                kept = 0
            continue
        if current is None or kept >= sections[current]:
            continue
        if _H2.match(line) and len(line) < 40:
            out[current].append(Heading(text=line, level=2))
        else:
            out[current].append(Paragraph(text=line))
            kept += 1
    return out


def _flat(parts: dict[str, list[Block]]) -> list[Block]:
    return [b for blocks in parts.values() for b in blocks]


def _truth(stem: str) -> dict:
    return json.loads((SEEDS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))


def _text(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- ogi2008 statistical tables

def _stat_rows(rows: list[tuple[str, str, str]]) -> list[ListRow]:
    """Rows of the 2008 统计表 (label, unit, value): group rows have unit ——, the others are the
    spec's metrics in order."""
    metrics = iter(schema.load_spec()["ogi2008"].rows)
    out = []
    for label, unit, value in rows:
        if unit == "——":
            out.append(ListRow(label, [(unit, None, None), ("", None, None)]))
        else:
            mid = next(metrics).key
            out.append(ListRow(label, [(unit, None, None), (value, mid, _number(value))]))
    return out


def _ningbo_rows(text: str) -> list[tuple[str, str, str]]:
    """宁波's table: one cell per tab-led line, continuation lines without a tab, blank between rows."""
    body = text.split("填报单位（盖章）：", 1)[1]
    rows = []
    for group in re.split(r"\n\s*\n", body):
        cells: list[str] = []
        for line in group.splitlines():
            if line.startswith("\t"):
                cells.append(line[1:].rstrip())
            elif cells and line.strip():
                cells[-1] += "\n" + line.rstrip()
        if len(cells) == 3:
            rows.append((cells[0], cells[1].strip(), cells[2].strip()))
    return rows[1:]  # after the header


def _ningxia_rows(text: str) -> list[tuple[str, str, str]]:
    body = text.split("统计指标\t单位\t统计数", 1)[1]
    rows = []
    for line in body.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            rows.append((parts[0].replace("在线 访谈", "在线访谈"), parts[1], parts[2]))
    return rows


def ningbo_2017(stem: str) -> Report:
    text = _text(stem)
    parts = narrative(text.split("附表", 1)[0], {"一、概述": 1, "二、主动公开": 1, "三、依申请公开": 2,
                                               "五、因政府信息公开申请": 1, "七、其它需要报告": 0})
    table = layouts.list_table(["统　计　指　标", "单位", "统计数"], _stat_rows(_ningbo_rows(text)), [6, 1, 1.3])
    blocks = _flat(parts) + [
        Paragraph(text="附表", indent=False, bold=True),
        Paragraph(text="政府信息公开情况统计表（样表）", align="center", bold=True),
        Paragraph(text="（2017年度）", align="center"),
        Paragraph(text="填报单位（盖章）：", indent=False),
        table,
    ]
    return _report(stem, ["宁波市公安局", "2017年度政府信息公开工作年度报告"], blocks,
                   Style(font="uming", heading_font="wqy-zenhei", size=11.5, table_size=10, line_width=0.6))


def ningxia_2017(stem: str) -> Report:
    text = _text(stem)
    parts = narrative(text.split("附件：自治区公安厅2017", 1)[0], {"一 概述": 2, "二 ": 1, "三 ": 1})
    intro = Paragraph(text=next(l for l in text.splitlines() if l.startswith("根据《中华人民共和国政府信息公开条例》和《宁夏")))
    table = layouts.list_table(["统计指标", "单位", "统计数"], _stat_rows(_ningxia_rows(text)), [6, 1, 1.2])
    blocks = [intro] + _flat(parts) + [
        Paragraph(text="附件", indent=False),
        Paragraph(text="自治区公安厅 2017 年度政府信息公开情况统计表", align="center", bold=True),
        table,
    ]
    return _report(stem, ["宁夏回族自治区公安厅", "2017年政府信息公开工作年度报告"], blocks,
                   Style(font="wqy-microhei", size=10.5, table_size=9.5, shade=0.88, line_width=0.5, outer_width=1.2))


SANMING_IDS = {  # 三明's home-made rows -> ogi2008 ids (README: the rest stay unmapped)
    "主动公开文件数": "proactive.total", "其中:1.政府网站公开数": "proactive.website",
    "2.政府公报公开数": "proactive.gazette", "受理政府信息公开申请总数": "requests.received",
    "其中:1.当面申请数": "requests.in_person", "2.网上申请数": "requests.online",
    "对申请的答复总数": "requests.answered", "其中:1.同意公开答复数": "answers.granted",
    "2.同意部分公开答复数": "answers.partially_granted", "3.不予公开答复数": "answers.refused",
    "行政复议数": "review.total", "行政诉讼数": "litigation.total",
}


def sanming_2016(stem: str) -> Report:
    text = _text(stem)
    parts = narrative(text.split("附件:", 1)[0], {"一、概述": 2, "二、主动公开": 1, "三、政府信息依申请": 2,
                                                "五、复议": 1})
    lines = [l.strip() for l in text.split("2016年政府信息公开统计报表")[-1].splitlines() if l.strip()]
    head, body = lines[:4], lines[4:lines.index("附件下载")]
    rows = []
    for i in range(0, len(body), 4):
        label, unit, year, cumulative = body[i:i + 4]
        mid = SANMING_IDS.get(label)
        rows.append(ListRow(label, [(unit, None, None), (year, mid, _number(year) if mid else None),
                                    (cumulative, None, None)]))
    table = layouts.list_table(head, rows, [4, 1.2, 1.3, 1.3])
    blocks = [Paragraph(text="三明市政务公开工作领导小组办公室:", indent=False),
              Paragraph(text=next(l.strip() for l in text.splitlines() if l.strip().startswith("根据《中华")))]
    blocks += _flat(parts) + [
        Paragraph(text="附件:", indent=False),
        Paragraph(text="三明市公安局", align="center", bold=True),
        Paragraph(text="2016年政府信息公开统计报表", align="center", bold=True),
        table,
    ]
    return _report(stem, ["三明市公安局2016年度政府信息公开工作报告"], blocks,
                   Style(font="wqy-zenhei", size=10.5, table_size=10.5, title_size=16, line_width=1.0))


# ---------------------------------------------------------------- ogi2019 reports

def _template_blocks(fmt: str, values: dict, parts: dict[str, list[Block]], art20: Table) -> list[Block]:
    heads = dict(parts)
    return (heads.pop("一、", []) + [Heading(text="二、主动公开政府信息情况"), art20,
                                      Heading(text="三、收到和处理政府信息公开申请情况"),
                                      layouts.applications_table(fmt, values),
                                      Heading(text="四、政府信息公开行政复议、行政诉讼情况"),
                                      layouts.review_table(fmt, values)] + _flat(heads))


def zhenhai_2019(stem: str) -> Report:
    values = _truth(stem)["metrics"]
    parts = narrative(_text(stem), {"一、": 2, "五、": 2, "六、": 1})
    blocks = _template_blocks("ogi2019", values, parts, layouts.art20_table("ogi2019", values))
    return _report(stem, ["宁波市公安局镇海分局", "2019年度政府信息公开工作年度报告"], blocks,
                   Style(font="wqy-zenhei", size=10.5, table_size=9, margin=56))


def baoji_2020(stem: str) -> Report:
    values = _truth(stem)["metrics"]
    parts = narrative(_text(stem), {"一、": 2, "五、": 1, "六、": 1}, skip=lambda s: s.startswith("月 31 日"))
    art20 = layouts.art20_table("ogi2019", values, text={"art20.procurement.items": "19 项",
                                                         "art20.procurement.amount": "1710.15 万元"})
    _unlabeled_fee_cell(art20)
    blocks = _template_blocks("ogi2019", values, parts, art20) + [
        Paragraph(text="宝鸡市公安局", align="right"), Paragraph(text="2021 年 1 月 29 日", align="right")]
    return _report(stem, ["宝鸡市公安局 2020 年政府信息公开工作年报"], blocks,
                   Style(font="ukai", heading_font="wqy-microhei", size=11, table_size=9.5, shade=0.9, line_width=0.8))


def _unlabeled_fee_cell(table: Table) -> None:
    """宝鸡 prints a third, unheaded cell (0) in the 行政事业性收费 row."""
    fee = next(c for c in table.cells if c.metric_id == "art20.fees.change")
    head = next(c for c in table.cells if c.row == fee.row - 1 and c.col == fee.col)
    for c in (fee, head):
        c.col_span = 1
    table.cells += [Cell(row=head.row, col=3, header=True), Cell(row=fee.row, col=3, text="0")]


def _report(stem: str, title: list[str], blocks: list[Block], style: Style) -> Report:
    truth = _truth(stem)
    return Report(doc_id=stem, agency=truth["agency"], year=truth["year"], format=truth["format"], source="seed",
                  title=title, blocks=blocks, style=style)


BUILDERS: dict[str, Callable[[str], Report]] = dict(zip(STEMS, [ningbo_2017, zhenhai_2019, baoji_2020,
                                                                ningxia_2017, sanming_2016]))


def seed_reports() -> list[Report]:
    """The five seeds, built from their text and truth (checked against the truth)."""
    out = []
    for stem in STEMS:
        report = BUILDERS[stem](stem)
        truth = _truth(stem)["metrics"]
        if report.metrics() != truth:
            diff = {k: (report.metrics().get(k), truth.get(k)) for k in set(report.metrics()) | set(truth)
                    if report.metrics().get(k, "-") != truth.get(k, "-")}
            raise ValueError(f"{stem}: document metrics differ from the truth: {diff}")
        out.append(report)
    return out


def main(argv: list[str] | None = None) -> None:
    from ogi_extract.training.synth.generate import write_doc

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("tests/data"), help="fixtures: writes digital/ and scanned/ here")
    ap.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    ap.add_argument("--examples", type=Path, default=Path("examples"))
    ap.add_argument("--split", type=Path, help="instead: a flat benchmark folder, <stem>.pdf (digital) and "
                                               "<stem>.<level>.pdf (scanned) for each of --levels")
    ap.add_argument("--levels", nargs="+", default=["mild", "heavy", "fax", "skew", "lowres"])
    args = ap.parse_args(argv)
    for report in seed_reports():
        stem = report.doc_id
        if args.split:
            write_doc(report, args.split, kind="digital", degradation="clean")
            for i, level in enumerate(args.levels):
                write_doc(report, args.split, kind="scanned", degradation=level, seed=i, name=f"{stem}.{level}",
                          extra={"doc_id": f"{stem}.{level}"})
            continue
        report.save(args.annotations / f"{stem}.json")
        write_doc(report, args.out / "digital", kind="digital", degradation="clean", seed=0)
        write_doc(report, args.out / "scanned", kind="scanned", degradation="mild", seed=1, dpi=150)
        if stem == SAMPLE:
            write_doc(report, args.examples, kind="scanned", degradation="mild", seed=2, dpi=200,
                      name="sample_scanned", truth_suffix=".truth.json")
        print(stem, "ok")


if __name__ == "__main__":
    main()
