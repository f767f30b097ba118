"""Table lattices and filled tables on real report pages: text layer, skewed scans, no rules at all."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from ogi_extract.inference.layout import find_lattices, lattices_from_words
from ogi_extract.inference.layout.ruled import page_rules
from ogi_extract.inference.layout.rules import line_masks, skew
from ogi_extract.inference.load import load_document
from ogi_extract.inference.tables import TableBuilder, heading_lines
from ogi_extract.settings import Settings
from ogi_extract.types import Document, Table, Word, union

DATA = Path(__file__).parent / "data"
SETTINGS = Settings(dpi=120)


def _built(path: Path, settings: Settings = SETTINGS) -> Document:
    doc = load_document(path, settings)
    for page in doc.pages:
        page.words = page.text_layer
    TableBuilder(settings)(doc, doc.pages)
    return doc


@pytest.fixture(scope="module")
def huaian() -> Document:
    return _built(DATA / "real" / "huaian_szf_2024.pdf")


def _row_texts(table: Table, r: int) -> list[str]:
    seen = []
    for cell in table.grid()[r]:
        if cell is not None and cell not in seen:
            seen.append(cell)
    return [c.text for c in seen]


def _find(table: Table, text: str):
    return next(c for c in table.cells if c.text == text)


def test_application_matrix_lattice_has_spanning_cells(huaian):
    matrix = huaian.pages[3].tables[1]  # page 4: 三、收到和处理政府信息公开申请情况
    assert (matrix.n_cols, matrix.section) == (10, "三、收到和处理政府信息公开申请情况")
    assert _find(matrix, "申请人情况").col_span == 7
    assert _find(matrix, "法人或其他组织").col_span == 5
    assert _find(matrix, "一、本年新收政府信息公开申请数量").col_span == 3
    group = _find(matrix, "（三）不予公开")
    assert (group.row_span, group.col_span) == (8, 1)
    row = next(r for r in range(matrix.n_rows) if "1.属于国家秘密" in _row_texts(matrix, r))
    assert _row_texts(matrix, row)[:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert _row_texts(matrix, row)[3:] == ["2", "0", "0", "0", "0", "0", "2"]


def test_headings_sections_and_continuation(huaian):
    assert "三、收到和处理政府信息公开申请情况" in [h.text for h in huaian.pages[3].headings]
    rest, review = huaian.pages[4].tables
    assert rest.continued and rest.section == "三、收到和处理政府信息公开申请情况"
    assert _row_texts(rest, 0)[-8:] == ["2.没有现成信息需要另行制作", "11", "0", "0", "0", "0", "0", "11"]
    assert not review.continued and review.section == "四、政府信息公开行政复议、行政诉讼情况"
    assert huaian.pages[3].tables[0].continued  # 第二十条 tables go on from page 3
    assert huaian.timings["layout"] > 0


def test_word_straddling_a_rule_is_split_by_its_characters(huaian):
    page = huaian.pages[4]
    table = page.tables[1]  # 表四: 15 numbers in one row
    cells = [c for c in table.cells if c.row == table.n_rows - 1]
    numbers = [w for c in cells for w in c.words]
    chars = [ch for w in numbers for ch in w.chars]
    glued = Word("".join(w.text for w in numbers), union([w.box for w in numbers]), source="text_layer", chars=chars)
    page.words = [w for w in page.words if w not in numbers] + [glued]
    TableBuilder(SETTINGS)(huaian, [page])
    assert _row_texts(page.tables[1], table.n_rows - 1) == [c.text for c in cells]


def _skewed(image: np.ndarray, degrees: float, seed: int = 0) -> np.ndarray:
    """The page turned a little, with speckle noise and rules broken at random places."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    out = image.copy()
    for _ in range(40):  # white gaps across rules
        x, y = int(rng.integers(0, w - 8)), int(rng.integers(0, h - 8))
        out[y : y + 8, x : x + 6] = 255
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    out = cv2.warpAffine(out, m, (w, h), borderValue=(255, 255, 255))
    noise = rng.random(out.shape[:2]) < 0.002
    out[noise] = 0
    return out


