"""Accuracy and speed of `predict` on the real-content fixtures; prints a table and writes JSON.

Cases: the five seeds rendered as scanned (image-only) and digital PDFs, the three real published
reports as they are (text layer), and the same real reports rasterized and degraded like scans.
Run: `.venv/bin/python benchmarks/run.py [--levels mild heavy] [--out benchmarks/results/fixtures.json]`
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.training.score import Sample, score
from ogi_extract.training.synth.degrade import degrade, write_image_pdf
from ogi_extract.training.synth.render import rasterize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _truth(stem: str) -> dict:
    path = next(DATA.glob(f"*/truth/{stem}.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def rasterized_real(levels: list[str], out: Path, dpi: int = 200) -> list[tuple[Path, str]]:
    """The real digital reports as image-only scans, one PDF per degradation level."""
    cases = []
    for pdf in sorted((DATA / "real").glob("*.pdf")):
        pages = rasterize(pdf, dpi)
        for level in levels:
            rng = np.random.default_rng(7)
            target = out / f"{pdf.stem}.{level}.pdf"
            write_image_pdf([degrade(p, level, rng, dpi)[0] for p in pages], target, dpi, quality=60)
            cases.append((target, level))
    return cases


def run_case(pipeline: Pipeline, name: str, files: list[tuple[Path, str]]) -> dict:
    samples, seconds = [], 0.0
    for path, level in files:
        start = time.perf_counter()
        result = pipeline(path)
        took = time.perf_counter() - start
        seconds += took
        record = result.to_record() | {"seconds": took, "pages": result.pages}
        samples.append(Sample(doc_id=path.name, truth=_truth(path.name.split(".")[0]), prediction=record,
                              degradation=level, pages=result.pages))
    card = score(samples, system=name)
    fields = card.summary["fields"]
    pages = sum(s.pages for s in samples)
    return {"case": name, "documents": len(samples), "pages": pages, "precision": fields["precision"],
            "recall": fields["recall"], "f1": fields["f1"], "seconds_per_page": seconds / max(pages, 1),
            "report_fields": card.summary["report_fields"], "documents_detail": card.documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", nargs="+", default=["mild", "heavy"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fixtures.json")
    args = parser.parse_args()
    pipeline = Pipeline()
    pipeline(DATA / "real" / "hongze_qzf_2024.pdf")  # warm up: model loading is not per-page cost
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "seeds, scanned (mild, 150 dpi)": [(p, "mild") for p in sorted((DATA / "scanned").glob("*.pdf"))],
            "seeds, digital": [(p, "clean") for p in sorted((DATA / "digital").glob("*.pdf"))],
            "real, text layer": [(p, "clean") for p in sorted((DATA / "real").glob("*.pdf"))],
            f"real, rasterized ({'/'.join(args.levels)}, 200 dpi)": rasterized_real(args.levels, Path(tmp)),
        }
        for name, files in cases.items():
            rows.append(run_case(pipeline, name, files))
            r = rows[-1]
            print(f"{name:<40} docs {r['documents']:>2}  pages {r['pages']:>3}  P {r['precision']:.4f}  "
                  f"R {r['recall']:.4f}  F1 {r['f1']:.4f}  {r['seconds_per_page']:.2f} s/page", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
