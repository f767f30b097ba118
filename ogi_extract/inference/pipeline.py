"""Wire the default stages: source -> Document -> words -> tables -> rows -> labels (unread rows placed by the
official form) -> metrics -> checks -> Result."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ..errors import ExtractionTimeout, MemoryLimitError, OgiError, WorkerDiedError
from ..settings import Settings
from ..types import Document, Page
from .alternatives import CellAlternatives, page_rereader
from .checks import break_warnings, check_relations, prose_cross_check
from .fields import report_fields
from .load import load_document
from .readings import doubtful, preferred
from .reread import CellRereader
from .result import ErrorInfo, Result, TableCell
from .rows import read_rows
from .solver import Reread, solve
from .tables import TableBuilder
from .template import place_unread_rows
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
        self.second_tables = TableBuilder(self.settings, learned=True) if self.settings.layout == "auto" else None
        self.reread = CellRereader(self.settings, lambda: self.words.engine)
        self.alternatives = CellAlternatives(self.settings)
        path, threshold = self.settings.labels_model, self.settings.min_label_probability
        self.labels = LabelClassifier.load(path, threshold) if path else LabelClassifier.default(threshold)

    def __call__(self, source: Source) -> Result:
        start = time.perf_counter()
        doc = self.read(source)
        reread = self.rereader(doc)
        result = self.interpret(doc, start, reread)
        scans = [p for p in doc.pages if p.tables and p.read_by_ocr]
        if self.second_tables is None or not scans or not doubtful(result):
            return result
        self.second_tables(doc, scans)  # the scanned tables again, with the layout model's separators
        self.cell_stages(doc, scans)
        second = self.interpret(doc, start, reread)
        result.timings = second.timings  # what both readings cost
        return preferred(result, second)

    def read(self, source: Source) -> Document:
        """Every stage up to the table cells: load, words, tables, re-read empty value cells."""
        start = time.perf_counter()
        doc = load_document(source, self.settings)
        doc.timings["load"] = time.perf_counter() - start
        pages = self.words(doc, doc.pages)
        self.tables(doc, pages)
        self.cell_stages(doc, pages)
        return doc

    def cell_stages(self, doc: Document, pages: list[Page]) -> None:
        """Value cells' second readings: empty ones re-read, alternatives with their likelihoods."""
        self.reread(doc, pages)
        if self.settings.cell_readings:
            self.alternatives(doc, pages)

    def rereader(self, doc: Document) -> Reread | None:
        """The solver's second look at a suspect cell (the page recognizer's top-k), when cells get readings."""
        return page_rereader(doc, lambda: self.words.engine) if self.settings.cell_readings else None

    def interpret(self, doc: Document, start: float, reread: Reread | None = None) -> Result:
        """Everything after layout: rows, labels, values, checks, fields. `reread`: `rereader(doc)` if not given."""
        t = time.perf_counter()
        agency, year, fmt = report_fields(doc)
        labeled, placed = place_unread_rows(self.labels.predict(read_rows(doc), fmt), fmt)
        dpi = doc.pages[0].dpi if doc.pages else None
        metrics, unmapped, warnings = to_metrics(labeled, fmt, dpi)
        warnings += placed
        if self.settings.solver:
            metrics, corrected = solve(metrics, fmt, reread or self.rereader(doc))
            warnings += corrected
        relations = check_relations(metrics, fmt)
        doc.timings["interpret"] = time.perf_counter() - t
        doc.timings["total"] = time.perf_counter() - start
        if not any(p.tables for p in doc.pages):
            warnings.append("no tables found: not an annual report, or its tables could not be read")
        warnings += prose_cross_check(doc, metrics, fmt)
        warnings += break_warnings(relations)
        return Result(
            file=doc.source, agency=agency, year=year, format=fmt, metrics=metrics, unmapped=unmapped,
            relations=relations, warnings=doc.warnings + warnings,
            timings={k: round(v, 3) for k, v in doc.timings.items()}, pages=len(doc.pages), dpi=dpi,
            cells=[TableCell(page=t.page + 1, box=c.box, row=c.row, col=c.col, row_span=c.row_span,
                             col_span=c.col_span, text=c.text) for p in doc.pages for t in p.tables for c in t.cells],
        )


def error_result(source: Source, error: BaseException) -> Result:
    name = source if isinstance(source, str) else str(source) if isinstance(source, Path) else "<bytes>"
    if isinstance(error, OgiError):
        info = ErrorInfo(type=type(error).__name__, reason=error.reason, detail=error.detail)
    else:
        detail = OgiError(name, str(error)[:500]).detail  # memory addresses stripped
        info = ErrorInfo(type=type(error).__name__, reason="internal error", detail=detail)
    return Result(file=name, error=info, warnings=[f"{info.reason}" + (f" ({info.detail})" if info.detail else "")])


