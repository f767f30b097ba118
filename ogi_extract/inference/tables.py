"""Tables per page: lattices filled with their words, section headings, continuation across pages."""

from __future__ import annotations

import itertools
import re
import time

import numpy as np

from ogi_extract.inference.layout import (
    Lattice,
    find_lattices,
    lattices_from_rules,
    lattices_from_words,
    split_unruled,
    text_lines,
    with_word_columns,
)
from ogi_extract.inference.layout.learned import separator_masks
from ogi_extract.inference.layout.ruled import PageRules, page_rules
from ogi_extract.inference.layout.text import as_digits, is_number, is_value
from ogi_extract.inference.layout.textrules import frame_chars, is_rule_mark, remnants, with_text_rules
from ogi_extract.inference.seals import Ring, in_ring
from ogi_extract.models.ocr.base import cpu_threads
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Cell, Document, Page, Table, Word, union
from ogi_extract.wordsplit import char_boxes, word_of

# 一、… (a report's parts) and 第二十条第（一）项 (the sub-tables of part 二). OCR may drop the 、
# (一概述): a short line with no punctuation, not prose that opens with a numeral (一是, 十分, 二〇二三年).
HEADING = re.compile(r"^\s*([一二三四五六七八九十]+(\s*[、.．]|\s)|第二十条)")
_NUMERAL = "一二三四五六七八九十"
_PROSE_OPENERS = "〇零是年个项次月日分些直定般切起并方大"  # 一是, 十分, 二〇二三年, 三年来 …
BARE_HEADING = re.compile(
    rf"^[{_NUMERAL}]{{1,2}}[^{_NUMERAL}{_PROSE_OPENERS}\s\d、.．，。；：,;:][^，。；：,;:]{{1,17}}$"
)
MAX_HEADING_CHARS = 40
COLUMN_TOLERANCE = 0.015  # of the page width, when comparing column rules across pages
MARGIN = 0.07  # of the page height: top and bottom bands that hold page numbers, not prose


class TableBuilder:
    """Fills `page.tables` and `page.headings`; a table's section is the nearest heading above."""

    def __init__(self, settings: Settings, learned: bool | None = None):
        """`learned`: fuse the layout model's separators (default: as `settings.layout` says)."""
        self.settings = settings
        self.model = None
        if settings.layout == "model" if learned is None else learned:
            from ogi_extract.models.layout import LayoutModel  # loads onnxruntime; keep import local

            folder, threads = settings.layout_model, cpu_threads(settings)  # a pool worker's share of the cores
            self.model = LayoutModel.load(folder, threads) if folder else LayoutModel.default(threads)

    def separators(self, page: Page) -> tuple[np.ndarray, np.ndarray] | None:
        """The layout model's separators on a scanned page as rule masks (None on the heuristic path,
        and on pages with a text layer: their rules are drawn crisp, the rules path reads them exactly)."""
        if self.model is None or page.text_layer:
            return None
        return separator_masks(self.model.predict(page.image), page.image.shape[:2], self.model.separator_threshold)

    def __call__(self, doc: Document, pages: list[Page]) -> list[Page]:
        start = time.perf_counter()
        for page in pages:
            words = page.words if page.words is not None else page.text_layer or []
            if not page.markup:  # HTML/Word pages come with their tables as cell grids
                page.tables = self._tables(page, words)
                if not page.tables:
                    page.scan_rules = None  # kept only where a second reading may look again (about 7 MB a page)
            inside = [t.box for t in page.tables]
            page.headings = heading_lines([w for w in words if not any(_contains(b, w.box) for b in inside)])
        _link(doc.pages)
        doc.timings["layout"] = doc.timings.get("layout", 0.0) + time.perf_counter() - start
        return pages

    def _ruled(self, page: Page, words: list[Word]) -> list[Lattice]:
        """Ruled tables: from the PDF's own vector rules when the words came from its text layer, else
        found in the image (a scan, or a digital page holding a picture), with the model's separators."""
        if page.rules is not None and words and all(w.source == "text_layer" for w in words):
            return lattices_from_rules(page.rules, page.size, page.dpi)
        rules = page.scan_rules if isinstance(page.scan_rules, PageRules) else page_rules(page.image, page.dpi)
        if self.settings.layout == "auto":  # only a second reading of the page (pipeline.py) looks again
            page.scan_rules = rules
        return find_lattices(page.image, page.dpi, self.separators(page), words, rules)

    def _tables(self, page: Page, words: list[Word]) -> list[Table]:
        """Lattices from the page's rules, then from word geometry where there are none, filled."""
        lattices = [with_text_rules(with_word_columns(lat, words), words) for lat in self._ruled(page, words)]
        ruled = [lat.box for lat in lattices]
        lattices += lattices_from_words([w for w in words if not any(_contains(b, w.box) for b in ruled)])
        tables = [_fill(page.index, split_unruled(lat, words), words) for lat in lattices]
        for table in tables:
            _without_seal_text(table, page.seals)
        return [t for t in tables if any(c.words for c in t.cells)]


def _contains(box: BBox, inner: BBox) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _fill(page: int, lat: Lattice, words: list[Word]) -> Table:
    """Cells of a lattice with the words whose centres fall in them (words cut at rules first)."""
    cells = [Cell(g.row, g.col, lat.cell_box(g), row_span=g.row_span, col_span=g.col_span) for g in lat.cells]
    table = Table(page, lat.box, cells, lat.n_rows, lat.n_cols)
    grid = table.grid()
    x0, y0, x1, y1 = table.box
    for word in words:
        if word.box[2] < x0 or word.box[0] > x1 or word.box[3] < y0 or word.box[1] > y1 or is_rule_mark(lat, word):
            continue
        for piece in _cut(word, lat):
            slot = lat.slot((piece.box[0] + piece.box[2]) / 2, (piece.box[1] + piece.box[3]) / 2)
            if slot is not None and grid[slot[0]][slot[1]] is not None:
                grid[slot[0]][slot[1]].words.append(piece)
    for cell in cells:
        cell.words = [w for line in text_lines(cell.words) for w in line]
    return table


