"""Report -> the forms a portal publishes besides PDF: an HTML article, a full portal page, a .docx.

- `report_html(report)`: the report as clean HTML (UTF-8), tables with rowspan/colspan.
- `report_html(report, portal=True)`: the way portals serve it: navigation, breadcrumb,
  a metadata table, the title above the article, related-article links (other years' report
  titles), footer and scripts around it; Word-exported markup (MsoNormal paragraphs, `<o:p>`,
  inline styles, numbers split over spans, `&nbsp;` in empty cells, conditional comments);
  GB2312 declared and GBK bytes.
- `mht(html, charset)`: a page saved as one file (MHTML).
- `write_docx(report, path)`: the report as a Word file, spans as merged cells.
The truth is the report's own (`Report.truth()`), as for the rendered PDFs.
"""

from __future__ import annotations

import argparse
import html
import json
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import docx
import numpy as np

from ogi_extract.training.synth.document import Heading, Paragraph, Report, Table

_PORTAL_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_{site}</title>
<link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write("<div class='ad'>统计</div>");</script>
<style>.MsoNormal{{margin:0cm;font-family:宋体}} td{{border:1px solid #000}}</style>
</head><body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="{site}"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zfxxgk/ndbg/">政府信息公开年报</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zfxxgk/ndbg/">政府信息公开年度报告</a></div>
<div class="main"><div class="left">
<table class="meta"><tr><td>索引号：</td><td>{index}</td><td>发布机构：</td><td>{agency}</td></tr>
<tr><td>发文日期：</td><td>{year1}-01-20</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table>
<div class="article-title"><h1>{title}</h1></div>
<div class="info">来源：{agency}　发布时间：{year1}-01-20 09:30　浏览次数：<span id="hits">1024</span>
<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="TRS_Editor" id="zoom"><div class="Section1" style="layout-grid:15.6pt">
"""
_PORTAL_FOOT = """</div></div>
<div class="attach">附件：<a href="/files/{index}.pdf">{title}.pdf</a></div></div>
<div class="right"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">{agency}{year0}年度政府信息公开工作年度报告</a></li>
<li><a href="/a/2.html">{agency}{year2}年度政府信息公开工作年度报告</a></li>
<li><a href="/a/3.html">关于做好政府信息公开工作年度报告编制发布工作的通知</a></li></ul></div></div>
<div class="footer"><p>主办单位：{agency}　承办：信息中心　<a href="/sitemap/">网站地图</a></p>
<p>版权所有 &copy; {site}　ICP备05001234号　政府网站标识码：3302000001</p></div>
<script>$(function(){{ $('#hits').load('/count'); }});</script>
</body></html>
"""


def report_html(report: Report, portal: bool = False) -> bytes:
    """The report as an HTML file (UTF-8; a GBK portal page with Word-exported markup when `portal`)."""
    word = portal
    body = []
    if not portal:
        body += [f'<p class="title" style="text-align:center"><b>{html.escape(t)}</b></p>' for t in report.title]
    for block in report.blocks:
        if isinstance(block, Heading):
            body.append(_p(block.text, word, bold=True))
        elif isinstance(block, Paragraph):
            body.append(_p(block.text, word, bold=block.bold))
        elif isinstance(block, Table):
            body.append(_table(block, word))
    if not portal:
        title = html.escape("".join(report.title))
        return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n'
                + "\n".join(body) + "\n</body></html>\n").encode("utf-8")
    keys = {"title": html.escape("".join(report.title)), "site": html.escape(report.agency) + "门户网站",
            "agency": html.escape(report.agency), "year1": report.year + 1, "year0": report.year - 1,
            "year2": report.year - 2, "index": f"11330200{report.year}-0000{len(report.blocks):02d}"}
    page = _PORTAL_HEAD.format(**keys) + "\n".join(body) + _PORTAL_FOOT.format(**keys)
    return page.encode("gbk", errors="xmlcharrefreplace")


def _p(text: str, word: bool, bold: bool = False) -> str:
    inner = html.escape(text)
    if bold:
        inner = f"<b>{inner}</b>"
    if not word:
        return f"<p>{inner}</p>"
    return (f'<p class="MsoNormal" style="text-indent:21.0pt;line-height:150%"><span style="font-size:12.0pt;'
            f'font-family:仿宋_GB2312">{inner}</span><span lang="EN-US"><o:p></o:p></span></p>')


def _cell_html(text: str, word: bool) -> str:
    """A cell's content; Word export splits a number over spans and gives an empty cell &nbsp;."""
    if not text:
        return '<p class="MsoNormal"><span lang="EN-US">&nbsp;<o:p></o:p></span></p>' if word else ""
    lines = [html.escape(t) for t in text.split("\n")]
    if not word:
        return "<br>".join(lines)
    parts = []
    for line in lines:
        if len(line) > 1 and line.isdigit():
            cut = len(line) // 2
            line = f'<span lang="EN-US">{line[:cut]}</span><span lang="EN-US" style="font-size:10.5pt">{line[cut:]}</span>'
        else:
            line = f'<span style="font-family:宋体"><span style="font-size:10.5pt">{line}</span></span>'
        parts.append(f'<p class="MsoNormal" align="center" style="text-align:center">{line}<o:p></o:p></p>')
    return "<![if !supportMisalignedColumns]><![endif]>" + "".join(parts)


def _table(table: Table, word: bool) -> str:
    """Rows of cells in grid order; a slot no cell covers gets an empty <td> so later cells keep their column."""
    starts = {(c.row, c.col): c for c in table.cells}
    covered = {(r, k) for c in table.cells for r in range(c.row, c.row + c.row_span)
               for k in range(c.col, c.col + c.col_span)}
    attrs = ' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"' \
        if word else ' border="1"'
    rows = []
    for r in range(table.n_rows):
        tds = []
        for k in range(table.n_cols):
            cell = starts.get((r, k))
            if cell is None:
                if (r, k) not in covered:
                    tds.append("<td></td>")
                continue
            span = (f' rowspan="{cell.row_span}"' if cell.row_span > 1 else "") + \
                   (f' colspan="{cell.col_span}"' if cell.col_span > 1 else "")
            style = ' width="80" valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt"' if word else ""
            tds.append(f"<td{span}{style}>{_cell_html(cell.text, word)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table{attrs}><tbody>" + "\n".join(rows) + "</tbody></table>"


def mht(html: bytes, charset: str, images: dict[str, bytes] | None = None) -> bytes:
    """A page saved as one file (MHTML), as browsers and Word's 单个文件网页 write it: multipart/related
    with the HTML part and each picture under its Content-Location."""
    message = MIMEMultipart("related")
    part = MIMEText(html.decode(charset), "html", charset)
    part["Content-Location"] = "file:///C:/Users/x/report.htm"
    message.attach(part)
    for location, data in (images or {}).items():
        image = MIMEImage(data, "png")
        image["Content-Location"] = location
        message.attach(image)
    return message.as_bytes()


def write_docx(report: Report, path: Path) -> Path:
    """The report as a .docx: title lines, headings, paragraphs, tables with spans merged."""
    document = docx.Document()
    for line in report.title:
        document.add_paragraph(line)
    for block in report.blocks:
        if isinstance(block, Heading | Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Table):
            table = document.add_table(rows=block.n_rows, cols=block.n_cols)
            table.style = "Table Grid"
            for c in block.cells:
                cell = table.cell(c.row, c.col)
                if c.row_span > 1 or c.col_span > 1:
                    cell = cell.merge(table.cell(c.row + c.row_span - 1, c.col + c.col_span - 1))
                cell.text = c.text
            document.add_paragraph("")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_forms(report: Report, out: Path) -> list[Path]:
    """`<id>.html`, `<id>.portal.html`, `<id>.mht` (the portal page saved as one file), `<id>.docx`
    and the truth `<id>.json` in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{report.doc_id}.json").write_text(json.dumps(report.truth(), ensure_ascii=False), encoding="utf-8")
    plain, portal, saved = (out / f"{report.doc_id}{ext}" for ext in (".html", ".portal.html", ".mht"))
    plain.write_bytes(report_html(report))
    portal.write_bytes(report_html(report, portal=True))
    saved.write_bytes(mht(portal.read_bytes(), "gbk"))
    return [plain, portal, saved, write_docx(report, out / f"{report.doc_id}.docx")]


def main(argv: list[str] | None = None) -> None:
    from ogi_extract.training.synth.generate import random_report
    from ogi_extract.training.synth.seeds import seed_reports

    ap = argparse.ArgumentParser(prog="python -m ogi_extract.training.synth.markup",
                                 description="the seeds and n random reports as HTML, portal HTML and .docx + truth")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=0, help="random reports besides the five seeds")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    if args.seed == 9001:
        ap.error("seed 9001 is reserved for the frozen test split")
    reports = seed_reports() + [random_report(np.random.default_rng([args.seed, i]), f"synth_{args.seed}_{i:05d}")[0]
                                for i in range(args.n)]
    paths = [p for r in reports for p in write_forms(r, args.out)]
    print(f"{len(paths)} files of {len(reports)} reports -> {args.out}")


if __name__ == "__main__":
    main()