def check_models(settings: Settings) -> None:
    """Load the models every worker will load, once, here: a broken folder is one `ModelNotFoundError`
    before any worker starts, not one error line per file (which `--resume` would then skip)."""
    from ..models.labels import LabelClassifier

    if settings.labels_model:
        LabelClassifier.load(settings.labels_model)
    else:
        LabelClassifier.default()


_worker: Pipeline | None = None
MEMORY_EXIT = 86  # exit status of a worker that ended itself over `max_memory_mb`


def _init_worker(settings: Settings) -> None:
    import cv2

    global _worker
    cv2.setNumThreads(settings.threads)  # this worker's share of the cores, as its models have
    _worker = Pipeline(settings)
    watch_memory(settings.max_memory_mb)


def watch_memory(limit_mb: int, every_s: float = 0.1) -> None:
    """A daemon thread that ends this process (status MEMORY_EXIT) once its resident memory passes `limit_mb`."""
    import os
    import threading

    page = os.sysconf("SC_PAGE_SIZE")

    def watch() -> None:
        with open("/proc/self/statm", "rb") as statm:
            while True:
                statm.seek(0)
                if int(statm.read().split()[1]) * page > limit_mb * 2**20:
                    os._exit(MEMORY_EXIT)
                time.sleep(every_s)

    if Path("/proc/self/statm").exists():
        threading.Thread(target=watch, name="ogi-memory-limit", daemon=True).start()


def _run_one(source: Source) -> Result:
    assert _worker is not None
    try:
        return _worker(source)
    except MemoryError:
        return error_result(source, MemoryLimitError(str(source), "allocation failed"))
    except Exception as error:  # one bad file never loses the others
        return error_result(source, error)


def _failure(source: Source, error: BaseException, settings: Settings) -> Result:
    """The Result of a file whose worker did not answer: over time, over memory, or dead."""
    name = str(source) if not isinstance(source, bytes) else "<bytes>"
    if isinstance(error, FutureTimeout):
        return error_result(source, ExtractionTimeout(name, f"over {settings.timeout_s:g} s; worker ended"))
    if isinstance(error, ProcessExpired):
        if error.exitcode == MEMORY_EXIT:
            return error_result(source, MemoryLimitError(name, f"over max_memory_mb={settings.max_memory_mb}"))
        how = f"signal {-error.exitcode}" if (error.exitcode or 0) < 0 else f"exit status {error.exitcode}"
        return error_result(source, WorkerDiedError(name, f"{how}; worker replaced"))
    if isinstance(error, BrokenProcessPool):
        return error_result(source, WorkerDiedError(name, "workers die as they start (is max_memory_mb below what "
                                                          "the models need?)"))
    return error_result(source, error)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers come from a fork server, never from a fork of the caller: a caller holding
    onnxruntime or user threads (a test run, a notebook, a batch runner's thread) can fork a child
    that blocks forever on a lock one of those threads held. The server imports the pipeline once,
    so each new worker still starts from a fork of a process with the code already loaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def predict_each(sources: Iterable[Source], settings: Settings | None = None) -> Iterator[tuple[Source, Result]]:
    """(source, Result) for every source, in the order they finish, from worker processes
    (pdfium is not thread-safe), each file under a hard timeout. Sources are pulled lazily, a few
    per worker at a time, so a list of a million paths costs no more than ten.
    A file that fails, kills its worker (which is replaced) or runs past `settings.timeout_s`
    yields a Result carrying the error; models are checked before the first worker starts.
    """
    settings = settings or Settings()
    check_models(settings)
    queue = iter(sources)
    first = list(islice(queue, 2 * settings.pool_size()))
    workers = settings.pool_size(len(first))  # one file: one worker with every core
    queue, window = chain(first, queue), 2 * workers
    with ProcessPool(max_workers=workers, initializer=_init_worker, initargs=(settings.worker_settings(workers),),
                     context=_worker_context()) as pool:
        running: dict[Future, Source] = {}
        while True:
            for source in islice(queue, window - len(running)):
                running[pool.schedule(_run_one, args=(source,), timeout=settings.timeout_s)] = source
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                source = running.pop(future)
                try:
                    yield source, future.result()
                except Exception as error:
                    yield source, _failure(source, error, settings)


def predict_many(sources: Iterable[Source], settings: Settings | None = None) -> Iterator[Result]:
    """One Result per source, in the order they finish (see `predict_each`)."""
    for _, result in predict_each(sources, settings):
        yield result
