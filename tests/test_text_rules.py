"""Lattice cells put right from the text: row and column rules a scan lost put back where the text
shows two rows or columns, and cells cut where their text parts (inference/layout/textrules.py,
lattice.split_unruled). Small lattices and word boxes as the scans left them."""

from __future__ import annotations

from ogi_extract.inference.layout import GridCell, Lattice, split_unruled
from ogi_extract.inference.layout.textrules import is_rule_mark, with_text_rules
from ogi_extract.inference.tables import _cut
from ogi_extract.types import Word


def test_lost_row_rule_is_put_back_where_the_text_shows_two_rows():
    """Two printed rows left as one lattice row (their rule lost on a heavy scan): two numbered labels
    in the label cell, two lines of numbers in each value cell. The spanning group cell stays whole,
    and a row whose numbers stand on one line (under a label wrapped over two) is left alone."""

    lat = Lattice([0, 40, 120], [0, 100, 300, 350, 400], [
        GridCell(0, 0, 2, 1),  # the group cell, spanning both printed rows
        GridCell(0, 1), GridCell(0, 2), GridCell(0, 3),
        GridCell(1, 1), GridCell(1, 2), GridCell(1, 3),
    ])
    words = [Word("（三）不予公开", (10, 60, 90, 75)),
             Word("（一）予以公开，区分", (110, 5, 290, 18)), Word("处理的只计这一情形", (110, 22, 290, 35)),
             Word("1", (320, 12, 330, 28)), Word("1", (370, 12, 380, 28)),
             Word("1.属于国家秘密", (110, 50, 250, 65)), Word("2.其他法律行政法规禁止公开", (110, 92, 290, 107)),
             Word("0", (320, 50, 330, 65)), Word("5", (320, 92, 330, 107)),
             Word("0", (370, 50, 380, 65)), Word("5", (370, 92, 380, 107))]
    out = with_text_rules(lat, words)
    assert out.n_rows == 3 and 65 < out.rows[2] < 92
    assert sorted((c.row, c.col, c.row_span) for c in out.cells) == [
        (0, 0, 3), (0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 1, 1), (1, 2, 1), (1, 3, 1), (2, 1, 1), (2, 2, 1), (2, 3, 1)]
    # one line of values under a two-line label: nothing was lost
    assert with_text_rules(lat, words[:5]).rows == lat.rows


def test_lost_row_rule_is_put_back_between_two_numbered_items_with_blank_values():
    """A small agency's rows are blank: 4.保护第三方合法权益 over 5.属于三类内部事务信息 in one lattice row
    (their rule lost) showed no number to part them, and row 5 was lost. Consecutive items part the
    row even with the group label, centred on its rows, lying across the lost rule; a label wrapped
    over two lines, or two items that do not follow one another, do not."""

    lat = Lattice([0, 40, 120], [0, 100, 300, 350, 400], [
        GridCell(0, 0, 2, 1), GridCell(0, 1), GridCell(0, 2), GridCell(0, 3),
        GridCell(1, 1), GridCell(1, 2), GridCell(1, 3)])
    group = Word("（三）不予公开", (10, 72, 90, 88))  # across the lost rule (at 80)
    words = [group, Word("3.危及安全稳定", (110, 12, 250, 28)), Word("1", (320, 12, 330, 28)),
             Word("4.保护第三方合法权益", (110, 50, 290, 65)), Word("5.属于三类内部事务信息", (110, 95, 290, 110))]
    out = with_text_rules(lat, words)
    assert out.n_rows == 3 and 65 < out.rows[2] < 95
    wrapped = [*words[:4], Word("益和其他情形", (110, 95, 290, 110))]
    assert with_text_rules(lat, wrapped).rows == lat.rows
    apart = [*words[:4], Word("7.属于行政执法案卷", (110, 95, 290, 110))]
    assert with_text_rules(lat, apart).rows == lat.rows


