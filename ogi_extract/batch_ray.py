"""`predict --executor ray`: the same pipeline on Ray Data, for a cluster (or a local Ray instance).

`ray_each(sources, settings, address)` has the shape of `pipeline.predict_each`: the batch command
lists, hashes, dedupes and resume-filters the inputs exactly as for the local executor, hands the
remaining names here, and writes what comes back through the same `ResultWriter`, as results
arrive. Ray Data `map_batches` runs `Extractor`, a class: each actor builds the pipeline (loads the
models, in its one worker process) once and then reads one file per batch. Files reach the actors
by name: a local path (which every node must see) or an fsspec URL (`s3://…`), read by
`inference.load` on the actor.

A file's failure is its own typed error line, as in the local executor (timeouts, memory limit and
crashes included: the actor's worker process is killed and replaced). An actor that dies itself
fails only its one-file block (`max_errored_blocks=-1`, no task retry), and that file gets a
`WorkerDiedError` line, which `--resume` redoes.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable, Iterator

from .errors import WorkerDiedError
from .inference.pipeline import Source, _failure, _init_worker, _run_one, check_models, error_result
from .inference.result import Result
from .settings import Settings


class Extractor:
    """One per Ray actor: a one-process pool built once, whose worker holds the pipeline (models load
    once), reads one file per call under the same hard timeout, memory limit and dead-worker
    handling as the local executor (Ray runs this call in a thread, where no alarm can stop it)."""

    def __init__(self, settings: Settings):
        import multiprocessing

        from pebble import ProcessPool

        self.settings = settings
        # spawn, not fork: a Ray worker runs threads (gRPC) that a forked child must not inherit
        self.pool = ProcessPool(max_workers=1, initializer=_init_worker, initargs=(settings,),
                                context=multiprocessing.get_context("spawn"))

    def __call__(self, batch: dict) -> dict:
        names = [str(name) for name in batch["file"]]
        records = []
        for name in names:
            future = self.pool.schedule(_run_one, args=(name,), timeout=self.settings.timeout_s)
            try:
                result = future.result()
            except Exception as error:  # over time or memory, or the worker died: it is replaced
                result = _failure(name, error, self.settings)
            records.append(result.model_dump_json())
        return {"file": names, "result": records}


def _bound(settings: Settings) -> type[Extractor]:
    """`Extractor` with `settings` built in: shipped with the class, not as constructor arguments
    in the object store (which Ray warns about for restartable actors)."""

    class BoundExtractor(Extractor):
        def __init__(self) -> None:
            super().__init__(settings)

    return BoundExtractor


def ray_each(sources: Iterable[Source], settings: Settings, address: str | None = None) -> Iterator[tuple[str, Result]]:
    """(name, Result) for every source, as Ray Data finishes them; joins the cluster at `address`
    (`auto`, `ray://host:10001`, …) or starts a local Ray instance when None."""
    import ray
    from ray.data import ActorPoolStrategy, DataContext

    check_models(settings)  # a broken model folder is one usage error, before Ray starts
    names = [str(s) for s in sources]
    if not names:
        return
    started = not ray.is_initialized()
    if started:
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # Ray's C++ notices stay in its log files
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)  # a dead actor is reported as its file's error line
    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.max_errored_blocks = -1  # a dead actor loses its one-file block, never the run
    seen: set[str] = set()
    try:
        with warnings.catch_warnings():  # `max_task_retries` as a remote arg: deprecated from Ray 2.60, kept to 2.64
            warnings.simplefilter("ignore")
            dataset = ray.data.from_items([{"file": n} for n in names], override_num_blocks=len(names)).map_batches(
                _bound(settings), batch_size=1, num_cpus=1, compute=ActorPoolStrategy(size=settings.workers, max_tasks_in_flight_per_actor=1),
                max_task_retries=0)  # Ray Data retries forever by default: a file that kills its actor would loop
        for row in dataset.iter_rows():
            seen.add(row["file"])
            yield row["file"], Result.model_validate_json(row["result"])
    finally:
        if started:
            ray.shutdown()
    for name in names:
        if name not in seen:
            yield name, error_result(name, WorkerDiedError(name, "its Ray actor died (crash or max_memory_mb); "
                                                                 "see the Ray logs"))
