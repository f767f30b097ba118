"""A saved report page (HTML) -> pages of text blocks and cell grids, read from the markup.

The report is found inside the portal page (navigation, footers, related-article lists and
scripts around it): the element that holds most of the page's non-link text, entered while
one child holds most of it, plus the report title when the portal prints it above that
element. Tables are read with rowspan/colspan resolved; a table that holds tables, or a
single column, is page layout and is read as text. `<img>` tables with a local file are read
through the OCR path, in document order, each as its own page(s).
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import lxml.etree
import lxml.html

from ogi_extract.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    InputError,
)
from ogi_extract.inference.readers.encoding import decode
from ogi_extract.inference.readers.markup import (
    Block,
    GridCell,
    MarkupTable,
    markup_page,
)
from ogi_extract.settings import Settings
from ogi_extract.types import Page

_DROP = {"script", "style", "noscript", "template", "iframe", "head", "title", "form", "button", "select",
         "input", "textarea", "nav", "svg", "object", "embed", "video", "audio", "map"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "center", "blockquote", "pre", "header", "footer", "aside", "main", "td", "th", "tr",
          "caption", "hr", "address", "figure", "figcaption", "table", "tbody", "thead", "tfoot"}
_TITLE = re.compile(r"政府信息公开.{0,12}(报告|年报)")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
MAIN_SHARE = 0.8  # descend into a child while it holds this share of the text
MAX_SPAN = 1000
MAX_TITLE_LINES = 4


def read_html(name: str, data: bytes, settings: Settings, base: Path | None = None) -> tuple[list[Page], list[str]]:
    """Pages of the report in an HTML file, and warnings; `base`: the folder of local `<img>` files."""
    text = _XML_DECL.sub("", decode(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        if not text.strip():
            raise EmptyFileError(name) from None
        raise CorruptFileError(name, f"HTML: {e}") from None
    _clean(root)
    body = root.find("body") if root.find("body") is not None else root
    article = _article(body)
    title = _title(body)
    blocks: list[Block | Path] = []
    if title is not None and not _inside(title, article):
        blocks.append(title.text_content())
    walker = _Walker(blocks, base)
    start = _title_start(title) if title is not None and _inside(title, article) else None
    walker.walk(article, start=start if start is None or _inside(start, article) else title)
    pages, warnings = _pages(name, blocks, settings)
    if walker.missing:
        warnings.append(f"{len(walker.missing)} image(s) in the report not read (no local file): "
                        + ", ".join(walker.missing[:3]))
    if not any(p.words or p.tables for p in pages if p.markup) and not any(not p.markup for p in pages):
        raise EmptyFileError(name, "an HTML page with no text")
    return pages, warnings


def _clean(root: lxml.html.HtmlElement) -> None:
    """Drop what is never report content: scripts, styles, forms, comments, hidden elements."""
    hidden = root.xpath("//*[contains(translate(@style, 'DISPLAYNOE ', 'displaynoe'), 'display:none')]")
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction, *_DROP, with_tail=False)


def _size(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \t\r\n\xa0\u3000")


def _weights(el: lxml.html.HtmlElement) -> tuple[int, int]:
    """Text characters under an element, link text left out (menus and article lists are links),
    and those inside innermost tables."""
    links = sum(_size(a.text_content()) for a in el.iter("a"))
    tables = sum(_size(t.text_content()) for t in el.iter("table") if t.find(".//table") is None)
    return _size(el.text_content()) - links, tables


def _article(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the report: entered from <body> while one child holds most of the text
    and most of the table text (a long paragraph alone is not the report)."""
    el = body
    while True:
        total, tables = _weights(el)
        heavy = None
        for child in el:
            if isinstance(child.tag, str) and child.tag not in ("a", "p", "span"):
                w, t = _weights(child)
                if w >= MAIN_SHARE * total and t >= MAIN_SHARE * tables:
                    heavy = child
                    break
        if heavy is None or total == 0 or heavy.tag == "table" and _data_grid(heavy):
            return el
        el = heavy


