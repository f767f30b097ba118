"""Runtime options: defaults in code, overridable by OGI_* environment variables and CLI flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OGI_", extra="ignore", frozen=True)

    ocr_engine: Literal["rapidocr", "paddleocr"] = "rapidocr"
    detector_runtime: Literal["openvino", "onnxruntime"] = "openvino"  # rapidocr's text detector; same model, 3x faster on OpenVINO (README)
    dpi: int = Field(200, ge=72, le=600, description="render resolution for OCR")
    use_text_layer: bool = True  # read a usable PDF text layer instead of running OCR
    max_pages: int = Field(60, ge=1)
    max_file_mb: float = Field(200.0, gt=0, allow_inf_nan=False)
    timeout_s: float = Field(600.0, gt=0, allow_inf_nan=False, description="per file, wall clock")
    workers: int = Field(0, ge=0, description="files processed in parallel (one process each); 0: one per core, as memory allows")
    threads: int = Field(0, ge=0, description="threads of one process's models (and a worker's OpenCV); 0: the cores it may use (a pool divides them)")
    labels_model: Path | None = None  # a label-classifier folder; default: the shipped one
    paddle_models: Path | None = None  # local PP-OCR ONNX folders for the paddleocr backend
    min_label_probability: float = Field(0.5, ge=0, le=1)
    max_page_pixels: int = Field(12_000_000, ge=1_000_000, description="a bigger page renders at a lower dpi (A3 at 200 dpi: 7.8 MP)")
    max_memory_mb: int = Field(4096, ge=256, description="resident memory per worker; over it the worker ends")
    cell_model: Path | None = None  # a numeric-cell recognizer folder; default: the shipped one
    cell_readings: bool = True  # second readings of scanned value cells, blank vs 0 by ink (inference/alternatives)
    solver: bool = True  # choose among those readings so the tables' relations hold (inference/solver); 0.01-0.04 s a scanned page (README)
    # table structure of scans: rules and text; the learned separators fused with them; or (auto) the
    # first, read again with the second where the tables' relations doubt it, keeping what they prefer
    layout: Literal["auto", "model", "heuristic"] = "auto"
    layout_model: Path | None = None  # a layout-model folder; default: the shipped one

    def pool_size(self, files: int | None = None) -> int:
        """Worker processes for many files: `workers`, else one per core (on 2 cores, 2 workers of one
        thread read scans 9% faster than one of two: README), as memory allows; never more than `files`."""
        if self.workers:
            size = self.workers
        else:
            memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
            size = min(cores(), memory // WORKER_MEMORY)
        return max(1, size if files is None else min(size, files))

    def worker_settings(self, workers: int) -> Settings:
        """These settings as one of `workers` processes sees them: its share of the cores."""
        return self.model_copy(update={"threads": self.threads or max(1, cores() // workers)})


WORKER_MEMORY = 2 * 2**30  # a worker reading scans peaks at about 1.3 GiB (OpenVINO's buffers: README)


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0))
