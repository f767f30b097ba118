"""Stored layout pages (`*.npz`: image, target, level) as training batches.

Kept apart from their generation (layout_data.py) so training from stored pages needs neither the
renderer nor its fonts: on an accelerator machine only torch, numpy and OpenCV.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import torch

from ogi_extract.models.layout import page_scale


def rescale(image: np.ndarray, target: np.ndarray, long_side: int) -> tuple[np.ndarray, np.ndarray]:
    """A stored page and its targets at another model scale (lines stay at least a pixel thick)."""
    f = page_scale(image.shape, long_side)
    if abs(f - 1) < 1e-3:
        return image, target
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    size = (small.shape[1], small.shape[0])
    maps = [cv2.resize(t.astype(np.float32), size, interpolation=cv2.INTER_AREA) for t in target]
    return small, (np.stack(maps) >= 0.3).astype(np.uint8)


class Pages:
    """Pages on disk, read lazily (or all at once with `cache`, for fast accelerator steps); random
    crops biased towards tables."""

    def __init__(self, folders: list[Path], long_side: int, cache: bool = False):
        self.long_side = long_side
        self.files = sorted(f for d in folders for f in Path(d).glob("*.npz"))
        if not self.files:
            raise FileNotFoundError(f"no training pages (*.npz) in {', '.join(map(str, folders))}")
        self._cache = [self._load(i) for i in range(len(self.files))] if cache else None

    def _load(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A page's image, targets and table pixels (where table-centred crops are centred)."""
        with np.load(self.files[i]) as z:
            image, target = rescale(z["image"], z["target"], self.long_side)
        return image, target, np.argwhere(target[2])

    def batch(self, rng: np.random.Generator, size: int, crop: int, table_share: float) -> tuple[torch.Tensor, torch.Tensor]:
        xs, ys = [], []
        for _ in range(size):
            i = int(rng.integers(len(self.files)))
            image, target, table = self._cache[i] if self._cache is not None else self._load(i)
            x, y = _crop(image, target, table, rng, crop, table_share)
            xs.append(x)
            ys.append(y)
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def _crop(image: np.ndarray, target: np.ndarray, table: np.ndarray, rng: np.random.Generator, crop: int,
          table_share: float) -> tuple[np.ndarray, np.ndarray]:
    h, w = image.shape
    if table.size and rng.random() < table_share:
        cy, cx = table[int(rng.integers(len(table)))]
    else:
        cy, cx = rng.integers(h), rng.integers(w)
    pad_h, pad_w = max(0, crop - h), max(0, crop - w)
    if pad_h or pad_w:
        image = np.pad(image, ((0, pad_h), (0, pad_w)), constant_values=255)
        target = np.pad(target, ((0, 0), (0, pad_h), (0, pad_w)))
        h, w = image.shape
    y0 = int(np.clip(cy - crop // 2, 0, h - crop))
    x0 = int(np.clip(cx - crop // 2, 0, w - crop))
    x = 1.0 - image[None, y0:y0 + crop, x0:x0 + crop].astype(np.float32) / 255.0
    return x, target[:, y0:y0 + crop, x0:x0 + crop].astype(np.float32)