def test_lost_row_rule_is_put_back_under_numbers_stacked_beside_a_wrapped_label():
    """Two rows in one lattice row whose label text crosses the gap between them (1.信访举报投诉类申请
    wrapped over two lines, 2.重复申请 below): the values, two lines in two columns, still show the
    rows; one line of numbers in one column only, or digits straddling the row's rules, do not."""

    lat = Lattice([0, 100], [0, 200, 260, 320], [GridCell(0, 0), GridCell(0, 1), GridCell(0, 2)])
    label = [Word("1.信访举报投诉类", (10, 5, 190, 34)), Word("申请 2.重复申请", (10, 33, 190, 62))]  # no paper between
    values = [Word("2", (220, 10, 230, 35)), Word("2", (220, 60, 230, 85)),
              Word("0", (280, 10, 290, 35)), Word("1", (280, 60, 290, 85))]
    out = with_text_rules(lat, label + values)
    assert out.n_rows == 2 and 35 < out.rows[1] < 60
    assert with_text_rules(lat, label + values[:2] + values[2:3]).rows == lat.rows  # stacked in one column only
    straddling = [Word("2", (220, -10, 230, 15)), Word("0", (280, -10, 290, 15))] + values[1::2]
    assert with_text_rules(lat, label + straddling).rows == lat.rows


def test_lost_row_rule_is_put_back_under_a_number_stacked_beside_units_stacked():
    """A 2008 table has one value column: 16 over 105 with 件 over 件 beside them is two rows even
    where a label line crosses the gap; 16 over 105 with nothing stacked beside it is not enough."""

    lat = Lattice([0, 100], [0, 200, 260, 320], [GridCell(0, 0), GridCell(0, 1), GridCell(0, 2)])
    labels = [Word("(4)信函申请数", (10, 30, 190, 60)), Word("(二)申请办结数", (10, 62, 190, 92))]
    units = [Word("件", (220, 10, 240, 40)), Word("件", (220, 55, 240, 85))]
    values = [Word("16", (280, 10, 300, 40)), Word("105", (280, 55, 310, 85))]
    out = with_text_rules(lat, labels + units + values)
    assert out.n_rows == 2 and 40 < out.rows[1] < 55
    crossing = [Word("(4)信函申请数", (10, 30, 190, 65))]
    assert with_text_rules(lat, crossing + values).rows == lat.rows
    overhanging = [Word("件", (220, -3, 240, 40)), units[1]]  # an OCR box a little past the row's rule
    assert with_text_rules(lat, labels + overhanging + values).n_rows == 2


def test_value_cell_that_took_in_its_unit_cell_is_cut_between_its_numbers():
    """条 322 over 条 310 in one cell (the column rule between unit and value lost, the row rule too):
    what starts below is a unit, but numbers on both sides make it two rows; 条 over 条 alone does not."""

    lat = Lattice([0, 50, 100], [0, 200, 320], [GridCell(0, 0), GridCell(1, 0), GridCell(0, 1, 2, 1)])
    labels = [Word("(3)政务微博公开政府信息数", (10, 10, 190, 40)), Word("(4)政务微信公开政府信息数", (10, 60, 190, 90))]
    units = [Word("条", (210, 8, 230, 48)), Word("条", (210, 52, 230, 92))]
    values = [Word("322", (280, 10, 300, 40)), Word("310", (280, 60, 300, 90))]
    cells = lambda out: sorted((c.row, c.col, c.row_span) for c in out.cells)  # noqa: E731
    assert cells(with_text_rules(lat, labels + units + values)) == [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)]
    assert (0, 1, 2) in cells(with_text_rules(lat, labels + units))