@pytest.mark.parametrize("degrees", [0.8, -1.2, 2.5])
def test_lattice_survives_skew_noise_and_broken_rules(huaian, degrees):
    image = huaian.pages[3].image
    upright = find_lattices(image)
    tilted = find_lattices(_skewed(image, degrees))
    assert [(t.n_rows, t.n_cols) for t in tilted] == [(t.n_rows, t.n_cols) for t in upright]
    assert abs(tilted[0].angle + degrees) < 0.2
    spans = lambda t: sorted((c.row, c.col, c.row_span, c.col_span) for c in t.cells)  # noqa: E731
    assert spans(tilted[1]) == spans(upright[1])


def test_a_second_reading_reuses_the_page_rules_of_the_first(huaian):
    """The auto layout's second reading of a page takes its ruling lines from the first (kept on the
    page): the lattices are those found afresh, on a skewed page too (the turn is kept with them)."""
    image = _skewed(huaian.pages[3].image, 1.2)
    rules = page_rules(image)
    assert rules.turn is not None
    def cells(lattices: list) -> list:
        return [(lat.angle, lat.rows, lat.cols, sorted((c.row, c.col, c.row_span, c.col_span) for c in lat.cells))
                for lat in lattices]

    assert cells(find_lattices(image, rules=rules)) == cells(find_lattices(image))


def test_table_whose_row_rules_all_break_at_one_place_stays_one_table(huaian):
    """A heavy scan can break every row rule at the same x: the two halves are one table, or the
    labels would part from their values."""
    image = huaian.pages[3].image
    matrix = find_lattices(image)[1]
    x0, y0, x1, y1 = (int(v) for v in matrix.box)
    x = int((matrix.cols[5] + matrix.cols[6]) / 2)
    cut = image.copy()
    cut[y0 - 5 : y1 + 5, x : x + 6] = 255  # 6 px at 120 dpi: 3.6 pt of paper across the whole table
    found = find_lattices(cut)
    assert [(t.n_rows, t.n_cols) for t in found] == [(6, 2), (16, 10)]
    assert np.abs(np.subtract(found[1].cols, matrix.cols)).max() <= 2


def test_edges_of_a_grey_band_are_row_rules(huaian):
    """Government tables print section and header rows as grey bands, often with no rule along
    their edges, or one a scan loses: the band's top and bottom edges part the rows."""
    image = huaian.pages[3].image.copy()
    matrix = find_lattices(image)[1]
    x0, _, x1, _ = (int(v) for v in matrix.box)
    top, bottom = int(matrix.rows[6]), int(matrix.rows[7])
    for y in (top, bottom):
        image[y - 4 : y + 5, x0 + 4 : x1 - 4] = 255
    band = image[top:bottom, x0:x1]
    band[band > 235] = 235  # a light grey (a step too small to threshold): text and column rules stay dark
    found = find_lattices(image)[1]
    assert found.n_rows == matrix.n_rows
    assert np.abs(np.subtract(found.rows, matrix.rows)).max() <= 3


def test_skew_is_read_where_a_scan_broke_every_rule_into_dashes(huaian):
    """A heavy scan leaves no long rule to fit; the text lines and the dashes still give the angle."""
    image = huaian.pages[3].image.copy()
    for lat in find_lattices(image):
        x0, y0, x1, y1 = (int(v) for v in lat.box)
        for y in lat.rows:  # 6 pt dashes, 8 pt apart
            for x in range(x0 - 3, x1 + 3, 24):
                image[int(y) - 3 : int(y) + 4, x + 10 : x + 24] = 255
        for x in lat.cols:
            for y in range(y0 - 3, y1 + 3, 24):
                image[y + 10 : y + 24, int(x) - 3 : int(x) + 4] = 255
    tilted = cv2.cvtColor(_skewed(image, 1.1), cv2.COLOR_RGB2GRAY)
    assert abs(skew(tilted) + 1.1) < 0.1


def test_table_that_lost_its_rules_in_a_band_is_joined_where_the_text_shows_rows(huaian):
    """Rows whose rules a scan lost across the whole table part it in two; the labels and numbers
    between the pieces show they are one table (the part heading above table 三 keeps it apart
    from table 二)."""
    page = huaian.pages[3]
    matrix = find_lattices(page.image)[1]
    band = page.image.copy()
    top, bottom = int(matrix.rows[6]) - 4, int(matrix.rows[8]) + 5
    for y in matrix.rows[6:9]:
        band[int(y) - 3 : int(y) + 4, :] = 255
    for x in matrix.cols:
        band[top:bottom, int(x) - 3 : int(x) + 4] = 255
    assert len(find_lattices(band)) == 3
    table_two, joined = find_lattices(band, words=page.words)
    assert joined.n_cols == 10 and np.abs(np.subtract(joined.box, matrix.box)).max() <= 3


