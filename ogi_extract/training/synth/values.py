"""Random metric values that satisfy the spec's relations (勾稽关系), as real reports do.

Leaves are drawn (counts skewed to small numbers, most applicant columns zero), totals are
summed from them, and `break_one` then spoils one relation the way misprints do.
"""

from __future__ import annotations

import numpy as np

from ogi_extract import schema
from ogi_extract.training.synth.document import Number

Values = dict[str, Number | None]
APPLICANTS = ("natural_person", "enterprise", "research_institution", "social_org", "legal_service", "other_org")


def count(rng: np.random.Generator, scale: float, zero: float = 0.0) -> int:
    """A count of typical size `scale` (log-normal), zero with probability `zero`."""
    if rng.random() < zero:
        return 0
    return int(rng.lognormal(np.log(max(scale, 1)), 1.0))


def _split(rng: np.random.Generator, total: int, weights: list[float]) -> list[int]:
    p = np.asarray(weights, dtype=float)
    return [int(x) for x in rng.multinomial(total, p / p.sum())]


def _amount(rng: np.random.Generator, scale: float) -> float:
    return round(float(rng.lognormal(np.log(scale), 1.2)), int(rng.choice([0, 1, 2])))


def ogi2008_values(rng: np.random.Generator) -> Values:
    v: Values = {}
    v["proactive.total"] = total = count(rng, 800)
    v["proactive.normative_docs"] = count(rng, 5, zero=0.3)
    v["proactive.normative_docs_issued"] = max(v["proactive.normative_docs"], count(rng, 5, zero=0.3))
    for k in ("gazette", "website", "weibo", "wechat", "other_channels"):
        v[f"proactive.{k}"] = count(rng, total / 3, zero=0.2)
    v["proactive.website"] = min(total, int(total * rng.uniform(0.4, 1.0)))
    for k in ("hotspots", "press_conferences", "online_interviews", "interpretations", "weibo_wechat", "other"):
        v[f"response.{k}"] = count(rng, 20, zero=0.2)
    v["response.press_conferences_by_head"] = int(v["response.press_conferences"] * rng.uniform(0, 0.6))
    v["response.online_interviews_by_head"] = int(v["response.online_interviews"] * rng.uniform(0, 0.6))
    ways = _split(rng, count(rng, 60, zero=0.1), [2, 0.3, 6, 1.5])
    for k, n in zip(("in_person", "fax", "online", "letter"), ways):
        v[f"requests.{k}"] = n
    v["requests.received"] = received = sum(ways)
    extended = int(received * rng.uniform(0, 0.15))
    v["requests.on_time"], v["requests.extended"] = received - extended, extended
    v["requests.completed"] = received
    v["requests.answered"] = received
    kinds = ("already_public", "granted", "partially_granted", "refused", "not_this_agency", "nonexistent", "amend",
             "other_channel")
    for k, n in zip(kinds, _split(rng, received, [1, 4, 1, 1, 1.5, 1, 0.7, 0.7])):
        v[f"answers.{k}"] = n
    reasons = ("state_secret", "commercial_secret", "privacy", "security_stability", "not_gov_info", "other_legal")
    for k, n in zip(reasons, _split(rng, v["answers.refused"], [0.5, 0.5, 1, 0.5, 2, 1.5])):
        v[f"answers.refused.{k}"] = n
    for g in ("review", "litigation"):
        parts = _split(rng, count(rng, 2, zero=0.5), [4, 1, 1])
        for k, n in zip(("upheld", "corrected", "other"), parts):
            v[f"{g}.{k}"] = n
        v[f"{g}.total"] = sum(parts)
    v["complaints.total"] = count(rng, 2, zero=0.6)
    v["fees.total"] = 0 if rng.random() < 0.85 else _amount(rng, 0.05)
    v["org.offices"] = int(rng.integers(0, 4))
    v["org.reading_points"] = int(rng.integers(0, 6))
    full, part = int(rng.integers(0, 5)), int(rng.integers(0, 10))
    v["org.staff_full_time"], v["org.staff_part_time"], v["org.staff"] = full, part, full + part
    v["org.budget"] = 0 if rng.random() < 0.5 else _amount(rng, 5)
    v["training.meetings"] = count(rng, 4, zero=0.1)
    v["training.classes"] = count(rng, 2, zero=0.2)
    v["training.trainees"] = v["training.classes"] * int(rng.integers(10, 80))
    order = schema.load_spec()["ogi2008"].metric_ids
    return {k: v[k] for k in order}


