"""Pages per second per stage, start-up time and peak memory, for digital and scanned reports.

Stage times come from each result's `timings` (wall clock inside one process, models loaded and
warmed up); CPU seconds are printed beside wall seconds, since a busy machine inflates wall time
and not CPU time. `--batch N` also runs `predict_many` over the files repeated to N pages or more, with
1 and 2 workers and prints pages/s and peak RSS per worker.

Run: `.venv/bin/python benchmarks/speed.py [--batch 200] [--only digital|scanned]`
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CASES = {
    "digital (seeds + real, text layer)": sorted((DATA / "digital").glob("*.pdf")) + sorted((DATA / "real").glob("*.pdf")),
    "scanned (seeds, 150 dpi)": sorted((DATA / "scanned").glob("*.pdf")),
}


def startup_seconds() -> float:
    """Import + model loading of a fresh process (what every worker pays once)."""
    code = "import time; t=time.perf_counter(); from ogi_extract.inference.pipeline import Pipeline; " \
           "Pipeline(); print(time.perf_counter()-t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def stages(files: list[Path]) -> tuple[int, float, float, dict[str, float]]:
    from ogi_extract.inference.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline(files[0])  # warm up
    per_stage: dict[str, float] = defaultdict(float)
    pages, wall, cpu = 0, time.perf_counter(), time.process_time()
    for path in files:
        result = pipeline(path)
        pages += result.pages
        for stage, seconds in result.timings.items():
            if stage != "total":
                per_stage[stage] += seconds
    return pages, time.perf_counter() - wall, time.process_time() - cpu, dict(per_stage)


def batch(files: list[Path], target_pages: int, workers: int) -> str:
    """pages/s and peak RSS per worker of predict_many over the files repeated to N pages or more."""
    import pypdfium2
    from batch_throughput import run  # beside this script

    pages = sum(len(pypdfium2.PdfDocument(f)) for f in files)
    repeated = [str(f) for f in files] * max(1, -(-target_pages // pages))  # at least N pages
    r = run(repeated, workers)
    return (f"{r['pages']} pages in {r['seconds']} s (start-up included): {r['pages_per_s']:.2f} pages/s, "
            f"peak RSS per worker {r['peak_rss_mb_per_worker']} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=0, help="also run predict_many over the files repeated to N pages or more")
    parser.add_argument("--only", choices=["digital", "scanned"], help="one kind of input")
    args = parser.parse_args()
    print(f"start-up (import + models, fresh process): {startup_seconds():.2f} s")
    for name, files in CASES.items():
        if args.only and not name.startswith(args.only):
            continue
        pages, wall, cpu, per_stage = stages(files)
        detail = "  ".join(f"{k} {pages / v:.1f}" if v else f"{k} -" for k, v in per_stage.items())
        print(f"{name}: {pages} pages, {pages / wall:.2f} pages/s (wall), {cpu / pages:.3f} CPU-s/page; "
              f"pages/s per stage: {detail}")
        if args.batch:
            for workers in (1, 2):
                print(f"  batch, {workers} worker(s): {batch(files, args.batch, workers)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
