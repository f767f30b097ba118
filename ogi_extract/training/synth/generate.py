"""Labeled documents on disk: `<name>.pdf` + `<name>.json` (truth and per-page boxes).

`write_doc` renders one report (digital, or rasterised and degraded as a scan);
`generate` draws `n` random reports (`random_report`) and writes them:

    ogi-extract synth --n N --out DIR [--seed S] [--workers W]   (or python -m ogi_extract.training.synth)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ogi_extract import schema
from ogi_extract.training.synth import corpus, labels, layouts, values
from ogi_extract.training.synth.degrade import AUGRAPHY, degrade, move_box, write_image_pdf
from ogi_extract.training.synth.document import Block, Heading, Paragraph, Report, Style, Table, number_text
from ogi_extract.training.synth.render import FONTS, PageTruth, rasterize, render_pdf
from ogi_extract.training.synth.values import Values

LOWRES_DPI = 150


def write_doc(report: Report, out: Path, kind: str = "scanned", degradation: str = "mild", seed: int = 0,
              dpi: int = 200, name: str | None = None, truth_suffix: str = ".json", quality: int = 50,
              extra: dict | None = None) -> Path:
    """Write the report's PDF and its truth JSON into `out`; return the PDF path.

    Digital: the reportlab PDF itself (boxes at `dpi`). Scanned: its pages rasterised at `dpi`
    (150 for lowres), degraded, stored as greyscale JPEG pages; boxes follow the degradation.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    name = name or report.doc_id
    pdf = out / f"{name}.pdf"
    if kind == "digital":
        pages = render_pdf(report, pdf, dpi)
    else:
        dpi = min(dpi, LOWRES_DPI) if degradation == "lowres" else dpi
        pages, scans = scan_pages(report, degradation, seed, dpi)
        write_image_pdf(scans, pdf, dpi, quality)
    metrics = report.metrics()
    breaks = [r.text for r in values.relations(report.format, metrics) if values.holds(r, metrics) is False]
    record = {**report.truth(), "kind": kind, "degradation": "clean" if kind == "digital" else degradation,
              "source": report.source, "breaks": breaks, **(extra or {}), "pages": [p.to_json() for p in pages]}
    (out / f"{name}{truth_suffix}").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return pdf


