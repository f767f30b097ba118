"""Scoring predicted records against truth: pure functions and small evaluators.

A *record* is one predictions-JSONL line (`Result.to_record()`, or a peer's line of the same
shape) or one truth file: `{"agency", "year", "format", "metrics": {id: number | null}}`, plus,
optionally, `"cells": [{"page", "box"}]` (table cells, boxes in page pixels), and for a
prediction `"seconds"` (wall time) and `"pages"`.

Each evaluator is called on a list of `Sample`s and returns a dict of numbers with one
`primary_metric` among them (the pattern of sentence-transformers' evaluators), so a breakdown
(per format, per degradation) is the same evaluator applied to a subset.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

Number = int | float
Metrics = Mapping[str, Number | None]


@dataclass
class Sample:
    """One document: its truth and one system's prediction, with the benchmark's labels."""

    doc_id: str
    truth: dict
    prediction: dict
    degradation: str = "clean"
    kind: str = "digital"
    source: str = ""
    pages: int = 0

    @property
    def format(self) -> str:
        return self.truth.get("format") or "other"


def same_value(truth: Number | None, predicted: Number | None) -> bool:
    """Exact numeric match: null only equals null (null vs 0 is wrong); 3 == 3.0."""
    if truth is None or predicted is None:
        return truth is None and predicted is None
    if isinstance(truth, bool) or isinstance(predicted, bool):
        return False
    return math.isclose(float(truth), float(predicted), rel_tol=1e-12, abs_tol=1e-9)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """With nothing predicted: 1 if there was nothing to find, else 0 (as F1 does)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)

    @property
    def f1(self) -> float:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else 1.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def field_counts(truth: Metrics, predicted: Metrics, keep: Callable[[str], bool] = lambda _: True) -> Counts:
    """A wrong value is both a false positive and a false negative; an extra id is a false
    positive, a missing id a false negative."""
    c = Counts()
    for mid in set(truth) | set(predicted):
        if not keep(mid):
            continue
        if mid in truth and mid in predicted:
            ok = same_value(truth[mid], predicted[mid])
            c += Counts(tp=int(ok), fp=int(not ok), fn=int(not ok))
        elif mid in predicted:
            c.fp += 1
        else:
            c.fn += 1
    return c


def metric_group(metric_id: str, fmt: str) -> str:
    """art20 / applications / review_litigation for the template formats; ogi2008.<section>."""
    head = metric_id.split(".", 1)[0]
    if fmt == "ogi2008":
        return f"ogi2008.{head}"
    return head if head in ("art20", "applications") else "review_litigation"


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area > 0 else 0.0


def cell_counts(truth: list[dict], predicted: list[dict], threshold: float = 0.5) -> Counts:
    """One-to-one matching of cell boxes per page (Hungarian on IoU); a match needs IoU >= threshold."""
    c = Counts()
    pages = {cell["page"] for cell in truth} | {cell["page"] for cell in predicted}
    for page in pages:
        t = [cell["box"] for cell in truth if cell["page"] == page]
        p = [cell["box"] for cell in predicted if cell["page"] == page]
        matched = 0
        if t and p:
            m = np.array([[iou(a, b) for b in p] for a in t])
            rows, cols = linear_sum_assignment(-m)
            matched = int((m[rows, cols] >= threshold).sum())
        c += Counts(tp=matched, fp=len(p) - matched, fn=len(t) - matched)
    return c


class Evaluator:
    name = "evaluator"
    primary_metric = ""

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        raise NotImplementedError

    def primary(self, samples: Sequence[Sample]) -> float:
        return self(samples)[self.primary_metric]


class FieldF1(Evaluator):
    """Micro precision/recall/F1 over metric fields, optionally of one metric group only."""

    name = "fields"
    primary_metric = "f1"

    def __init__(self, group: str | None = None):
        self.group = group

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        total = Counts()
        for s in samples:
            total += field_counts(s.truth.get("metrics", {}), s.prediction.get("metrics") or {}, self._keep(s.format))
        return total.as_dict()

    def _keep(self, fmt: str) -> Callable[[str], bool]:
        return (lambda m: metric_group(m, fmt) == self.group) if self.group else (lambda _: True)


class DocumentExactMatch(Evaluator):
    """Share of documents whose every field is right (no missing, extra or wrong id)."""

    name = "documents"
    primary_metric = "exact_match"

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        exact = [field_counts(s.truth.get("metrics", {}), s.prediction.get("metrics") or {}).f1 == 1.0
                 for s in samples]
        return {"exact_match": float(np.mean(exact)) if exact else math.nan, "n": len(exact)}


class ReportFields(Evaluator):
    """Accuracy of agency, year and format; the primary metric is their mean."""

    name = "report_fields"
    primary_metric = "accuracy"

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        out = {}
        for key in ("agency", "year", "format"):
            hits = [_norm(s.truth.get(key)) == _norm(s.prediction.get(key)) for s in samples]
            out[key] = float(np.mean(hits)) if hits else math.nan
        out["accuracy"] = float(np.mean([out["agency"], out["year"], out["format"]]))
        return out


