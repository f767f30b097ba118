"""Evaluate the spec's arithmetic relations (勾稽关系) on the values as printed.

A break is reported, never "fixed": real reports print totals that do not add up.
"""

from __future__ import annotations

import re

from ..schema import load_spec, relation_terms, relations_for
from ..types import Document
from .result import MetricValue, RelationCheck

_NUMBERING = re.compile(r"^(其中[：:])?")


def check_relations(metrics: dict[str, MetricValue], fmt_name: str, blank: float | None = None) -> list[RelationCheck]:
    """`blank`: what a cell read as blank counts as (None: it leaves its relations unchecked)."""
    fmt = load_spec().formats.get(fmt_name)
    if fmt is None:
        return []
    values = {k: blank if m.value is None else m.value for k, m in metrics.items()}
    checks = []
    for rel in relations_for(fmt, set(values)):
        terms = relation_terms(rel)
        ids = [rel.lhs] + [t for _, t in terms]
        if not any(i in values for i in ids):
            continue  # a table the report does not print
        missing = [i for i in ids if values.get(i) is None]
        if missing:
            checks.append(RelationCheck(relation=rel.text, holds=None, missing=missing))
            continue
        rhs = sum(sign * values[t] for sign, t in terms)
        lhs = values[rel.lhs]
        checks.append(RelationCheck(relation=rel.text, holds=abs(lhs - rhs) < 1e-6 * max(1.0, abs(lhs)),
                                    lhs=lhs, rhs=round(rhs, 6)))
    return checks


BREAK_WARNING = "relation breaks as printed"


def break_warnings(relations: list[RelationCheck]) -> list[str]:
    """A warning for each relation the values as printed break."""
    return [f"{BREAK_WARNING}: {r.relation} ({r.lhs} != {r.rhs})" for r in relations if r.holds is False]


def _inside(box, tables) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(t.box[0] <= cx <= t.box[2] and t.box[1] <= cy <= t.box[3] for t in tables)


def prose_text(doc: Document) -> str:
    """The narrative: words outside every table, in reading order."""
    return "".join(
        w.text for p in doc.pages for w in sorted(p.words or [], key=lambda w: (w.box[1], w.box[0]))
        if not _inside(w.box, p.tables)
    )


def prose_cross_check(doc: Document, metrics: dict[str, MetricValue], fmt_name: str) -> list[str]:
    """Warn where the narrative states a metric (its official label, then a number) differently from the table.

    The table stays the truth (it is what the report prints as its statistics); the warning
    tells a reader where the report contradicts itself.
    """
    fmt = load_spec().formats.get(fmt_name)
    if fmt is None:
        return []
    prose = re.sub(r"\s+", "", prose_text(doc))
    warnings = []
    for row in fmt.rows:
        label = _NUMBERING.sub("", row.label).split("（")[0]
        if len(row.columns) != 1 or len(label) < 5:
            continue
        m = metrics.get(row.key)
        if m is None or m.value is None:
            continue
        for said in re.findall(re.escape(label) + r"[^\d，。；]{0,3}?(\d+(?:\.\d+)?)", prose):
            if float(said) != float(m.value):
                warnings.append(f"{row.key}: the narrative says {said}, the table prints {m.raw}")
    return warnings
