import pytest

from ogi_extract.inference.layout import is_number, is_value
from ogi_extract.inference.values import assign_columns, convert_unit, parse_number
from ogi_extract.schema import load_spec
from ogi_extract.types import Cell, Word


@pytest.mark.parametrize("text, value, unit", [
    ("3207", 3207, None),
    (" 1 ", 1, None),
    ("3,985,758", 3985758, None),
    ("96171.6", 96171.6, None),
    ("-2", -2, None),
    ("+3", 3, None),
    ("－5", -5, None),
    ("19 项", 19, "项"),
    ("1710.15万元", 1710.15, "万元"),
    ("８.８", 8.8, None),
    ("", None, None),
    ("——", None, None),
    ("1O5", 105, None),
    ("。", 0, None),  # OCR reads a small 0 as the ideographic full stop
    ("18,", 18, None),  # a speck after the digits, read as a comma
    ("12.5", 12.5, None),
])
def test_parse_number(text, value, unit):
    parsed = parse_number(text)
    assert parsed.ok and parsed.value == value and parsed.unit == unit
    assert type(parsed.value) is type(value)


def test_parse_number_rejects_text():
    assert not parse_number("其他情形").ok
    assert not parse_number("30.").ok  # a fax's broken last digit (305), not a speck: no value rather than a wrong one


def test_a_number_with_a_bracket_glued_on_is_a_value_to_the_table_reader_as_to_the_value_parser():
    """A fax breaks a lone 0 so that OCR reads 0). The value parser reads it 0; the table reader took it
    for text, made its column a label column and lost a real report's 行政复议 row. Numbering stays text."""
    for text in ("0)", "12）"):
        assert is_number(text) and is_value(text) and parse_number(text).ok
    for text in ("(1)", "（2）", "3)属于国家秘密"):
        assert not is_value(text) and not parse_number(text).ok


def test_yuan_to_wan():
    assert convert_unit(12345, "元", "万元") == 1.2345
    assert convert_unit(12345, None, "万元") == 12345
    assert convert_unit(None, "元", "万元") is None


def _cells(*texts):
    return [Cell(0, i, (0, 0, 1, 1), [Word(t, (0, 0, 1, 1))] if t else []) for i, t in enumerate(texts)]


def test_current_year_column_skips_cumulative():
    row = load_spec()["ogi2008"].row("proactive.total")
    cells = _cells("4047", "24112")
    [(col, i)] = assign_columns(row, cells, ["2016年度", "历年累计"])
    assert i == 0
    [(col, i)] = assign_columns(row, _cells("24112", "4047"), ["历年累计", "本年度"])
    assert i == 1


def test_matrix_row_maps_by_position():
    row = load_spec()["ogi2019"].row("applications.new")
    pairs = assign_columns(row, _cells(*"1100002"), [""] * 7)
    assert [row.metric_id(c) for c, _ in pairs][-1] == "applications.new.total"
    assert [i for _, i in pairs] == list(range(7))


def test_headers_pick_columns_when_counts_differ():
    row = load_spec()["ogi2019"].row("art20.penalty")
    cells = _cells("x", "1", "0", "3207")
    pairs = assign_columns(row, cells, ["备注", "上一年项目数量", "本年增/减", "处理决定数量"])
    got = {c.key: i for c, i in pairs}
    assert got == {"prev_items": 1, "change": 2, "decisions": 3}


def test_code_column_is_not_the_value():
    row = load_spec()["ogi2008"].row("proactive.total")
    [(col, i)] = assign_columns(row, _cells("01", "2501", "2501"), ["代码", "本期实际", "本年累计"])
    assert i == 1


def test_numbers_side_by_side_in_one_cell_are_cut_when_that_gives_the_row_its_columns():
    """A column rule lost through the whole 行政复议/行政诉讼 table: 15 counts read as 11 cells, "0 2" in one."""
    from ogi_extract.inference.values import side_by_side, to_metrics
    from ogi_extract.schema import load_spec
    from ogi_extract.types import LabeledRow, Row

    printed = ["2", "0", "0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    words = [Word(t, (100 * i, 0, 100 * i + 20, 30)) for i, t in enumerate(printed)]
    groups = [[0], [1], [2], [3, 4], [5, 6], [7], [8], [9, 10], [11], [12], [13, 14]]
    cells = [Cell(3, k, (100 * g[0], 0, 100 * g[-1] + 20, 30), [words[i] for i in g]) for k, g in enumerate(groups)]
    values, headers = side_by_side(cells, [""] * len(cells), 15)
    assert [c.text for c in values] == printed and len(headers) == 15
    assert side_by_side(cells, [""] * len(cells), 14)[0] is cells  # not the row's columns: left as read
    stacked = [Cell(0, 0, (0, 0, 20, 70), [Word("16", (0, 0, 20, 30)), Word("105", (0, 40, 20, 70))])]
    assert side_by_side(stacked, [""], 2)[0] is stacked  # one over the other is no pair of columns
    spec = load_spec()["ogi2021"]
    row = Row(0, "", [], "四、政府信息公开行政复议、行政诉讼情况", cells, [""] * len(cells))
    metrics, _, _ = to_metrics([LabeledRow(row, "review_litigation", 1.0)], "ogi2021")
    ids = spec.row("review_litigation").metric_ids
    assert [metrics[m].value for m in ids] == [int(t) for t in printed]
