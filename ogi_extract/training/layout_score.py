"""Held-out scores of a layout model on stored pages: separator F1 (2-pixel tolerance) and table IoU."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from ogi_extract.models.layout import CHANNELS, LayoutModel
from ogi_extract.training.layout_pages import rescale

TOLERANCE = 2  # model pixels a predicted separator may lie off the true one


def page_counts(probs: np.ndarray, target: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Per channel (CHANNELS): [true positive pred px, pred px, covered target px, target px]."""
    kernel = np.ones((2 * TOLERANCE + 1, 2 * TOLERANCE + 1), np.uint8)
    out = np.zeros((len(CHANNELS), 4))
    for c in range(len(CHANNELS)):
        pred = (probs[c] >= threshold).astype(np.uint8)
        true = target[c].astype(np.uint8)
        near_true, near_pred = cv2.dilate(true, kernel), cv2.dilate(pred, kernel)
        out[c] = [(pred & near_true).sum(), pred.sum(), (true & near_pred).sum(), true.sum()]
    return out


def _f1(c: np.ndarray) -> float:
    p = c[0] / c[1] if c[1] else 1.0
    r = c[2] / c[3] if c[3] else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score_set(model: LayoutModel, folder: Path) -> dict:
    """F1 per channel (regions: pixel F1 at the same tolerance) by degradation level and overall."""
    counts: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((len(CHANNELS), 4)))
    for f in sorted(Path(folder).glob("*.npz")):
        with np.load(f) as z:
            level = str(z["level"])
            image, target = rescale(z["image"], z["target"], model.long_side)
        probs = model.predict(image).probs
        c = page_counts(probs, target, float(model.config.get("threshold", 0.5)))
        counts[level] += c
        counts["all"] += c
    return {lvl: {**{ch: round(_f1(c[i]), 4) for i, ch in enumerate(CHANNELS)}}
            for lvl, c in sorted(counts.items())}
