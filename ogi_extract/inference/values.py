"""Labeled rows -> metric values: numbers as printed, in the metric's unit, current-year column only."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from ..schema import UNMAPPED, Column, FormatSpec, RowSpec, load_spec
from ..types import Cell, LabeledRow
from .layout import as_digits, is_number
from .layout.text import DIGIT_LOOKALIKES
from .result import MetricValue, UnmappedRow

_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(.*)$")
_EMPTY = {"", "-", "--", "—", "——", "/", "无", "－", "―", "一"}
# A speck read as a comma after the digits (18,). Not a dot or a dash: a fax breaks the last digit
# into one (305 read as "30.").
_TRAILING_SPECK = re.compile(r"(?<=\d),+$")
_CUMULATIVE = ("累计", "历年")
_NOT_VALUES = ("代码", "编码", "序号", "行次", "栏次", "编号")  # columns of row codes (01, 02, …), not values
# A value cell's number may also have been read with D or 。 for a 0; the table's structure
# (layout.text.as_digits) does not count those as digits: 。 alone is a placeholder there.
_OCR_DIGITS = str.maketrans({**DIGIT_LOOKALIKES, "D": "0", "。": "0"})
_YUAN_TO_WAN = {("元", "万元"): 1e-4}
MAX_DIGITS = 18  # int() refuses 4,301+ digits and float() overflows to inf long before that matters
UNITS = ("万元", "人次", "元", "条", "件", "个", "人", "次", "篇", "项")


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    unit: str | None  # a unit printed inside the cell (`19 项`, `1710.15万元`)
    ok: bool  # False when the cell holds text that is not a number


def parse_number(text: str) -> Parsed:
    """Read a value cell as printed: separators, decimals, signs (本年增/减), units inside the cell."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if t in _EMPTY:
        return Parsed(None, None, True)
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t).replace("，", "")
    t = _TRAILING_SPECK.sub("", t)
    return _number(t) or _number(t.translate(_OCR_DIGITS)) or Parsed(None, None, False)


def _number(t: str) -> Parsed | None:
    m = _NUMBER.match(t)
    if not m:
        return None
    sign, digits, rest = m.groups()
    rest = rest.strip("()（）")
    unit = next((u for u in UNITS if rest.startswith(u)), None)
    if rest and unit is None:
        return None
    if len(digits) > MAX_DIGITS:  # no count in a report is this long: OCR run-on or junk, not a value
        return None
    number: int | float = float(digits) if "." in digits else int(digits)
    return Parsed(-number if sign == "-" else number, unit, True)


def convert_unit(value: int | float | None, printed: str | None, wanted: str | None) -> int | float | None:
    factor = _YUAN_TO_WAN.get((printed or "", wanted or ""))
    if value is None or factor is None:
        return value
    return round(value * factor, 6)


def _is_current(header: str) -> bool:
    return not any(k in header for k in _CUMULATIVE + _NOT_VALUES)


def assign_columns(spec: RowSpec, cells: list[Cell], headers: list[str]) -> list[tuple[Column, int]]:
    """Match the row's value cells to the spec's columns.

    Equal counts map by position (the official tables fix the order); otherwise column
    headers decide, so a cumulative column or an extra column is left out.
    """
    cols = spec.columns
    headers = headers + [""] * (len(cells) - len(headers))
    if len(cols) == 1:
        current = [i for i, h in enumerate(headers) if _is_current(h)] or list(range(len(cells)))
        numeric = [i for i in current if cells[i].text]
        i = (numeric or current or [0])[0]
        return [(cols[0], i)] if cells else []
    if len(cells) == len(cols) or not any(headers):
        return list(zip(cols, range(len(cells))))
    score = [[fuzz.partial_ratio(c.label, h) if h else 0.0 for h in headers] for c in cols]
    rows, picks = linear_sum_assignment(score, maximize=True)
    return [(cols[r], int(k)) for r, k in zip(rows, picks)]


def side_by_side(cells: list[Cell], headers: list[str], n: int) -> tuple[list[Cell], list[str]]:
    """A row's value cells, each cell holding numbers side by side on one line cut into one cell a
    number, when that gives the row's n columns and the cells were fewer: a column rule lost
    through the whole table (行政复议 … 行政诉讼's 15 counts read as 11 cells, "0 2" in one)."""
    out: list[tuple[Cell, str]] = []
    for i, cell in enumerate(cells):
        header = headers[i] if i < len(headers) else ""
        words = sorted(cell.words, key=lambda w: w.box[0])
        apart = len(words) > 1 and all(is_number(as_digits(w.text)) for w in words) and all(
            a.box[2] <= b.box[0] and a.box[1] < (b.box[1] + b.box[3]) / 2 < a.box[3] for a, b in zip(words, words[1:]))
        out += [(Cell(cell.row, cell.col, w.box, [w]), header) for w in words] if apart else [(cell, header)]
    if len(cells) >= n or len(out) != n:
        return cells, headers
    return [c for c, _ in out], [h for _, h in out]


