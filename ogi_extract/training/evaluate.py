"""`ogi-extract evaluate`: score ogi-extract, and optionally peers, on a benchmark split.

    ogi-extract evaluate --benchmark data/benchmark [--split test:degradation=heavy]
                         [--predictions P.jsonl] [--compare img2table,rapid] [--image-only] --out DIR

Without --predictions, runs `ogi_extract.predict` on every document (the stored PDF bytes);
with it, scores those records as they are. A peer is run the same way, or read from a file
with `--compare rapid=DIR/predictions/rapid.jsonl`. Writes DIR/report.json, DIR/report.md,
plots, and DIR/predictions/<system>.jsonl (so a rerun can skip the slow part).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from time import perf_counter

from datasets import Dataset
from tqdm import tqdm

from ogi_extract.training import benchmark
from ogi_extract.training.report import write_report
from ogi_extract.training.score import Sample, Scorecard, score

OURS = "ogi-extract"


def truth_of(example: dict) -> dict:
    return {"agency": example["agency"], "year": example["year"], "format": example["format"],
            "metrics": json.loads(example["metrics"]), "cells": json.loads(example["cells"]), "dpi": example["dpi"]}


def record_key(record: dict) -> str:
    return record.get("doc_id") or Path(record["file"]).stem


def read_predictions(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {record_key(r): r for r in map(json.loads, filter(str.strip, f))}


def write_predictions(records: Iterable[dict], path: Path) -> dict[str, dict]:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {}
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            out[record_key(r)] = r
    return out


def run_ours(examples: Iterable[dict], image_only: bool = False) -> Iterator[dict]:
    """predict_many over the stored files (worker processes, per-file timeout, settings from OGI_*).
    `seconds` is the pipeline's own time per file, model loading excluded, as for the peers, and
    `workers` how many files were read at once (`Throughput` divides by it).
    `image_only` ignores every PDF text layer (OCR of the page images: the peers' input)."""
    from ogi_extract.inference.pipeline import predict_each
    from ogi_extract.settings import Settings

    settings = Settings(use_text_layer=False) if image_only else Settings()

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for ex in examples:
            files[ex["doc_id"]] = (Path(tmp) / f"{ex['doc_id']}.pdf", ex["n_pages"])
            files[ex["doc_id"]][0].write_bytes(ex["pdf"])
        last = perf_counter()
        by_path = {path: (doc_id, pages) for doc_id, (path, pages) in files.items()}
        workers = settings.pool_size(len(by_path))  # as predict_each starts them
        for path, result in predict_each(list(by_path), settings):  # in the order they finish
            doc_id, pages = by_path[path]
            now = perf_counter()
            seconds, last = result.timings.get("total") or now - last, now
            yield result.to_record() | {"doc_id": doc_id, "seconds": seconds, "pages": pages, "workers": workers}


def samples_for(ds: Dataset, predictions: dict[str, dict]) -> list[Sample]:
    meta = ds.select_columns(["doc_id", "agency", "year", "format", "metrics", "cells", "dpi", "degradation",
                              "kind", "source", "n_pages"])
    return [Sample(ex["doc_id"], truth_of(ex), predictions.get(ex["doc_id"], {"metrics": {}}), ex["degradation"],
                   ex["kind"], ex["source"], ex["n_pages"]) for ex in meta]


INPUTS = {"text": "the PDF: its text layer where it has one (kind=digital), else OCR of the page images",
          "image": "page images only (text layers ignored, OCR everywhere): the same input the peers get"}


def evaluate(benchmark_path: Path | str, split: str | None = None, compare: Iterable[str] = (),
             predictions: Path | None = None, out: Path | None = None, image_only: bool = False) -> dict:
    """Score ogi-extract (and each peer: a name of `peers.PEERS`, or name=records.jsonl) on one split.
    Peers always read the stored page images; ours reads the PDF, or only its images with `image_only`."""
    ds = benchmark.load(benchmark_path, split)
    out = Path(out or tempfile.mkdtemp(prefix="ogi-evaluate-"))
    systems = {OURS: str(predictions) if predictions else None}
    systems |= dict((c.split("=", 1) + [None])[:2] for c in compare)
    cards: dict[str, Scorecard] = {}
    wall: dict[str, float] = {}
    for name, source in systems.items():
        if source:
            records = read_predictions(Path(source))
        else:
            start = perf_counter()
            stream = run_ours(ds.select_columns(["doc_id", "pdf", "n_pages"]), image_only) if name == OURS else _run_peer(name, ds)
            records = write_predictions(tqdm(stream, total=len(ds), desc=name), out / "predictions" / f"{name}.jsonl")
            wall[name] = round(perf_counter() - start, 1)
        cards[name] = score(samples_for(ds, records), name)
    m = benchmark.manifest(benchmark_path)
    split_name = (split or next(n for n, s in m["splits"].items() if s["frozen"])).partition(":")[0]
    report = {
        "benchmark": {"path": str(benchmark_path), "split": split or split_name, "version": m["version"],
                      "sha256": m["splits"][split_name]["sha256"], "documents": len(ds),
                      "frozen": m["splits"][split_name]["frozen"],
                      "input": {OURS: INPUTS["image" if image_only else "text"]}
                      | ({"peers": "the stored page images"} if len(systems) > 1 else {})},
        "wall_seconds": wall,  # of each system's whole run, start-up included (throughput leaves it out)
        "systems": {name: asdict(card) for name, card in cards.items()},
        "ratios": {name: _ratios(cards[OURS], card) for name, card in cards.items() if name != OURS},
    }
    write_report(report, out)
    return report


def _run_peer(name: str, ds: Dataset) -> Iterator[dict]:
    from ogi_extract.training.peers import run_peer

    return run_peer(name, ds)


def _ratios(ours: Scorecard, peer: Scorecard) -> dict[str, float | None]:
    def ratio(a: float, b: float) -> float | None:
        return a / b if b and a == a and b == b else None  # None when the peer scored 0 or was not timed

    return {"f1": ratio(ours.f1, peer.f1), "pages_per_second": ratio(ours.pages_per_second, peer.pages_per_second)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ogi-extract evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--benchmark", type=Path, required=True, help="a folder built by `benchmark build`")
    ap.add_argument("--split", help="e.g. test, test:degradation=heavy, test:format=ogi2021 (default: the test set)")
    ap.add_argument("--predictions", type=Path, help="score these ogi-extract records instead of running predict")
    ap.add_argument("--compare", default="", help="peers, comma-separated: img2table, rapid (or name=records.jsonl)")
    ap.add_argument("--image-only", action="store_true",
                    help="ours ignores PDF text layers and OCRs the page images, as the peers do")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    report = evaluate(args.benchmark, args.split, [c for c in args.compare.split(",") if c], args.predictions, args.out,
                      args.image_only)
    for name, card in report["systems"].items():
        s = card["summary"]
        print(f"{name}: field F1 {s['fields']['f1']:.3f}, exact documents {s['documents']['exact_match']:.2f}, "
              f"{s['throughput']['pages_per_second']:.2f} pages/s")
    print(f"report: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
