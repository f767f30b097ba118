"""Choose the joint reading of a report's value cells that satisfies the most relations, at highest likelihood.

Every value read from a scan carries its alternatives with probabilities (values.readings_of:
the page OCR's reading and the cell recognizer's top-k). Most tables add up as read; where a
relation breaks, some cell in it may be misread, and the alternatives say which readings are
plausible.

Method: a beam search over sets of changed cells (constraint search), not integer programming.
Candidates are few and discrete per cell, relations are sparse sums, and a misread table has one
or two wrong cells, so searching over "which cells take which alternative", up to MAX_CHANGES
cells, with every state scored exactly (relations holding, then log-likelihood) finds the optimum
an ILP would for that many changes, with no solver dependency and in milliseconds. Only cells in
broken relations are candidates; an alternative must be supported (probability >= MIN_SUPPORT,
and at least MIN_RATIO of the reading it replaces), and a reading surer than KEEP is never
replaced; a change must make more relations hold and
must break none that held. So a confidently read printed inconsistency (a total misprinted in
the report itself) has no supported alternative and stays as printed, flagged as a break; and no
value is ever written that no reading supports.

A second pass, the first one's changes fixed, fills cells left empty whose ink the recognizer read
below the fill threshold (a faint fax digit): the relations they alone kept from being checked
choose among their readings, never a sure blank, and no fill may make a relation break.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..schema import Relation, load_spec, relation_terms, relations_for
from .result import MetricValue, Number
from .values import parse_number

MIN_SUPPORT = 0.05  # an alternative below this probability is noise, not a reading
MIN_RATIO = 0.02  # nor one this much less likely than the reading it would replace
KEEP = 0.9  # a reading this sure is what the report prints, even where its table does not add up
Reread = Callable[[int, tuple[float, float, float, float]], list[tuple[str, float]]]
MAX_CHANGES = 3
BEAM = 6


@dataclass(frozen=True)
class Change:
    metric: str
    value: Number | None
    probability: float


def holds(rel: Relation, values: dict[str, Number | None]) -> bool | None:
    """True/False when every term has a value; None when one is missing."""
    terms = relation_terms(rel)
    if values.get(rel.lhs) is None or any(values.get(t) is None for _, t in terms):
        return None
    lhs = values[rel.lhs]
    rhs = sum(sign * (values[t] or 0) for sign, t in terms)
    return abs((lhs or 0) - rhs) < 1e-6 * max(1.0, abs(lhs or 0))


def _probability(m: MetricValue, value: Number | None) -> float:
    return next((p for v, p in m.alternatives if v == value), 0.0)


def candidates(metrics: dict[str, MetricValue], ids: set[str]) -> list[Change]:
    """Supported alternatives of the metrics `ids` (each differing from the value as read)."""
    out = []
    for mid in sorted(ids):
        m = metrics.get(mid)
        if m is None or m.source == "text_layer":
            continue
        current = max(_probability(m, m.value), 1e-9)
        if current >= KEEP:
            continue
        out += [Change(mid, v, p) for v, p in m.alternatives
                if v != m.value and v is not None and p >= MIN_SUPPORT and p >= MIN_RATIO * current]
    return out


def more_readings(metrics: dict[str, MetricValue], ids: set[str], reread: Reread) -> dict[str, MetricValue]:
    """The suspects' alternatives with the page recognizer's re-readings joined in (weight 1/3)."""
    out = dict(metrics)
    for mid in ids:
        m = metrics.get(mid)
        if m is None or m.source not in ("ocr", "cell-recognizer") or m.box is None or not m.alternatives or parse_number(m.raw).unit:
            continue
        extra: dict[Number | None, float] = {}
        for text, p in reread(m.page, m.box):
            parsed = parse_number(text)
            if parsed.ok and not parsed.unit:
                extra[parsed.value] = extra.get(parsed.value, 0.0) + p
        scores = {v: 2 * p / 3 for v, p in m.alternatives}
        for v, p in extra.items():
            scores[v] = scores.get(v, 0.0) + p / 3
        out[mid] = m.model_copy(update={"alternatives": sorted(((v, round(p, 4)) for v, p in scores.items()),
                                                               key=lambda vp: -vp[1])})
    return out


def unread(metrics: dict[str, MetricValue], rels: list[Relation], base: list[bool | None]) -> set[str]:
    """Cells left empty that hold ink the recognizer read (a faint digit below the fill threshold),
    in relations they alone keep from being checked: a reading that makes such a relation hold fills them."""
    out = set()
    for rel, held in zip(rels, base):
        if held is None and all(t in metrics for t in _terms(rel)):
            empty = [t for t in _terms(rel) if metrics[t].value is None]
            if all(metrics[t].alternatives for t in empty):
                out |= set(empty)
    return out


def _terms(rel: Relation) -> list[str]:
    return [rel.lhs] + [t for _, t in relation_terms(rel)]


def solve(metrics: dict[str, MetricValue], fmt_name: str,
          reread: Reread | None = None) -> tuple[dict[str, MetricValue], list[str]]:
    """Metrics with relation-corrected values where supported alternatives make more relations hold; warnings.

    `reread(page, box)`, when given, reads a suspect cell again (values.readings_of's sources are
    the page OCR and the cell recognizer; this adds the page recognizer's top-k at other scales and
    binarisations), only for cells in broken relations, so it costs nothing on a table that adds up."""
    fmt = load_spec().formats.get(fmt_name)
    if fmt is None or not any(m.alternatives for m in metrics.values()):
        return metrics, []
    rels = relations_for(fmt, set(metrics))
    metrics, warnings = _correct(metrics, rels, broken_terms, reread)
    filled, more = _correct(metrics, rels, unread)  # then the unread cells, the corrected values fixed
    return filled, warnings + more


def broken_terms(metrics: dict[str, MetricValue], rels: list[Relation], base: list[bool | None]) -> set[str]:
    """Every term of the relations that break as read."""
    return {t for rel, held in zip(rels, base) if held is False for t in _terms(rel)}


def _correct(metrics: dict[str, MetricValue], rels: list[Relation],
             suspects_of: Callable[[dict[str, MetricValue], list[Relation], list[bool | None]], set[str]],
             reread: Reread | None = None) -> tuple[dict[str, MetricValue], list[str]]:
    """The best supported changes to the suspects' values, applied; a warning each."""
    base = [holds(r, {k: m.value for k, m in metrics.items()}) for r in rels]
    suspects = suspects_of(metrics, rels, base)
    if not suspects:
        return metrics, []
    if reread is not None:
        metrics = more_readings(metrics, suspects, reread)
    best = _search(metrics, rels, base, candidates(metrics, suspects))
    out, warnings = dict(metrics), []
    for c in best:
        m = metrics[c.metric]
        out[c.metric] = m.model_copy(update={
            "value": c.value, "source": "relation-corrected", "original": m.raw,
            "original_probability": round(_probability(m, m.value), 4), "confidence": round(min(m.confidence, c.probability), 4)})
        warnings.append(f"{c.metric}: read {m.raw!r} (p={_probability(m, m.value):.2f}), corrected to {c.value} "
                        f"(p={c.probability:.2f}) so that the table's relations hold")
    return out, warnings


