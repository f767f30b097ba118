"""The label classifier's folder format, and its scoring: plain arrays and JSON, no pickle.

A fitted scikit-learn pipeline (n-gram vectorizers per field -> logistic regression) is stored as
what scoring needs: each field's vocabulary (JSON, in column order), idf weights, coefficients
and intercepts (`weights.npz`, read with `allow_pickle=False`). Scoring is a sparse dot product
over those arrays in numpy: the folder runs no code, does not depend on the scikit-learn version
that wrote it, and predicting needs no scikit-learn import (a second of every worker's start-up).
The n-grams are scikit-learn's own (`char_wb`, whitespace tokens); a test holds the two equal.
Every format mismatch is a `ModelError` that says what is wrong.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ogi_extract.errors import ModelError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

FORMAT = "arrays+json"
VOCAB, ARRAYS = "vocabulary.json", "weights.npz"


@dataclass
class Field:
    """One text column's featurization, as fitted (scikit-learn's analyzer settings and vocabulary)."""

    analyzer: str  # "char_wb" or "word"
    ngram_range: tuple[int, int]
    token_pattern: str
    binary: bool
    vocabulary: dict[str, int]  # term -> column within the field
    idf: np.ndarray | None  # None for a plain count field
    sublinear_tf: bool
    weight: float

    def terms(self, text: str) -> list[str]:
        """The n-grams of `text` exactly as scikit-learn's vectorizer cuts them."""
        if self.analyzer == "word":
            tokens = re.findall(self.token_pattern, text)
            lo, hi = self.ngram_range
            return [" ".join(tokens[i:i + n]) for n in range(lo, hi + 1) for i in range(len(tokens) - n + 1)]
        out = []
        for word in text.split():  # char_wb: n-grams inside space-padded words
            word = f" {word} "
            for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
                out += [word[i:i + n] for i in range(max(1, len(word) - n + 1))]
                if len(word) <= n:  # a short word counts once
                    break
        return out

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of one text: counts -> (log) tf * idf -> unit length -> * weight."""
        counts = Counter(t for t in self.terms(text) if t in self.vocabulary)
        columns = np.fromiter((self.vocabulary[t] for t in counts), np.int64, len(counts))
        values = np.fromiter(counts.values(), np.float64, len(counts))
        if self.binary:
            values[:] = 1.0
        if self.idf is not None:
            if self.sublinear_tf:
                values = np.log(values) + 1
            values = values * self.idf[columns]
            norm = np.sqrt((values**2).sum())
            values = values / norm if norm > 0 else values
        return columns, values * self.weight


@dataclass
class LinearTextModel:
    """Fields side by side -> softmax over classes: what `Pipeline.predict_proba` computes."""

    fields: list[Field]
    coef: np.ndarray  # n_classes x n_features
    intercept: np.ndarray
    classes: list[str]

    def __post_init__(self) -> None:
        self._weights = np.ascontiguousarray(self.coef.T, dtype=np.float64)  # feature -> class scores
        self._offsets = np.cumsum([0] + [len(f.vocabulary) for f in self.fields])

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        scores = np.tile(self.intercept.astype(np.float64), (len(x), 1))
        for i, row in enumerate(x):
            parts = [f.features(str(text)) for f, text in zip(self.fields, row, strict=True)]
            columns = np.concatenate([c + off for (c, _), off in zip(parts, self._offsets)])
            values = np.concatenate([v for _, v in parts])
            scores[i] += values @ self._weights[columns]
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> LinearTextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer  # training only

        columns, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
        if len(model.classes_) < 3:
            raise ValueError("the softmax form needs 3+ classes (binary logistic regression differs)")
        weights = columns.transformer_weights or {}
        fields = []
        for name, vec, _ in columns.transformers_:
            tfidf = isinstance(vec, TfidfVectorizer)
            terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
            fields.append(Field(vec.analyzer, tuple(vec.ngram_range), vec.token_pattern, vec.binary,
                                {t: i for i, t in enumerate(terms)}, vec.idf_ if tfidf else None,
                                tfidf and vec.sublinear_tf, float(weights.get(name, 1.0))))
        return cls(fields, np.asarray(model.coef_), np.asarray(model.intercept_), [str(c) for c in model.classes_])

    def save(self, folder: Path) -> dict:
        """Write vocabulary.json and weights.npz; returns the config entries that describe them."""
        vocab = [list(f.vocabulary) for f in self.fields]
        (folder / VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        arrays = {"coef": self.coef, "intercept": self.intercept}
        arrays |= {f"idf_{i}": f.idf for i, f in enumerate(self.fields) if f.idf is not None}
        np.savez_compressed(folder / ARRAYS, **cast(dict[str, Any], arrays))
        return {"format": FORMAT, "fields": [
            {"analyzer": f.analyzer, "ngram_range": list(f.ngram_range), "token_pattern": f.token_pattern,
             "binary": f.binary, "tfidf": f.idf is not None, "sublinear_tf": f.sublinear_tf, "weight": f.weight}
            for f in self.fields]}

    @classmethod
    def load(cls, folder: Path, config: dict) -> LinearTextModel:
        name = str(folder)
        if config.get("format") != FORMAT:
            raise ModelError(name, f"format {config.get('format')!r}, this version reads {FORMAT!r}: retrain "
                                   "with `ogi-extract train labels`")
        try:
            vocab = json.loads((folder / VOCAB).read_text(encoding="utf-8"))
            with np.load(folder / ARRAYS, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            fields = [Field(s["analyzer"], tuple(s["ngram_range"]), s["token_pattern"], s["binary"],
                            {t: i for i, t in enumerate(terms)}, arrays[f"idf_{i}"] if s["tfidf"] else None,
                            s["sublinear_tf"], s["weight"])
                      for i, (s, terms) in enumerate(zip(config["fields"], vocab, strict=True))]
            if any(f.analyzer not in ("char_wb", "word") for f in fields):
                raise ValueError(f"analyzers {[f.analyzer for f in fields]}: this version scores char_wb and word")
            model = cls(fields, arrays["coef"], arrays["intercept"], list(config["classes"]))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ModelError(name, f"{type(e).__name__}: {e}") from None
        width = sum(len(f.vocabulary) for f in fields)
        if model.coef.shape != (len(model.classes), width) or model.intercept.shape != (len(model.classes),):
            raise ModelError(name, f"weights {model.coef.shape} do not fit {len(model.classes)} classes x {width} features")
        return model
