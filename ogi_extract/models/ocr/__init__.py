"""OCR engines behind one interface; backends are imported only when built."""

from ogi_extract.models.ocr.base import OcrEngine, build_engine

__all__ = ["OcrEngine", "build_engine"]