def test_a_label_cell_spanning_two_rows_of_values_is_cut_where_its_text_parts():
    """一、本年新收… over 二、上年结转… in one label cell (the rule lost in the label column only, the
    numbering dropped by OCR), each line beside its own row of values: two rows. A group label
    spanning two rows beside their own labels (no numbers beside it) stays whole."""

    lat = Lattice([0, 40, 80], [0, 200, 260, 320], [
        GridCell(0, 0, 2, 1), GridCell(0, 1), GridCell(0, 2), GridCell(1, 1), GridCell(1, 2)])
    labels = [Word("本年新收政府信息公开申请数量", (10, 10, 190, 30)), Word("上年结转政府信息公开申请数量", (10, 50, 190, 70))]
    values = [Word("60", (220, 10, 240, 30)), Word("76", (280, 10, 300, 30)),
              Word("0", (220, 50, 230, 70)), Word("11", (280, 50, 300, 70))]
    out = with_text_rules(lat, labels + values)
    assert sorted((c.row, c.col, c.row_span) for c in out.cells) == [(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1),
                                                                   (1, 1, 1), (1, 2, 1)]
    tight = [Word("（一）予以公开", (10, 10, 190, 38)), Word("（二）部分公开", (10, 38, 190, 70))]  # OCR boxes overhang the rule
    assert with_text_rules(lat, tight + values).n_rows == 2
    assert (0, 0, 1) in [(c.row, c.col, c.row_span) for c in with_text_rules(lat, tight + values).cells]
    items = [Word("1.属于国家秘密", (210, 10, 258, 30)), Word("2.其他", (210, 50, 258, 70))]
    group = with_text_rules(lat, [Word("（三）不予", (10, 10, 190, 30)), Word("公开", (10, 50, 190, 70)), *items])
    assert (0, 0, 2) in [(c.row, c.col, c.row_span) for c in group.cells]


def test_lost_column_rule_is_put_back_where_the_text_shows_two_columns():
    """A column rule lost along the whole table: 尚未审结 | 总计 read as one header, 0 | 430 as "0430".
    Cells that span the lost rule stay whole; a column whose words cross the gap (a label column) is left alone."""

    lat = Lattice([0, 30, 60, 90], [0, 100, 200], [
        GridCell(0, 0, 1, 2),  # 行政复议, over both printed columns
        GridCell(1, 0), GridCell(1, 1), GridCell(2, 0), GridCell(2, 1),
    ])
    words = [Word("行政复议", (120, 5, 180, 20)),
             Word("结果维持", (10, 35, 60, 50)), Word("尚未审结", (110, 35, 145, 50)), Word("总计", (165, 35, 190, 50)),
             Word("3", (30, 65, 40, 80)), Word("0", (120, 65, 130, 80)), Word("430", (170, 65, 195, 80))]
    out = with_text_rules(lat, words)
    assert out.n_cols == 3 and 145 < out.cols[2] < 165
    assert sorted((c.row, c.col, c.col_span) for c in out.cells) == [
        (0, 0, 3), (1, 0, 1), (1, 1, 1), (1, 2, 1), (2, 0, 1), (2, 1, 1), (2, 2, 1)]
    # numbers on one side only (a header over a single value): nothing was lost
    assert with_text_rules(lat, words[:4] + words[6:]).cols == lat.cols


def test_value_cell_over_a_column_rule_lost_in_its_row_only_is_cut_there():
    """0 | 0 with the rule between them lost in that row only: read as one cell, its rule's remnant
    read as 1 ("010"). Another row keeps the columns apart, so the cell is cut and the remnant left out;
    a number centred over columns that no row keeps apart (本年处理决定数量 255) stays whole."""

    lat = Lattice([0, 40, 80, 120], [0, 200, 260, 320], [
        GridCell(0, 0), GridCell(0, 1), GridCell(0, 2), GridCell(1, 0), GridCell(1, 1, 1, 2),
        GridCell(2, 0), GridCell(2, 1, 1, 2)])
    digits = [("0", (222, 50, 236, 70)), ("1", (257, 50, 263, 70)), ("0", (282, 50, 296, 70))]
    run_on = Word("010", (222, 50, 296, 70), chars=digits)
    words = [Word("1.属于国家秘密", (10, 10, 190, 30)), Word("5", (222, 10, 236, 30)), Word("12", (280, 10, 300, 30)),
             Word("2.其他法律行政法规禁止公开", (10, 50, 190, 70)), run_on,
             Word("3.危及安全稳定", (10, 90, 190, 110)), Word("255", (245, 90, 275, 110))]
    out = with_text_rules(lat, words)
    assert sorted((c.row, c.col, c.col_span) for c in out.cells if c.col) == [
        (0, 1, 1), (0, 2, 1), (1, 1, 1), (1, 2, 1), (2, 1, 2)]
    assert [w.text for w in _cut(run_on, out)] == ["0", "0"]
    assert [w.text for w in _cut(Word("10", (265, 50, 296, 70)), out)] == ["10"]  # a 1 inside its cell is a digit


