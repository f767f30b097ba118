"""What the label classifier sees of a row: a few text fields, vectorized by character n-grams.

An `Example` is a row reduced to what matters for its meaning (label, context, shape), so the
same featurization serves generated training rows and rows read from real tables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ogi_extract.types import Row

if TYPE_CHECKING:
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer

FIELDS = ("label", "raw", "context", "before", "headers", "meta")

_NUMBERING = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）][、.,，．]?|[一二三四五六七八九十\d]{1,3}[、.,，．:：]|[①-⑳]"
    r"|\d{1,2}(?=[\u4e00-\u9fff]))"  # a bare number (NFKC prints ① as 1) right before the words
)
_QIZHONG = re.compile(r"^其中[:：,，]?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Example:
    """One row as the classifier sees it, with its target when it is a training example."""

    label: str
    fmt: str  # ogi2008 | ogi2019 | ogi2021 | other
    parents: tuple[str, ...] = ()
    section: str = ""
    headers: tuple[str, ...] = ()
    n_values: int = 1
    values: str = "num"  # num | empty | text: what the value cells hold
    before: tuple[str, ...] = ()  # labels of the rows just above, nearest last
    target: str = ""


def normalize(text: str) -> str:
    """NFKC, no spaces, no leading numbering or 其中: the wording alone."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for _ in range(3):  # 其中：1. / （三）1. ...
        stripped = _NUMBERING.sub("", _QIZHONG.sub("", s))
        if stripped == s:
            break
        s = stripped
    return s


def value_kind(texts: list[str]) -> str:
    texts = [t.strip(" \t\n—-－") for t in texts]
    texts = [t for t in texts if t]
    if not texts:
        return "empty"
    if any(_CJK.search(t) and not _DIGIT.search(t) for t in texts):
        return "text"
    return "num"


def from_rows(rows: list[Row], fmt: str, before: int = 2) -> list[Example]:
    """Examples of rows read in table order (each sees the labels of the rows above it)."""
    out = []
    for i, r in enumerate(rows):
        above = tuple(x.label for x in rows[max(0, i - before):i])
        out.append(Example(
            label=r.label, fmt=fmt, parents=tuple(r.parents), section=r.section, headers=tuple(r.headers),
            n_values=len(r.values), values=value_kind([c.text for c in r.values]), before=above,
        ))
    return out


def _n_bucket(n: int) -> str:
    return str(n) if n <= 8 else "many" if n < 14 else "15ish"


def fields(ex: Example) -> list[str]:
    norm = normalize(ex.label)
    meta = [f"fmt_{ex.fmt}", f"n_{_n_bucket(ex.n_values)}", f"v_{ex.values}", f"fn_{ex.fmt}_{_n_bucket(ex.n_values)}"]
    if not norm:
        meta.append("empty_label")
    if ex.label.strip().startswith("其中"):
        meta.append("qizhong")
    return [
        norm,
        re.sub(r"\s+", " ", ex.label).strip(),
        " | ".join(normalize(p) for p in (*ex.parents, ex.section) if p),
        " | ".join(normalize(b) for b in ex.before),
        " | ".join(normalize(h) for h in ex.headers),
        " ".join(meta),
    ]


def matrix(examples: list[Example]) -> np.ndarray:
    return np.array([fields(e) for e in examples], dtype=object).reshape(len(examples), len(FIELDS))


def vectorizer(weights: dict[str, float] | None = None, min_df: int = 2) -> ColumnTransformer:
    """Character n-grams per field; the context fields get shorter n-grams (and, by config, less weight)."""
    from sklearn.compose import ColumnTransformer  # training only (see artifact.py)
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    def chars(lo: int, hi: int) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(lo, hi), sublinear_tf=True, lowercase=False,
                               min_df=min_df)

    parts = [
        ("label", chars(1, 3), 0),
        ("raw", chars(1, 2), 1),
        ("context", chars(1, 2), 2),
        ("before", chars(1, 2), 3),
        ("headers", chars(1, 2), 4),
        ("meta", CountVectorizer(token_pattern=r"\S+", binary=True, lowercase=False), 5),
    ]
    return ColumnTransformer(parts, transformer_weights=weights)
