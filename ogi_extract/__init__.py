"""ogi-extract: canonical, validated metrics from Chinese government information disclosure annual reports.

    from ogi_extract import predict
    result = predict("report.pdf")            # a scanned or digital PDF, a page image, or bytes
    result.values["applications.new.total"]
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from .inference.pipeline import Pipeline
    from .inference.result import Result

__all__ = ["predict", "Settings"]
__version__ = "0.1.0"


@lru_cache(maxsize=4)
def _pipeline(settings: Settings) -> Pipeline:
    from .inference.pipeline import Pipeline

    pipeline = Pipeline(settings)
    _ = pipeline.words.engine  # load the OCR engine now: an import cut short by the timeout alarm stays broken
    return pipeline


def predict(source: str | Path | bytes, settings: Settings | None = None, **options) -> Result:
    """Extract one report. Options override `Settings` fields (e.g. `ocr_engine="paddleocr"`, `dpi=150`).

    Bad input raises an `ogi_extract.errors.InputError` subclass naming the file and the reason.
    For many files, use `ogi_extract.inference.pipeline.predict_many` (worker processes, timeouts).
    """
    settings = Settings(**{**(settings or Settings()).model_dump(), **options}) if options else settings or Settings()
    pipeline = _pipeline(settings)
    with _deadline(settings.timeout_s, source):
        return pipeline(source)


class _Expired(BaseException):
    """Raised by the alarm: a BaseException, so no stage's `except Exception` can swallow it."""


@contextmanager
def _deadline(seconds: float, source: str | Path | bytes):
    """Raise `ExtractionTimeout` after `seconds` (SIGALRM, re-armed until it lands; main thread only:
    elsewhere run files through `predict_many`, whose workers are killed at the limit)."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    from .errors import ExtractionTimeout

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    except _Expired:
        raise ExtractionTimeout("<bytes>" if isinstance(source, bytes) else str(source), f"over {seconds:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