def test_value_cell_over_rules_the_rest_of_the_table_keeps_is_cut_at_them():
    """Broken rules merge value slots: 9 | (blank) read as one cell gave its 9 to whichever column the
    headers matched, and the blank to none; a 1 in a cell over two rows (its row rule lost) gave it
    to neither row for sure. Rules most of the table keeps are put back in cells of values only. A
    header over value columns, a label over label columns and a number over columns no row keeps
    apart stay whole."""

    lat = Lattice([0, 40, 80, 120, 160, 200, 240], [0, 200, 260, 320, 380, 440], [
        GridCell(0, 0, 2, 1), GridCell(0, 1, 2, 1), GridCell(0, 2, 1, 2), GridCell(0, 4, 2, 1),
        GridCell(1, 2), GridCell(1, 3),
        GridCell(2, 0), GridCell(2, 1, 1, 2), GridCell(2, 3), GridCell(2, 4),
        GridCell(3, 0), GridCell(3, 1), GridCell(3, 2), GridCell(3, 3), GridCell(3, 4),
        GridCell(4, 0), GridCell(4, 1), GridCell(4, 2, 2, 1), GridCell(4, 3), GridCell(4, 4),
        GridCell(5, 0), GridCell(5, 1), GridCell(5, 3), GridCell(5, 4)])
    words = [Word("项目", (10, 10, 50, 30)), Word("自然人", (205, 10, 255, 30)), Word("法人或其他组织", (270, 10, 370, 30)),
             Word("商业企业", (265, 50, 315, 70)), Word("科研机构", (325, 50, 375, 70)), Word("总计", (400, 10, 430, 30)),
             Word("上年结转", (10, 90, 80, 110)), Word("9", (225, 90, 235, 110)), Word("15", (400, 90, 420, 110)),
             Word("予以公开", (10, 130, 80, 150)), Word("5", (225, 130, 235, 150)), Word("2", (285, 130, 295, 150)),
             Word("1", (345, 130, 355, 150)), Word("8", (400, 130, 420, 150)),
             Word("部分公开", (10, 170, 80, 190)), Word("3", (225, 170, 235, 190)), Word("3", (400, 170, 420, 190)),
             Word("不予公开", (10, 210, 80, 230)), Word("1", (285, 210, 295, 230)), Word("1", (400, 210, 420, 230))]
    out = split_unruled(lat, words)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in out.cells}
    assert spans[(2, 1)] == (1, 1) and spans[(2, 2)] == (1, 1)  # 9 | blank
    assert spans[(4, 2)] == (1, 1) and spans[(5, 2)] == (1, 1)  # blank over 1
    assert spans[(0, 2)] == (1, 2) and spans[(0, 0)] == (2, 1)  # the header and the label corner stay whole

    lat = Lattice([0, 40, 80], [0, 200, 260, 320], [
        GridCell(0, 0), GridCell(0, 1), GridCell(0, 2), GridCell(1, 0), GridCell(1, 1, 1, 2)])
    words = [Word("行政许可", (10, 10, 90, 30)), Word("3", (225, 10, 235, 30)), Word("5", (285, 10, 295, 30)),
             Word("行政处罚", (10, 50, 90, 70)), Word("255", (245, 50, 275, 70))]
    assert [(c.row, c.col, c.col_span) for c in split_unruled(lat, words).cells][-1] == (1, 1, 2)  # 255 over both