def _title(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The report's title: a heading (or title-classed element) naming a 政府信息公开…报告, not a link."""
    best = None
    for el in body.iter("h1", "h2", "h3", "h4", "p", "div", "td", "span", "strong", "font"):
        text = "".join(el.text_content().split())
        if not (6 <= len(text) <= 80 and _TITLE.search(text)) or any(a.tag in ("a", "li") for a in el.iterancestors()):
            continue
        if el.find(".//a") is not None or any(c.tag in _BLOCK for c in el.iter() if c is not el):
            continue
        rank = 0 if el.tag in ("h1", "h2", "h3") or "title" in (el.get("class", "") + el.get("id", "")).lower() else 1
        if best is None or rank < best[0]:
            best = (rank, el)
    return best[1] if best else None


def _title_start(title: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """Where the title begins: a title set over several lines (issuer, year, 政府信息公开…报告) starts
    at the first of the short link-free lines right before the line found."""
    start = title
    for _ in range(MAX_TITLE_LINES - 1):
        prev = start.getprevious()
        text = "".join(prev.text_content().split()) if prev is not None else ""
        if prev is None or not 0 < len(text) <= 30 or prev.tag == "table" or prev.find(".//a") is not None:
            break
        start = prev
    return start


def _inside(el: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _data_grid(table: lxml.html.HtmlElement) -> MarkupTable | None:
    """The grid of a table of cells: two or more columns and rows, no table inside (else it is page layout)."""
    if table.find(".//table") is not None:
        return None
    grid = _grid(table)
    return grid if grid.n_rows >= 2 and grid.n_cols >= 2 else None


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _span(el: lxml.html.HtmlElement, attr: str) -> int:
    m = re.match(r"\s*(\d+)", el.get(attr, "") or "")
    return min(int(m.group(1)), MAX_SPAN) if m else 1


def _grid(table: lxml.html.HtmlElement) -> MarkupTable:
    """The HTML table model: each cell at the first free slot of its row; rowspan=0 runs to the end."""
    rows = _rows(table)
    taken: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rs = _span(td, "rowspan")
            rs = len(rows) - r if rs == 0 else min(max(rs, 1), len(rows) - r)
            cs = max(_span(td, "colspan"), 1)
            taken |= {(i, k) for i in range(r, r + rs) for k in range(c, c + cs)}
            cells.append(GridCell(r, c, td.text_content(), rs, cs))
            c += cs
    return MarkupTable(cells)


class _Walker:
    """Document order -> blocks: inline text gathered into lines, broken at block elements and <br>."""

    def __init__(self, blocks: list[Block | Path], base: Path | None):
        self.blocks, self.base, self.line = blocks, base, ""
        self.missing: list[str] = []  # article images with no local file (remote, or not saved)

    def flush(self) -> None:
        if self.line.strip():
            self.blocks.append(self.line)
        self.line = ""

    def walk(self, el: lxml.html.HtmlElement, start: lxml.html.HtmlElement | None = None) -> None:
        """Walk `el`; with `start`, only from that element on (what precedes a title is page chrome)."""
        self._skipping = start is not None
        self._start = start
        self._walk(el)
        self.flush()

    def _add(self, text: str | None) -> None:
        if text and not self._skipping:
            self.line += text

    def _walk(self, el: lxml.html.HtmlElement) -> None:
        if el is self._start:
            self._skipping = False
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "table" and (grid := _data_grid(el)) is not None:
            if not self._skipping:
                self.flush()
                self.blocks.append(grid)
            return
        if tag == "img" and not self._skipping:
            src = el.get("src", "")
            path = self._image(src)
            if path is not None:
                self.flush()
                self.blocks.append(path)
            elif src:
                self.missing.append(src)
            return
        if tag == "br" or tag in _BLOCK:
            self.flush()
        self._add(el.text)
        for child in el:
            self._walk(child)
            self._add(child.tail)
        if tag in _BLOCK:
            self.flush()

    def _image(self, src: str) -> Path | None:
        if self.base is None or not src or re.match(r"^(https?:|data:|//)", src, re.IGNORECASE):
            return None
        rel = urllib.parse.unquote(src.split("?")[0].split("#")[0]).removeprefix("file://")
        path = Path(rel) if Path(rel).is_absolute() else self.base / rel
        if not path.is_file():  # a renamed or flattened "<page>_files" folder
            path = self.base / Path(rel).name
        return path if path.is_file() else None


def _pages(name: str, blocks: list[Block | Path], settings: Settings) -> tuple[list[Page], list[str]]:
    """Markup runs become pages; each local image between them becomes its own page(s), read by OCR."""
    from ogi_extract.inference.load import (
        load_document,  # the image path (a cycle at import time)
    )

    pages: list[Page] = []
    warnings: list[str] = []
    run: list[Block] = []
    tables = 0

    def close() -> None:
        nonlocal run, tables
        if run:
            pages.append(markup_page(len(pages), run, tables))
            tables += len(pages[-1].tables)
        run = []

    for block in blocks:
        if isinstance(block, Path):
            close()
            try:
                images = load_document(block, settings).pages
            except InputError as e:
                warnings.append(f"image {block.name} not read: {e.reason}")
                continue
            for page in images:
                page.index = len(pages)
                pages.append(page)
        else:
            run.append(block)
    close()
    if len(pages) > settings.max_pages:
        raise FileTooLargeError(name, f"{len(pages)} pages > max_pages={settings.max_pages}")
    return pages, warnings
