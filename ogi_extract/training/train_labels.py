"""Rebuild the row-label classifier from generated label variants, and score it.

    python -m ogi_extract.training.train_labels --config configs/labels.yaml --out ogi_extract/models/labels/default
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml

from ogi_extract.models.labels import variants
from ogi_extract.models.labels.classifier import LabelClassifier
from ogi_extract.models.labels.features import Example, fields
from ogi_extract.schema import UNMAPPED


def evaluate(clf: LabelClassifier, examples: list[Example]) -> dict[str, float]:
    """Top-1 accuracy (after the unmapped threshold) and unmapped precision/recall."""
    predicted = [t for t, _ in clf.predict_examples(examples)]
    truth = [e.target for e in examples]
    hits = sum(p == t for p, t in zip(predicted, truth))
    said_unmapped = sum(p == UNMAPPED for p in predicted)
    is_unmapped = sum(t == UNMAPPED for t in truth)
    both = sum(p == t == UNMAPPED for p, t in zip(predicted, truth))
    return {
        "n": len(examples),
        "accuracy": round(hits / max(1, len(examples)), 4),
        "unmapped_precision": round(both / max(1, said_unmapped), 4),
        "unmapped_recall": round(both / max(1, is_unmapped), 4),
    }


def train(config: dict) -> tuple[LabelClassifier, dict]:
    """Fit on `copies` generated tables; score on a fresh draw (another seed) and its unseen part."""
    examples = list(variants.generate(config["copies"], config["seed"], config.get("strength", 1.0)))
    model = config.get("model", {})
    clf = LabelClassifier(threshold=config["threshold"], C=model.get("C", 10.0),
                          max_iter=model.get("max_iter", 300), field_weights=model.get("field_weights"),
                          min_df=model.get("min_df", 2))
    start = time.perf_counter()
    clf.fit(examples)
    seconds = time.perf_counter() - start
    hold = config["holdout"]
    held = list(variants.generate(hold["copies"], hold["seed"], config.get("strength", 1.0)))
    seen = {tuple(fields(e)) for e in examples}
    unseen = [e for e in held if tuple(fields(e)) not in seen]
    metrics = {"train_seconds": round(seconds, 1), "holdout": evaluate(clf, held),
               "holdout_unseen": evaluate(clf, unseen)}
    clf.info.update(config=config, metrics=metrics)
    return clf, metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    clf, metrics = train(config)
    clf.save(args.out, metrics)
    print(json.dumps({"out": str(args.out), "classes": len(clf.classes), **metrics}, ensure_ascii=False))


if __name__ == "__main__":
    main()
