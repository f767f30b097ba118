"""Row label -> schema row key (or unmapped), with a probability.

A linear model over character n-grams of the label and its context: it tolerates OCR noise
without a hand-kept synonym table, and its probabilities say when to leave a row unmapped.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ogi_extract.models.folder import read_config
from ogi_extract.models.labels.features import Example, from_rows, matrix, vectorizer
from ogi_extract.schema import FORMATS, UNMAPPED, load_spec
from ogi_extract.types import LabeledRow, Row

KIND = "row-label-classifier"
VERSION = 1
CONFIG, WEIGHTS = "config.json", "model.joblib"
TEMPLATES = ("ogi2019", "ogi2021")


def digest(examples: list[Example]) -> str:
    """A fingerprint of the training data, so a rebuilt artifact can be told apart."""
    h = hashlib.sha256()
    for e in examples:
        h.update(repr(e).encode())
    return h.hexdigest()[:16]


class LabelClassifier:
    """fit(examples) / predict(rows, fmt); save(dir) / load(dir) round-trip a self-describing folder."""

    def __init__(self, threshold: float = 0.5, C: float = 10.0, max_iter: int = 300,
                 field_weights: dict[str, float] | None = None, min_df: int = 2):
        self.threshold = threshold
        self.pipeline = Pipeline([
            ("features", vectorizer(field_weights, min_df)),
            ("model", LogisticRegression(C=C, max_iter=max_iter)),
        ])
        self._masks: dict[str, np.ndarray] = {}
        self.info: dict = {"field_weights": field_weights, "C": C, "max_iter": max_iter, "min_df": min_df}

    @property
    def classes(self) -> list[str]:
        return list(self.pipeline.classes_)

    def fit(self, examples: list[Example]) -> LabelClassifier:
        self.pipeline.fit(matrix(examples), [e.target for e in examples])
        model = self.pipeline.named_steps["model"]
        model.coef_ = model.coef_.astype(np.float32)  # half the artifact; ample for probabilities
        self.info.update(n_examples=len(examples), data_digest=digest(examples))
        return self

    def predict_proba(self, examples: list[Example]) -> np.ndarray:
        if not examples:
            return np.zeros((0, len(self.classes)))
        return self.pipeline.predict_proba(matrix(examples))

    def predict_examples(self, examples: list[Example]) -> list[tuple[str, float]]:
        """(target, probability) per example; a target below the threshold becomes unmapped.

        Targets outside the example's format family are ruled out first (the rest renormalized);
        a row unmapped for want of confidence gets 1 - its best probability.
        """
        proba = self.predict_proba(examples) * np.array([self._allowed(e.fmt) for e in examples]).reshape(
            len(examples), len(self.classes))
        proba /= np.maximum(proba.sum(axis=1, keepdims=True), 1e-12)
        out = []
        for p in proba:
            best = int(p.argmax())
            target, prob = str(self.classes[best]), float(p[best])
            if target != UNMAPPED and prob < self.threshold:
                target, prob = UNMAPPED, 1 - prob
            out.append((target, prob))
        return out

    def _allowed(self, fmt: str) -> np.ndarray:
        """1 for the classes a report of this format can print (templates 2019/2021 as one family)."""
        if fmt not in self._masks:
            family = {"ogi2008": ("ogi2008",), "ogi2019": TEMPLATES, "ogi2021": TEMPLATES}.get(fmt, FORMATS)
            spec = load_spec()
            keys = {r.key for f in family for r in spec[f].all_rows} | {UNMAPPED}
            self._masks[fmt] = np.array([c in keys for c in self.classes], dtype=float)
        return self._masks[fmt]

    def predict(self, rows: list[Row], fmt: str) -> list[LabeledRow]:
        """Rows in table order (each row's neighbours above are part of its context)."""
        return [LabeledRow(r, t, p) for r, (t, p) in zip(rows, self.predict_examples(from_rows(rows, fmt)))]

    def save(self, folder: str | Path, metrics: dict | None = None) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.pipeline, folder / WEIGHTS, compress=3)
        config = {
            "kind": KIND, "version": VERSION, "sklearn": sklearn.__version__,
            "threshold": self.threshold, "classes": self.classes,
            "training": self.info, "metrics": metrics or self.info.get("metrics", {}),
        }
        (folder / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, threshold: float | None = None) -> LabelClassifier:
        """A saved folder; `threshold` overrides the saved one (e.g. Settings.min_label_probability)."""
        folder = Path(folder)
        config = read_config(folder, KIND, VERSION, WEIGHTS, CONFIG)
        clf = cls(threshold=config["threshold"] if threshold is None else threshold)
        clf.pipeline = joblib.load(folder / WEIGHTS)
        clf.info = dict(config["training"], metrics=config.get("metrics", {}))
        return clf

    @classmethod
    def default(cls, threshold: float | None = None) -> LabelClassifier:
        """The shipped model (package data)."""
        with resources.as_file(resources.files("ogi_extract.models.labels") / "default") as folder:
            return cls.load(folder, threshold)
