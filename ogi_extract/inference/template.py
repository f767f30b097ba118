"""Rows whose label could not be read, placed by the official form.

The forms of 2019 and 2021 print their rows in one fixed order. A fax or a heavy scan can break a
short label past reading (规章 read as 川中, or nothing), which leaves its values unmapped. Between
two rows that were read, the rows of the form that lie between them and were found nowhere else
are what those unread rows must be, when the counts agree exactly and each row's values fit.
Anything less sure is left unmapped: a placed row is a guess by position, said so in a warning.
"""

from __future__ import annotations

from ogi_extract.inference.layout import is_number
from ogi_extract.schema import UNMAPPED, load_spec
from ogi_extract.types import LabeledRow, Row

FIXED_FORMS = ("ogi2019", "ogi2021")  # the 2008 table varies too much between agencies
PLACED_PROBABILITY = 0.5  # a row's confidence when placed by position, not read


def place_unread_rows(labeled: list[LabeledRow], fmt_name: str) -> tuple[list[LabeledRow], list[str]]:
    """`labeled` with unmapped rows placed where the form leaves exactly their place; warnings."""
    fmt = load_spec().formats.get(fmt_name)
    if fmt is None or fmt_name not in FIXED_FORMS:
        return labeled, []
    form = fmt.rows
    index = {r.key: i for i, r in enumerate(form)}
    found = {lr.target for lr in labeled}
    anchors = [i for i, lr in enumerate(labeled) if lr.target in index]
    out, warnings = list(labeled), []
    for before, after in zip([-1, *anchors], [*anchors, len(labeled)]):
        lo = index[labeled[before].target] if before >= 0 else -1
        hi = index[labeled[after].target] if after < len(labeled) else len(form)
        missing = form[lo + 1:hi]  # every form row between the two read ones, none of them read elsewhere
        unread = [i for i in range(before + 1, after) if labeled[i].target == UNMAPPED]
        if not missing or len(unread) != len(missing) or any(r.key in found for r in missing):
            continue
        rows = [labeled[i].row for i in unread]
        if not all(_fits(row, len(spec.columns)) for row, spec in zip(rows, missing)):
            continue
        for i, row, spec in zip(unread, rows, missing):
            out[i] = LabeledRow(row, spec.key, PLACED_PROBABILITY)
            warnings.append(f"page {row.page + 1}: a row whose label reads {row.label!r} is taken as "
                            f"{spec.label} by its place in the official table")
    return out, warnings


def _fits(row: Row, n: int) -> bool:
    """The row's value cells fit a form row of n columns: n of them, a number among them, and
    beyond them only empty cells under no header (a column a scan's noise added at the table's edge)."""
    extra = range(n, len(row.values))
    return len(row.values) >= n and any(is_number(c.text) for c in row.values[:n]) and not any(
        row.values[i].text or i < len(row.headers) and row.headers[i] for i in extra)
