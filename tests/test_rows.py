"""Rows read from real report tables (text layer and OCR), checked against their labeled truth."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ogi_extract.inference.load import load_document
from ogi_extract.inference.rows import read_rows
from ogi_extract.inference.tables import TableBuilder
from ogi_extract.models.ocr.rapid import RapidEngine
from ogi_extract.schema import load_spec
from ogi_extract.settings import Settings
from ogi_extract.types import Document, Page, Row

DATA = Path(__file__).parent / "data"
SETTINGS = Settings(dpi=120)
APPLICANTS = ("natural_person", "enterprise", "research_institution", "social_org", "legal_service", "other_org",
              "total")
APPLICANT_HEADERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _rows(path: Path) -> list[Row]:
    doc = load_document(path, SETTINGS)
    for page in doc.pages:
        page.words = page.text_layer
    TableBuilder(SETTINGS)(doc, doc.pages)
    return read_rows(doc)


def _truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["metrics"]


def _texts(row: Row) -> list[str]:
    return [c.text for c in row.values]


def _printed(value) -> str:
    return "" if value is None else str(value)


def _row(rows: list[Row], label: str, parent: str | None = None) -> Row:
    return next(r for r in rows if r.label == label and (parent is None or parent in r.parents))


@pytest.fixture(scope="module")
def huaian() -> list[Row]:
    return _rows(DATA / "real" / "huaian_szf_2024.pdf")


def test_application_matrix_rows_carry_every_truth_value(huaian):
    truth = _truth(DATA / "real" / "truth" / "huaian_szf_2024.json")
    keys = [r.key for r in load_spec()["ogi2021"].rows if r.key.startswith("applications.")]
    matrix = [r for r in huaian if r.section == "三、收到和处理政府信息公开申请情况"]
    assert [_texts(r) for r in matrix] == [[_printed(truth[f"{k}.{c}"]) for c in APPLICANTS] for k in keys]
    assert all(r.headers == APPLICANT_HEADERS for r in matrix)


def test_application_matrix_group_labels(huaian):
    assert _row(huaian, "1.属于国家秘密").parents == ["三、本年度办理结果", "（三）不予公开"]
    assert _row(huaian, "（一）予以公开").parents == ["三、本年度办理结果"]
    assert _row(huaian, "一、本年新收政府信息公开申请数量").parents == []
    # （四）无法提供 is cut by the page break into （四）无 | 法提供: both halves read as one label
    for label in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"):
        assert _row(huaian, label).parents == ["三、本年度办理结果", "（四）无法提供"]
    assert _row(huaian, "3、其他").parents == ["三、本年度办理结果", "（六）其他处理"]


def test_review_litigation_row(huaian):
    truth = _truth(DATA / "real" / "truth" / "huaian_szf_2024.json")
    [row] = [r for r in huaian if len(r.values) == 15]
    ids = [m for m in load_spec()["ogi2021"].row("review_litigation").metric_ids]
    assert (row.label, row.parents, row.section) == ("", [], "四、政府信息公开行政复议、行政诉讼情况")
    assert _texts(row) == [str(truth[m]) for m in ids]
    assert row.headers[0] == "行政复议 结果维持"
    assert row.headers[9] == "行政诉讼 未经复议直接起诉 总计"
    assert row.headers[14] == "行政诉讼 复议后起诉 总计"


def test_article_20_rows(huaian):
    truth = _truth(DATA / "real" / "truth" / "huaian_szf_2024.json")
    rules = _row(huaian, "规章")
    assert rules.section == "第二十条第（一）项"
    assert rules.headers == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert _texts(rules) == [str(truth[f"art20.rules.{c}"]) for c in ("issued", "repealed", "in_force")]
    licensing = _row(huaian, "行政许可")
    assert (licensing.section, licensing.headers) == ("第二十条第（五）项", ["本年处理决定数量"])
    assert _texts(licensing) == [str(truth["art20.licensing.decisions"])]
    fees = _row(huaian, "行政事业性收费")  # on the next page, below its own heading row
    assert (fees.section, fees.headers) == ("第二十条第（八）项", ["本年收费金额（单位：万元）"])
    assert _texts(fees) == [str(truth["art20.fees.amount"])]


def test_statistical_table_ogi2008():
    rows = _rows(DATA / "digital" / "003_e2413f448b1da81d.pdf")
    truth = _truth(DATA / "seeds" / "truth" / "003_e2413f448b1da81d.json")
    assert all(r.headers == ["统计数"] for r in rows)
    assert "一、主动公开情况" not in [r.label for r in rows]  # a group label (—— printed), not a data row
    first = rows[0]
    assert first.label.startswith("（一）主动公开政府信息数") and first.parents == ["一、主动公开情况"]
    assert (first.unit, _texts(first)) == ("条", [str(truth["proactive.total"])])
    secret = _row(rows, "其中：涉及国家秘密")
    assert secret.parents[-1] == "4.不同意公开答复数"
    assert _texts(_row(rows, "涉及商业秘密")) == [str(truth["answers.refused.commercial_secret"])]
    assert _row(rows, "涉及商业秘密").parents == secret.parents
    review = _row(rows, "（二）被依法纠错数", "四、行政复议数量")
    litigation = _row(rows, "（二）被依法纠错数", "五、行政诉讼数量")
    assert review is not litigation and review.unit == litigation.unit == "件"
    assert _texts(review) == [str(truth["review.corrected"])]
    assert _texts(litigation) == [str(truth["litigation.corrected"])]


def test_pre_template_table_keeps_both_year_columns():
    rows = _rows(DATA / "digital" / "004_07cc7924a28de747.pdf")
    truth = _truth(DATA / "seeds" / "truth" / "004_07cc7924a28de747.json")
    website = _row(rows, "其中:1.政府网站公开数")
    assert (website.parents, website.unit, website.headers) == (["主动公开文件数"], "条", ["2016年度", "历年累计"])
    assert _texts(website)[0] == str(truth["proactive.website"])
    assert _row(rows, "2.政府公报公开数").parents == ["主动公开文件数"]
    assert _row(rows, "政府信息公开收费减免金额").unit == "元"


def test_empty_printed_cells_stay_data_rows():
    rows = _rows(DATA / "digital" / "002_6d48f98caee9bd35.pdf")  # 宝鸡 2020: （三）–（五） sub-rows printed empty
    secret = _row(rows, "1.属于国家秘密")
    assert secret.parents == ["三、本年度办理结果", "（三）不予公开"]
    assert _texts(secret) == [""] * 7 and all(not c.words for c in secret.values)


@pytest.fixture(scope="module")
def ocr_rows() -> list[Row]:
    """Page 4 of the 2023 Hongze report (end of table 三, table 四) rasterized, top 55%, read by RapidOCR."""
    page = load_document(DATA / "real" / "hongze_qzf_2023.pdf", Settings(dpi=150)).pages[3]
    image = page.image[: page.image.shape[0] * 11 // 20]
    crop = Page(index=3, raster=image, dpi=150)
    crop.words = RapidEngine().read(image)
    doc = Document(source="crop", pages=[crop])
    TableBuilder(SETTINGS)(doc, doc.pages)
    return read_rows(doc)


def test_rows_through_ocr(ocr_rows):
    truth = _truth(DATA / "real" / "truth" / "hongze_qzf_2023.json")
    [review] = [r for r in ocr_rows if len(r.values) == 15]
    ids = load_spec()["ogi2021"].row("review_litigation").metric_ids
    assert _texts(review) == [str(truth[m]) for m in ids]
    assert review.headers[14].replace(" ", "") == "行政诉讼复议后起诉总计"
    assert review.section.startswith("四") and "行政复议" in review.section
    petition = next(r for r in ocr_rows if "信访举报投诉类申请" in r.label)
    assert any("不予处理" in p for p in petition.parents)
    assert _texts(petition) == [str(truth[f"applications.not_processed.petition.{c}"]) for c in APPLICANTS]
    total = next(r for r in ocr_rows if "总计" in r.label and len(r.values) == 7)
    assert _texts(total) == [str(truth[f"applications.total.{c}"]) for c in APPLICANTS]


def _misread(path: Path, misreads: dict[str, tuple[str, str]]) -> list[Row]:
    """Rows of a real table after OCR-like misreads (as seen on fax and heavy scans): label -> (unit, value) read."""
    doc = load_document(path, SETTINGS)
    for page in doc.pages:
        page.words = page.text_layer
    TableBuilder(SETTINGS)(doc, doc.pages)
    for table in (t for page in doc.pages for t in page.tables):
        for slots in table.grid():
            label, unit, value = slots[0], slots[-2], slots[-1]
            if label is not None and label.text in misreads and unit and value and unit.words and value.words:
                for cell, text in zip((unit, value), misreads.pop(label.text)):
                    cell.words = [replace(cell.words[0], text=text, chars=None)]
    assert not misreads, f"rows not found: {misreads}"
    return read_rows(doc)


def test_misread_value_or_unit_leaves_the_columns_alone():
    """A value read as ∞ or a unit read as 杀 is text, but such cells do not make their columns label columns."""
    path = DATA / "digital" / "003_e2413f448b1da81d.pdf"
    clean = {r.label: (r.unit, _texts(r)) for r in _rows(path)}
    staff, budget, granted = "（三）从事政府信息公开工作人员数", "七、依申请公开信息收取的费用", "2.同意公开答复数"
    rows = _misread(path, {staff: ("人", "∞"), budget: ("杀", "0"), granted: ("件件", clean[granted][1][0])})
    read = {r.label: (r.unit, _texts(r)) for r in rows}
    assert set(read) == set(clean)  # no unit (杀, 件件) became a label, no row was lost
    assert read[staff] == ("人", ["∞"])  # what is printed, not a guess
    assert read[budget][1] == clean[budget][1] and read[granted][1] == clean[granted][1]
    assert all(read[k] == clean[k] for k in clean if k not in (staff, budget, granted))


def test_a_column_headed_unit_holds_units_however_misread():
    """A fax reads 件 as 14 or 11 down the whole 单位 column: it stays the unit column, the values stay values."""
    path = DATA / "digital" / "003_e2413f448b1da81d.pdf"
    clean = {r.label: (r.unit, _texts(r)) for r in _rows(path)}
    garbled = {label: ("14", texts[0]) for label, (unit, texts) in clean.items() if unit == "件" and texts}
    assert len(garbled) > 0.5 * len(clean)  # most of the column: no longer a column of units by its cells
    read = {r.label: (r.unit, _texts(r)) for r in _misread(path, dict(garbled))}
    assert all(read[label][1] == clean[label][1] for label in garbled)  # 14 is no value
    assert sum(read[label][0] == "14" for label in garbled) > 0.5 * len(clean)


def test_an_inner_label_hanging_down_from_the_row_above_is_no_parent():
    """3.其他情形 over the 总计 row, their rule lost in the inner label column only: the 总计 row is
    labeled （七）总计, not 3.其他情形 under a parent （七）总计; a group cell to the left stays a parent."""
    from ogi_extract.inference.rows import _label_cells
    from ogi_extract.types import Cell, Word

    def cell(row: int, col: int, text: str, row_span: int = 1) -> Cell:
        return Cell(row, col, (0, 0, 1, 1), [Word(text, (0, 0, 1, 1))], row_span=row_span)

    group, other = cell(0, 0, "（六）其他处理"), cell(0, 1, "3.其他情形", row_span=2)
    total = cell(1, 0, "（七）总计")
    assert [c.text for c in _label_cells([total, other, cell(1, 2, "58")], 1, 2, lambda c: c.text)] == ["（七）总计"]
    spanning_group, item = cell(0, 0, "（六）其他处理", row_span=2), cell(1, 1, "2.申请人逾期未按收费通知要求缴纳费用")
    assert _label_cells([spanning_group, item], 1, 2, lambda c: c.text) == [spanning_group, item]
    assert _label_cells([group, other], 0, 2, lambda c: c.text) == [group, other]


def test_a_header_cell_hanging_into_the_value_row_leaves_the_other_values_read():
    """The rule under 复议后起诉 尚未审结 lost: its header cell reaches down over the value below it.
    It is no label (which would make every column left of it a label column): the other 14 values
    are still read under their headers."""
    truth = _truth(DATA / "real" / "truth" / "huaian_szf_2024.json")
    doc = load_document(DATA / "real" / "huaian_szf_2024.pdf", SETTINGS)
    for page in doc.pages:
        page.words = page.text_layer
    TableBuilder(SETTINGS)(doc, doc.pages)
    table = next(t for p in doc.pages for t in p.tables if t.section.startswith("四、"))
    grid = table.grid()
    value_row = next(r for r, slots in enumerate(grid) if sum(bool(c and c.text.isdigit()) for c in slots) == 15)
    header, value = grid[value_row - 1][13], grid[value_row][13]
    assert header is not None and value is not None and header.text == "尚未审结"
    table.cells.remove(value)
    header.row_span += 1
    header.box = (header.box[0], header.box[1], header.box[2], value.box[3])
    [row] = [r for r in read_rows(doc) if r.section.startswith("四、")]
    ids = load_spec()["ogi2021"].row("review_litigation").metric_ids
    assert (row.label, len(row.values)) == ("", 14)
    assert _texts(row) == [str(truth[m]) for i, m in enumerate(ids) if i != 13]
    assert row.headers[13] == "行政诉讼 复议后起诉 总计"


def _merge_label_cells(doc: Document, first: str, n: int) -> None:
    """The label cell starting with `first` and the n-1 below it as one cell, as a scan that lost
    their row rules in the label column only leaves them (the value cells keep theirs)."""
    for table in (t for p in doc.pages for t in p.tables):
        cells = sorted(table.cells, key=lambda c: (c.col, c.row))
        top = next((c for c in cells if c.text.startswith(first)), None)
        if top is None:
            continue
        below = [c for c in cells if c.col == top.col and top.row < c.row < top.row + n]
        assert len(below) == n - 1
        for c in below:
            top.words += c.words
            table.cells.remove(c)
        top.row_span = below[-1].row + below[-1].row_span - top.row
        top.box = (top.box[0], top.box[1], top.box[2], below[-1].box[3])
        return
    raise AssertionError(f"no label cell {first}")


def _built_text_layer(path: Path) -> Document:
    doc = load_document(path, SETTINGS)
    for page in doc.pages:
        page.words = page.text_layer
    TableBuilder(SETTINGS)(doc, doc.pages)
    return doc


@pytest.mark.parametrize("path, first, n", [
    (DATA / "real" / "huaian_szf_2024.pdf", "1、申请人无正当理由", 2),  # numbered items, each wrapped over lines
    (DATA / "digital" / "003_e2413f448b1da81d.pdf", "1.当面申请数", 3),  # one line each
])
def test_a_label_cell_over_several_rows_of_values_gives_each_row_its_part(path, first, n):
    clean = [(r.label, _texts(r)) for r in read_rows(_built_text_layer(path))]
    doc = _built_text_layer(path)
    _merge_label_cells(doc, first, n)
    assert [(r.label, _texts(r)) for r in read_rows(doc)] == clean


def test_a_header_label_cell_hanging_into_a_one_row_section_gives_the_row_its_own_line():
    """The rule under 信息内容 lost in the label column only: 信息内容 over 行政许可 in one cell, spanning
    the section's header row and its one data row. The row is still 行政许可 with its number (it had
    no label at all: the cell starts in the header, so no label column was found)."""
    clean = [(r.label, _texts(r)) for r in read_rows(_built_text_layer(DATA / "real" / "huaian_szf_2024.pdf"))]
    doc = _built_text_layer(DATA / "real" / "huaian_szf_2024.pdf")
    table = next(t for p in doc.pages for t in p.tables if any(c.text == "行政许可" for c in t.cells))
    item = next(c for c in table.cells if c.text == "行政许可")
    [header] = [c for c in table.cells if c.col == item.col and c.row + c.row_span == item.row]
    assert header.text == "信息内容"
    header.words += item.words
    table.cells.remove(item)
    header.row_span += item.row_span
    header.box = (header.box[0], header.box[1], header.box[2], item.box[3])
    assert [(r.label, _texts(r)) for r in read_rows(doc)] == clean


def test_a_number_the_label_cell_took_in_is_the_value_the_row_lacks():
    """The rule between 规章 and its first value lost through the section (no row keeps them apart):
    规章 4 in one cell. The label reads 规章 and the 4 becomes 本年制发件数, the column the row lacks."""
    from ogi_extract.inference.values import to_metrics
    from ogi_extract.types import LabeledRow

    truth = _truth(DATA / "real" / "truth" / "huaian_szf_2024.json")
    doc = _built_text_layer(DATA / "real" / "huaian_szf_2024.pdf")
    table = next(t for p in doc.pages for t in p.tables if any(c.text == "规章" for c in t.cells))
    label = next(c for c in table.cells if c.text == "规章")
    value = next(c for c in table.cells if c.row == label.row and c.col == label.col + 1)
    label.words += value.words
    label.col_span += value.col_span
    label.box = (label.box[0], label.box[1], value.box[2], label.box[3])
    table.cells.remove(value)
    rules = _row(read_rows(doc), "规章")
    assert rules.spare is not None and rules.spare.text == str(truth["art20.rules.issued"]) and len(rules.values) == 2
    metrics, _, _ = to_metrics([LabeledRow(rules, "art20.rules", 1.0)], "ogi2021")
    assert {k: m.value for k, m in metrics.items()} == {
        f"art20.rules.{c}": truth[f"art20.rules.{c}"] for c in ("issued", "repealed", "in_force")}


def test_a_value_cell_that_took_in_its_garbled_unit_is_no_header():
    """件24 read 牛24 in one cell (the rule between unit and value lost, 件 misread): text only in that row,
    yet no header after a body ends in a number, so the row stays a row and the 计量单位 header stays over
    the rows below."""
    path = DATA / "digital" / "003_e2413f448b1da81d.pdf"
    clean = {r.label: (r.unit, _texts(r)) for r in _rows(path)}
    granted = "2.同意公开答复数"
    read = {r.label: (r.unit, _texts(r)) for r in _misread(path, {granted: ("牛", "牛" + clean[granted][1][0])})}
    assert set(read) == set(clean)
    assert all(read[k] == clean[k] for k in clean if k != granted)
