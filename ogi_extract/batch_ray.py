"""`predict --executor ray`: the same pipeline on Ray Data, for a cluster (or a local Ray instance).

`ray_each(sources, settings)` has the shape of `pipeline.predict_each`: the batch command
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
import socket
import warnings
from collections.abc import Iterable, Iterator

from .errors import WorkerDiedError
from .inference.pipeline import Source, _failure, _init_worker, _run_one, _worker_context, error_result
from .inference.result import Result
from .settings import Settings


class Extractor:
    """One per Ray actor: a one-process pool built once, whose worker holds the pipeline (models load
    once), reads one file per call under the same hard timeout, memory limit and dead-worker
    handling as the local executor (Ray runs this call in a thread, where no alarm can stop it)."""

    def __init__(self, settings: Settings):
        from pebble import ProcessPool

        self.settings = settings
        # from a fork server, as in the local pool: a Ray worker runs threads (gRPC) a fork must not inherit
        self.pool = ProcessPool(max_workers=1, initializer=_init_worker, initargs=(settings.worker_settings(settings.pool_size()),),
                                context=_worker_context())

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


def connect(address: str | None) -> bool:
    """Join the Ray cluster at `address` (`auto`, `HOST:6379`, `ray://HOST:10001`) or start a new local
    instance when None (`local`: never a cluster some `ray start` left recorded in /tmp/ray); True
    when this call started it. One line, not a traceback, when it cannot."""
    import ray

    if ray.is_initialized():
        return False
    _check_reachable(address)
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # Ray's C++ notices stay in its log files
    try:
        ray.init(address=address or "local", include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    except Exception as e:  # ConnectionError, an authentication error, a version mismatch…
        detail = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        raise ConnectionError(f"--ray-address {address}: {detail}") from None
    return True


def _check_reachable(address: str | None) -> None:
    """Fail fast on a HOST:PORT nothing listens on: `ray.init` would retry it without end."""
    host, _, port = (address or "").split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        return  # None (start a local instance) or `auto`: Ray finds the address itself
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as e:
        raise ConnectionError(f"--ray-address {address}: nothing answers at {host}:{port} ({e.strerror or e})") from None


def ray_each(sources: Iterable[Source], settings: Settings, shutdown: bool = True) -> Iterator[tuple[str, Result]]:
    """(name, Result) for every source, as Ray Data finishes them, on the Ray instance `connect`
    started or joined (a local one if none); `shutdown` ends it afterwards."""
    import ray
    from ray.data import ActorPoolStrategy, DataContext

    shutdown = connect(None) or shutdown
    names = [str(s) for s in sources]
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)  # a dead actor is reported as its file's error line
    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.max_errored_blocks = -1  # a dead actor loses its one-file block, never the run
    seen: set[str] = set()
    try:
        if not names:
            return
        settings = settings.model_copy(update={"workers": settings.pool_size(len(names))})  # no idle actors
        with warnings.catch_warnings():  # `max_task_retries` as a remote arg: deprecated from Ray 2.60, kept to 2.64
            warnings.simplefilter("ignore")
            dataset = ray.data.from_items([{"file": n} for n in names], override_num_blocks=len(names)).map_batches(
                _bound(settings), batch_size=1, num_cpus=1,
                compute=ActorPoolStrategy(size=settings.pool_size(), max_tasks_in_flight_per_actor=1),
                max_task_retries=0)  # Ray Data retries forever by default: a file that kills its actor would loop
        for row in dataset.iter_rows():
            seen.add(row["file"])
            yield row["file"], Result.model_validate_json(row["result"])
    finally:
        if shutdown:
            ray.shutdown()
    for name in names:
        if name not in seen:
            yield name, error_result(name, WorkerDiedError(name, "its Ray actor died (crash or max_memory_mb); "
                                                                 "see the Ray logs"))