def _source(cells: list[Cell], cell: Cell) -> str:
    words = cell.words or [w for c in cells for w in c.words]
    return words[0].source if words else "ocr"


def _markup_position(cell: Cell) -> dict:
    """Where an HTML/Word cell sits in its source: table number (1-based) and grid (row, col)."""
    return {"table": cell.ref[0] + 1, "cell": cell.ref[1:]} if cell.ref else {}


def readings_of(cell: Cell, unit: str | None, wanted: str | None) -> list[tuple[int | float | None, float]]:
    """The cell's values with probabilities, likeliest first: the average of the page OCR's (its one reading,
    at its confidence) and the cell recognizer's top-k; the recognizer's alone for a cell OCR left empty
    (no recognition is no evidence); none when the cell was not re-read (digital text)."""
    if not cell.readings:
        return []
    scores: dict[int | float | None, float] = {}
    page_ocr = [cell.replaced] if cell.replaced else \
        [(cell.text, cell.confidence)] if cell.words and cell.words[0].source != "cell-recognizer" else []
    weight = 0.5 if page_ocr else 1.0
    for text, p in page_ocr + cell.readings:
        parsed = parse_number(text)
        if parsed.ok:
            value = convert_unit(parsed.value, parsed.unit or unit, wanted)
            scores[value] = scores.get(value, 0.0) + p * weight
    return sorted(((v, round(p, 4)) for v, p in scores.items()), key=lambda vp: -vp[1])


def _row_spec(fmt: FormatSpec | None, key: str) -> RowSpec | None:
    if fmt is not None:
        found = [r for r in fmt.all_rows if r.key == key]
        if found:
            return found[0]
    return load_spec().targets().get(key)


def _unit_hint(row_unit: str | None, header: str, parsed: Parsed) -> str | None:
    if parsed.unit:
        return parsed.unit
    for text in (row_unit or "", header):
        m = re.search(r"(万元|元)", text)
        if m:
            return m.group(1)
    return None


def to_metrics(
    labeled: list[LabeledRow], fmt_name: str, dpi: int | None = None
) -> tuple[dict[str, MetricValue], list[UnmappedRow], list[str]]:
    """Turn labeled rows into metric values; rows that mean no metric are returned as unmapped."""
    fmt = load_spec().formats.get(fmt_name)
    metrics: dict[str, MetricValue] = {}
    unmapped: list[UnmappedRow] = []
    warnings: list[str] = []
    for lr in labeled:
        row = lr.row
        spec = None if lr.target == UNMAPPED else _row_spec(fmt, lr.target)
        if spec is None:
            if any(c.text for c in row.values) or row.label:
                unmapped.append(UnmappedRow(label=row.label, parents=row.parents, values=[c.text for c in row.values],
                                            page=row.page + 1, probability=lr.probability))
            continue
        values, headers = row.values, row.headers
        if row.spare is not None and sum(is_number(c.text) for c in values) < len(spec.columns):
            values, headers = [row.spare, *values], ["", *headers]
        values, headers = side_by_side(values, headers, len(spec.columns))
        for col, i in assign_columns(spec, values, headers):
            cell = values[i]
            mid = spec.metric_id(col)
            parsed = parse_number(cell.text)
            if not parsed.ok:
                warnings.append(f"page {row.page + 1}: {mid}: not a number: {cell.text!r}")
            header = headers[i] if i < len(headers) else ""
            hint = _unit_hint(row.unit, header, parsed)
            candidate = MetricValue(
                value=convert_unit(parsed.value, hint, col.unit),
                raw=cell.text, label=row.label, page=row.page + 1, box=None if cell.ref else cell.box,
                dpi=None if cell.ref else dpi, confidence=round(lr.probability * cell.confidence, 4),
                source=_source(values, cell), alternatives=readings_of(cell, hint, col.unit),
                original=cell.replaced[0] if cell.replaced else None,
                original_probability=round(cell.replaced[1], 4) if cell.replaced else None,
                **_markup_position(cell),
            )
            old = metrics.get(mid)
            if old is not None:
                warnings.append(f"{mid}: read twice (pages {old.page} and {candidate.page}); kept the surer one")
                if old.confidence >= candidate.confidence:
                    continue
            metrics[mid] = candidate
    return metrics, unmapped, warnings
