"""Unread row labels placed by the official form: only where the form leaves exactly their place."""

from __future__ import annotations

import pytest

from ogi_extract.inference.template import PLACED_PROBABILITY, place_unread_rows
from ogi_extract.models.labels import LabelClassifier
from ogi_extract.schema import UNMAPPED
from ogi_extract.types import Cell, Row, Word

SECTION = "二、主动公开政府信息情况"


def row(label: str, values: list[str]) -> Row:
    cells = [Cell(0, i, (0, 0, 1, 1), [Word(v, (0, 0, 1, 1))] if v else []) for i, v in enumerate(values)]
    return Row(page=0, label=label, parents=[], section=SECTION, values=cells, headers=[])


@pytest.fixture(scope="module")
def clf() -> LabelClassifier:
    return LabelClassifier.default()


def art20(first: Row) -> list[Row]:
    """The 2021 form's article-20 rows, the first one as given."""
    return [first, row("行政规范性文件", ["7", "0", "112"]), row("行政许可", ["40"]), row("行政处罚", ["573"])]


def test_a_row_broken_past_reading_takes_the_one_place_the_form_leaves(clf):
    labeled = clf.predict(art20(row("川中", ["0", "0", "1"])), "ogi2021")
    assert labeled[0].target == UNMAPPED  # the classifier cannot know it
    placed, warnings = place_unread_rows(labeled, "ogi2021")
    assert [lr.target for lr in placed[:2]] == ["art20.rules", "art20.normative"]
    assert placed[0].probability == PLACED_PROBABILITY and placed[1:] == labeled[1:]
    assert warnings == ["page 1: a row whose label reads '川中' is taken as 规章 by its place in the official table"]


@pytest.mark.parametrize("first", [row("川中", ["0", "1"]),  # two values where the form prints three
                                   row("川中", ["", "", ""])])  # no number at all
def test_a_row_that_does_not_fit_its_place_stays_unmapped(clf, first):
    labeled = clf.predict(art20(first), "ogi2021")
    assert place_unread_rows(labeled, "ogi2021") == (labeled, [])


def test_an_empty_cell_beyond_the_forms_columns_under_no_header_does_not_stop_the_placing(clf):
    """A scan's noise at the table's right edge added a column: every row has one empty cell more
    than the form prints. Under a header, or holding text, the extra cell still keeps the row out."""
    first = row("川中", ["0", "0", "1", ""])
    first.headers = ["本年制发件数", "本年废止件数", "现行有效件数", ""]
    placed, warnings = place_unread_rows(clf.predict(art20(first), "ogi2021"), "ogi2021")
    assert placed[0].target == "art20.rules" and len(warnings) == 1
    for values, header in ((["0", "0", "1", "5"], ""), (["0", "0", "1", ""], "备注")):
        other = row("川中", values)
        other.headers = ["本年制发件数", "本年废止件数", "现行有效件数", header]
        labeled = clf.predict(art20(other), "ogi2021")
        assert place_unread_rows(labeled, "ogi2021") == (labeled, [])


def test_two_unread_rows_for_one_place_are_left_alone(clf):
    labeled = clf.predict([row("川中", ["0", "0", "1"]), *art20(row("川中", ["0", "0", "1"]))], "ogi2021")
    assert place_unread_rows(labeled, "ogi2021") == (labeled, [])


def test_the_2008_table_is_never_placed_by_position(clf):
    labeled = clf.predict(art20(row("川中", ["0", "0", "1"])), "ogi2008")
    assert place_unread_rows(labeled, "ogi2008") == (labeled, [])
