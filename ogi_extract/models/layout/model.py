"""The layout model's folder (config.json + model.onnx + weights.pt) and its ONNX predictor.

Input: the page in grey, scaled so its long side is `long_side` pixels, padded to a multiple of
`stride`, values in [0, 1] with ink high. Output: per-pixel probabilities of CHANNELS.
`weights.pt` (torch state dict) is only read by training, to fine-tune from this model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

CHANNELS = ("row_separator", "column_separator", "table", "heading")
CONFIG, ONNX, WEIGHTS = "config.json", "model.onnx", "weights.pt"
DEFAULT = Path(__file__).parent / "default"


def page_scale(shape: tuple[int, ...], long_side: int) -> float:
    """Factor from page pixels to model pixels."""
    return long_side / max(shape[0], shape[1])


def to_gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def prepare(gray: np.ndarray, stride: int) -> np.ndarray:
    """A model-scale grey page as the network's input (1 x 1 x H' x W', ink high, padded to `stride`)."""
    h, w = gray.shape
    ph, pw = -h % stride, -w % stride
    x = 1.0 - cv2.copyMakeBorder(gray, 0, ph, 0, pw, cv2.BORDER_CONSTANT, value=255).astype(np.float32) / 255.0
    return x[None, None]


@dataclass
class LayoutMaps:
    """Logits (CHANNELS x h x w) at model scale; `scale` maps page pixels to them."""

    logits: np.ndarray
    scale: float

    @property
    def probs(self) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits))

    def channel(self, name: str) -> np.ndarray:
        """One channel's logits (unsaturated, so a ridge across a line has one top)."""
        return self.logits[CHANNELS.index(name)]


class LayoutModel:
    def __init__(self, folder: Path, threads: int | None = None):
        """`threads`: the caller's share of the cores (a worker of a pool gets a part); else the folder's."""
        import onnxruntime as ort  # a runtime dependency already (rapidocr)

        self.folder = Path(folder)
        self.config = json.loads((self.folder / CONFIG).read_text(encoding="utf-8"))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(self.config.get("threads", 2))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.folder / ONNX), opts, providers=["CPUExecutionProvider"])

    @classmethod
    def load(cls, folder: str | Path, threads: int | None = None) -> LayoutModel:
        folder = Path(folder)
        if not (folder / CONFIG).is_file() or not (folder / ONNX).is_file():
            raise FileNotFoundError(f"{folder}: not a layout model folder (needs {CONFIG} and {ONNX})")
        return cls(folder, threads)

    @classmethod
    def default(cls, threads: int | None = None) -> LayoutModel:
        return cls.load(DEFAULT, threads)

    @property
    def long_side(self) -> int:
        return int(self.config["long_side"])

    @property
    def separator_threshold(self) -> float:
        """Where the pipeline takes a predicted separator for a rule: stricter than the maps' own
        threshold, since a false one splits a cell (chosen end to end on generator seed 4242, heavy)."""
        return float(self.config.get("separator_threshold", self.config["threshold"]))

    def predict(self, image: np.ndarray) -> LayoutMaps:
        """Maps of one page image (RGB or grey, any size)."""
        gray = to_gray(image)
        scale = page_scale(gray.shape, self.long_side)
        small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        logits = self.session.run(None, {"image": prepare(small, int(self.config["stride"]))})[0][0]
        return LayoutMaps(np.ascontiguousarray(logits[:, : small.shape[0], : small.shape[1]], np.float32), scale)


def save_folder(folder: str | Path, onnx_bytes: bytes, state: bytes, config: dict) -> Path:
    """Write a model folder: config.json, model.onnx, weights.pt."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ONNX).write_bytes(onnx_bytes)
    (folder / WEIGHTS).write_bytes(state)
    (folder / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
