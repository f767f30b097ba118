"""`ogi-extract annotate export|import`: Label Studio both ways, so a person corrects instead of drawing.

export FILES --out DIR   runs the pipeline on each report and writes DIR/tasks.json (one task per
                         page, the model's cells, transcriptions, metric ids and report fields as
                         pre-annotations), the page images under DIR/images/ and the labeling config
                         DIR/label_studio.xml (annotations/label_studio.xml).
import EXPORT.json --out DIR
                         turns a Label Studio JSON export into annotated reports of the
                         annotations/ schema: DIR/<doc_id>.json beside a copy of the report,
                         DIR/<doc_id>.pdf, ready for `ogi-extract train labels --annotated DIR`.

Images are referenced as `--url-prefix` + their path relative to DIR. The default suits Label
Studio's local-file serving (LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and
LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=DIR); use e.g. http://host:8081/ for a plain file server.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from PIL import Image

from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.inference.result import Result
from ogi_extract.review.marks import table_numbers
from ogi_extract.review.writer import safe_stem
from ogi_extract.settings import Settings
from ogi_extract.training.label_studio import from_tasks, to_tasks
from ogi_extract.training.score import iou
from ogi_extract.types import Document

CONFIG = Path(__file__).resolve().parents[2] / "annotations" / "label_studio.xml"
MODEL_VERSION = "ogi-extract"


def predicted_document(doc_id: str, doc: Document, result: Result) -> dict:
    """A prediction in the annotation schema (annotations/README.md): cells with grid, text, metric ids."""
    numbers = table_numbers(result.cells)
    pages = [{"index": p.index, "width": p.size[0], "height": p.size[1], "dpi": p.dpi, "words": [], "cells": [],
              "sections": []} for p in doc.pages]
    by_page: dict[int, list[tuple[str, tuple]]] = {}
    for mid, m in result.metrics.items():
        if m.box:
            by_page.setdefault(m.page, []).append((mid, m.box))
    for cell, table in zip(result.cells, numbers):
        candidates = by_page.get(cell.page, [])
        best = max(candidates, key=lambda c: iou(cell.box, c[1]), default=None)
        mid = best[0] if best and iou(cell.box, best[1]) >= 0.5 else None
        pages[cell.page - 1]["cells"].append({"table": table, "row": cell.row, "col": cell.col,
                                              "row_span": cell.row_span, "col_span": cell.col_span,
                                              "box": list(cell.box), "text": cell.text, "metric_id": mid})
    for page in doc.pages:
        pages[page.index]["sections"] = [{"text": h.text, "box": list(h.box)} for h in page.headings]
    return {"doc_id": doc_id, "agency": result.agency, "year": result.year, "format": result.format,
            "metrics": result.values, "pages": pages}


def _doc_id(path: str, taken: set[str]) -> str:
    base = safe_stem(path)
    doc_id, n = base, 1
    while doc_id in taken:
        n += 1
        doc_id = f"{base}_{n}"
    taken.add(doc_id)
    return doc_id


def export(files: list[str], out: Path, url_prefix: str, settings: Settings | None = None) -> Path:
    """Label Studio tasks for `files`, pre-annotated with the pipeline's predictions."""
    pipe = Pipeline(settings or Settings())
    (out / "images").mkdir(parents=True, exist_ok=True)
    tasks, taken = [], set()
    for file in files:
        doc = pipe.read(file)
        result = pipe.interpret(doc, time.perf_counter())
        doc_id = _doc_id(file, taken)
        urls = []
        for page in doc.pages:
            rel = f"images/{doc_id}_p{page.index + 1:03d}.jpg"
            Image.fromarray(page.image).save(out / rel, "JPEG", quality=88)
            urls.append(url_prefix + rel)
        confidences = [m.confidence for m in result.metrics.values()]
        score = round(sum(confidences) / len(confidences), 4) if confidences else None
        for task in to_tasks(predicted_document(doc_id, doc, result), urls, MODEL_VERSION, score):
            task["data"]["source"] = str(Path(file).resolve())
            tasks.append(task)
    path = out / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    if CONFIG.is_file():
        shutil.copyfile(CONFIG, out / "label_studio.xml")
    return path


def import_export(export_json: Path, out: Path, sources: Path | None = None) -> list[Path]:
    """Annotated reports (truth JSON beside a copy of the report) from a Label Studio JSON export."""
    tasks = json.loads(export_json.read_text(encoding="utf-8"))
    if not isinstance(tasks, list):
        raise ValueError(f"{export_json}: not a Label Studio JSON export (a list of tasks)")
    origin = {t["data"]["doc_id"]: t["data"].get("source") for t in tasks}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in from_tasks(tasks):
        doc["source"] = "real"
        truth = out / f"{doc['doc_id']}.json"
        truth.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        found = [Path(p) for p in (origin.get(doc["doc_id"]), sources and sources / f"{doc['doc_id']}.pdf") if p]
        pdf = next((p for p in found if p.is_file()), None)
        if pdf is not None:
            shutil.copyfile(pdf, truth.with_suffix(pdf.suffix.lower()))
        written.append(truth)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ogi-extract annotate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    e = sub.add_parser("export", help="Label Studio tasks with the model's predictions as pre-annotations")
    e.add_argument("files", nargs="+")
    e.add_argument("--out", type=Path, required=True)
    e.add_argument("--url-prefix", default="/data/local-files/?d=", help="prepended to each image path (relative to --out)")
    i = sub.add_parser("import", help="a Label Studio JSON export -> annotated reports (annotations/ schema)")
    i.add_argument("export", type=Path)
    i.add_argument("--out", type=Path, required=True)
    i.add_argument("--sources", type=Path, help="folder holding <doc_id>.pdf where the export's paths do not exist")
    args = parser.parse_args(argv)
    if args.action == "export":
        from ogi_extract.cli import INPUT_SUFFIXES
        from ogi_extract.inputs import expand

        path = export(list(expand(args.files, INPUT_SUFFIXES)), args.out, args.url_prefix)
        print(f"ogi-extract annotate: {len(json.loads(path.read_text(encoding='utf-8')))} task(s) in {path}")
    else:
        written = import_export(args.export, args.out, args.sources)
        print(f"ogi-extract annotate: {len(written)} annotated report(s) in {args.out}")
    return 0
