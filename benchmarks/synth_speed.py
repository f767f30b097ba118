"""Labeled pages per second of the synthetic report generator (cheap OpenCV degradations).

Run: `.venv/bin/python benchmarks/synth_speed.py [--n 20] [--workers 2]`
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ogi_extract.training.synth.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        pdfs = generate(args.n, Path(tmp), seed=12345, workers=args.workers)
        seconds = time.perf_counter() - start
        pages = sum(len(json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["pages"]) for p in pdfs)
    print(f"{len(pdfs)} reports, {pages} labeled pages in {seconds:.1f} s: {pages / seconds:.2f} pages/s "
          f"({args.workers} workers)")


if __name__ == "__main__":
    main()