def test_header_cell_run_on_into_the_value_row_is_cut_above_its_numbers():
    """行政复议's one data row under its headers, on a fax that lost the faint rule under the headers of
    the first two columns (a real report's 2023 copy): 结果维持 | 结果纠正 over 1 | 3 read as one cell
    over two columns and two rows. It is cut into columns (text on both sides) and, in each, above the
    number, at the row rule the other columns keep, so the numbers get value cells of their own (a number
    OCR garbled too, then read again from its ink). A cell whose lower part is Chinese text, or cut at a
    rule most columns lack, stays whole."""

    def table(kept: bool) -> Lattice:
        rest = [GridCell(1, c) for c in (2, 3, 4)] + [GridCell(2, c) for c in (2, 3, 4)] if kept else \
            [GridCell(1, 2), GridCell(2, 2), GridCell(1, 3, 2, 1), GridCell(1, 4, 2, 1)]
        return Lattice([0, 40, 80, 120], [0, 100, 200, 300, 400, 500], [GridCell(0, 0, 1, 5), GridCell(1, 0, 2, 2), *rest])

    def words(low_left: str) -> list[Word]:
        return [Word("行政复议", (200, 10, 300, 30)), Word("结果维持", (20, 50, 80, 70)), Word("结果纠正", (120, 50, 180, 70)),
                Word(low_left, (45, 90, 55, 110)), Word("3", (145, 90, 155, 110)), Word("其他结果", (220, 50, 280, 70)),
                Word("尚未审结", (320, 50, 380, 70)), Word("总计", (420, 50, 480, 70)), Word("0", (245, 90, 255, 110)),
                Word("0", (345, 90, 355, 110)), Word("4", (445, 90, 455, 110))]

    def spans(low_left: str, kept: bool = True) -> list[tuple[int, int, int, int]]:
        out = split_unruled(table(kept), words(low_left))
        return sorted((c.row, c.col, c.row_span, c.col_span) for c in out.cells if c.col < 2)

    assert spans("1") == [(0, 0, 1, 5), (1, 0, 1, 1), (1, 1, 1, 1), (2, 0, 1, 1), (2, 1, 1, 1)]
    assert spans("0)") == spans("1")  # a 0 the fax broke, as OCR read it
    assert spans("X") == spans("1") == spans("一")  # an 8 or a 1 OCR garbled
    assert spans("件") == [(0, 0, 1, 5), (1, 0, 2, 1), (1, 1, 1, 1), (2, 1, 1, 1)]
    assert spans("1", kept=False) == [(0, 0, 1, 5), (1, 0, 2, 1), (1, 1, 2, 1)]


