"""Compare the label classifiers on the same held-out rows: accuracy, unmapped precision/recall,
calibration (expected calibration error + reliability plot), rows never seen in training, speed, size.

    nice -n 10 python -m ogi_extract.training.compare_labels --copies 120 --epochs 3 --out benchmarks/runs/labels

Systems: the shipped scikit-learn model (configs/labels.yaml), scikit-learn retrained on the same
rows as the BERT, and the small character BERT (training/bert_labels.py). Held-out rows are a
fresh draw of the generator with another seed (configs/labels.yaml `holdout`).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import matplotlib
import numpy as np
import yaml

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ogi_extract.models.labels import variants  # noqa: E402
from ogi_extract.models.labels.classifier import LabelClassifier  # noqa: E402
from ogi_extract.models.labels.features import Example, fields, normalize  # noqa: E402
from ogi_extract.training.bert_labels import BertLabels  # noqa: E402
from ogi_extract.training.train_labels import evaluate  # noqa: E402

BINS = 15


def calibration(clf: LabelClassifier, examples: list[Example]) -> tuple[float, list[dict]]:
    """Expected calibration error of the decided label's probability, and the reliability bins."""
    decided = clf.predict_examples(examples)
    conf = np.array([p for _, p in decided])
    right = np.array([t == e.target for (t, _), e in zip(decided, examples)], dtype=float)
    edges = np.linspace(0, 1, BINS + 1)
    bins, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if inside.any():
            gap = abs(right[inside].mean() - conf[inside].mean())
            ece += inside.mean() * gap
            bins.append({"lo": round(lo, 3), "hi": round(hi, 3), "n": int(inside.sum()),
                         "confidence": round(float(conf[inside].mean()), 4),
                         "accuracy": round(float(right[inside].mean()), 4)})
    return round(float(ece), 4), bins


def _size_mb(clf: LabelClassifier) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        clf.save(tmp)
        return round(sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file()) / 1e6, 2)


def score_system(clf: LabelClassifier, train: list[Example], held: list[Example]) -> dict:
    seen_rows = {tuple(fields(e)) for e in train}
    seen_labels = {normalize(e.label) for e in train}
    start = time.perf_counter()
    clf.predict_examples(held)
    seconds = time.perf_counter() - start
    ece, bins = calibration(clf, held)
    return {
        "holdout": evaluate(clf, held),
        "unseen_rows": evaluate(clf, [e for e in held if tuple(fields(e)) not in seen_rows]),
        "unseen_labels": evaluate(clf, [e for e in held if normalize(e.label) not in seen_labels]),
        "ece": ece, "reliability": bins,
        "rows_per_second": round(len(held) / seconds, 1), "size_mb": _size_mb(clf),
        "training": {k: v for k, v in clf.info.items() if k not in ("config", "metrics")},
    }


def plot(results: dict, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "k:", label="perfect")
    for name, r in results.items():
        b = r["reliability"]
        ax.plot([x["confidence"] for x in b], [x["accuracy"] for x in b], "o-", label=f"{name} (ECE {r['ece']:.3f})")
    ax.set(xlabel="probability of the decided label", ylabel="accuracy",
           title="Row-label classifiers: reliability on held-out rows")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ogi_extract.training.compare_labels", description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, default=Path("configs/labels.yaml"))
    ap.add_argument("--copies", type=int, default=120, help="generated copies for the BERT and the same-data sklearn")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-minutes", type=float, default=20, help="cap on the BERT's training time")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    __import__("torch").set_num_threads(args.threads)
    hold = config["holdout"]
    held = list(variants.generate(hold["copies"], hold["seed"], config.get("strength", 1.0)))
    shipped_train = list(variants.generate(config["copies"], config["seed"], config.get("strength", 1.0)))
    train = shipped_train if args.copies == config["copies"] else \
        list(variants.generate(args.copies, config["seed"], config.get("strength", 1.0)))
    results = {"sklearn (shipped)": score_system(LabelClassifier.default(), shipped_train, held)}
    if args.copies != config["copies"]:
        m = config["model"]
        same = LabelClassifier(config["threshold"], m["C"], m["max_iter"], m["field_weights"], m["min_df"])
        t = time.perf_counter()
        same.fit(train)
        same.info["train_seconds"] = round(time.perf_counter() - t, 1)
        results[f"sklearn ({args.copies} copies)"] = score_system(same, train, held)
    bert = BertLabels(threshold=config["threshold"], hidden=args.hidden).fit(train, epochs=args.epochs, max_seconds=60 * args.max_minutes)
    results[f"bert ({args.copies} copies)"] = score_system(bert, train, held)
    args.out.mkdir(parents=True, exist_ok=True)
    bert.save(args.out / "bert")
    plot(results, args.out / "reliability.png")
    report = {"held_out": {"seed": hold["seed"], "copies": hold["copies"], "rows": len(held)},
              "torch_threads": args.threads, "systems": results}
    (args.out / "compare.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, r in results.items():
        h, u, ul = r["holdout"], r["unseen_rows"], r["unseen_labels"]
        print(f"{name}: acc {h['accuracy']:.4f} unmapped P {h['unmapped_precision']:.3f} R {h['unmapped_recall']:.3f} "
              f"ECE {r['ece']:.4f} | unseen rows {u['accuracy']:.4f} (n={u['n']}) unseen labels {ul['accuracy']:.4f} "
              f"(n={ul['n']}) | {r['rows_per_second']:.0f} rows/s, {r['size_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
