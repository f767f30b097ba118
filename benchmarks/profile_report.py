"""Profile one report's extraction with pyinstrument and print a short text tree.

The first `predict` loads the models (and is timed, not profiled); the profile covers the
following `--repeat` runs (steady state, one process), so start-up does not hide the stages.
Only `ogi_extract.predict` is used, so the same script profiles an older checkout:

    PYTHONPATH=$PWD python benchmarks/profile_report.py examples/sample_scanned.pdf > after.txt
    PYTHONPATH=/tmp/before python benchmarks/profile_report.py examples/sample_scanned.pdf > before.txt
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time

from pyinstrument import Profiler

from ogi_extract import predict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threshold", type=float, default=0.02, help="hide frames under this share of the total")
    args = ap.parse_args()
    start = time.perf_counter()
    first = predict(args.file)
    warm = time.perf_counter() - start
    profiler = Profiler(interval=0.005)
    profiler.start()
    for _ in range(args.repeat):
        result = predict(args.file)
    profiler.stop()
    pages = result.pages
    session = profiler.last_session
    here = os.path.dirname(os.path.abspath(__import__("ogi_extract").__file__))
    commit = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"file {args.file}, {pages} pages, code at {commit}; load average {os.getloadavg()[0]:.1f} (2 shared cores)")
    print(f"first predict (with model loading) {warm:.2f} s; profiled {args.repeat} run(s): {session.duration:.2f} s wall, "
          f"{session.cpu_time:.2f} s CPU of the process (all threads), {session.duration / args.repeat / max(1, pages):.3f} s/page; "
          f"{len(first.values)} metrics")
    print(profiler.output_text(unicode=False, color=False, processor_options={"filter_threshold": args.threshold}))


if __name__ == "__main__":
    main()
