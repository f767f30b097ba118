"""Soak run: memory per worker stays flat over ≥10,000 pages; pages/s and docs/s of the real CLI.

    nice -n 10 python benchmarks/soak.py --pages 10000 --workers 2 [--out benchmarks/runs/soak]
    nice -n 10 python benchmarks/soak.py --pages 200 --workers 1 2 --executors local ray --out benchmarks/runs/ray

Builds distinct inputs cheaply: copies of the digital test PDFs (seeds and real reports), each made
distinct by a PDF comment appended after `%%EOF` (readers ignore it; the SHA-256 content hash the
batch dedupes on changes), so every copy is read. Then runs `ogi-extract predict DIR -o FILE.jsonl
--workers N` as a subprocess, samples the resident memory (RSS) of each worker process every
`--every` seconds with psutil, and prints one JSON report: pages/s, docs/s, RSS per worker at start
(first sample after its first result), middle and end, and its peak. The time series is kept as
`rss.jsonl` beside the results. Timings on a shared, loaded machine are inflated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pypdfium2

ROOT = Path(__file__).parents[1]
SOURCES = sorted([*(ROOT / "tests/data/digital").glob("*.pdf"), *(ROOT / "tests/data/real").glob("*.pdf")])


def build_inputs(folder: Path, pages: int) -> tuple[int, int]:
    """Distinct copies of SOURCES in `folder` until they hold ≥ `pages` pages: (files, pages)."""
    folder.mkdir(parents=True, exist_ok=True)
    blobs = [(p.stem, p.read_bytes(), len(pypdfium2.PdfDocument(p))) for p in SOURCES]
    files = total = 0
    while total < pages:
        stem, data, n = blobs[files % len(blobs)]
        target = folder / f"{files // 1000:03d}" / f"{files:06d}_{stem}.pdf"
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data + f"\n% soak copy {files}\n".encode())
        files, total = files + 1, total + n
    return files, total


class LineCounter:
    """Lines in a growing file, reading only what was appended since the last call."""

    def __init__(self, path: Path):
        self.path, self.offset, self.lines = path, 0, 0

    def __call__(self) -> int:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return self.lines
        self.offset += len(data)
        self.lines += data.count(b"\n")
        return self.lines


def soak(inputs: Path, out: Path, workers: int, every: float, executor: str = "local") -> dict:
    """Run the CLI over `inputs`; sample each worker's RSS and the lines written over time."""
    tag = f"{executor}_w{workers}"
    results, series = out / f"results_{tag}.jsonl", out / f"rss_{tag}.jsonl"
    results.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ogi_extract.cli", "predict", str(inputs), "-o", str(results),
           "--workers", str(workers), "--executor", executor, "-q"]
    load0, start = os.getloadavg()[0], time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    samples: list[dict] = []
    count_lines = LineCounter(results)
    with open(series, "w") as log:
        while proc.poll() is None:
            sample = {"t": round(time.perf_counter() - start, 1), "done": count_lines(), "rss_mb": {}}
            try:
                kids = parent.children(recursive=True)
                sample["parent_mb"] = round(parent.memory_info().rss / 2**20)
            except psutil.Error:
                kids = []
            for kid in kids:  # local: the pool's workers; ray: raylet, GCS, idle workers and the actors
                try:
                    sample["rss_mb"][f"{kid.pid}:{kid.name()[:40]}"] = round(kid.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            samples.append(sample)
            log.write(json.dumps(sample) + "\n")
            log.flush()
            time.sleep(every)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    pages = sum(r["details"]["pages"] or 0 for r in lines)
    return {"executor": executor, "workers": workers, "exit": proc.returncode, "docs": len(lines), "pages": pages,
            "failed": sum(r["details"]["error"] is not None for r in lines), "seconds": round(seconds, 1),
            "docs_per_s": round(len(lines) / seconds, 3), "pages_per_s": round(pages / seconds, 3),
            **steady(samples, len(lines), pages, seconds), "rss_mb_per_worker": per_worker(samples),
            "timeline": timeline(samples, len(lines)), "parent_rss_mb": rss_points([s.get("parent_mb") for s in samples]),
            "load_avg_start_end": [round(load0, 1), round(os.getloadavg()[0], 1)],
            "summary": stderr.strip().splitlines()[-1] if stderr.strip() else ""}


def steady(samples: list[dict], docs: int, pages: int, seconds: float) -> dict:
    """Start-up (to the first result) apart from the rate after it: Ray's start-up is a fixed cost."""
    first = next((s["t"] for s in samples if s["done"] > 0), None)
    if first is None or seconds - first <= 0:
        return {}
    at = next(s["done"] for s in samples if s["done"] > 0)
    rest = seconds - first
    return {"first_result_s": first, "after_first_docs_per_s": round((docs - at) / rest, 3),
            "after_first_pages_per_s": round((docs - at) / rest * pages / max(docs, 1), 3)}


def timeline(samples: list[dict], docs: int, steps: int = 10) -> list[dict]:
    """RSS of every worker at each tenth of the documents done: flat memory reads as flat rows."""
    live = [(s, {pid: mb for pid, mb in s["rss_mb"].items() if mb >= 150}) for s in samples]
    live = [(s, workers) for s, workers in live if workers]  # not the last samples, after the pool closed
    rows = []
    for i in range(1, steps + 1):
        s, workers = next(((s, w) for s, w in live if s["done"] >= docs * i / steps), live[-1] if live else ({}, {}))
        if workers:
            rows.append({"done": s["done"], "t": s["t"], "rss_mb": workers})
    return rows


def rss_points(values: list) -> dict:
    """start / middle / end / peak of a series of RSS samples (MB)."""
    values = [v for v in values if v]
    if not values:
        return {}
    return {"start": values[0], "middle": values[len(values) // 2], "end": values[-1], "peak": max(values)}


def per_worker(samples: list[dict]) -> dict:
    """RSS points of each worker, counted from the first sample after the first result (models loaded)."""
    settled = [s for s in samples if s["done"] > 0] or samples
    pids = sorted({pid for s in settled for pid in s["rss_mb"]})
    points = {pid: rss_points([s["rss_mb"].get(pid) for s in settled]) | {"samples": sum(pid in s["rss_mb"] for s in settled)}
              for pid in pids}
    return {pid: p for pid, p in points.items() if p.get("peak", 0) >= 150}  # workers, not helper processes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[2])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/runs/soak")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between RSS samples")
    ap.add_argument("--executors", nargs="+", default=["local"], choices=["local", "ray"],
                    help="e.g. `--pages 200 --workers 1 2 --executors local ray` for Ray vs local")
    args = ap.parse_args()
    files, pages = build_inputs(args.out / "inputs", args.pages)
    print(json.dumps({"inputs": files, "input_pages": pages, "sources": [p.name for p in SOURCES],
                      "cpus": os.cpu_count()}), flush=True)
    for n in args.workers:
        for executor in args.executors:
            print(json.dumps(soak(args.out / "inputs", args.out, n, args.every, executor)), flush=True)


if __name__ == "__main__":
    main()
