"""Row-label classifier: a table row's label and context -> schema row key or unmapped.

    LabelClassifier.default().predict(rows, fmt) -> list[LabeledRow]

The shipped model (default/) is rebuilt from generated label variants (variants.py) by
    ogi-extract train labels --config configs/labels.yaml --out ogi_extract/models/labels/default
"""

from ogi_extract.models.labels.classifier import LabelClassifier
from ogi_extract.models.labels.features import Example, normalize

__all__ = ["Example", "LabelClassifier", "normalize"]
