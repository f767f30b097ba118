"""Report -> PDF with a real text layer (reportlab), and the ground truth of every page.

A small hand layout (not platypus) so that every drawn string and table cell has a known
box: words, cells (with spans, per page fragment when a table breaks across pages), section
headings and value cells' metric ids, in pixels at `dpi`, origin top-left.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ogi_extract.training.synth.document import Cell, Heading, Paragraph, Report, Style, Table

FONTS = {  # name -> (TrueType collection, subfont index); Debian fonts-wqy-*, fonts-arphic-*
    "wqy-zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "wqy-microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
}
BBoxPt = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points (y up)
_TOKEN = re.compile(r"[A-Za-z0-9.,:%/+\-@_]+|\s|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:)")


@cache
def font(name: str) -> tuple[str, float, float]:
    """Register a font once; its name, ascent and descent (fractions of the size)."""
    path, index = FONTS[name]
    tt = TTFont(name, path, subfontIndex=index)
    pdfmetrics.registerFont(tt)
    return name, tt.face.ascent / 1000, tt.face.descent / 1000


def wrap(text: str, font_name: str, size: float, width: float) -> list[str]:
    """Greedy line breaking: any CJK character, never inside a number or Latin word."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _TOKEN.findall(para):
            if line and tok not in _NO_LINE_START and pdfmetrics.stringWidth(line + tok, font_name, size) > width:
                lines.append(line)
                line = "" if tok.isspace() and tok != "\u3000" else tok
            else:
                line += tok
        lines.append(line)
    return lines


@dataclass
class PageTruth:
    index: int
    width: int  # pixels at dpi
    height: int
    dpi: int
    words: list[dict] = field(default_factory=list)  # {"text", "box"}
    cells: list[dict] = field(default_factory=list)  # {"table","row","col","row_span","col_span","box","text","metric_id"}
    sections: list[dict] = field(default_factory=list)  # {"text", "box"}
    tables: list[dict] = field(default_factory=list)  # {"table","first_row","n_rows","n_cols","box","continued",…}

    def to_json(self) -> dict:
        return dict(vars(self))


