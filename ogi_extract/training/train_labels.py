"""Rebuild the row-label classifier from generated label variants (and annotated reports), and score it.

    python -m ogi_extract.training.train_labels --config configs/labels.yaml --out ogi_extract/models/labels/default

Fine-tuning on your own annotated reports (`<stem>.pdf` + truth `<stem>.json`, annotations/README.md)
is this same retraining with their rows added: the model is linear and trains in about a minute, so
there are no frozen layers to continue from, only more (and weighted) examples:

    python -m ogi_extract.training.train_labels --config configs/labels.yaml --out models/labels-mine \
        --annotated annotations/mine/

or, with the config a model folder was built with (recorded in its config.json) instead of a file:

    python -m ogi_extract.training.train_labels --base ogi_extract/models/labels/default \
        --out models/labels-mine --annotated annotations/mine/

then `OGI_LABELS_MODEL=models/labels-mine ogi-extract predict ...`. The documents used (sha256 of
each PDF) are recorded in the model's config.json.
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
from ogi_extract.training.annotated import examples_from_reports, find_reports

REPEAT = 20  # default weight of an annotated row, against `copies` generated tables


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


def annotated_examples(section: dict) -> tuple[list[Example], list[dict]]:
    """Rows of the config's annotated reports (`annotated.paths`), and which documents they are."""
    paths = [Path(p) for p in section.get("paths") or []]
    if not paths:
        return [], []
    benchmark = section.get("benchmark")
    examples = examples_from_reports(paths, benchmark=Path(benchmark) if benchmark else None)
    documents = [{"doc_id": r.truth.get("doc_id", r.pdf.stem), "pdf": str(r.pdf), "sha256": r.digest}
                 for r in find_reports(paths)]
    return examples, documents


def train(config: dict) -> tuple[LabelClassifier, dict]:
    """Fit on `copies` generated tables (+ annotated rows, `repeat` times); score on a fresh draw
    (another seed), its unseen part, the annotated rows themselves and held-out annotated reports."""
    examples = list(variants.generate(config["copies"], config["seed"], config.get("strength", 1.0)))
    section = config.get("annotated") or {}
    mine, documents = annotated_examples(section)
    examples += mine * int(section.get("repeat", REPEAT))
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
    if mine:
        metrics["annotated"] = evaluate(clf, mine)
    if section.get("held_out"):
        metrics["annotated_held_out"] = evaluate(clf, examples_from_reports([Path(p) for p in section["held_out"]]))
    clf.info.update(config=config, metrics=metrics, annotated_documents=documents)
    return clf, metrics


def base_config(folder: Path) -> dict:
    """The training config recorded in a label model folder."""
    config = LabelClassifier.load(folder).info.get("config")
    if not isinstance(config, dict):
        raise SystemExit(f"train labels: {folder}/config.json records no training config; pass --config")
    return config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path)
    source.add_argument("--base", type=Path, metavar="MODEL",
                        help="a label model folder: retrain with the config it was built with (its config.json); "
                             "the linear model has no weights to continue from, so this is the same data + yours")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--annotated", type=Path, nargs="+", metavar="DIR",
                        help="annotated reports (folders or PDFs, truth JSON beside each) to learn from; "
                             "replaces the config's annotated.paths")
    parser.add_argument("--held-out", type=Path, nargs="+", metavar="DIR",
                        help="annotated reports to score the model on, never trained on (annotated.held_out)")
    args = parser.parse_args(argv)
    config = base_config(args.base) if args.base else yaml.safe_load(args.config.read_text(encoding="utf-8"))
    for key, paths in (("paths", args.annotated), ("held_out", args.held_out)):
        if paths:
            config["annotated"] = {**(config.get("annotated") or {}), key: [str(p) for p in paths]}
    clf, metrics = train(config)
    clf.save(args.out, metrics)
    print(json.dumps({"out": str(args.out), "classes": len(clf.classes), **metrics}, ensure_ascii=False))


if __name__ == "__main__":
    main()
