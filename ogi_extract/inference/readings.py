"""Two readings of a scan's tables (the rules alone, then with the layout model's separators), and
what is kept of each: table by table, the reading its own relations prefer.

A report's tables are read again only where the relations doubt the first reading. The two readings
can each be right on a different table (the model's separators restore a lost column of table 四 and
lose a 第二十条 sub-table the rules had read), so the reading the relations prefer over all is
kept, but for each group of metrics that relations tie together (the applications matrix; 行政复议;
行政诉讼; in ogi2008 the requests and their answers) whose own relations prefer the other reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from ..schema import load_spec, relation_terms
from .checks import BREAK_WARNING, break_warnings, check_relations
from .result import Result

METRIC_WARNING = re.compile(r"^([a-z0-9_]+)\.[a-z0-9_.]+:")  # a warning about one metric names it first


def doubtful(result: Result) -> bool:
    """Tables whose reading the official relations do not confirm: one broken, or one left unchecked."""
    return any(r.holds is not True for r in result.relations)


def relation_score(result: Result, other: Result | None = None, group: int | None = None) -> float:
    """How well a reading of a report's tables agrees with its form's relations: each that holds as read
    +1, each value read +0.05, each broken -3 where a cell read blank counts as 0 (most of a small
    agency's cells are blank: left unchecked, a value put in the wrong row would break nothing, and a
    column of zeros lost would hold). Chosen on generator seeds 4242 and 5151: 2, 3 or 5 per break
    and 0.02-0.1 per value pick the same readings. Each cell read blank +0.01: of two readings of a
    sparse table that the relations cannot tell apart, the one that found more of its cells. Against
    `other` reading, a break counts only where that reading checks the relation too: a reading that
    lost a table's values breaks none of its relations, and must not win by that. `group`: only that
    group's relations and values."""
    fmt = result.format or ""
    groups = relation_groups(fmt)

    def ours(metric: str) -> bool:
        return group is None or groups.get(_family(metric)) == group

    broken = [r.relation for r in check_relations(result.metrics, fmt, blank=0.0) if r.holds is False and ours(r.relation)]
    if other is not None:
        checked = {r.relation for r in check_relations(other.metrics, fmt, blank=0.0) if r.holds is not None}
        broken = [r for r in broken if r in checked]
    holds = sum(r.holds is True and ours(r.relation) for r in result.relations)
    read = [v for k, v in result.values.items() if ours(k)]
    values = sum(v is not None for v in read)
    return holds - 3 * len(broken) + 0.05 * values + 0.01 * (len(read) - values)


def preferred(first: Result, second: Result) -> Result:
    """The reading the relations prefer over all, with each group of metrics whose own relations prefer
    the other reading taken from that one (its cells, and the groups no relation checks, stay with
    the reading preferred over all)."""
    groups = relation_groups(first.format or "")
    kept, other = (second, first) if relation_score(second, first) > relation_score(first, second) else (first, second)
    taken = {g for g in set(groups.values()) if relation_score(other, kept, g) > relation_score(kept, other, g)}
    note = "tables read with the layout model's separators: the relations hold better than on the rules alone"
    if not taken:
        if kept is second:
            second.warnings.append(note)
        return kept

    def swapped(metric: str) -> bool:
        return groups.get(_family(metric)) in taken

    metrics = {k: m for k, m in kept.metrics.items() if not swapped(k)} | {
        k: m for k, m in other.metrics.items() if swapped(k)}
    relations = check_relations(metrics, kept.format or "")
    warnings = [w for w in kept.warnings if not _about(w, swapped) and not w.startswith(BREAK_WARNING)]
    warnings += [w for w in other.warnings if _about(w, swapped)] + break_warnings(relations)
    families = ", ".join(sorted(f for f, g in groups.items() if g in taken))
    warnings.append(f"{note} ({families if other is second else 'all but ' + families})")
    return kept.model_copy(update={"metrics": metrics, "relations": relations, "warnings": warnings})


def _about(warning: str, test: Callable[[str], bool]) -> bool:
    """A warning about one metric, which `test` accepts."""
    m = METRIC_WARNING.match(warning)
    return m is not None and test(warning.split(":", 1)[0])


def _family(metric_or_relation: str) -> str:
    return metric_or_relation.split(".", 1)[0]


@cache
def relation_groups(fmt_name: str) -> dict[str, int]:
    """Metric families (applications, review, …) tied together by the format's relations, each family
    to its group's number; a family no relation names is in none."""
    fmt = load_spec().formats.get(fmt_name)
    groups: list[set[str]] = []
    for rel in fmt.relations if fmt else []:
        linked = {_family(rel.lhs)} | {_family(t) for _, t in relation_terms(rel)}
        joined = [g for g in groups if g & linked]
        groups = [g for g in groups if not g & linked] + [linked.union(*joined)]
    return {family: i for i, g in enumerate(groups) for family in g}
