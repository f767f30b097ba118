"""Fine-tuning on a report family the shipped models never saw, measured honestly (issue 10 item 3).

The family is `ogi_extract/training/synth/family.py` (one agency's house style: home-made labels,
its own table layout; kept out of every trainer). Steps, all with the real pipeline:

1. build: 12 family reports (generator seed 7301): 0-2 are "annotated", 3-11 the family eval set
   (digital, and the same reports scanned at `--level`); "everything else" = 12 ordinary generated
   reports (seed 7302, the generator's usual mix of digital and scanned levels) + the dev real PDFs
   (tests/data/real, digital).
2. annotate: `annotate export` of the 3 reports (the shipped model's predictions as pre-annotations),
   an annotator's corrections in a Label Studio JSON export — simulated: each predicted cell gets the
   metric id and value of the generator's truth cell under it (IoU >= 0.5), the report fields are
   set — and `annotate import` into annotated reports.
3. fine-tune: `ogi-extract train labels --base ogi_extract/models/labels/default --annotated DIR --out DIR`
   (the shipped model's own training config plus the annotated rows; the shipped model is untouched).
4. evaluate: every document read once; its rows labeled by the shipped and by the fine-tuned model;
   field precision/recall/F1 and where the misses are (truth metric not output, wrong value, output
   metric the truth lacks), per set, before -> after.

Run: `PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/finetune_family.py`
(`OGI_LAYOUT=model`, `OGI_LAYOUT_MODEL=DIR` in the environment read the tables with a layout model;
`--reuse --only heavy --results DIR` re-evaluates one set with the same annotations and label model).
(data and the fine-tuned model under benchmarks/runs/finetune_family, git-ignored; the table to
benchmarks/results/finetune_family/). Timings on a loaded machine are inflated.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from ogi_extract.cli import main as cli
from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.models.labels import LabelClassifier
from ogi_extract.settings import Settings
from ogi_extract.training.label_studio import from_tasks, to_tasks
from ogi_extract.training.score import Counts, field_counts, iou, same_value
from ogi_extract.training.synth.family import SEED, write_family
from ogi_extract.training.synth.generate import generate

ROOT = Path(__file__).resolve().parents[1]
OTHER_SEED = 7302  # ordinary generated reports for "everything else" (never 9001)
PREDICTIONS = "predictions/predictions.json"  # git-ignored; per document: (id, truth metrics, model -> predicted metrics)
ANNOTATED = range(3)  # family reports a user annotates; the others are the family eval set


def build(out: Path, n_family: int, n_other: int, levels: list[str]) -> None:
    """The documents, each folder written unless it is there already."""
    def missing(folder: str, n: int) -> bool:
        return len(list((out / folder).glob("*.pdf"))) < n

    if missing("family/digital", n_family):
        write_family(range(n_family), out / "family" / "digital")
    for level in levels:
        if missing(f"family/{level}", n_family - len(ANNOTATED)):
            write_family(range(len(ANNOTATED), n_family), out / "family" / level, kind="scanned", degradation=level)
    if missing("other", n_other):
        generate(n_other, out / "other", seed=OTHER_SEED)


def simulated_annotator(tasks: list[dict], truths: dict[str, dict]) -> list[dict]:
    """The exported tasks as Label Studio exports them after a person corrected each page: the
    predicted cells kept, each given the metric id (and value) of the truth cell under it."""
    fixed = {}
    for doc in from_tasks(tasks):  # the predictions, in the annotation schema
        truth = truths[doc["doc_id"]]
        doc.update(agency=truth["agency"], year=truth["year"], format=truth["format"], metrics=truth["metrics"])
        for page in doc["pages"]:
            t_page = next(p for p in truth["pages"] if p["index"] == page["index"])
            scale = page["dpi"] / t_page["dpi"]
            gold = [([v * scale for v in c["box"]], c.get("metric_id")) for c in t_page["cells"]]
            for cell in page["cells"]:
                best = max(gold, key=lambda g: iou(cell["box"], g[0]), default=None)
                cell["metric_id"] = best[1] if best and iou(cell["box"], best[0]) >= 0.5 else None
        urls = [t["data"]["image"] for t in tasks if t["data"]["doc_id"] == doc["doc_id"]]
        for task in to_tasks(doc, urls, "annotator"):
            fixed[(doc["doc_id"], task["data"]["page"])] = task["predictions"][0]["result"]
    for n, task in enumerate(tasks, start=1):
        task["id"] = n
        task["annotations"] = [{"id": n, "completed_by": 1, "was_cancelled": False, "ground_truth": False,
                                "created_at": "2026-12-03T15:00:00Z", "lead_time": 300.0,
                                "result": fixed[(task["data"]["doc_id"], task["data"]["page"])]}]
    return tasks


def annotate(out: Path) -> Path:
    """Export, correct, import: the three annotated reports under out/annotated."""
    pdfs = [out / "family" / "digital" / f"family_{SEED}_{i:03d}.pdf" for i in ANNOTATED]
    cli(["annotate", "export", *map(str, pdfs), "--out", str(out / "ls")])
    tasks = json.loads((out / "ls" / "tasks.json").read_text(encoding="utf-8"))
    truths = {p.stem: json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in pdfs}
    export = out / "ls" / "export.json"
    export.write_text(json.dumps(simulated_annotator(tasks, truths), ensure_ascii=False), encoding="utf-8")
    cli(["annotate", "import", str(export), "--out", str(out / "annotated")])
    return out / "annotated"


def documents(out: Path, levels: list[str], n_other: int) -> dict[str, list[tuple[Path, dict]]]:
    """Evaluation sets: name -> [(pdf, truth)]."""
    def folder(path: Path, skip: frozenset[str] = frozenset()) -> list[tuple[Path, dict]]:
        return [(p, json.loads(p.with_suffix(".json").read_text(encoding="utf-8")))
                for p in sorted(path.glob("*.pdf")) if p.stem not in skip]

    annotated = frozenset(f"family_{SEED}_{i:03d}" for i in ANNOTATED)
    real = ROOT / "tests" / "data" / "real"
    sets = {"family, digital": folder(out / "family" / "digital", annotated)}
    for level in levels:
        sets[f"family, scanned {level}"] = folder(out / "family" / level)
    sets[f"other generated (seed {OTHER_SEED})"] = folder(out / "other")[:n_other]
    sets["dev real PDFs, digital"] = [(p, json.loads((real / "truth" / f"{p.stem}.json").read_text(encoding="utf-8")))
                                      for p in sorted(real.glob("*.pdf"))]
    return sets


def tally(truth: dict, predicted: dict) -> dict[str, int]:
    """Where the fields went: right, wrong value, truth not output (unmapped or lost), output not in truth."""
    return {"right": sum(m in predicted and same_value(v, predicted[m]) for m, v in truth.items()),
            "wrong": sum(m in predicted and not same_value(v, predicted[m]) for m, v in truth.items()),
            "missing": sum(m not in predicted for m in truth), "extra": sum(m not in truth for m in predicted)}


Predictions = dict[str, list[tuple[str, dict, dict[str, dict]]]]  # set -> [(doc, truth metrics, model -> values)]


def predict_sets(sets: dict[str, list[tuple[Path, dict]]], models: dict[str, LabelClassifier]) -> Predictions:
    """Each document read once (words, tables); its rows labeled by each model."""
    pipe = Pipeline(Settings())
    out: Predictions = {}
    for name, docs in sets.items():
        out[name] = []
        for pdf, truth in docs:
            doc = pipe.read(str(pdf))
            values = {}
            for m, clf in models.items():
                pipe.labels = clf
                values[m] = pipe.interpret(doc, time.perf_counter()).values
            out[name].append((pdf.stem, truth["metrics"], values))
    return out


def summarize(docs: list[tuple[str, dict, dict[str, dict]]], models: list[str]) -> dict:
    out: dict = {"docs": len(docs)}
    for m in models:
        counts, where = Counts(), Counter({"right": 0, "wrong": 0, "missing": 0, "extra": 0, "exact": 0})
        for _, truth, values in docs:
            c = field_counts(truth, values[m])
            counts += c
            where.update(tally(truth, values[m]))
            where["exact"] += c.fp == 0 and c.fn == 0
        out[m] = {**where, **{k: round(v, 4) for k, v in counts.as_dict().items()}}
    if len(models) == 2:  # documents whose right fields went up / down from the first model to the second
        delta = [tally(t, v[models[1]])["right"] - tally(t, v[models[0]])["right"] for _, t, v in docs]
        out["docs_better"], out["docs_worse"] = sum(d > 0 for d in delta), sum(d < 0 for d in delta)
    return out


def printed_labels(truth: dict) -> dict[str, str]:
    """Metric id -> the printed label of its row (the house table's 统计项目 column, whitespace removed)."""
    cells = [(p["index"], c) for p in truth["pages"] for c in p["cells"]]
    label = {(i, c["table"], c["row"]): re.sub(r"\s+", "", c["text"]) for i, c in cells if c["col"] == 2}
    return {c["metric_id"]: label.get((i, c["table"], c["row"]), "") for i, c in cells if c.get("metric_id")}


def unseen_wordings(out: Path, pred: Predictions) -> Predictions:
    """The family sets cut down to the fields whose row prints a wording no annotated report prints."""
    def truth(folder: str, stem: str) -> dict:
        return json.loads((out / "family" / folder / f"{stem}.json").read_text(encoding="utf-8"))

    seen = {w for i in ANNOTATED for w in printed_labels(truth("digital", f"family_{SEED}_{i:03d}")).values()}
    cut: Predictions = {}
    for name, docs in pred.items():
        if name.startswith("family, "):
            folder = name.split()[-1]
            cut[f"{name}: wordings not annotated"] = [
                (stem, {m: t[m] for m in keep}, {k: {m: v[m] for m in keep if m in v} for k, v in values.items()})
                for stem, t, values in docs
                for keep in [{m for m, w in printed_labels(truth(folder, stem)).items() if w not in seen}]]
    return cut


def _pair(before: dict, after: dict, key: str, form: str = "{:.4f}") -> str:
    return f"{form.format(before[key])} -> {form.format(after[key])}"


def table(results: dict) -> str:
    lines = ["| set | docs (fields) | field F1 before -> after | P before -> after | R before -> after "
             "| truth not output | wrong value | output not in truth | docs better / worse |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        b, a = r["before"], r["after"]
        cols = [_pair(b, a, k) for k in ("f1", "precision", "recall")] + [_pair(b, a, k, "{}") for k in
                                                                             ("missing", "wrong", "extra")]
        lines.append(f"| {name} | {r['docs']} ({b['tp'] + b['fn']}) | " + " | ".join(cols) + f" | {r['docs_better']} / {r['docs_worse']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "runs" / "finetune_family")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results" / "finetune_family")
    ap.add_argument("--n-family", type=int, default=12)
    ap.add_argument("--n-other", type=int, default=24)
    ap.add_argument("--levels", default="mild,heavy", help="scan levels of the family eval copies ('' for none)")
    ap.add_argument("--base", type=Path, default=ROOT / "ogi_extract" / "models" / "labels" / "default",
                    help="the model before; the fine-tuned one is retrained with its recorded config")
    ap.add_argument("--reuse", action="store_true", help="keep the annotations and the fine-tuned model of a last run")
    ap.add_argument("--only", default="", help="evaluate only the sets whose name holds this text (e.g. heavy)")
    ap.add_argument("--rescore", action="store_true", help="only re-tabulate the predictions of --results/results.json")
    args = ap.parse_args(argv)
    if args.rescore:
        info = json.loads((args.results / "results.json").read_text(encoding="utf-8"))
        info["predictions"] = json.loads((args.results / PREDICTIONS).read_text(encoding="utf-8"))
        info["results"] = {name: summarize(docs, ["before", "after"]) for name, docs in info["predictions"].items()}
        return write(args.results, info)
    levels = [x for x in args.levels.split(",") if x]
    model, annotated = args.out / "labels-finetuned", args.out / "annotated"
    t0 = time.perf_counter()
    build(args.out, args.n_family, args.n_other, levels)
    t1 = time.perf_counter()
    if not (args.reuse and annotated.is_dir()):
        annotate(args.out)
    if not (args.reuse and model.is_dir()):
        cli(["train", "labels", "--base", str(args.base), "--annotated", str(annotated), "--out", str(model)])
    t2 = time.perf_counter()
    threshold = Settings().min_label_probability
    models = {"before": LabelClassifier.load(args.base, threshold), "after": LabelClassifier.load(model, threshold)}
    sets = {k: v for k, v in documents(args.out, levels, args.n_other).items() if args.only in k}
    pred = predict_sets(sets, models)
    pred |= unseen_wordings(args.out, pred)
    results = {name: summarize(docs, list(models)) for name, docs in pred.items()}
    t3 = time.perf_counter()
    info = {"seconds": {"build": round(t1 - t0, 1), "annotate+finetune": round(t2 - t1, 1),
                        "read+label": round(t3 - t2, 1)},
            "finetuned": json.loads((model / "config.json").read_text(encoding="utf-8"))["metrics"],
            "results": results, "predictions": pred}
    write(args.results, info)


def write(folder: Path, info: dict) -> None:
    text = table(info["results"])
    print(text)
    (folder / PREDICTIONS).parent.mkdir(parents=True, exist_ok=True)
    (folder / PREDICTIONS).write_text(json.dumps(info["predictions"], ensure_ascii=False), encoding="utf-8")
    rest = {k: v for k, v in info.items() if k != "predictions"}
    (folder / "results.json").write_text(json.dumps(rest, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "results.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