def test_label_over_rows_of_values_is_cut_only_where_no_label_to_its_right_names_them():
    """A label over two rows of values whose second label the fax left unread gets a cell for each row (the
    form then places the unread one). A group label beside its items' labels (三、本年度办理结果 over
    （一）…（三）, a real digital report) and a header over two header rows (自然人 beside 商业企业 |
    科研机构) stay whole, though nothing is printed in their last row."""

    lat = Lattice([0, 40, 80], [0, 200, 260, 320], [GridCell(0, 0, 2, 1), *(GridCell(r, c) for r in (0, 1) for c in (1, 2))])
    items = [Word("4.无正当理由大量反复申请", (10, 10, 190, 30)), *(Word(n, (225 + 60 * c, 10 + 40 * r, 235 + 60 * c, 30 + 40 * r))
                                                           for r, c, n in ((0, 0, "0"), (0, 1, "0"), (1, 0, "2"), (1, 1, "2")))]
    cells = split_unruled(lat, items).cells
    assert GridCell(0, 0) in cells and GridCell(1, 0) in cells

    lat = Lattice([0, 40, 80, 120], [0, 100, 200, 300], [
        GridCell(0, 0, 3, 1), *(GridCell(r, c) for r in range(3) for c in (1, 2))])
    group = [Word("三、本年度", (10, 10, 90, 30)), *(Word(f"（{n}）", (110, 10 + 40 * r, 190, 30 + 40 * r))
                                                 for r, n in enumerate("一二三")),
             *(Word(str(r), (245, 10 + 40 * r, 255, 30 + 40 * r)) for r in range(3))]
    assert GridCell(0, 0, 3, 1) in split_unruled(lat, group).cells

    lat = Lattice([0, 40, 80, 120], [0, 100, 200, 300], [
        GridCell(0, 0, 2, 1), GridCell(0, 1, 1, 2), GridCell(1, 1), GridCell(1, 2), *(GridCell(2, c) for c in range(3))])
    header = [Word("自然人", (20, 10, 80, 30)), Word("法人或其他组织", (120, 10, 280, 30)), Word("商业企业", (120, 50, 180, 70)),
              Word("科研机构", (220, 50, 280, 70)), *(Word(n, (45 + 100 * c, 90, 55 + 100 * c, 110)) for c, n in enumerate("530"))]
    assert GridCell(0, 0, 2, 1) in split_unruled(lat, header).cells


def test_split_takes_a_words_extent_on_a_tilted_table_from_its_corners():
    """As this step was measured (a refactor that took the edges' midpoints instead read a held-out report
    worse): on a table tilted 1 degree, a number whose top-left corner lies just left of a column
    boundary crosses it, so the cell is not cut there (its left edge's midpoint lies just right of it)."""

    lat = Lattice([0, 40], [0, 200, 260], [GridCell(0, 0, 1, 2)], angle=1.0, center=(0.0, 0.0))
    number = Word("12", (199.75, 10, 219.75, 30))
    assert lat.to_frame(199.75, 10)[0] < 200 < lat.to_frame(199.75, 20)[0]
    assert [(c.col, c.col_span) for c in split_unruled(lat, [Word("项目", (10, 10, 60, 30)), number]).cells] == [(0, 2)]


def test_label_cell_run_on_into_the_value_columns_is_cut_at_the_first_of_them():
    """(2)其他法律行政法规禁止公开, its rule to the 自然人 column lost in its row (all blank): the
    label cell took in that column, the row's block read it as a header and its column as labels,
    and the values of the rows below went one column off. A rule the rest of the table keeps is put
    back where the labels end; a label over label columns and a section title across the table
    stay whole."""

    lat = Lattice([0, 40, 80, 120, 160, 200], [0, 100, 200, 260, 320, 380], [
        GridCell(0, 0, 1, 2), GridCell(0, 2), GridCell(0, 3), GridCell(0, 4),
        GridCell(1, 0, 1, 2), GridCell(1, 2), GridCell(1, 3), GridCell(1, 4),
        GridCell(2, 0, 2, 1), GridCell(2, 1, 1, 2), GridCell(2, 3), GridCell(2, 4),
        GridCell(3, 1), GridCell(3, 2), GridCell(3, 3), GridCell(3, 4),
        GridCell(4, 0, 1, 5)])
    words = [Word("项目", (10, 10, 80, 30)), Word("自然人", (205, 10, 255, 30)), Word("商业企业", (265, 10, 315, 30)),
             Word("总计", (330, 10, 370, 30)), Word("一、新收", (10, 50, 150, 70)), Word("6", (225, 50, 235, 70)),
             Word("6", (345, 50, 355, 70)), Word("不予公开", (10, 90, 90, 150)), Word("(2)其他法律", (105, 90, 195, 110)),
             Word("(3)危及", (105, 130, 180, 150)), Word("2", (225, 130, 235, 150)), Word("2", (345, 130, 355, 150)),
             Word("第二十条第（一）项", (10, 170, 150, 190))]
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in split_unruled(lat, words).cells}
    assert spans[(2, 1)] == (1, 1) and spans[(2, 2)] == (1, 1)
    assert spans[(1, 0)] == (1, 2) and spans[(0, 0)] == (1, 2) and spans[(4, 0)] == (1, 5)


