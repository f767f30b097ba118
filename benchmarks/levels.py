"""Level x configuration tables from `ogi-extract evaluate` runs, and the solver's shares.

Each run is a folder written by `evaluate --out DIR` (its predictions/<system>.jsonl is read) or a
records file, named on the command line; scores are the evaluator's own (score.py), broken down by
*level*: `digital` for documents read through their text layer, else the scan's degradation.

    python benchmarks/levels.py --benchmark data/benchmark --split test \
        --run a=benchmarks/runs/levels/test_a --run c=benchmarks/runs/levels/test_c \
        --solver a,c --out benchmarks/results/levels_test.json

`--solver WITHOUT,WITH` compares two runs that differ only by OGI_SOLVER: of the fields wrong
without the solver, the share it puts right ("caught"); of the fields right without it, the share
it makes wrong ("wrongly changed", target <= 0.1%); relation breaks per report of both runs and of
the truth's own printed values.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from ogi_extract.inference.solver import holds
from ogi_extract.schema import load_spec, relations_for
from ogi_extract.training import benchmark
from ogi_extract.training.evaluate import OURS, read_predictions, samples_for
from ogi_extract.training.score import CellDetection, FieldF1, Sample, Throughput, breakdown, same_value


def level(s: Sample) -> str:
    return "digital" if s.kind == "digital" else s.degradation


def records_of(run: str) -> dict[str, dict]:
    path = Path(run)
    return read_predictions(path / "predictions" / f"{OURS}.jsonl" if path.is_dir() else path)


def table(samples: list[Sample]) -> dict[str, dict]:
    """Per level (and `all`): field F1, cell F1, seconds per page, documents, pages."""
    out: dict[str, dict] = {}
    fields, cells, speed = (breakdown(e, samples, level) for e in (FieldF1(), CellDetection(), Throughput()))
    for lv in [*sorted(fields), "all"]:
        f = FieldF1()(samples) if lv == "all" else fields[lv]
        c = CellDetection()(samples) if lv == "all" else cells[lv]
        t = Throughput()(samples) if lv == "all" else speed[lv]
        pages = t["pages"]
        out[lv] = {"field_f1": f["f1"], "tp": f["tp"], "fp": f["fp"], "fn": f["fn"], "cell_f1": c["f1"],
                   "s_per_page": t["seconds"] / pages if pages else None, "pages": pages,
                   "documents": sum(lv in ("all", level(s)) for s in samples)}
    return out


def stages(samples: list[Sample]) -> dict[str, dict[str, float]]:
    """Seconds per page of each pipeline stage (the records' `timings`), scanned and digital apart."""
    out: dict[str, dict[str, float]] = {}
    for kind in ("scanned", "digital"):
        group = [s for s in samples if s.kind == kind and s.prediction.get("details", {}).get("timings")]
        pages = sum(s.pages for s in group)
        totals: defaultdict[str, float] = defaultdict(float)
        for s in group:
            for stage, seconds in s.prediction["details"]["timings"].items():
                totals[stage] += seconds / s.prediction.get("workers", 1)  # as `Throughput`: a share of the wall clock
        out[kind] = {stage: t / pages for stage, t in totals.items()} if pages else {}
    return out


def breaks(metrics: dict, fmt: str | None) -> int:
    spec = load_spec().formats.get(fmt or "")
    return 0 if spec is None else sum(holds(r, metrics) is False for r in relations_for(spec, set(metrics)))


def solver_shares(without: list[Sample], with_: list[Sample]) -> dict[str, dict]:
    """Field by field over ids present in the truth and both predictions, per level and `all`."""
    by_id = {s.doc_id: s for s in with_}
    acc: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in without:
        after = by_id[s.doc_id].prediction
        truth, before = s.truth["metrics"], s.prediction.get("metrics") or {}
        after_m = after.get("metrics") or {}
        for lv in (level(s), "all"):
            a = acc[lv]
            a["documents"] += 1
            a["breaks_without"] += breaks(before, s.prediction.get("format"))
            a["breaks_with"] += breaks(after_m, after.get("format"))
            a["breaks_truth"] += breaks(truth, s.truth.get("format"))
            a["relation_corrected"] += sum(m.get("source") == "relation-corrected"
                                           for m in after.get("details", {}).get("metrics", {}).values())
            for mid in set(truth) & set(before) & set(after_m):
                ok_before, ok_after = same_value(truth[mid], before[mid]), same_value(truth[mid], after_m[mid])
                a["fields"] += 1
                a["wrong_without"] += not ok_before
                a["caught"] += not ok_before and ok_after
                a["right_without"] += ok_before
                a["wrongly_changed"] += ok_before and not ok_after
                a["changed"] += not same_value(before[mid], after_m[mid])
    out = {}
    for lv, a in acc.items():
        n = a["documents"]
        out[lv] = dict(a) | {
            "caught_share": a["caught"] / a["wrong_without"] if a["wrong_without"] else None,
            "wrongly_changed_share_of_right": a["wrongly_changed"] / a["right_without"] if a["right_without"] else None,
            "breaks_per_report_without": a["breaks_without"] / n, "breaks_per_report_with": a["breaks_with"] / n,
            "truth_breaks_per_report": a["breaks_truth"] / n}
    return dict(sorted(out.items(), key=lambda kv: kv[0] == "all"))


def markdown(tables: dict[str, dict[str, dict]], key: str, fmt: str) -> str:
    levels = list(dict.fromkeys(lv for t in tables.values() for lv in t))
    lines = ["| level | docs | pages | " + " | ".join(tables) + " |", "|---|---|---|" + "---|" * len(tables)]
    first = next(iter(tables.values()))
    for lv in levels:
        cells = [fmt.format(t[lv][key]) if lv in t and t[lv][key] is not None and t[lv][key] == t[lv][key] else "-"
                 for t in tables.values()]
        lines.append(f"| {lv} | {first.get(lv, {}).get('documents', '')} | {first.get(lv, {}).get('pages', '')} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--benchmark", type=Path, required=True)
    ap.add_argument("--split", default="test")
    ap.add_argument("--run", action="append", default=[], metavar="NAME=DIR|JSONL", help="an evaluate run, in table order")
    ap.add_argument("--solver", metavar="WITHOUT,WITH", help="two run names that differ only by OGI_SOLVER")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    ds = benchmark.load(args.benchmark, args.split)
    samples = {name: samples_for(ds, records_of(path)) for name, path in (r.split("=", 1) for r in args.run)}
    result: dict = {"split": args.split, "tables": {name: table(s) for name, s in samples.items()},
                    "stages_s_per_page": {name: stages(s) for name, s in samples.items()}}
    for key, fmt in (("field_f1", "{:.3f}"), ("cell_f1", "{:.3f}"), ("s_per_page", "{:.2f}")):
        print(f"\n{key}\n" + markdown(result["tables"], key, fmt))
    for name, by_kind in result["stages_s_per_page"].items():
        for kind, per_stage in by_kind.items():
            print(f"{name} {kind} s/page by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in per_stage.items()))
    if args.solver:
        without, with_ = args.solver.split(",")
        result["solver"] = solver_shares(samples[without], samples[with_])
        print("\nsolver: level, fields, wrong without, caught, right without, wrongly changed, breaks/report without/with/truth")
        for lv, s in result["solver"].items():
            print(f"{lv} {s['fields']} {s['wrong_without']} {s['caught']} {s['right_without']} {s['wrongly_changed']} "
                  f"{s['breaks_per_report_without']:.2f}/{s['breaks_per_report_with']:.2f}/{s['truth_breaks_per_report']:.2f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