def scan_pages(report: Report, degradation: str, seed: int, dpi: int) -> tuple[list[PageTruth], list[np.ndarray]]:
    """The report rasterised at `dpi` and degraded: page truths (boxes moved with the ink) and grey page images."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean.pdf"
        pages = render_pdf(report, clean, dpi)
        images = rasterize(clean, dpi)
    scans = []
    for page, image in zip(pages, images):
        scan, matrix = degrade(image, degradation, rng, dpi)
        _move(page, matrix)
        page.height, page.width = scan.shape
        scans.append(scan)
    return pages, scans


def _move(page: PageTruth, matrix: np.ndarray) -> None:
    for item in page.words + page.cells + page.sections + page.tables:
        item["box"] = move_box(item["box"], matrix)


# ---------------------------------------------------------------- random reports

FORMS = {"ogi2008": 0.3, "fujian": 0.05, "coded": 0.05, "ogi2019": 0.2, "ogi2021": 0.4}  # layout family -> share
KINDS = {"digital": 0.25, "scanned": 0.75}
DEGRADATIONS = {"clean": 0.1, "mild": 0.35, "heavy": 0.15, "fax": 0.1, "skew": 0.15, "lowres": 0.15}
BREAK_SHARE = 0.05  # reports misprinting one total


def _pick(rng: np.random.Generator, shares: dict[str, float]) -> str:
    keys = list(shares)
    p = np.asarray([shares[k] for k in keys])
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def random_style(rng: np.random.Generator) -> Style:
    u = rng.uniform
    width = u(0.4, 1.2)
    body = str(rng.choice(list(FONTS)))
    return Style(font=body, heading_font=None if rng.random() < 0.5 else str(rng.choice(list(FONTS))), size=round(u(10, 12.5), 1), title_size=round(u(15, 20), 1),
                 heading_size=round(u(11.5, 14), 1), table_size=round(u(8.5, 11), 1), leading=round(u(1.4, 1.9), 2),
                 margin=round(u(48, 80)), line_width=round(width, 2),
                 outer_width=round(width * float(rng.choice([1, 1, 2, 2.5])), 2),
                 shade=None if rng.random() < 0.5 else round(u(0.8, 0.95), 2), cell_pad=round(u(2, 4), 1),
                 page_numbers=bool(rng.random() < 0.7), repeat_header=bool(rng.random() < 0.3))


def vary_style(report: Report, rng: np.random.Generator) -> None:
    """Government-style variety beyond `random_style`: rule styles, faint inner rules, bands, seals (`--varied`,
    and every training page of the layout model)."""
    st = report.style
    st.rules = str(rng.choice(["grid", "grid", "grid", "dashed", "open"]))
    if rng.random() < 0.3:
        st.inner_gray, st.outer_width = round(float(rng.uniform(0.45, 0.8)), 2), round(float(rng.uniform(1.5, 2.5)), 2)
    if rng.random() < 0.3:
        st.line_width = round(float(rng.uniform(0.25, 0.5)), 2)
    st.band_shade = round(float(rng.uniform(0.78, 0.92)), 2) if rng.random() < 0.3 else None
    st.seal = (float(rng.uniform(0.3, 0.9)), float(rng.uniform(0.1, 0.9))) if rng.random() < 0.25 else None
    st.repeat_header = bool(rng.random() < 0.2)


def random_report(rng: np.random.Generator, doc_id: str) -> tuple[Report, str | None]:
    """A complete random report and the metric id it misprints (None for most)."""
    form = _pick(rng, FORMS)
    fmt = form if form in ("ogi2019", "ogi2021") else "ogi2008"
    year = int(rng.integers(*{"ogi2008": (2008, 2019), "fujian": (2008, 2016), "coded": (2008, 2014),
                              "ogi2019": (2019, 2021), "ogi2021": (2021, 2026)}[form]))
    name = corpus.agency(rng)
    unsplit = fmt == "ogi2021" and rng.random() < 0.3
    v = values.ogi2008_values(rng) if fmt == "ogi2008" else values.template_values(fmt, rng, unsplit)
    misprint = None
    if rng.random() < BREAK_SHARE:
        text = values.break_one(fmt, v, rng)
        misprint = text.split(" = ")[0]
    if fmt != "ogi2008" and rng.random() < 0.1:  # some reports leave zero cells empty
        v = {k: (None if x == 0 and k.startswith("applications.") else x) for k, x in v.items()}
    tables = {"ogi2008": _stat_tables, "fujian": _fujian_tables, "coded": _coded_tables}.get(form, _template_tables)
    blocks = _narrative(rng, fmt, v, name, year, tables(rng, fmt, v, unsplit))
    report = Report(doc_id=doc_id, agency=name, year=year, format=fmt, title=corpus.title(rng, name, year),
                    blocks=blocks, style=random_style(rng))
    printed = report.metrics()
    broken = any(values.holds(r, printed) is False for r in values.relations(fmt, printed))
    return report, misprint if broken else None


def _label(rng: np.random.Generator, style: labels.Numbering) -> Callable[[str, str], str]:
    return lambda key, text: labels.vary(text, rng, style)


def _template_tables(rng: np.random.Generator, fmt: str, v: Values, unsplit: bool) -> dict[int, list[Block]]:
    """Tables by the section (index into the headings) they follow."""
    out: dict[int, list[Block]] = {}
    style = labels.numbering(rng)
    if rng.random() > 0.08:
        extra = [layouts.ExtraItem(clause, str(rng.choice(items)), [str(values.count(rng, 5, 0.5)) for _ in range(3)])
                 for clause, items in labels.EXTRA_ART20.items() if rng.random() < 0.15]
        clause = str(rng.choice(["第二十条第{}项", "第二十条第{}项", "第二十条 第{}项"]))
        out[1] = [layouts.art20_table(fmt, v, _label(rng, style), extra=extra, clause_label=clause.format)]
    matrix = layouts.applications_table(fmt, v, _label(rng, style), unsplit_other=unsplit)
    matrix.landscape = bool(rng.random() < 0.15)
    out[2] = [matrix]
    if rng.random() > 0.08:
        out[3] = [layouts.review_table(fmt, v)]
    for t in out.values():
        _jitter(rng, t[0])
    return out


def _stat_tables(rng: np.random.Generator, fmt: str, v: Values, unsplit: bool) -> dict[int, list[Block]]:
    spec = schema.load_spec()["ogi2008"]
    style = labels.numbering(rng)
    indent = int(rng.choice([0, 0, 1, 2]))  # full-width spaces per level
    drop = {g for g in ("二、", "八、", "九、") if rng.random() < 0.1}  # groups some reports leave out
    rows, depths, skipping = [], [], False
    for label, depth, mid in layouts.ogi2008_form():
        if depth == 0:
            skipping = label.startswith(tuple(drop))
        if skipping:
            continue
        printed = labels.vary(label, rng, style)
        printed = labels.indent(printed, depth, indent)
        if mid is None:
            rows.append(layouts.ListRow(printed, [("——", None, None), ("", None, None)]))
        else:
            rows.append(layouts.ListRow(printed, [(spec.unit(mid) or "", None, None), (number_text(v[mid]), mid, v[mid])]))
        depths.append(depth)
    # home-made rows go where a group ends (before a row of depth <= 1), never inside a 其中 list
    ends = [i for i in range(1, len(rows)) if depths[i] <= 1] + [len(rows)]
    for at in sorted(rng.choice(ends, int(rng.choice([0, 0, 1, 2, 3])), replace=False), reverse=True):
        label, unit, scale = labels.EXTRA_OGI2008[int(rng.integers(len(labels.EXTRA_OGI2008)))]
        label = labels.indent(label, 1, indent)
        rows.insert(int(at), layouts.ListRow(label, [(unit, None, None), (str(values.count(rng, scale, 0.3)), None, None)]))
    head = [["统计指标", "单位", "统计数"], ["统　计　指　标", "单位", "统计数"], ["指标名称", "计量单位", "数量"]]
    table = layouts.list_table(head[int(rng.integers(3))], rows, [6, 1, 1.3])
    _jitter(rng, table)
    return {7: [Paragraph(text="附表", indent=False), Paragraph(text="政府信息公开情况统计表", align="center", bold=True),
                table]}


def _fujian_tables(rng: np.random.Generator, fmt: str, v: Values, unsplit: bool) -> dict[int, list[Block]]:
    other = {"3.信函、传真申请数": (v["requests.letter"] or 0) + (v["requests.fax"] or 0),
             "4.其他类型答复数": sum(v[f"answers.{k}"] or 0 for k in ("already_public", "not_this_agency", "nonexistent",
                                                                   "amend", "other_channel")),
             "政府信息公开收费减免金额": 0, "接受行政申诉、举报数": v["complaints.total"]}
    rows = []
    for label, unit, mid in layouts.FUJIAN_ROWS:
        now = v[mid] if mid else other[label]
        total = now + values.count(rng, 10 * (now or 1), 0.2)
        rows.append(layouts.ListRow(label, [(unit, None, None), (number_text(now), mid, now if mid else None),
                                            (number_text(total), None, None)]))
    table = layouts.list_table(["指标名称", "计量单位", "本年度", "历年累计"], rows, [4, 1.2, 1.3, 1.3])
    _jitter(rng, table)
    return {7: [Paragraph(text="附件：政府信息公开统计报表", indent=False), table]}


def _coded_tables(rng: np.random.Generator, fmt: str, v: Values, unsplit: bool) -> dict[int, list[Block]]:
    spec = schema.load_spec()["ogi2008"]
    rows = []
    for code, mid in enumerate(layouts.CODED_IDS, start=1):
        text = number_text(v[mid])
        rows.append(layouts.ListRow(labels.vary(spec.row(mid).label, rng),
                                    [(spec.unit(mid) or "件", None, None), (f"{code:02d}", None, None), (text, mid, v[mid]),
                                     (text, None, None)]))
    table = layouts.list_table(["指标名称", "计量单位", "代码", "本期实际", "本年累计"], rows, [4, 1, 0.8, 1.1, 1.1])
    _jitter(rng, table)
    return {7: [Paragraph(text="政府信息公开工作情况统计表", align="center", bold=True), table]}


def _jitter(rng: np.random.Generator, table: Table) -> None:
    """Column widths vary; some reports right-align their numbers."""
    table.widths = [round(w * float(rng.uniform(0.8, 1.25)), 2) for w in table.widths]
    if rng.random() < 0.15:
        for cell in table.cells:
            if cell.metric_id:
                cell.align = "right"


def _narrative(rng: np.random.Generator, fmt: str, v: Values, name: str, year: int,
               tables: dict[int, list[Block]]) -> list[Block]:
    heads = corpus.HEADINGS["ogi2008" if fmt == "ogi2008" else "template"]
    facts = corpus.facts(fmt, v, name, year)
    quotes = {0: 0} if fmt != "ogi2008" else {1: 0, 2: 1, 4: 2}  # section -> the fact it quotes
    blocks: list[Block] = []
    for i, head in enumerate(heads):
        blocks.append(Heading(text=head))
        if i == 0:
            blocks += [Paragraph(text=str(s)) for s in rng.choice(corpus.FILLER[:5], int(rng.integers(1, 3)), replace=False)]
        if i in quotes:
            blocks.append(Paragraph(text=facts[quotes[i]]))
        if i in tables:
            blocks += tables[i]
        elif fmt != "ogi2008" and i in corpus.NO_TABLE:  # a template section whose table is left out
            blocks.append(Paragraph(text=corpus.NO_TABLE[i]))
        elif i not in quotes and i > 0:
            blocks.append(Paragraph(text=str(rng.choice(corpus.FILLER[4:]))))
    blocks += tables.get(7, [])
    return blocks


def write_report(i: int, seed: int, out: Path, dpi: int = 200, augraphy_share: float = 0.0,
                 level: str | None = None, varied: bool = False) -> Path:
    """Report `i` of set `seed`, written as `generate` writes it (one report of a set alone)."""
    rng = np.random.default_rng([seed, i])
    report, misprint = random_report(rng, f"synth_{seed}_{i:05d}")
    if varied:  # its own draws, so a seed's reports are the same ones with or without
        vary_style(report, np.random.default_rng([seed, i, 2]))
    kind = _pick(rng, KINDS)
    scan = _scan_level(rng, augraphy_share) if kind == "scanned" else "clean"
    if level is not None:  # the same report scanned at one level, as <doc_id>.<level> (like a real report's copies)
        kind, scan, report.doc_id = "scanned", level, f"{report.doc_id}.{level}"
    return write_doc(report, out, kind, scan, seed=int(rng.integers(2**31)), dpi=dpi, extra={"misprint": misprint})


def _one(args: tuple[int, int, Path, int, float, str | None, bool]) -> Path:
    return write_report(*args)


def _scan_level(rng: np.random.Generator, augraphy_share: float) -> str:
    """augraphy for that share of scans, else a cheap level; no extra draw at share 0 keeps old seeds' sets."""
    if augraphy_share > 0 and rng.random() < augraphy_share:
        return AUGRAPHY
    return _pick(rng, DEGRADATIONS)


