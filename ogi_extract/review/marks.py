"""What a reviewer must see on each page: outlines of tables, cells and values, and what needs a look.

Pure logic over a `Result` (no images, no HTML), so the rules are tested on their own: a value
needs a look when its confidence is low or it is a term of a relation that breaks as printed; an
unmapped row needs a look (a row the classifier could not place may be a missed metric).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..inference.result import Result
from ..types import BBox, union


@dataclass
class Mark:
    kind: str  # table | cell | value | unmapped
    box: BBox
    title: str = ""
    flags: list[str] = field(default_factory=list)  # low | break | unmapped
    ref: str = ""  # the id of the list entry it belongs to

    @property
    def needs_look(self) -> bool:
        return bool(self.flags)


@dataclass
class Entry:
    """One line of the side list: a value, an unmapped row or a relation break."""

    ref: str
    kind: str  # value | unmapped | break
    page: int | None
    text: dict[str, str]
    flags: list[str] = field(default_factory=list)


def broken_metric_ids(result: Result) -> set[str]:
    """Metric ids that appear in a relation which breaks as printed."""
    ids: set[str] = set()
    for r in result.breaks:
        ids |= {t for t in re.findall(r"[A-Za-z0-9_.]+", r.relation) if t in result.metrics}
    return ids


def table_numbers(cells) -> list[int]:
    """The table each cell belongs to: a result lists cells table by table, each from row 0, column 0."""
    out, n = [], -1
    for i, c in enumerate(cells):
        if i == 0 or (c.row == 0 and c.col == 0) or c.page != cells[i - 1].page:
            n += 1
        out.append(n)
    return out


def _tables(cells) -> list[BBox]:
    """Table outlines (the union of each table's cells)."""
    numbers = table_numbers(cells)
    return [union([c.box for c, k in zip(cells, numbers) if k == n]) for n in sorted(set(numbers))]


def page_marks(result: Result, low_confidence: float) -> tuple[dict[int, list[Mark]], list[Entry]]:
    """Marks per 1-based page, and the side list, both from one result."""
    marks: dict[int, list[Mark]] = {p: [] for p in range(1, result.pages + 1)}
    broken = broken_metric_ids(result)
    for page in marks:
        cells = [c for c in result.cells if c.page == page]
        marks[page] += [Mark("table", box) for box in _tables(cells)]
        marks[page] += [Mark("cell", c.box, c.text) for c in cells]
    entries: list[Entry] = []
    for i, (mid, m) in enumerate(sorted(result.metrics.items(), key=lambda kv: (kv[1].page, (kv[1].box or (0, 0))[1]))):
        flags = (["low"] if m.confidence < low_confidence else []) + (["break"] if mid in broken else [])
        ref = f"v{i}"
        entries.append(Entry(ref, "value", m.page, {
            "metric": mid, "value": "" if m.value is None else f"{m.value:g}", "raw": m.raw, "label": m.label,
            "confidence": f"{m.confidence:.2f}", "source": m.source}, flags))
        if m.box and m.page in marks:
            marks[m.page].append(Mark("value", m.box, f"{mid} = {m.raw} ({m.confidence:.2f}, {m.source})", flags, ref))
    for i, u in enumerate(result.unmapped):
        ref = f"u{i}"
        entries.append(Entry(ref, "unmapped", u.page, {
            "label": " / ".join([*u.parents, u.label]), "values": " ".join(u.values),
            "confidence": f"{u.probability:.2f}"}, ["unmapped"]))
        for c in result.cells:
            if c.page == u.page and c.text and c.text == u.label and c.page in marks:
                marks[c.page].append(Mark("unmapped", c.box, f"unmapped row: {u.label}", ["unmapped"], ref))
    for i, r in enumerate(result.breaks):
        entries.append(Entry(f"b{i}", "break", None, {"relation": r.relation, "printed": f"{r.lhs:g} ≠ {r.rhs:g}"},
                             ["break"]))
    return marks, entries
