"""Field F1 and speed of `predict` on every form a report is published in; prints a table, writes JSON.

Forms: the five seeds and `--n` random reports (generator seed `--seed`, never 9001) as clean HTML,
as a portal page (GBK, Word-exported markup, page chrome), that page saved as .mht, and as .docx;
the real published pages of tests/data/html (as stored and re-encoded GBK); the scanned seed PDFs
(tests/data/scanned) and the same pages stacked into one long image each.
Documents per second: single process, serial, warm pipeline; wall clock (inflated on a loaded
machine) and per CPU-second of this process (what one free core gives; n workers give about n x).
Run: `PYTHONPATH=. .venv/bin/python benchmarks/forms.py [--n 30] [--no-long]`
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.training.score import Sample, score
from ogi_extract.training.synth.generate import random_report
from ogi_extract.training.synth.markup import write_forms
from ogi_extract.training.synth.render import rasterize
from ogi_extract.training.synth.seeds import seed_reports

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ROOT / "tests" / "data" / "scanned"
REAL_HTML = ROOT / "tests" / "data" / "html"


def real_pages(out: Path) -> list[Path]:
    """The real published pages as stored (UTF-8) and as a GBK portal would serve them."""
    pages = sorted(REAL_HTML.glob("*.html"))
    copies = []
    for page in pages:
        copy = out / f"{page.stem}.gbk.html"
        text = page.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')
        copy.write_bytes(text.encode("gbk"))
        copies.append(copy)
    return pages + copies


def long_image(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """The PDF's pages stacked top to bottom into one PNG, as a 长图 is published."""
    pages = rasterize(pdf, dpi)
    width = max(p.shape[1] for p in pages)
    stacked = np.vstack([np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=255) for p in pages])
    path = out / f"{pdf.stem}.long.png"
    Image.fromarray(stacked).save(path, dpi=(dpi, dpi))
    return path


def run_case(pipeline: Pipeline, name: str, files: list[Path], truth_dir: dict[str, Path]) -> dict:
    samples, seconds, cpu = [], 0.0, 0.0
    for path in files:
        stem = path.name.split(".")[0]
        truth = json.loads((truth_dir[stem] / f"{stem}.json").read_text(encoding="utf-8"))
        start, start_cpu = time.perf_counter(), time.process_time()
        result = pipeline(path)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        record = result.to_record()
        samples.append(Sample(doc_id=path.name, truth=truth, prediction=record, pages=result.pages))
    card = score(samples, system=name)
    f = card.summary["fields"]
    rf = card.summary["report_fields"]
    fields_right = sum(s.prediction["agency"] == s.truth["agency"] and s.prediction["year"] == s.truth["year"]
                       and s.prediction["format"] == s.truth["format"] for s in samples)
    return {"case": name, "documents": len(samples), "precision": f["precision"], "recall": f["recall"],
            "f1": f["f1"], "report_fields": rf, "agency_year_format_right": fields_right,
            "docs_per_second": len(samples) / max(seconds, 1e-9), "seconds": seconds,
            "docs_per_cpu_second": len(samples) / max(cpu, 1e-9), "cpu_seconds": cpu,
            "documents_detail": card.documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30, help="random reports besides the five seeds")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-long", action="store_true", help="skip the scanned / long-image cases (OCR, minutes)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "runs" / "forms.json")
    args = parser.parse_args()
    assert args.seed != 9001, "seed 9001 is reserved for the frozen test split"
    pipeline = Pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        reports = seed_reports() + [random_report(np.random.default_rng([args.seed, i]), f"synth_{args.seed}_{i:05d}")[0]
                                    for i in range(args.n)]
        for r in reports:
            write_forms(r, out)
        pipeline(out / f"{reports[0].doc_id}.html")  # warm up: model loading is not per-document cost
        truth = {r.doc_id: out for r in reports} | {p.stem: REAL_HTML / "truth" for p in REAL_HTML.glob("*.html")}
        cases = {
            "HTML, generated (UTF-8)": sorted(out.glob("*[0-9a-f].html")),
            "HTML, portal page (GBK, Word-exported)": sorted(out.glob("*.portal.html")),
            "HTML, real published (UTF-8 + GBK copy)": real_pages(out),
            "portal page saved as one file (.mht)": sorted(out.glob("*.mht")),
            "Word (.docx)": sorted(out.glob("*.docx")),
        }
        if not args.no_long:
            scanned = sorted(SCANNED.glob("*.pdf"))
            truth |= {p.stem: SCANNED for p in scanned}
            cases["scanned pages (PDF, 200 dpi)"] = scanned
            cases["the same pages as one long image"] = [long_image(p, out) for p in scanned]
        rows = [_show(run_case(pipeline, name, files, truth)) for name, files in cases.items()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {args.out}")


def _show(r: dict) -> dict:
    print(f"{r['case']:<42} docs {r['documents']:>3}  P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}  "
          f"agency+year+format right {r['agency_year_format_right']}/{r['documents']}  "
          f"{r['docs_per_second']:.1f} docs/s wall, {r['docs_per_cpu_second']:.1f} per CPU-second", flush=True)
    return r

if __name__ == "__main__":
    main()
