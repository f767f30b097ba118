"""ogi-extract: canonical, validated metrics from Chinese government information disclosure annual reports.

    from ogi_extract import predict
    result = predict("report.pdf")            # a scanned or digital PDF, a page image, or bytes
    result.values["applications.new.total"]
"""

from __future__ import annotations

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

    return Pipeline(settings)


def predict(source: str | Path | bytes, settings: Settings | None = None, **options) -> Result:
    """Extract one report. Options override `Settings` fields (e.g. `ocr_engine="paddleocr"`, `dpi=150`).

    Bad input raises an `ogi_extract.errors.InputError` subclass naming the file and the reason.
    For many files, use `ogi_extract.inference.pipeline.predict_many` (worker processes, timeouts).
    """
    settings = Settings(**{**(settings or Settings()).model_dump(), **options}) if options else settings or Settings()
    return _pipeline(settings)(source)