def _without_seal_text(table: Table, rings: list[Ring]) -> None:
    """A grey seal's text (政府信息公开专用章) read into a value cell under it (收府信0, 息公专用): only
    the digits of what lies inside the ring stay. A value cell is one whose row or column holds twice
    as many values as text; labels under a seal keep their words."""
    if not rings:
        return
    filled = [c for c in table.cells if c.words]
    for cell in filled:
        if is_value(cell.text) or not any(in_ring(rings, w.box) for w in cell.words):
            continue
        for line in ([c for c in filled if c.row == cell.row], [c for c in filled if c.col == cell.col]):
            values = sum(is_value(c.text) for c in line if c is not cell)
            if values >= max(2, 2 * (len(line) - 1 - values)):
                cell.words = [d for w in cell.words if (d := _digits_of(w, rings)) is not None]
                break


def _digits_of(word: Word, rings: list[Ring]) -> Word | None:
    """The word as it is outside a seal's ring; inside it, its digits only (None when it has none)."""
    if not in_ring(rings, word.box):
        return word
    chars = [(t, b) for t, b in char_boxes(word) if is_number(as_digits(t))]
    if not chars:
        return None
    return word_of(chars, word.confidence, word.source)


def _cut(word: Word, lat: Lattice) -> list[Word]:
    """A word straddling column rules, split into one word per column by its character boxes, a
    rule's remnant read between two digits (0|0 as "010") left out.

    A rule inside the first or last character does not cut: OCR boxes overhang the ink by a
    few pixels, and a numbering digit (3.要求…) must not fall into the cell to its left.
    """
    chars = char_boxes(word)
    gone = remnants(lat, frame_chars(lat, chars))
    chars = [c for i, c in enumerate(chars) if i not in gone]
    keys = [_column(lat, b) for _, b in chars]
    if len(chars) > 1:
        keys[0] = keys[1] if _column(lat, chars[0][1], 1) != _column(lat, chars[0][1], 0) else keys[0]
        keys[-1] = keys[-2] if _column(lat, chars[-1][1], 1) != _column(lat, chars[-1][1], 0) else keys[-1]
    if len(set(keys)) <= 1 and not gone:
        return [word]
    pieces, run = [], [0]
    for i in range(1, len(chars)):
        if keys[i] != keys[run[-1]]:
            pieces.append(run)
            run = []
        run.append(i)
    pieces.append(run)
    return [word_of([chars[i] for i in p], word.confidence, word.source) for p in pieces]


def _column(lat: Lattice, box: BBox, at: float = 0.5) -> int | None:
    """The lattice column at a point across a box (0 = left edge, 0.5 = centre, 1 = right edge)."""
    slot = lat.slot(box[0] + at * (box[2] - box[0]), (box[1] + box[3]) / 2)
    return slot[1] if slot else None


def heading_lines(words: list[Word]) -> list[Word]:
    """Heading lines outside tables, as one word each."""
    out = []
    for line in text_lines(words):
        text = _line_text(line)
        if (HEADING.match(text) and len(text) <= MAX_HEADING_CHARS) or BARE_HEADING.match(text):
            out.append(Word(text, union([w.box for w in line]), min(w.confidence for w in line), line[0].source))
    return out


def _line_text(line: list[Word]) -> str:
    """A line's words joined, with a space where they stand apart (一 概述)."""
    text = line[0].text
    for a, b in itertools.pairwise(line):
        text += (" " if b.box[0] - a.box[2] > 0.15 * (b.box[3] - b.box[1]) else "") + b.text
    return text.strip()


def _link(pages: list[Page]) -> None:
    """Set each table's section and continuation, in reading order across pages.

    A table continues the previous page's last table when nothing but page margins lies
    between them (no heading, no prose) and their column rules line up.
    """
    section = ""
    previous: Table | None = None  # the last table, while only margins follow it
    for page in pages:
        prose = _prose(page)
        items = [(h.box[1], h) for h in page.headings] + [(t.box[1], t) for t in page.tables]
        for _, item in sorted(items, key=lambda x: x[0]):
            if isinstance(item, Word):
                section, previous = item.text, None
                continue
            item.section = section
            item.continued = (
                previous is not None and previous.page == page.index - 1 and item is page.tables[0]
                and not any(w.box[3] <= item.box[1] for w in prose) and _same_columns(previous, item, page.size[0])
            )
            previous = item
        if previous is not None and any(w.box[1] >= previous.box[3] for w in prose if previous.page == page.index):
            previous = None


def _prose(page: Page) -> list[Word]:
    """Words outside tables and outside the top and bottom margins (page numbers, running heads)."""
    height = page.size[1]
    words = page.words if page.words is not None else page.text_layer or []
    body = [w for w in words if MARGIN * height < w.box[1] and w.box[3] < (1 - MARGIN) * height]
    return [w for w in body if not any(_contains(t.box, w.box) for t in page.tables)]


def _same_columns(a: Table, b: Table, width: int) -> bool:
    """Whether most column rules of the narrower table line up with the other's."""
    xa, xb = _column_rules(a), _column_rules(b)
    small, big = sorted((xa, xb), key=len)
    tol = COLUMN_TOLERANCE * width
    hits = sum(np.min(np.abs(big - x)) <= tol for x in small)
    return hits >= 0.7 * len(small)


def _column_rules(t: Table) -> np.ndarray:
    return np.unique(np.round([c.box[0] for c in t.cells] + [c.box[2] for c in t.cells]))
