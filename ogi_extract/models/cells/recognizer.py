"""The shipped cell recognizer at inference: onnxruntime over a batch of cell crops, CTC top-k readings."""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from ogi_extract.models.ctc import beam
from ogi_extract.models.folder import read_config

KIND = "numeric-cell-recognizer"
VERSION = 1
CONFIG, WEIGHTS = "config.json", "model.onnx"
MAX_WIDTH = 384  # px after scaling to the model's height; a wider crop is squeezed


def prepare(crop: np.ndarray, height: int) -> np.ndarray:
    """A grey or RGB uint8 crop -> 1 x height x W float32 in [-1, 1], W a multiple of 4, ink bright."""
    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    width = int(np.clip(round(grey.shape[1] * height / max(1, grey.shape[0])), 8, MAX_WIDTH))
    width += -width % 4
    img = cv2.resize(grey, (width, height), interpolation=cv2.INTER_AREA).astype(np.float32)
    return (1.0 - img / 127.5)[None]


class CellRecognizer:
    """load(dir) / save(dir) round-trip a folder; read(crops) gives each crop's top-k readings."""

    def __init__(self, onnx: bytes, config: dict, threads: int = 1):
        self.config = config
        self.charset: list[str] = config["charset"]
        self.height: int = config["height"]
        self._onnx = onnx
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(onnx, options, providers=["CPUExecutionProvider"])

    def probs(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """Per-step class probabilities (T x C) of each crop. Crops of one width run as one batch:
        padding would change what the bidirectional LSTM reads."""
        items = [prepare(c, self.height) for c in crops]
        by_width: dict[int, list[int]] = defaultdict(list)
        for n, item in enumerate(items):
            by_width[item.shape[2]].append(n)
        out: list[np.ndarray] = [np.empty(0)] * len(items)
        for ns in by_width.values():
            probs = self.session.run(None, {"image": np.stack([items[n] for n in ns])})[0]  # N x T x C, softmax
            for n, p in zip(ns, probs):
                out[n] = p
        return out

    def read(self, crops: list[np.ndarray], k: int = 5) -> list[list[tuple[str, float]]]:
        """Each crop's k likeliest readings ("" = blank) with probabilities, best first."""
        return [beam(p, self.charset, k) for p in self.probs(crops)]

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / WEIGHTS).write_bytes(self._onnx)
        (folder / CONFIG).write_text(json.dumps(self.config, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, threads: int = 1) -> CellRecognizer:
        folder = Path(folder)
        config = read_config(folder, KIND, VERSION, WEIGHTS, CONFIG)
        return cls((folder / WEIGHTS).read_bytes(), config, threads)

    @classmethod
    def default(cls, threads: int = 1) -> CellRecognizer:
        """The shipped model (package data)."""
        with resources.as_file(resources.files("ogi_extract.models.cells") / "default") as folder:
            return cls.load(folder, threads)
