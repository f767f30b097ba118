"""The label classifier's folder format: plain arrays and JSON, no pickle.

A fitted scikit-learn pipeline (n-gram vectorizers per field -> logistic regression) is stored as
what scoring needs: each field's vocabulary (JSON, in column order), idf weights, coefficients
and intercepts (`weights.npz`, read with `allow_pickle=False`). Loading rebuilds the vectorizers
from their vocabularies, so the folder neither runs code nor depends on the scikit-learn version
that wrote it; the format version is checked and every mismatch is a `ModelError` that says what
is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize

from ogi_extract.errors import ModelError

FORMAT = "arrays+json"
VOCAB, ARRAYS = "vocabulary.json", "weights.npz"


@dataclass
class Field:
    """One text column's featurization, as fitted."""

    vectorizer: CountVectorizer  # with the fitted vocabulary fixed
    idf: np.ndarray | None  # None for a plain count field
    sublinear_tf: bool
    weight: float

    def transform(self, texts: np.ndarray) -> sp.csr_matrix:
        x = self.vectorizer.transform(texts).astype(np.float64)
        if self.idf is not None:
            if self.sublinear_tf:
                x.data = np.log(x.data) + 1
            x = normalize(x @ sp.diags(self.idf), norm="l2")
        return x * self.weight


@dataclass
class LinearTextModel:
    """Fields side by side -> softmax over classes: what `Pipeline.predict_proba` computes."""

    fields: list[Field]
    coef: np.ndarray  # n_classes x n_features
    intercept: np.ndarray
    classes: list[str]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        features = sp.hstack([f.transform(x[:, i]) for i, f in enumerate(self.fields)]).tocsr()
        scores = features @ self.coef.T.astype(np.float64) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> LinearTextModel:
        columns, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
        if len(model.classes_) < 3:
            raise ValueError("the softmax form needs 3+ classes (binary logistic regression differs)")
        weights = columns.transformer_weights or {}
        fields = []
        for name, vec, _ in columns.transformers_:
            tfidf = isinstance(vec, TfidfVectorizer)
            fields.append(Field(_fixed(vec, sorted(vec.vocabulary_, key=vec.vocabulary_.get)),
                                vec.idf_ if tfidf else None, tfidf and vec.sublinear_tf, float(weights.get(name, 1.0))))
        return cls(fields, np.asarray(model.coef_), np.asarray(model.intercept_), [str(c) for c in model.classes_])

    def save(self, folder: Path) -> dict:
        """Write vocabulary.json and weights.npz; returns the config entries that describe them."""
        vocab = [list(f.vectorizer.vocabulary) for f in self.fields]
        (folder / VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        arrays = {"coef": self.coef, "intercept": self.intercept}
        arrays |= {f"idf_{i}": f.idf for i, f in enumerate(self.fields) if f.idf is not None}
        np.savez_compressed(folder / ARRAYS, **cast(dict[str, Any], arrays))
        return {"format": FORMAT, "fields": [
            {"analyzer": f.vectorizer.analyzer, "ngram_range": list(f.vectorizer.ngram_range),
             "token_pattern": f.vectorizer.token_pattern, "binary": f.vectorizer.binary,
             "tfidf": f.idf is not None, "sublinear_tf": f.sublinear_tf, "weight": f.weight} for f in self.fields]}

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
            fields = [Field(_fixed(CountVectorizer(analyzer=s["analyzer"], ngram_range=tuple(s["ngram_range"]),
                                                   token_pattern=s["token_pattern"], binary=s["binary"],
                                                   lowercase=False), terms),
                            arrays[f"idf_{i}"] if s["tfidf"] else None, s["sublinear_tf"], s["weight"])
                      for i, (s, terms) in enumerate(zip(config["fields"], vocab, strict=True))]
            model = cls(fields, arrays["coef"], arrays["intercept"], list(config["classes"]))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ModelError(name, f"{type(e).__name__}: {e}") from None
        width = sum(len(f.vectorizer.vocabulary) for f in fields)
        if model.coef.shape != (len(model.classes), width) or model.intercept.shape != (len(model.classes),):
            raise ModelError(name, f"weights {model.coef.shape} do not fit {len(model.classes)} classes x {width} features")
        return model


def _fixed(vec: CountVectorizer, terms: list[str]) -> CountVectorizer:
    """A count vectorizer that maps exactly `terms` to columns 0..n-1 (no fitting needed)."""
    return CountVectorizer(analyzer=vec.analyzer, ngram_range=vec.ngram_range, token_pattern=vec.token_pattern,
                           binary=vec.binary, lowercase=False, vocabulary=terms)