def test_label_cell_that_took_in_its_value_cell_is_cut_at_the_value_column():
    """The rule between the label and the first value column lost in some rows: 规章 4 in one cell, or
    the label alone over a value OCR missed (cut, so the value cell is re-read from its ink). A header
    spanning value columns stays whole."""

    lat = Lattice([0, 40, 80, 120, 160], [0, 200, 260, 320], [
        GridCell(0, 0), GridCell(0, 1), GridCell(0, 2), GridCell(1, 0, 1, 2), GridCell(1, 2),
        GridCell(2, 0, 1, 2), GridCell(2, 2), GridCell(3, 0), GridCell(3, 1, 1, 2)])
    words = [Word("规章", (10, 10, 50, 30)), Word("3", (225, 10, 235, 30)), Word("5", (285, 10, 295, 30)),
             Word("行政规范性文件", (10, 50, 150, 70)), Word("4", (225, 50, 235, 70)), Word("12", (280, 50, 300, 70)),
             Word("行政许可", (10, 90, 90, 110)), Word("7", (285, 90, 295, 110)),
             Word("信息内容", (10, 130, 90, 150)), Word("本年处理决定数量", (210, 130, 310, 150))]
    out = with_text_rules(lat, words)
    assert sorted((c.row, c.col, c.col_span) for c in out.cells) == [
        (0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1), (2, 0, 1), (2, 1, 1), (2, 2, 1),
        (3, 0, 1), (3, 1, 2)]


def test_label_and_values_cut_where_only_the_rules_of_another_section_part_them():
    """The rule between the label and the first value column lost through the first section of an
    article-20 table (规章 24 in one cell; 行政规范性文件 over a value OCR missed, beside 0 | 431):
    the section below keeps that boundary by its rules, so both cells are cut there and the unread
    value gets its own cell (re-read from its ink). A fee right-aligned in a value cell spanning the
    row's columns (no other number in the row) is not cut into empty cells."""

    lat = Lattice([0, 40, 80, 120, 160], [0, 200, 260, 320, 380], [
        GridCell(0, 0, 1, 2), GridCell(0, 2), GridCell(0, 3),
        GridCell(1, 0, 1, 3), GridCell(1, 3),
        GridCell(2, 0), GridCell(2, 1, 1, 3),
        GridCell(3, 0, 1, 4)])
    words = [Word("规章", (10, 10, 50, 30)), Word("24", (220, 10, 240, 30)), Word("2", (285, 10, 295, 30)),
             Word("0", (345, 10, 355, 30)),
             Word("行政规范性文件", (10, 50, 150, 70)), Word("0", (285, 50, 295, 70)), Word("431", (335, 50, 365, 70)),
             Word("信息内容", (10, 90, 90, 110)), Word("本年处理决定数量", (250, 90, 350, 110)),
             Word("行政事业性收费", (10, 130, 150, 150)), Word("0", (365, 130, 375, 150))]
    out = with_text_rules(lat, words)
    assert sorted((c.row, c.col, c.col_span) for c in out.cells) == [
        (0, 0, 1), (0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1), (1, 3, 1),
        (2, 0, 1), (2, 1, 3), (3, 0, 1), (3, 1, 3)]


