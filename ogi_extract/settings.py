"""Runtime options: defaults in code, overridable by OGI_* environment variables and CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OGI_", extra="ignore", frozen=True)

    ocr_engine: Literal["rapidocr", "paddleocr"] = "rapidocr"
    dpi: int = Field(200, ge=72, le=600, description="render resolution for OCR")
    use_text_layer: bool = True  # read a usable PDF text layer instead of running OCR
    max_pages: int = Field(60, ge=1)
    max_file_mb: float = Field(200.0, gt=0)
    timeout_s: float = Field(600.0, gt=0, description="per file, wall clock")
    workers: int = Field(1, ge=1, description="files processed in parallel (one process each)")
    labels_model: Path | None = None  # a label-classifier folder; default: the shipped one
    paddle_models: Path | None = None  # local PP-OCR ONNX folders for the paddleocr backend
    min_label_probability: float = Field(0.5, ge=0, le=1)
    layout: Literal["model", "heuristic"] = "model"  # table structure: learned separators + rules, or rules only
    layout_model: Path | None = None  # a layout-model folder; default: the shipped one