def _norm(v: object) -> object:
    return "".join(v.split()) if isinstance(v, str) else v


class CellDetection(Evaluator):
    """Table-cell detection F1 (IoU >= 0.5), over documents where both sides carry cells."""

    name = "cells"
    primary_metric = "f1"

    def __init__(self, threshold: float = 0.5):
        self.threshold = threshold

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        scored = [s for s in samples if s.truth.get("cells") and _cells(s.prediction) is not None]
        total = Counts()
        for s in scored:
            total += cell_counts(s.truth["cells"], _at_dpi(s.prediction, s.truth.get("dpi")), self.threshold)
        out = total.as_dict() if scored else {"precision": math.nan, "recall": math.nan, "f1": math.nan}
        return out | {"n_documents": len(scored)}


def _cells(record: dict) -> list[dict] | None:
    """A record's cells: top level (peers) or under `details` (`Result.to_record()`)."""
    found = record.get("cells")
    return found if found is not None else record.get("details", {}).get("cells")


def _at_dpi(record: dict, dpi: int | None) -> list[dict]:
    """Predicted cells rescaled to the truth's resolution when both name their dpi."""
    cells = _cells(record) or []
    src = record.get("dpi") or record.get("details", {}).get("dpi")
    if not dpi or not src or src == dpi:
        return cells
    k = dpi / src
    return [c | {"box": [v * k for v in c["box"]]} for c in cells]


class Throughput(Evaluator):
    """Pages per second of wall time, over predictions that carry their `seconds`: a file read
    while `workers` files were read at once takes its seconds' share of the wall clock."""

    name = "throughput"
    primary_metric = "pages_per_second"

    def __call__(self, samples: Sequence[Sample]) -> dict[str, float]:
        timed = [s for s in samples if s.prediction.get("seconds")]
        pages = sum(s.pages or s.prediction.get("pages") or 0 for s in timed)
        seconds = sum(s.prediction["seconds"] / s.prediction.get("workers", 1) for s in timed)
        return {"pages_per_second": pages / seconds if seconds else math.nan, "pages": pages, "seconds": seconds}


def most_confused(samples: Iterable[Sample], k: int = 10) -> list[tuple[str, str, int]]:
    """(truth id A, predicted id B, count): A's value, unique and nonzero in the truth document,
    reported under B where B's own truth differs. Zeros are too common to say anything."""
    pairs: Counter[tuple[str, str]] = Counter()
    for s in samples:
        truth, pred = s.truth.get("metrics", {}), s.prediction.get("metrics") or {}
        by_value: dict[float, list[str]] = defaultdict(list)
        for mid, v in truth.items():
            if v not in (None, 0):
                by_value[float(v)].append(mid)
        for b, v in pred.items():
            if v in (None, 0) or same_value(truth.get(b, math.nan), v):
                continue
            owners = by_value.get(float(v), [])
            if len(owners) == 1 and owners[0] != b:
                pairs[(owners[0], b)] += 1
    return [(a, b, n) for (a, b), n in pairs.most_common(k)]


def breakdown(evaluator: Evaluator, samples: Sequence[Sample], key: Callable[[Sample], str]) -> dict[str, dict]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[key(s)].append(s)
    return {g: evaluator(groups[g]) | {"n": len(groups[g])} for g in sorted(groups)}


@dataclass
class Scorecard:
    """Everything the reports show for one system on one set of samples."""

    system: str
    summary: dict[str, dict] = field(default_factory=dict)
    by_format: dict[str, dict] = field(default_factory=dict)
    by_degradation: dict[str, dict] = field(default_factory=dict)
    by_source: dict[str, dict] = field(default_factory=dict)
    by_group: dict[str, dict] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)

    @property
    def f1(self) -> float:
        return self.summary["fields"]["f1"]

    @property
    def pages_per_second(self) -> float:
        return self.summary["throughput"]["pages_per_second"]


EVALUATORS: tuple[Evaluator, ...] = (FieldF1(), DocumentExactMatch(), ReportFields(), CellDetection(), Throughput())


def score(samples: Sequence[Sample], system: str = "ogi-extract") -> Scorecard:
    groups = sorted({metric_group(m, s.format) for s in samples for m in s.truth.get("metrics", {})})
    return Scorecard(
        system=system,
        summary={e.name: e(samples) for e in EVALUATORS} | {"n": {"documents": len(samples),
                                                                    "pages": sum(s.pages for s in samples)}},
        by_format=breakdown(FieldF1(), samples, lambda s: s.format),
        by_degradation=breakdown(FieldF1(), samples, lambda s: s.degradation),
        by_source=breakdown(FieldF1(), samples, lambda s: s.source or "?"),
        by_group={g: FieldF1(g)(samples) | {"n": sum(any(metric_group(m, s.format) == g for m in s.truth["metrics"])
                                                      for s in samples)} for g in groups},
        confusions=most_confused(samples),
        documents=[{"doc_id": s.doc_id, "degradation": s.degradation, "format": s.format}
                   | field_counts(s.truth.get("metrics", {}), s.prediction.get("metrics") or {}).as_dict()
                   for s in samples],
    )
