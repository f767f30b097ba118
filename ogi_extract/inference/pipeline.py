"""Wire the default stages: source -> Document -> words -> tables -> rows -> labels -> metrics -> checks -> Result."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ..errors import ExtractionTimeout, OgiError
from ..settings import Settings
from ..types import Document
from .checks import check_relations, prose_cross_check
from .fields import report_fields
from .load import load_document
from .reread import CellRereader
from .alternatives import CellAlternatives, page_rereader
from .solver import solve
from .result import ErrorInfo, Result, TableCell
from .rows import read_rows
from .tables import TableBuilder
from .values import to_metrics
from .words import WordReader

Source = str | Path | bytes


class Pipeline:
    """All stages, built once from settings and reused for every file."""

    def __init__(self, settings: Settings | None = None):
        from ..models.labels import LabelClassifier  # loads the model folder; keep import local

        self.settings = settings or Settings()
        self.words = WordReader(self.settings)
        self.tables = TableBuilder(self.settings)
        self.reread = CellRereader(self.settings, lambda: self.words.engine)
        self.alternatives = CellAlternatives(self.settings)
        path, threshold = self.settings.labels_model, self.settings.min_label_probability
        self.labels = LabelClassifier.load(path, threshold) if path else LabelClassifier.default(threshold)

    def __call__(self, source: Source) -> Result:
        start = time.perf_counter()
        return self.interpret(self.read(source), start)

    def read(self, source: Source) -> Document:
        """Every stage up to the table cells: load, words, tables, re-read empty value cells."""
        start = time.perf_counter()
        doc = load_document(source, self.settings)
        doc.timings["load"] = time.perf_counter() - start
        pages = self.words(doc, doc.pages)
        self.tables(doc, pages)
        self.reread(doc, pages)
        if self.settings.cell_readings:
            self.alternatives(doc, pages)
        return doc

    def interpret(self, doc: Document, start: float) -> Result:
        """Everything after layout: rows, labels, values, checks, fields."""
        t = time.perf_counter()
        agency, year, fmt = report_fields(doc)
        labeled = self.labels.predict(read_rows(doc), fmt)
        dpi = doc.pages[0].dpi if doc.pages else None
        metrics, unmapped, warnings = to_metrics(labeled, fmt, dpi)
        if self.settings.solver:
            reread = page_rereader(doc, lambda: self.words.engine) if self.settings.cell_readings else None
            metrics, corrected = solve(metrics, fmt, reread)
            warnings += corrected
        relations = check_relations(metrics, fmt)
        doc.timings["interpret"] = time.perf_counter() - t
        doc.timings["total"] = time.perf_counter() - start
        warnings += prose_cross_check(doc, metrics, fmt)
        warnings += [f"relation breaks as printed: {r.relation} ({r.lhs} != {r.rhs})" for r in relations if r.holds is False]
        return Result(
            file=doc.source, agency=agency, year=year, format=fmt, metrics=metrics, unmapped=unmapped,
            relations=relations, warnings=doc.warnings + warnings,
            timings={k: round(v, 3) for k, v in doc.timings.items()}, pages=len(doc.pages), dpi=dpi,
            cells=[TableCell(page=t.page + 1, box=c.box, row=c.row, col=c.col, row_span=c.row_span,
                             col_span=c.col_span, text=c.text) for p in doc.pages for t in p.tables for c in t.cells],
        )


def error_result(source: Source, error: Exception) -> Result:
    name = source if isinstance(source, str) else str(source) if isinstance(source, Path) else "<bytes>"
    if isinstance(error, OgiError):
        info = ErrorInfo(type=type(error).__name__, reason=error.reason, detail=error.detail)
    else:
        info = ErrorInfo(type=type(error).__name__, reason="internal error", detail=str(error)[:500])
    return Result(file=name, error=info, warnings=[str(error)[:500]])


_worker: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Pipeline(settings)


def _run_one(source: Source) -> Result:
    assert _worker is not None
    try:
        return _worker(source)
    except Exception as error:  # one bad file never loses the others
        return error_result(source, error)


def predict_many(sources: Iterable[Source], settings: Settings | None = None) -> Iterator[Result]:
    """Process many files in worker processes (pdfium is not thread-safe), each under a hard timeout.

    Yields one Result per source, in input order; a file that fails, crashes its worker or
    runs past `settings.timeout_s` yields a Result carrying the error.
    """
    settings = settings or Settings()
    sources = list(sources)
    with ProcessPool(max_workers=settings.workers, initializer=_init_worker, initargs=(settings,)) as pool:
        futures = [pool.schedule(_run_one, args=(s,), timeout=settings.timeout_s) for s in sources]
        for source, future in zip(sources, futures):
            try:
                yield future.result()
            except FutureTimeout:
                yield error_result(source, ExtractionTimeout(str(source), f"over {settings.timeout_s:g} s"))
            except ProcessExpired as error:
                yield error_result(source, OgiError(str(source), f"worker died: {error}"))
            except Exception as error:
                yield error_result(source, error)