def generate(n: int, out: Path, seed: int = 0, dpi: int = 200, workers: int = 1,
             augraphy_share: float = 0.0, level: str | None = None, varied: bool = False) -> list[Path]:
    """Write n random labeled reports (`synth_<seed>_<i>.pdf` + `.json`) into `out`; their PDF paths.
    With `level`, the same n reports, every one scanned at that level; `varied` draws their table
    styles from `vary_style` (dashed, faint or no inner rules, shaded bands, seals)."""
    jobs = [(i, seed, Path(out), dpi, augraphy_share, level, varied) for i in range(n)]
    if workers <= 1:
        return [_one(j) for j in jobs]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return list(pool.imap(_one, jobs))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="ogi-extract synth", description="random labeled reports: <doc_id>.pdf + .json")
    ap.add_argument("--n", type=int, required=True, help="number of reports")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0, help="reports are synth_<seed>_<i>; one seed, one set")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--workers", type=int, default=1, help="processes")
    ap.add_argument("--augraphy-share", type=float, default=0.0,
                    help="share of scanned reports degraded by augraphy (extra `synth`; 2-11 s a page)")
    ap.add_argument("--level", choices=list(DEGRADATIONS), help="scan every report at this level (ids get .LEVEL)")
    ap.add_argument("--varied", action="store_true",
                    help="government-style table variety: dashed, faint or no inner rules, shaded bands, seals")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.n, args.out, args.seed, dpi=args.dpi, workers=args.workers,
                     augraphy_share=args.augraphy_share, level=args.level, varied=args.varied)
    print(f"{len(paths)} reports in {time.perf_counter() - start:.1f}s -> {args.out}")
