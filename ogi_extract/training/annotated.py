"""Training examples from annotated reports: the rows the pipeline really reads, labeled by the annotation.

A user's report (`<stem>.pdf` beside its truth `<stem>.json`, annotations/README.md) goes through
the runtime's own stages up to rows, and each row is `features.from_rows`'d exactly as the
classifier sees it at prediction time; its target is the row key of the metric ids carried by the
truth cells its value cells overlap. So fine-tuning learns the user's wordings *as read* (text
layer or OCR noise included), not as typed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from ogi_extract.inference.fields import report_fields
from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.inference.rows import read_rows
from ogi_extract.models.labels.features import Example, from_rows
from ogi_extract.schema import UNMAPPED, load_spec
from ogi_extract.settings import Settings
from ogi_extract.training.benchmark import assert_not_frozen, sha256
from ogi_extract.training.score import iou
from ogi_extract.types import BBox, Row

log = logging.getLogger(__name__)

MIN_IOU = 0.5  # a value cell read by the pipeline "is" a truth cell above this overlap


@dataclass(frozen=True)
class Report:
    """One annotated report: the PDF and its truth document."""

    pdf: Path
    truth: dict

    @property
    def digest(self) -> str:
        return sha256(self.pdf.read_bytes())


def find_reports(paths: list[Path]) -> list[Report]:
    """PDFs (or folders of PDFs) that have a truth JSON beside them, same stem."""
    pdfs = [q for p in map(Path, paths) for q in (sorted(p.glob("*.pdf")) if p.is_dir() else [p])]
    reports = []
    for pdf in pdfs:
        truth = pdf.with_suffix(".json")
        if not truth.is_file():
            raise FileNotFoundError(f"{pdf}: no annotation {truth.name} beside it")
        report = Report(pdf, json.loads(truth.read_text(encoding="utf-8")))
        if not any(p.get("cells") for p in report.truth.get("pages", [])):
            raise ValueError(f"{truth}: no pages[].cells, so no row can be labeled (metrics alone are not enough)")
        reports.append(report)
    return reports


def row_keys(fmt: str) -> dict[str, str]:
    """Metric id -> row key within one format (review.total is a row of its own in ogi2008, a cell of
    review_litigation in the templates)."""
    return {m: r.key for r in load_spec()[fmt].all_rows for m in r.metric_ids}


def truth_cells(truth: dict, page: int, dpi: int) -> list[tuple[BBox, str | None]]:
    """(box at `dpi`, metric id) of the annotated cells of one page."""
    for p in truth.get("pages", []):
        if p["index"] == page:
            scale = dpi / p["dpi"]
            return [(tuple(v * scale for v in c["box"]), c.get("metric_id")) for c in p["cells"]]
    return []


def row_target(row: Row, cells: list[tuple[BBox, str | None]], keys: dict[str, str]) -> str | None:
    """The row key its value cells' metric ids belong to, unmapped when they carry none,
    None when no value cell matches an annotated cell (the annotation says nothing) or the ids disagree."""
    ids, matched = [], False
    for value in row.values:
        best = max(cells, key=lambda c: iou(value.box, c[0]), default=None)
        if best is not None and iou(value.box, best[0]) >= MIN_IOU:
            matched = True
            if best[1]:
                ids.append(best[1])
    found = {keys.get(m) for m in ids}
    if not matched or None in found or len(found) > 1:
        return None
    return found.pop() if found else UNMAPPED


def report_examples(reader: Pipeline, report: Report) -> tuple[list[Example], int]:
    """The report's labeled examples, and how many rows could not be labeled."""
    doc = reader.read(str(report.pdf))
    rows = read_rows(doc)
    # Features carry the format the pipeline detects (what the classifier will see on such a report);
    # targets come from the annotation's format.
    fmt, keys = report_fields(doc)[2], row_keys(report.truth["format"])
    dpi = {p.index: p.dpi for p in doc.pages}
    cells = {i: truth_cells(report.truth, i, d) for i, d in dpi.items()}
    out, skipped = [], 0
    for row, example in zip(rows, from_rows(rows, fmt)):
        target = row_target(row, cells[row.page], keys)
        if target is None:
            skipped += 1
        else:
            out.append(replace(example, target=target))
    return out, skipped


def examples_from_reports(paths: list[Path], settings: Settings | None = None,
                          benchmark: Path | None = None) -> list[Example]:
    """Examples of every row of the annotated reports under `paths` (files or folders).

    With a `benchmark` dataset folder, refuses reports of its frozen (test) split first.
    """
    reports = find_reports(paths)
    if benchmark is not None:
        assert_not_frozen([r.truth for r in reports], benchmark)
    reader = Pipeline(settings or Settings())
    examples = []
    for report in reports:
        found, skipped = report_examples(reader, report)
        log.info("%s: %d rows labeled (%d unmapped), %d not matched to the annotation", report.pdf.name,
                 len(found), sum(e.target == UNMAPPED for e in found), skipped)
        examples += found
    return examples