def template_values(fmt: str, rng: np.random.Generator, unsplit_other: bool = False) -> Values:
    """ogi2019 / ogi2021 values: art20 items, the application matrix, table 四."""
    spec = schema.load_spec()[fmt]
    v: Values = {}
    for row in spec.rows:
        if not row.key.startswith("art20."):
            continue
        for col in row.columns:
            mid = row.metric_id(col)
            if col.key == "change":
                v[mid] = int(rng.choice([0, 0, 0, 1, -1, 2, -2, 5]))
            elif col.key == "amount":
                v[mid] = 0 if rng.random() < 0.3 else _amount(rng, 300)
            elif col.key in ("decisions", "new_published", "total_published", "in_force"):
                v[mid] = count(rng, 300, zero=0.3)
            else:
                v[mid] = count(rng, 5, zero=0.5)
    results = [r.key for r in spec.rows if r.key.startswith("applications.") and r.key not in
               ("applications.new", "applications.carried_over", "applications.total", "applications.carried_forward")]
    if unsplit_other:
        results = [k for k in results if not k.startswith("applications.other.")] + ["applications.other"]
    weights = [8 if k.endswith("granted") else 4 if k.endswith(("not_held", "other")) else 0.6 for k in results]
    cols: dict[str, dict[str, int]] = {k: {} for k in
                                      ["applications.new", "applications.carried_over", "applications.total",
                                       "applications.carried_forward", *results]}
    for i, c in enumerate(APPLICANTS):
        new = count(rng, 40 if i == 0 else 3, zero=0.1 if i == 0 else 0.7)
        carried = count(rng, 3, zero=0.6)
        forward = int((new + carried) * rng.uniform(0, 0.2))
        total = new + carried - forward
        for key, n in [("applications.new", new), ("applications.carried_over", carried),
                       ("applications.total", total), ("applications.carried_forward", forward)]:
            cols[key][c] = n
        for key, n in zip(results, _split(rng, total, weights)):
            cols[key][c] = n
    for key, per_col in cols.items():
        for c, n in per_col.items():
            v[f"{key}.{c}"] = n
        v[f"{key}.total"] = sum(per_col.values())
    for g in ("review", "litigation.direct", "litigation.after_review"):
        parts = _split(rng, count(rng, 2, zero=0.5), [4, 1, 1, 1])
        for k, n in zip(("upheld", "corrected", "other", "pending"), parts):
            v[f"{g}.{k}"] = n
        v[f"{g}.total"] = sum(parts)
    return v


def relations(fmt: str, values: Values) -> list[schema.Relation]:
    return schema.relations_for(schema.load_spec()[fmt], set(values))


def holds(rel: schema.Relation, values: Values) -> bool | None:
    """Whether lhs = sum(rhs); None when a term is missing or printed empty."""
    terms = [values.get(m) for _, m in schema.relation_terms(rel)]
    lhs = values.get(rel.lhs)
    if lhs is None or any(t is None for t in terms):
        return None
    rhs = sum(s * t for (s, _), t in zip(schema.relation_terms(rel), terms))
    return abs(lhs - rhs) < 1e-6


def break_one(fmt: str, values: Values, rng: np.random.Generator) -> str:
    """Misprint one total (off by a few) so that a relation breaks; return the relation's text."""
    rels = [r for r in relations(fmt, values) if holds(r, values)]
    rel = rels[int(rng.integers(len(rels)))]
    values[rel.lhs] = max(0, values[rel.lhs] + int(rng.choice([-3, -2, -1, 1, 2, 3, 10])))
    if holds(rel, values):  # clamped at zero: push up instead
        values[rel.lhs] += 1
    return rel.text