def test_rows_below_a_lost_band_keep_the_table_down_to_its_bottom_rule(huaian):
    """Below a band of lost rules, the last rows kept only their column rules and the bottom border:
    a rule structure with one long row rule is no table of its own, but it is the rest of this one."""
    page = huaian.pages[3]
    matrix = find_lattices(page.image)[1]
    cut = page.image.copy()
    top, bottom = int(matrix.rows[-6]) - 4, int(matrix.rows[-4]) + 5
    for y in matrix.rows[-6:-1]:
        cut[int(y) - 3 : int(y) + 4, :] = 255
    for x in matrix.cols:
        cut[top:bottom, int(x) - 3 : int(x) + 4] = 255
    table_two, joined = find_lattices(cut, words=page.words)
    assert joined.n_cols == 10 and np.abs(np.subtract(joined.box, matrix.box)).max() <= 3


def test_scanned_report_table_continues_over_pages():
    doc = load_document(DATA / "scanned" / "001_c76baea7d958f164.pdf", Settings(dpi=100))
    lattices = [find_lattices(p.image) for p in doc.pages]
    # page 2 holds the application matrix (10 columns) and table 四 (15 columns)
    assert [(t.n_cols) for t in lattices[1]] == [10, 15]
    matrix = lattices[1][0]
    assert matrix.n_rows == 26 and abs(matrix.angle) < 1.5