class _Layout:
    def __init__(self, path: Path, style: Style, dpi: int):
        self.style, self.dpi = style, dpi
        self.font, self.ascent, self.descent = font(style.font)
        self.bold_face = font(style.heading_font or style.font)  # titles and headings
        self.canvas = Canvas(str(path), pageCompression=1, invariant=1)  # same seed, same bytes
        self.pages: list[PageTruth] = []
        self.size = A4
        self.y = 0.0
        self.fresh = True  # nothing drawn yet on the current page

    # --- pages and coordinates
    def new_page(self, wide: bool = False) -> None:
        if self.pages:
            self.canvas.showPage()
        self.size = landscape(A4) if wide else A4
        self.canvas.setPageSize(self.size)
        s = self.dpi / 72  # pixel size as pdfium rasterises the page (rounding up)
        self.pages.append(PageTruth(len(self.pages), math.ceil(self.size[0] * s), math.ceil(self.size[1] * s), self.dpi))
        self.y = self.size[1] - self.style.margin
        self.fresh = True
        if self.style.page_numbers:
            self.text(f"— {len(self.pages)} —", self.size[0] / 2, self.style.margin / 2, 9, center=True)

    @property
    def page(self) -> PageTruth:
        return self.pages[-1]

    @property
    def width(self) -> float:
        return self.size[0] - 2 * self.style.margin

    def px(self, box: BBoxPt) -> list[float]:
        s, h = self.dpi / 72, self.size[1]
        x0, top, x1, bottom = box
        return [round(x0 * s, 1), round((h - top) * s, 1), round(x1 * s, 1), round((h - bottom) * s, 1)]

    def room(self, height: float) -> None:
        """Start a new page unless `height` fits above the bottom margin."""
        if not self.pages or (self.y - height < self.style.margin and not self.fresh):
            self.new_page()

    # --- text
    def text(self, line: str, x: float, baseline: float, size: float, bold: bool = False,
             center: bool = False) -> BBoxPt | None:
        """Draw one line; record its whitespace-separated words; return the line's box."""
        sw = pdfmetrics.stringWidth
        face, ascent, descent = self.bold_face if bold else (self.font, self.ascent, self.descent)
        if center:
            x -= sw(line, face, size) / 2
        c = self.canvas
        c.saveState()  # the text render mode outlives the text object
        obj = c.beginText(x, baseline)
        obj.setFont(face, size)
        if bold and face == self.font:
            obj.setTextRenderMode(2)  # fill + stroke: a faux bold
            c.setLineWidth(size * 0.035)
        obj.textOut(line)
        c.drawText(obj)
        c.restoreState()
        boxes = []
        for m in re.finditer(r"\S+", line):
            x0 = x + sw(line[: m.start()], face, size)
            box = (x0, baseline + ascent * size, x0 + sw(m.group(), face, size), baseline + descent * size)
            self.page.words.append({"text": m.group(), "box": self.px(box)})
            boxes.append(box)
        if not boxes:
            return None
        return (boxes[0][0], boxes[0][1], boxes[-1][2], boxes[0][3])

    def lines(self, lines: list[str], size: float, lead: float, *, indent: float = 0, align: str = "left",
              bold: bool = False) -> list[BBoxPt]:
        boxes = []
        for i, line in enumerate(lines):
            self.room(lead)
            self.fresh = False
            baseline = self.y - (lead - size) / 2 - (self.bold_face[1] if bold else self.ascent) * size
            x = self.style.margin + (indent if i == 0 else 0)
            if align == "center":
                box = self.text(line, self.size[0] / 2, baseline, size, bold, center=True)
            else:
                box = self.text(line, x, baseline, size, bold)
            if box:
                boxes.append(box)
            self.y -= lead
        return boxes

    # --- blocks
    def title(self, lines: list[str]) -> None:
        st = self.style
        self.y -= st.title_size
        for line in lines:
            wrapped = wrap(line, self.bold_face[0], st.title_size, self.width)
            self.lines(wrapped, st.title_size, st.title_size * 1.7, align="center", bold=True)
        self.y -= st.size

    def heading(self, h: Heading) -> None:
        st = self.style
        size = st.heading_size if h.level == 1 else st.size
        self.room(size * 3 + 90)  # keep a heading with what follows
        self.y -= size * 0.4
        lines = wrap(h.text, self.bold_face[0], size, self.width)
        boxes = self.lines(lines, size, size * st.leading, indent=0 if h.level == 1 else 2 * st.size, bold=True)
        if boxes:
            self.page.sections.append({"text": h.text, "box": self.px(
                (min(b[0] for b in boxes), boxes[0][1], max(b[2] for b in boxes), boxes[-1][3]))})

    def paragraph(self, p: Paragraph) -> None:
        st = self.style
        indent = 2 * st.size if p.indent and p.align == "left" else 0
        face = self.bold_face[0] if p.bold else self.font
        first = wrap(p.text, face, st.size, self.width - indent)[0] if indent else ""
        rest = p.text[len(first):].lstrip(" ") if indent else p.text
        lines = ([first] if indent else []) + (wrap(rest, face, st.size, self.width) if rest else [])
        self.lines(lines, st.size, st.size * st.leading, indent=indent, align=p.align, bold=p.bold)
        self.y -= st.size * 0.3

    def table(self, t: Table, tindex: int) -> None:
        st = self.style
        size, pad = st.table_size, st.cell_pad
        lead = size * 1.3
        if t.landscape:
            self.new_page(wide=True)
        total = sum(t.widths)
        xs = [self.style.margin]
        for w in t.widths:
            xs.append(xs[-1] + w / total * self.width)
        wrapped = {id(c): wrap(c.text, self.font, size, xs[c.col + c.col_span] - xs[c.col] - 2 * pad) if c.text else []
                   for c in t.cells}
        heights = [lead + 2 * pad + 2] * t.n_rows
        for c in sorted(t.cells, key=lambda c: c.row_span):
            need = len(wrapped[id(c)]) * lead + 2 * pad
            have = sum(heights[c.row:c.row + c.row_span])
            if need > have:
                for r in range(c.row, c.row + c.row_span):
                    heights[r] += (need - have) / c.row_span
        # paginate: fragments of rows, one per page (computed first: reportlab draws forward only)
        orphan = st.orphan_header and 0 < t.header_rows < t.n_rows
        self.room(sum(heights[:t.header_rows if orphan else 4]) + 4)
        repeat = t.header_rows if st.repeat_header else 0  # header rows printed again on each new page
        page_top = (landscape(A4) if t.landscape else A4)[1] - st.margin
        frags: list[tuple[int, int, float]] = []  # first row, end row, top y
        start, top = 0, self.y
        y = self.y
        for r, h in enumerate(heights):
            if (y - h < st.margin and r > max(start, repeat)) or (orphan and start == 0 and r == t.header_rows):
                frags.append((start, r, top))
                start, top, y = r, page_top, page_top - sum(heights[:repeat])
            y -= h
        frags.append((start, t.n_rows, top))
        home = {}  # each cell's text goes to the fragment holding most of its height
        for c in t.cells:
            parts = [(sum(heights[max(c.row, a):min(c.row + c.row_span, b)]), -i) for i, (a, b, _) in enumerate(frags)
                     if min(c.row + c.row_span, b) > max(c.row, a)]
            home[id(c)] = -max(parts)[1]
        for i, (a, b, top) in enumerate(frags):
            shift = repeat if i else 0
            if i:
                self.new_page(wide=t.landscape)
                self._rows(t, tindex, 0, repeat, top, 0, xs, heights, wrapped, lambda cell: True)
            bottom = self._rows(t, tindex, a, b, top - sum(heights[:shift]), shift, xs, heights, wrapped,
                                lambda cell, i=i: home[id(cell)] == i)
            self._frame(xs[0], bottom, xs[-1], top)
            self.page.tables.append({"table": tindex, "first_row": a, "n_rows": b - a + shift, "n_cols": t.n_cols,
                                     "box": self.px((xs[0], top, xs[-1], bottom)), "continued": a > 0,
                                     "repeated_header_rows": shift})
        self.y, self.fresh = y - size, False
        if t.landscape:
            self.y = 0.0  # what follows starts a portrait page

    def _border(self, x0: float, y0: float, x1: float, y1: float, under_header: bool) -> None:
        """A cell's rules as the style prints them: all, dashed, faint grey, or none but under the header."""
        st, c = self.style, self.canvas
        c.saveState()
        c.setLineWidth(st.line_width)
        c.setStrokeGray(st.inner_gray)
        if st.rules == "dashed":
            c.setDash(3, 2)
        if st.rules != "open":
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        elif under_header:
            c.line(x0, y0, x1, y0)
        c.restoreState()

    def _frame(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """The table's outer frame (three-line tables: top and bottom rules only) and its seal."""
        st, c = self.style, self.canvas
        if st.rules == "open":
            c.setLineWidth(st.outer_width)
            c.line(x0, y0, x1, y0)
            c.line(x0, y1, x1, y1)
        elif st.outer_width != st.line_width or st.inner_gray or st.rules != "grid":
            c.setLineWidth(st.outer_width)
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        if st.seal is not None:
            _seal(c, x0 + st.seal[0] * (x1 - x0), y0 + st.seal[1] * (y1 - y0), self.font)

    def _rows(self, t: Table, tindex: int, a: int, b: int, top: float, shift: int, xs: list[float],
              heights: list[float], wrapped: dict, mine: Callable[[Cell], bool]) -> float:
        """Draw rows a..b-1 of the table from `top` down (cells clipped to them); their truth rows
        are numbered from `shift`. Returns the bottom y."""
        st, c, page = self.style, self.canvas, self.page
        size, lead = st.table_size, st.table_size * 1.3
        row_top = [top]
        for r in range(a, b):
            row_top.append(row_top[-1] - heights[r])
        for cell in t.cells:
            r0, r1 = max(cell.row, a), min(cell.row + cell.row_span, b)
            if r1 <= r0:
                continue
            x0, x1 = xs[cell.col], xs[cell.col + cell.col_span]
            y_top, y_bot = row_top[r0 - a], row_top[r1 - a]
            if cell.header and st.shade is not None:
                c.setFillGray(st.shade)
                c.rect(x0, y_bot, x1 - x0, y_top - y_bot, stroke=0, fill=1)
                c.setFillGray(0)
            if st.band_shade is not None and cell.col_span == t.n_cols and not cell.header:
                c.setFillGray(st.band_shade)
                c.rect(x0, y_bot, x1 - x0, y_top - y_bot, stroke=0, fill=1)
                c.setFillGray(0)
            self._border(x0, y_bot, x1, y_top, under_header=cell.row + cell.row_span == t.header_rows)
            here = mine(cell)
            lines = wrapped[id(cell)] if here else []
            line_top = (y_top + y_bot) / 2 + len(lines) * lead / 2
            for k, line in enumerate(lines):
                baseline = line_top - k * lead - (lead - size) / 2 - self.ascent * size
                w = pdfmetrics.stringWidth(line, self.font, size)
                x = {"left": x0 + st.cell_pad, "right": x1 - st.cell_pad - w}.get(cell.align, (x0 + x1 - w) / 2)
                self.text(line, x, baseline, size)
            page.cells.append({
                "table": tindex, "row": r0 - a + shift, "col": cell.col, "row_span": r1 - r0,
                "col_span": cell.col_span, "box": self.px((x0, y_top, x1, y_bot)), "text": "".join(lines),
                "metric_id": cell.metric_id if here else None,
            })
        return row_top[-1]


def _seal(c: Canvas, x: float, y: float, face: str) -> None:
    """A red round seal (公章) printed over a table."""
    c.saveState()
    c.setStrokeColorRGB(0.9, 0.25, 0.25)
    c.setFillColorRGB(0.9, 0.25, 0.25)
    c.setLineWidth(2.2)
    c.circle(x, y, 40, stroke=1, fill=0)
    star = [(x + 12 * math.cos(math.pi / 2 + k * 4 * math.pi / 5), y + 8 + 12 * math.sin(math.pi / 2 + k * 4 * math.pi / 5))
            for k in range(5)]
    path = c.beginPath()
    path.moveTo(*star[0])
    for p in star[1:]:
        path.lineTo(*p)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    c.setFont(face, 7.5)
    c.drawCentredString(x, y - 20, "政府信息公开专用章")
    c.restoreState()


def render_pdf(report: Report, path: Path, dpi: int = 200) -> list[PageTruth]:
    """Write the report as a digital PDF; the truth of each page, boxes in pixels at `dpi`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lay = _Layout(path, report.style, dpi)
    lay.new_page()
    lay.title(report.title)
    tables = 0
    for i, block in enumerate(report.blocks):
        if isinstance(block, Heading):
            lay.heading(block)
        elif isinstance(block, Paragraph):
            if _caption(report.blocks[i:]):
                lay.room(report.style.size * 6 + 90)  # a caption stays with the table below it
            lay.paragraph(block)
        else:
            lay.table(block, tables)
            tables += 1
    lay.canvas.save()
    return lay.pages


def _caption(blocks: list) -> bool:
    """Whether blocks start with a few short paragraphs (title, 填报单位…) and then a table."""
    for block in blocks[:5]:
        if isinstance(block, Table):
            return True
        if not isinstance(block, Paragraph) or len(block.text) > 40:
            return False
    return False


def rasterize(pdf: Path, dpi: int) -> list[np.ndarray]:
    """Every page as a greyscale image (H x W uint8) at `dpi`."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [np.ascontiguousarray(page.render(scale=dpi / 72, grayscale=True).to_numpy()) for page in doc]
    finally:
        doc.close()