def test_a_number_in_a_value_cell_spanning_two_labelled_rows_goes_to_the_row_it_lies_in():
    """一、本年新收… over 二、上年结转…, each in its own label cell, and one value cell over both rows (a
    dashed rule broke between them in that column only): the 2 printed in the lower row is that row's.
    A number lying across the boundary (a cell truly spanning), or an empty cell, keeps the cell whole."""

    lat = Lattice([0, 40, 80], [0, 200, 260, 320], [
        GridCell(0, 0), GridCell(1, 0), GridCell(0, 1), GridCell(1, 1), GridCell(0, 2, 2, 1)])
    labels = [Word("一、本年新收政府信息公开申请数量", (10, 10, 190, 30)), Word("二、上年结转政府信息公开申请数量", (10, 50, 190, 70))]
    beside = [Word("4", (220, 10, 230, 30))]
    cells = lambda out: sorted((c.row, c.col, c.row_span) for c in out.cells)  # noqa: E731
    lower = with_text_rules(lat, labels + beside + [Word("2", (285, 50, 295, 70))])
    assert cells(lower) == [(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1)]
    assert (0, 2, 2) in cells(with_text_rules(lat, labels + beside + [Word("2", (285, 28, 295, 52))]))
    assert (0, 2, 2) in cells(with_text_rules(lat, labels + beside))
    group = [Word("（三）不予公开", (10, 10, 190, 30))]  # one label over both rows: nothing parts them
    assert (0, 2, 2) in cells(with_text_rules(Lattice(lat.rows, lat.cols, [GridCell(0, 0, 2, 1), *lat.cells[2:]]),
                                              group + beside + [Word("2", (285, 50, 295, 70))]))


def test_a_character_ocr_read_off_the_rules_is_no_text():
    """A dashed scan's rule crossing read as X, or a stroke of a column rule read as 1, sits on the
    lattice's boundaries, where no printed character does; a 1 inside its cell is a value."""

    lat = Lattice([0, 60, 120], [0, 200, 300, 400], [GridCell(r, c) for r in range(2) for c in range(3)])
    assert is_rule_mark(lat, Word("X", (285, 45, 315, 75)))  # on the crossing at (300, 60)
    assert is_rule_mark(lat, Word("1", (296, 15, 306, 45)))  # on the column rule at x 300
    assert not is_rule_mark(lat, Word("1", (345, 15, 355, 45)))  # a value, in its cell
    assert not is_rule_mark(lat, Word("十", (335, 45, 365, 75)))  # on a row rule only: may be text
    assert not is_rule_mark(lat, Word("X", (285, 45, 315, 75), source="text_layer"))  # a text layer is exact
    assert not is_rule_mark(lat, Word("10", (290, 15, 310, 45)))  # two characters: text


def test_a_lost_row_rule_is_put_back_across_a_stroke_of_a_column_rule_read_as_1():
    """Two rows in one lattice row (一、本年新收… over 二、上年结转…, the rule lost everywhere): a stroke
    of a column rule that OCR read as 1, tall enough to bridge the paper between the rows, is no text,
    and a number read with a rule beside it (77|) is still a number. Both rows come back."""

    lat = Lattice([0, 80], [0, 200, 260, 320, 380], [GridCell(0, c) for c in range(4)])
    labels = [Word("本年新收政府信息公开申请数量", (10, 10, 190, 36)), Word("上年结转政府信息公开申请数量", (10, 44, 190, 70))]
    values = [Word("77|", (215, 10, 258, 36)), Word("0", (280, 10, 300, 36)), Word("77", (330, 10, 350, 36)),
              Word("0", (220, 44, 240, 70)), Word("1", (280, 44, 300, 70)), Word("4", (330, 44, 350, 70))]
    on_rule = Word("1", (315, 25, 325, 55))  # centred on the column boundary at x 320
    out = with_text_rules(lat, labels + values + [on_rule])
    assert out.n_rows == 2 and 36 < out.rows[1] < 44
    inside = Word("1", (355, 25, 365, 55))  # inside a cell: text, so the rows stay joined
    assert with_text_rules(lat, labels + values + [inside]).n_rows == 1
    # the rule lost in the label column only: 77| beside the first line counts as its number
    ruled = Lattice([0, 40, 80], [0, 200, 260, 320, 380], [GridCell(0, 0, 2, 1)] + [
        GridCell(r, c) for r in range(2) for c in range(1, 4)])
    assert (0, 0, 1) in [(c.row, c.col, c.row_span) for c in with_text_rules(ruled, labels + values).cells]