def _search(metrics: dict[str, MetricValue], rels: list[Relation], base: list[bool | None],
            changes: list[Change]) -> tuple[Change, ...]:
    """The best set of at most MAX_CHANGES changes (one per metric), or () when none improves the table."""
    values0 = {k: m.value for k, m in metrics.items()}
    held = sum(h is True for h in base)

    def score(state: tuple[Change, ...]) -> tuple[int, float] | None:
        values = dict(values0, **{c.metric: c.value for c in state})
        now = [holds(r, values) for r in rels]
        if any(b is not False and h is False or b is True and h is not True for b, h in zip(base, now)):
            return None  # never break a relation that held, nor fill a cell so that one breaks
        loglik = sum(math.log(c.probability) - math.log(max(_probability(metrics[c.metric], values0[c.metric]), 1e-9))
                     for c in state)
        return sum(h is True for h in now), loglik

    beam: list[tuple[tuple[int, float], tuple[Change, ...]]] = [((held, 0.0), ())]
    best: tuple[tuple[int, float], tuple[Change, ...]] = beam[0]
    for _ in range(MAX_CHANGES):
        grown = {}
        for _, state in beam:
            used = {c.metric for c in state}
            for c in changes:
                if c.metric in used:
                    continue
                new = tuple(sorted(state + (c,), key=lambda x: (x.metric, str(x.value))))
                if new not in grown and (s := score(new)) is not None:
                    grown[new] = s
        if not grown:
            break
        beam = sorted(((s, st) for st, s in grown.items()), key=lambda x: (-x[0][0], -x[0][1]))[:BEAM]
        if beam[0][0] > best[0]:
            best = beam[0]
    return best[1] if best[0][0] > held else ()
