"""The layout model's separator maps as ruling-line masks, so the lattice builder sees a row or
column separator where the model does, also where the printed rule is faint, broken or absent.

Each separator map is thinned to its ridge across the line (one model pixel), kept inside the
predicted table regions, stripped of short bits, and scaled up to the page.
"""

from __future__ import annotations

import cv2
import numpy as np

from ogi_extract.models.layout import LayoutMaps

MIN_RUN = 14  # model pixels (about 18 pt, as long as the shortest printed rule the rules path keeps): shorter is noise
REGION_MARGIN = 3  # model pixels around a predicted table region where its frame may lie


def separator_masks(maps: LayoutMaps, shape: tuple[int, int], threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) uint8 masks (255 = separator) at page size `shape` (h, w)."""
    cut = float(np.log(threshold / (1 - threshold)))  # the threshold as a logit
    region = (maps.channel("table") >= cut).astype(np.uint8)
    region = cv2.dilate(region, np.ones((2 * REGION_MARGIN + 1,) * 2, np.uint8))
    out = []
    for name, horizontal in (("row_separator", True), ("column_separator", False)):
        p = maps.channel(name)
        across = (5, 1) if horizontal else (1, 5)  # (rows, cols) of the neighbourhood across the line
        ridge = (p >= cut) & (p >= cv2.dilate(p, np.ones(across, np.uint8))) & (region > 0)
        line = ridge.astype(np.uint8) * 255
        along = (1, MIN_RUN) if horizontal else (MIN_RUN, 1)
        line = cv2.morphologyEx(line, cv2.MORPH_CLOSE, np.ones((1, 3) if horizontal else (3, 1), np.uint8))
        line = cv2.morphologyEx(line, cv2.MORPH_OPEN, np.ones(along, np.uint8))
        out.append(cv2.resize(line, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST))
    return out[0], out[1]
