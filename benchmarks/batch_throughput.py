"""Batch throughput and memory: documents/s, pages/s and peak RSS per worker for N workers.

    nice -n 10 python benchmarks/batch_throughput.py --workers 1 2 [FILES...]

Default batch: the test PDFs (digital, scanned, real). Prints one JSON line per worker count, with
the machine's load average at start and end (timings on a shared, loaded machine are inflated).
Peak RSS and CPU seconds are sampled every 0.2 s over the worker processes (model loading included);
more CPU-s a page than one process spends means threads fight over the cores.
To time an older checkout with PYTHONPATH=SNAPSHOT, run from a folder outside any checkout: the
workers come from a fork server whose first import path is the current folder.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from pathlib import Path

import psutil

from ogi_extract.inference.pipeline import predict_each
from ogi_extract.settings import Settings

DATA = Path(__file__).parents[1] / "tests" / "data"


def run(files: list[str], workers: int) -> dict:
    me, peak, cpu, stop = psutil.Process(), {}, {}, threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for child in me.children(recursive=True):
                try:
                    peak[child.pid] = max(peak.get(child.pid, 0), child.memory_info().rss)
                    times = child.cpu_times()
                    cpu[child.pid] = times.user + times.system
                except psutil.Error:
                    pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    load0 = os.getloadavg()[0]
    start = time.perf_counter()
    sampler.start()
    results = [r for _, r in predict_each(files, Settings(workers=workers))]
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    pages = sum(r.pages for r in results)
    return {"workers": workers, "docs": len(results), "pages": pages, "failed": sum(r.error is not None for r in results),
            "seconds": round(seconds, 1), "docs_per_s": round(len(results) / seconds, 3),
            "pages_per_s": round(pages / seconds, 3),
            "peak_rss_mb_per_worker": sorted(round(v / 2**20) for v in peak.values() if v > 50 * 2**20),
            "cpu_s_per_page": round(sum(cpu.values()) / max(1, pages), 3),  # all child processes, as last sampled
            "load_avg_start_end": [round(load0, 1), round(os.getloadavg()[0], 1)], "cpus": os.cpu_count()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    files = args.files or sorted(str(p) for kind in ("digital", "scanned", "real") for p in (DATA / kind).glob("*.pdf"))
    for n in args.workers:
        print(json.dumps(run(files, n)), flush=True)


if __name__ == "__main__":
    main()
