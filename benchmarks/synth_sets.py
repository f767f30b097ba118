"""Field F1 and field errors on folders of labeled generator reports (PDF + truth JSON), as the
generator-set numbers of the README are taken: every report read by `predict_each` (a worker per
core), a wrong value counted as one false positive and one false negative.

    python -m ogi_extract.training.synth --n 24 --seed 6161 --level heavy --varied --out data/synth/varied_heavy
    python benchmarks/synth_sets.py data/synth/varied_heavy [more folders] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ogi_extract.inference.pipeline import predict_each
from ogi_extract.training.score import Counts, field_counts, same_value


def score(folder: Path) -> dict:
    """Totals and each report's wrong fields."""
    total, reports, pages = Counts(), {}, 0
    start = time.perf_counter()
    for source, result in predict_each(sorted(str(p) for p in folder.glob("*.pdf"))):
        path = Path(str(source))
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["metrics"]
        read = {k: v.value for k, v in result.metrics.items()}
        counts = field_counts(truth, read)
        total, pages = total + counts, pages + result.pages
        wrong = sorted(k for k in set(truth) | set(read)
                       if not (k in truth and k in read and same_value(truth[k], read[k])))
        reports[path.name] = {"errors": counts.fp + counts.fn, "wrong": wrong}
    return {"folder": folder.name, "reports": len(reports), "pages": pages, "field_f1": round(total.f1, 4),
            "field_errors": total.fp + total.fn, "seconds": round(time.perf_counter() - start, 1), "per_report": reports}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", type=Path, nargs="+")
    ap.add_argument("--out", type=Path, help="write every folder's numbers, per report too, as JSON")
    args = ap.parse_args()
    results = [score(folder) for folder in args.folders]
    for r in results:
        print(f"{r['folder']}: {r['reports']} reports, {r['pages']} pages, field F1 {r['field_f1']:.4f}, "
              f"field errors {r['field_errors']}, {r['seconds']} s")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
