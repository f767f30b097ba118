"""Row label -> schema row key (or unmapped), with a probability.

A linear model over character n-grams of the label and its context: it tolerates OCR noise
without a hand-kept synonym table, and its probabilities say when to leave a row unmapped.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np

from ogi_extract.errors import ModelError, ModelNotFoundError
from ogi_extract.models.labels.artifact import ARRAYS, VOCAB, LinearTextModel
from ogi_extract.models.labels.features import Example, from_rows, matrix, vectorizer
from ogi_extract.schema import FORMATS, UNMAPPED, load_spec
from ogi_extract.types import LabeledRow, Row

KIND = "row-label-classifier"
VERSION = 2  # 1 was a joblib pickle (no longer read: loading a pickle runs whatever it holds)
CONFIG = "config.json"
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
        self._masks: dict[str, np.ndarray] = {}
        self.model: LinearTextModel | None = None  # what predicts: fitted here, or loaded from arrays
        self.info: dict = {"field_weights": field_weights, "C": C, "max_iter": max_iter, "min_df": min_df}

    @property
    def classes(self) -> list[str]:
        assert self.model is not None, "fit() or load() first"
        return self.model.classes

    def fit(self, examples: list[Example]) -> LabelClassifier:
        # scikit-learn fits; predicting needs only the arrays (artifact.py), so it is imported here alone
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        pipeline = Pipeline([
            ("features", vectorizer(self.info["field_weights"], self.info["min_df"])),
            ("model", LogisticRegression(C=self.info["C"], max_iter=self.info["max_iter"])),
        ])
        pipeline.fit(matrix(examples), [e.target for e in examples])
        model = pipeline.named_steps["model"]
        model.coef_ = model.coef_.astype(np.float32)  # half the artifact; ample for probabilities
        self.model = LinearTextModel.from_pipeline(pipeline)
        self.info.update(n_examples=len(examples), data_digest=digest(examples))
        return self

    def predict_proba(self, examples: list[Example]) -> np.ndarray:
        if not examples:
            return np.zeros((0, len(self.classes)))
        assert self.model is not None, "fit() or load() first"
        return self.model.predict_proba(matrix(examples))

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
        assert self.model is not None, "fit() first"
        import sklearn  # only to record the version that fitted the arrays

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.joblib").unlink(missing_ok=True)  # the old pickle, never read again
        arrays = self.model.save(folder)
        config = {
            "kind": KIND, "version": VERSION, **arrays, "written_with": {"scikit-learn": sklearn.__version__,
                                                                         "numpy": np.__version__},
            "threshold": self.threshold, "classes": self.classes,
            "training": self.info, "metrics": metrics or self.info.get("metrics", {}),
        }
        (folder / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, threshold: float | None = None) -> LabelClassifier:
        """A saved folder; `threshold` overrides the saved one (e.g. Settings.min_label_probability)."""
        folder = Path(folder)
        if not all((folder / f).is_file() for f in (CONFIG, VOCAB, ARRAYS)):
            raise ModelNotFoundError(str(folder), f"needs {CONFIG}, {VOCAB} and {ARRAYS}")
        try:
            config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ModelError(str(folder), f"{CONFIG}: {e}") from None
        if not isinstance(config, dict) or config.get("kind") != KIND:
            raise ModelError(str(folder), f"{CONFIG} does not describe a {KIND}")
        if config.get("version") != VERSION:
            raise ModelError(str(folder), f"format version {config.get('version')}, this ogi-extract reads "
                                          f"{VERSION}: rebuild it with `ogi-extract train labels`")
        clf = cls(threshold=config.get("threshold", 0.5) if threshold is None else threshold)
        clf.model = LinearTextModel.load(folder, config)
        clf.info = dict(config.get("training") or {}, metrics=config.get("metrics", {}))
        return clf

    @classmethod
    def default(cls, threshold: float | None = None) -> LabelClassifier:
        """The shipped model (package data)."""
        with resources.as_file(resources.files("ogi_extract.models.labels") / "default") as folder:
            return cls.load(folder, threshold)
