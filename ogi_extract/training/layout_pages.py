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
        self._resident: tuple[torch.Tensor, torch.Tensor] | None = None

    def _load(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A page's image, targets and table pixels (where table-centred crops are centred)."""
        with np.load(self.files[i]) as z:
            image, target = rescale(z["image"], z["target"], self.long_side)
        return image, target, np.argwhere(target[2])

    def to(self, device: torch.device, crop: int) -> Pages:
        """Hold the cached pages on `device`, padded to one size, so crops are cut there (an accelerator's
        steps are then not bound by the CPU copying crops)."""
        assert self._cache is not None, "only cached pages can be held on a device"
        h = max(crop, *(im.shape[0] for im, _, _ in self._cache))
        w = max(crop, *(im.shape[1] for im, _, _ in self._cache))
        images = torch.full((len(self._cache), h, w), 255, dtype=torch.uint8)
        targets = torch.zeros((len(self._cache), self._cache[0][1].shape[0], h, w), dtype=torch.uint8)
        for k, (image, target, _) in enumerate(self._cache):
            images[k, : image.shape[0], : image.shape[1]] = torch.from_numpy(image)
            targets[k, :, : image.shape[0], : image.shape[1]] = torch.from_numpy(target)
        self._resident = images.to(device), targets.to(device)
        return self

    def batch(self, rng: np.random.Generator, size: int, crop: int, table_share: float) -> tuple[torch.Tensor, torch.Tensor]:
        xs, ys = [], []
        for _ in range(size):
            i = int(rng.integers(len(self.files)))
            image, target, table = self._cache[i] if self._cache is not None else self._load(i)
            y0, x0 = _window(image.shape, table, rng, crop, table_share)
            if self._resident is not None:
                xs.append(self._resident[0][i, y0:y0 + crop, x0:x0 + crop])
                ys.append(self._resident[1][i, :, y0:y0 + crop, x0:x0 + crop])
                continue
            pad = ((0, max(0, crop - image.shape[0])), (0, max(0, crop - image.shape[1])))
            image, target = np.pad(image, pad, constant_values=255), np.pad(target, ((0, 0), *pad))
            xs.append(torch.from_numpy(image[y0:y0 + crop, x0:x0 + crop]))
            ys.append(torch.from_numpy(target[:, y0:y0 + crop, x0:x0 + crop]))
        return 1.0 - torch.stack(xs)[:, None].float() / 255.0, torch.stack(ys).float()


def _window(shape: tuple[int, ...], table: np.ndarray, rng: np.random.Generator, crop: int,
            table_share: float) -> tuple[int, int]:
    """Top-left corner of a crop: centred on a table pixel (that share of crops) or anywhere."""
    h, w = shape
    if table.size and rng.random() < table_share:
        cy, cx = table[int(rng.integers(len(table)))]
    else:
        cy, cx = rng.integers(h), rng.integers(w)
    h, w = max(h, crop), max(w, crop)
    return int(np.clip(cy - crop // 2, 0, h - crop)), int(np.clip(cx - crop // 2, 0, w - crop))