def test_table_without_rules_is_rebuilt_from_word_geometry():
    doc = load_document(DATA / "digital" / "000_9883ccc3c4a509fd.pdf", SETTINGS)
    page = doc.pages[1]
    page.words = page.text_layer
    page.image = np.full_like(page.image, 255)  # the same words, no rules left to find
    assert find_lattices(page.image) == []
    [lattice] = lattices_from_words(page.words)
    assert not lattice.ruled and lattice.n_cols == 3 and lattice.header_rows == 1
    TableBuilder(SETTINGS)(doc, [page])
    [table] = page.tables
    assert _row_texts(table, 0) == ["统计指标", "单位", "统计数"]
    texts = [_row_texts(table, r) for r in range(table.n_rows)]
    assert texts[1] == ["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "883"]
    assert ["其中：主动公开规范性文件数", "条", "1"] in texts
    assert ["3.政务微博公开政府信息数", "条", "4989"] in texts


@pytest.mark.parametrize("row_rules", ["all", "three"])
def test_table_without_column_rules_takes_columns_from_its_values(row_rules):
    doc = load_document(DATA / "digital" / "000_9883ccc3c4a509fd.pdf", SETTINGS)
    page = doc.pages[1]
    page.words = page.text_layer
    [ruled] = find_lattices(page.image, page.dpi)
    for x in ruled.cols:  # erase the column rules
        page.image[:, max(0, int(x) - 3) : int(x) + 4] = 255
    if row_rules == "three":  # and the row rules but the top, header and bottom ones: a 三线表
        for y in ruled.rows[2:-1]:
            page.image[max(0, int(y) - 3) : int(y) + 4, :] = 255
    TableBuilder(SETTINGS)(doc, [page])
    [table] = page.tables
    assert table.n_cols == 3 and (row_rules == "three" or table.n_rows == ruled.n_rows)
    texts = [_row_texts(table, r) for r in range(table.n_rows)]
    assert texts[0] == ["统计指标", "单位", "统计数"]
    assert texts[1] == ["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "883"]
    assert ["3.政务微博公开政府信息数", "条", "4989"] in texts


@pytest.mark.parametrize(("line", "heading"), [
    (["四、政府信息公开行政复议、行政诉讼情况"], True),
    (["第二十条第（一）项"], True),
    (["一", "概述"], True),  # 一 概述, set apart
    (["二推进重点领域政府信息公开情况"], True),  # OCR dropped the 、
    (["一是加强组织领导，健全制度"], False),
    (["十九大精神为指导"], False),
    (["2023年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导"], False),
])
def test_heading_lines(line, heading):
    words, x = [], 100.0
    for text in line:
        words.append(Word(text, (x, 50.0, x + 30 * len(text), 80.0)))
        x += 30 * len(text) + 12
    assert bool(heading_lines(words)) == heading


def test_header_alone_at_a_page_foot_joins_the_rows_on_the_next_page(tmp_path):
    """The 2025 行政复议/行政诉讼 case: the header rows end one page, the rows go on the next with no header."""
    from ogi_extract.inference.pipeline import Pipeline
    from ogi_extract.training.synth.generate import random_report, write_doc

    report, _ = random_report(np.random.default_rng(100), "orphan")
    report.style.orphan_header, report.style.repeat_header = True, False
    pdf = write_doc(report, tmp_path, kind="digital")
    fragments = [t for p in json.loads(pdf.with_suffix(".json").read_text("utf-8"))["pages"] for t in p["tables"]]
    assert any(f["n_rows"] == 3 and not f["continued"] for f in fragments)  # a header-only fragment was printed
    truth = {k: v for k, v in report.metrics().items() if k.startswith(("review.", "litigation."))}
    got = Pipeline(SETTINGS)(pdf).metrics
    assert len(truth) >= 10 and {k: got[k].value for k in truth if k in got} == truth


def test_a_sub_table_header_inside_a_table_without_rules_is_a_row_of_its_own():
    """第二十条 sub-tables printed without rules, one under another: a sub-table's heading and its
    header line (信息内容 | 本年处理决定数量: text reaching into the value columns) are rows, not a label
    wrapped onto the next row's (which read 信息内容行政许可 and lost 行政许可's value)."""
    def line(y: int, *texts: tuple[str, int, int]) -> list[Word]:
        return [Word(t, (x0, y, x1, y + 40)) for t, x0, x1 in texts]

    words = [
        *line(0, ("规章", 100, 180), ("0", 700, 720), ("14", 900, 930)),
        *line(50, ("行政规范性文件", 100, 300), ("0", 700, 720), ("2", 900, 920)),
        *line(100, ("第二十条第（五）项", 400, 640)),
        *line(150, ("信息内容", 100, 260), ("本年处理决定数量", 620, 940)),
        *line(200, ("行政许可", 100, 260), ("1906", 860, 930)),
        *line(250, ("行政处罚", 100, 260), ("655", 870, 930)),
    ]
    [lattice] = lattices_from_words(words)
    assert lattice.n_rows == 6
    rows = [[w.text for w in words if lattice.rows[r] < (w.box[1] + w.box[3]) / 2 < lattice.rows[r + 1]]
            for r in range(lattice.n_rows)]
    assert rows[3] == ["信息内容", "本年处理决定数量"] and rows[4] == ["行政许可", "1906"]


def test_a_line_of_values_alone_under_its_header_is_a_table():
    """Table 四 printed without column rules: its 15 counts of 行政复议 and 行政诉讼 are one line of
    numbers under a header, no label before them (once read as no table at all: every count lost).
    One count a scan set lower reads as a line of its own, one with a speck after it as 2'."""
    def line(y: int, *texts: tuple[str, int]) -> list[Word]:
        return [Word(t, (x, y, x + 20 * len(t), y + 40)) for t, x in texts]

    xs = [100 + 90 * k for k in range(15)]
    words = [
        *line(0, ("行政复议", 200), ("行政诉讼", 800)),
        *line(50, ("未经复议直接起诉", 500), ("复议后起诉", 900)),
        *line(100, *[(t, x) for t, x in zip(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, xs)]),
        *line(160, *[(str(k % 3) + "'" * (k == 2), x) for k, x in enumerate(xs[:-1])]),  # a speck read as '
        *line(172, ("5", xs[-1])),
    ]
    [lattice] = lattices_from_words(words)
    assert lattice.n_cols == 16 and lattice.rows[-2] < 160 and lattice.rows[-1] > 212
    values = [w for w in words if w.box[1] >= 160]
    assert [sum(lattice.cols[c] < (w.box[0] + w.box[2]) / 2 < lattice.cols[c + 1] for w in values)
            for c in range(1, 16)] == [1] * 15


def test_sub_tables_of_article_20_without_rules_are_one_table_over_their_headings():
    """第二十条's sub-tables printed without rules: a sub-table of one or two rows lies more than three
    lines below the last values, under its heading and its header. They carry the table on (each was
    a run too short to be a table: 规章's and 行政许可's values were lost)."""
    def line(y: int, *texts: tuple[str, int, int]) -> list[Word]:
        return [Word(t, (x0, y, x1, y + 40)) for t, x0, x1 in texts]

    words = [
        *line(0, ("规章", 100, 180), ("8", 700, 720), ("1", 800, 820), ("598", 900, 960)),
        *line(60, ("行政规范性文件", 100, 300), ("3", 700, 720), ("8", 800, 820), ("150", 900, 960)),
        *line(140, ("第二十条第（五）项", 400, 640)),
        *line(200, ("信息内容", 100, 260), ("本年处理决定数量", 620, 940)),
        *line(260, ("行政许可", 100, 260), ("0", 800, 820)),
    ]
    [lattice] = lattices_from_words(words)
    assert lattice.rows[0] < 0 and lattice.rows[-1] > 300 and lattice.n_rows == 5


def test_a_row_boundary_from_the_text_stays_clear_of_the_values_below():
    """A tall label ((六)其他处理, printed beside two lines) reaches down into the next row's line: the
    boundary midway between the two rows cut the tops off that row's values, and a zero OCR had missed
    there could then not be re-read from its cell. It now lies a quarter line above the values."""
    def word(text: str, x0: int, y0: int, x1: int, y1: int) -> Word:
        return Word(text, (x0, y0, x1, y1))

    words = [
        word("1.甲类申请", 100, 0, 300, 40), word("5", 700, 0, 720, 40),
        word("(六)其他处", 100, 60, 250, 116), word("2.乙类申请未予", 300, 56, 500, 106),
        word("理", 120, 110, 160, 150), word("不再处理其申请", 300, 102, 500, 148),
        word("1", 700, 108, 720, 135), word("0", 800, 110, 820, 134),
        word("3.其他", 100, 180, 200, 220), word("3", 700, 180, 720, 220),
    ]
    [lattice] = lattices_from_words(words)
    assert lattice.n_rows == 4 and lattice.rows[1] < 56 and 80 < lattice.rows[2] <= 108 - 10


def test_a_group_labels_last_line_that_took_in_a_rows_values_is_not_a_row_of_its_own():
    """A table without rules: the group label (四)无法提供 is centred on its rows, and its last line 供
    lies level with the row 2.没有现成信息需要另行制作, a little lower. OCR set that row's values on two
    lines, the first 0 with the label and the rest with 供, which made two rows of one: the label's row
    lost all but its first value. Two lines that overlap and hold values in different columns are one row."""
    def word(text: str, x0: int, y0: int, x1: int, y1: int) -> Word:
        return Word(text, (x0, y0, x1, y1))

    xs = [1150, 1350, 1490, 1650]
    words = [
        word("1.本机关不掌握相关政府信息", 517, 1140, 909, 1188), *[word("2", x, 1152, x + 28, 1188) for x in xs],
        word("(四)无法提", 322, 1180, 487, 1224), word("2.没有现成信息需要另行制作", 517, 1196, 909, 1249),
        word("0", 1149, 1209, 1179, 1246), word("供", 377, 1218, 424, 1264),
        *[word("0", x, 1216, x + 28, 1252) for x in xs[1:]],
        word("3.补正后申请内容仍不明确", 519, 1264, 873, 1312), *[word("0", x, 1280, x + 28, 1314) for x in xs],
    ]
    [lattice] = lattices_from_words(words)
    assert lattice.n_rows == 3
    row = [w.text for w in words if lattice.rows[1] < (w.box[1] + w.box[3]) / 2 < lattice.rows[2]]
    assert row.count("0") == 4 and "2.没有现成信息需要另行制作" in row
    stacked = [*words, word("0", 1149, 1226, 1179, 1262)]  # a value under a value: two rows after all
    assert lattices_from_words(stacked)[0].n_rows == 4


def test_a_blank_cell_crop_costs_no_component_labelling(huaian, monkeypatch):
    """Most of the cells whose ink is cut out (reread, alternatives) hold no rule and no faint run: the
    rule masks skip labelling what is empty (each pass allocates a label image)."""
    page = huaian.pages[3].image
    rules = line_masks(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), 120 / 72)
    labelled = []
    label = cv2.connectedComponentsWithStats
    monkeypatch.setattr(cv2, "connectedComponentsWithStats", lambda *a, **k: labelled.append(1) or label(*a, **k))
    blank = line_masks(np.full((40, 160), 250, np.uint8), 120 / 72)
    assert not blank.horizontal.any() and not blank.vertical.any() and not labelled
    again = line_masks(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), 120 / 72)  # a page with rules: labelled, the same masks
    assert labelled and (again.horizontal == rules.horizontal).all() and (again.vertical == rules.vertical).all()
