"""Re-reading empty value cells (and lone dashes or dots OCR made of digits) by recognition alone: real page images, the real RapidOCR engine."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ogi_extract.inference.alternatives import page_rereader
from ogi_extract.inference.layout import is_number
from ogi_extract.inference.load import load_document
from ogi_extract.inference.reread import CellRereader, cell_ink, ink_crop, unread_value_cells
from ogi_extract.inference.tables import TableBuilder
from ogi_extract.models.ocr.rapid import RapidEngine
from ogi_extract.settings import Settings
from ogi_extract.types import Cell, Document, WordSource

DATA = Path(__file__).parent / "data"
SETTINGS = Settings(dpi=120)


@pytest.fixture(scope="module")
def engine() -> RapidEngine:
    return RapidEngine(SETTINGS)


def _page(path: Path, index: int, source: WordSource) -> Document:
    """One page of a real report with its text-layer words as if `source` had read them, tables built."""
    doc = load_document(path, SETTINGS)
    doc.pages = [doc.pages[index]]
    page = doc.pages[0]
    page.words = [replace(w, source=source) for w in page.text_layer or []]
    TableBuilder(SETTINGS)(doc, doc.pages)
    return doc


def _drop_every_third_number(doc: Document) -> dict[int, tuple[Cell, str]]:
    """Empty a third of the number cells, as the detector's misses leave them."""
    cells = [c for t in doc.pages[0].tables for c in t.cells if is_number(c.text)][::3]
    dropped = {id(c): (c, c.text) for c in cells}
    for c in cells:
        c.words = []
    return dropped


def test_numbers_the_detector_missed_are_read_back(engine):
    doc = _page(DATA / "real" / "huaian_szf_2024.pdf", 3, "ocr")  # tables 二 (end) and 三
    dropped = _drop_every_third_number(doc)
    blank = [c for t in doc.pages[0].tables for c in t.cells if not c.words and id(c) not in dropped]
    CellRereader(SETTINGS, engine)(doc, doc.pages)
    assert len(dropped) > 20
    assert [c.text for c, _ in dropped.values()] == [text for _, text in dropped.values()]
    assert all(c.words[0].source == "ocr" and c.words[0].confidence >= 0.8 for c, _ in dropped.values())
    assert [c.text for c in blank] == [""] * len(blank)  # header gaps and printed-empty cells stay empty
    assert "reread" in doc.timings


def test_cells_printed_empty_stay_empty(engine):
    doc = _page(DATA / "digital" / "002_6d48f98caee9bd35.pdf", 1, "ocr")  # 宝鸡 2020: （三）–（五） rows printed empty
    empty = [c for t in doc.pages[0].tables for c in unread_value_cells(t)]
    assert len(empty) >= 20
    CellRereader(SETTINGS, engine)(doc, doc.pages)
    assert [c.text for c in empty] == [""] * len(empty)
    assert all(ink_crop(doc.pages[0].image, c.box, SETTINGS.dpi) is None for c in empty)  # rules are no ink


def test_text_layer_pages_are_left_as_printed(engine):
    doc = _page(DATA / "real" / "huaian_szf_2024.pdf", 3, "text_layer")
    dropped = _drop_every_third_number(doc)
    CellRereader(SETTINGS, engine)(doc, doc.pages)
    assert all(not c.words for c, _ in dropped.values())


def test_a_lone_digit_read_as_a_dash_or_dot_is_read_back(engine):
    """Read with the line around it, a lone 1 or 0 can come out as 一 or 。, which mean "not printed"."""
    doc = _page(DATA / "real" / "huaian_szf_2024.pdf", 3, "ocr")
    cells = [c for t in doc.pages[0].tables for c in t.cells if c.text in ("0", "1")][::3]
    printed = [c.text for c in cells]
    for c, glyph in zip(cells, itertools.cycle("一。")):
        c.words = [replace(c.words[0], text=glyph, chars=None)]
    CellRereader(SETTINGS, engine)(doc, doc.pages)
    assert len(cells) > 10 and [c.text for c in cells] == printed


def test_a_printed_dash_is_not_digit_tall():
    """What keeps a printed —— (in an ogi2008 seed's 单位 column) from being re-read as a number."""
    doc = _page(DATA / "digital" / "003_e2413f448b1da81d.pdf", 0, "ocr")
    dashes = [c for t in doc.pages[0].tables for c in t.cells if c.text == "——"]
    assert len(dashes) >= 3
    assert all(ink_crop(doc.pages[0].image, c.box, SETTINGS.dpi) is None for c in dashes)


class _CountingRecognizer:
    """The real engine, counting what it is asked to recognize."""

    def __init__(self, engine: RapidEngine):
        self.engine, self.calls = engine, 0

    def readings(self, image, k=5):
        self.calls += 1
        return self.engine.readings(image, k)


def test_the_solvers_second_look_reads_a_cell_once(engine):
    """The auto layout's second reading asks the solver's re-reader for the same suspect cells again."""
    doc = _page(DATA / "real" / "huaian_szf_2024.pdf", 3, "ocr")
    cell = next(c for t in doc.pages[0].tables for c in t.cells if c.text == "3")  # a one-digit value
    counting = _CountingRecognizer(engine)
    reread = page_rereader(doc, lambda: counting)
    first = reread(1, cell.box)
    assert counting.calls == 3 and first and first[0][0] == "3"  # one reading per variant of the crop
    assert reread(1, cell.box) == first and counting.calls == 3


def test_a_cells_ink_is_cut_once_and_again_when_the_page_changes():
    doc = _page(DATA / "real" / "huaian_szf_2024.pdf", 3, "ocr")
    page = doc.pages[0]
    cell = next(c for t in page.tables for c in t.cells if c.text == "3")
    found = cell_ink(page, cell.box)
    want = ink_crop(page.image, cell.box, page.dpi)
    assert found is not None and want is not None
    assert np.array_equal(found[0], want[0]) and found[1] == want[1]
    assert cell_ink(page, cell.box) is found  # kept on the page
    page.image = np.full_like(page.image, 255)  # a page turned upright is a new image: nothing kept applies
    assert cell_ink(page, cell.box) is None
