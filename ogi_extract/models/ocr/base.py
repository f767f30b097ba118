"""The OCR engine interface: an RGB page image in, words (with per-char boxes) out."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ogi_extract.settings import Settings
from ogi_extract.types import Word


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[Word]:
        """Words of an H x W x 3 uint8 RGB image, boxes in its pixels, cut like the text layer's."""
        ...


def build_engine(settings: Settings) -> OcrEngine:
    """The engine named by `settings.ocr_engine` (imported here, so unused backends cost nothing)."""
    if settings.ocr_engine == "paddleocr":
        from ogi_extract.models.ocr.paddle import PaddleEngine

        return PaddleEngine(settings)
    from ogi_extract.models.ocr.rapid import RapidEngine

    return RapidEngine(settings)
