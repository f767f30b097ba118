"""Evaluate the spec's arithmetic relations (勾稽关系) on the values as printed.

A break is reported, never "fixed": real reports print totals that do not add up.
"""

from __future__ import annotations

from ..schema import load_spec, relation_terms, relations_for
from .result import MetricValue, RelationCheck


def check_relations(metrics: dict[str, MetricValue], fmt_name: str) -> list[RelationCheck]:
    fmt = load_spec().formats.get(fmt_name)
    if fmt is None:
        return []
    values = {k: m.value for k, m in metrics.items()}
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
