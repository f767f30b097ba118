"""The OCR engine interface: an RGB page image in, words (with per-char boxes) out."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from ogi_extract.settings import Settings, cores
from ogi_extract.types import Word


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[Word]:
        """Words of an H x W x 3 uint8 RGB image, boxes in its pixels, cut like the text layer's."""
        ...


@runtime_checkable
class LineRecognizer(Protocol):
    """An engine that also reads one text line without detection (a table cell's crop)."""

    def recognize(self, image: np.ndarray) -> tuple[str, float]:
        """Text of an H x W x 3 uint8 RGB image holding one line, and its confidence (0-1)."""
        ...


@runtime_checkable
class Orienting(Protocol):
    """An engine that tells cheaply how a page lies (else each turn is read whole and the best kept)."""

    def turn(self, image: np.ndarray) -> int:
        """Quarter turns counterclockwise (0-3) that bring the page upright."""
        ...


def cpu_threads(settings: Settings) -> int:
    """Threads for one engine: `settings.threads`, else every core this process may use."""
    return settings.threads or cores()


def build_engine(settings: Settings) -> OcrEngine:
    """The engine named by `settings.ocr_engine` (imported here, so unused backends cost nothing)."""
    if settings.ocr_engine == "paddleocr":
        from ogi_extract.models.ocr.paddle import PaddleEngine

        return PaddleEngine(settings)
    from ogi_extract.models.ocr.rapid import RapidEngine

    return RapidEngine(settings)
