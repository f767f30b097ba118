"""Round seals (公章) printed over a scanned page's tables, wiped before OCR and rules.

A seal's ring crosses a table's cells: its arcs read as column and row rules (a spurious column
shifts a row's values), and its text and star merge with the digits under them. A seal is a circle
of a seal's size inked along nearly all its length, which no table rule or character draws. In a
colour scan it is red: all its red goes (red outside a seal, a 红头 masthead, stays). In a grey one
only the ring can be told from the text under it (on a heavy scan the text is as light as the
seal): the ring, placed to the pixel on the page, is wiped as wide as its stroke but for what is
printed blacker under it, and `tables` keeps the seal's text out of the value cells.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import ArrayLike

RADIUS_MM = (9.0, 25.0)  # seals are 28-50 mm across
SCALE = 4  # the seal search runs on the page at a quarter of its size
INKED = 0.9  # share of a seal ring's length that is inked (rules and text under a circle drawn at random: 0.8 at most)
ALONE = 0.3  # ...more than on circles AROUND_MM inside and outside it (a circle through dense text or rules is not)
AROUND_MM = 2.5
INK_CONTRAST = 16  # grey levels below the paper about it that count as ink
RING_MM = 1.2  # half the width of the band in which a grey ring's stroke is looked for (x3: the margin about a red seal)
INKED_RADIUS = 0.5  # share of a circle about the ring's centre on ink for its radius to lie in the ring's stroke
DARKER = 40  # grey levels below the ring's own ink: what lies under the ring and stays
RED = 60  # a red pixel's red exceeds its green and blue by this much


Ring = tuple[float, float, float]  # centre x, y and radius, page pixels


def without_seals(image: np.ndarray, dpi: float) -> tuple[np.ndarray, list[Ring]]:
    """The page (RGB) with its seals wiped; and the rings of its grey seals, whose text is still there."""
    if min(image.shape[:2]) < 2 * RADIUS_MM[0] * dpi / 25.4:  # no room for a seal (a strip, a 1-pixel image)
        return image, []
    small = cv2.resize(image, None, fx=1 / SCALE, fy=1 / SCALE, interpolation=cv2.INTER_AREA)
    red = _redness(small) > RED / 2
    if red.mean() > 1e-4:  # a colour scan: a seal is red
        return _without_red(image, _rings(np.where(red, 0, 255).astype(np.uint8), dpi), dpi), []
    rings = _rings(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), dpi)
    return _without_rings(image, rings, dpi), rings


def _without_red(image: np.ndarray, rings: list[Ring], dpi: float) -> np.ndarray:
    out = image.copy()
    margin = 3 * RING_MM * dpi / 25.4  # the circle search on a quarter of the page is a few pixels off
    for x, y, r in rings:
        box, centre = _about(out, x, y, r + 2 * margin)
        disk = cv2.circle(np.zeros(box.shape[:2], np.uint8), centre, round(r + margin), 255, -1) > 0
        box[disk & (_redness(box) > RED)] = _paper(box[~disk])
    return out


def _without_rings(image: np.ndarray, rings: list[Ring], dpi: float) -> np.ndarray:
    if not rings:
        return image
    out = image.copy()
    width = max(2, round(2 * RING_MM * dpi / 25.4))
    for x, y, r in rings:
        box, centre = _about(out, x, y, r + 2 * width)
        grey = box.min(axis=2)
        centre, radius, stroke = _refitted(grey, centre, r, width)
        ring, around = (cv2.circle(np.zeros(box.shape[:2], np.uint8), centre, radius, 255, t) > 0
                        for t in (stroke, 4 * width))
        darker = grey < np.percentile(grey[ring], 15) - DARKER  # text and rules under the ring, printed blacker
        box[ring & ~darker] = _paper(box[around & ~ring])  # the paper about it: grey scans are uneven
    return out


def _refitted(grey: np.ndarray, centre: tuple[int, int], r: float, width: int) -> tuple[tuple[int, int], int, int]:
    """The ring found on a quarter of the page placed to the pixel on the page itself: centre, radius
    and the width of a band that covers its stroke (the radii along which it is inked), no wider."""
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, INK_CONTRAST)
    half = width // 2
    x, y, r = _most_inked(ink, centre[0], centre[1], r, range(-half, half + 1, 2), range(-4, 5, 2))
    offsets = np.arange(-width, width + 1)
    inked = offsets[_inked(ink, x, y, r + offsets) >= INKED_RADIUS]
    lo, hi = (inked.min(), inked.max()) if len(inked) else (-half, half)
    return (int(x), int(y)), round(r + (lo + hi) / 2), int(hi - lo) + 3


def _about(page: np.ndarray, x: float, y: float, reach: float) -> tuple[np.ndarray, tuple[int, int]]:
    """A view of the page around (x, y) (painting it paints the page) and (x, y) in it."""
    x0, y0 = max(0, int(x - reach)), max(0, int(y - reach))
    return page[y0:int(y + reach), x0:int(x + reach)], (round(x - x0), round(y - y0))


def in_ring(rings: list[Ring], box: tuple[float, float, float, float]) -> bool:
    """The box's centre lies inside one of the rings."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any((cx - x) ** 2 + (cy - y) ** 2 < r * r for x, y, r in rings)


def seal_rings(gray: np.ndarray, dpi: float) -> list[Ring]:
    """(x, y, radius) of each seal ring on a grey page, in its pixels."""
    return _rings(cv2.resize(gray, None, fx=1 / SCALE, fy=1 / SCALE, interpolation=cv2.INTER_AREA), dpi)


def _rings(small: np.ndarray, dpi: float) -> list[Ring]:
    """Seal rings on a grey page drawn SCALE times smaller (the circle search is slow at full size),
    in the full page's pixels."""
    mm = dpi / 25.4 / SCALE
    found = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=20 * mm, param1=300, param2=0.5,
                             minRadius=int(RADIUS_MM[0] * mm), maxRadius=int(RADIUS_MM[1] * mm))
    if found is None:
        return []
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, INK_CONTRAST)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # darker than the paper about it: grey scans are uneven
    rings = []
    for x, y, r in (_fitted(ink, *circle) for circle in found[0]):
        on = _inked(ink, x, y, r)[0]
        if on >= INKED and on - _inked(ink, x, y, [r - AROUND_MM * mm, r + AROUND_MM * mm]).mean() >= ALONE:
            rings.append((x * SCALE, y * SCALE, r * SCALE))
    return rings


def _redness(image: np.ndarray) -> np.ndarray:
    return image[..., 0].astype(np.int16) - np.maximum(image[..., 1], image[..., 2])


def _fitted(ink: np.ndarray, x: float, y: float, r: float) -> tuple[float, float, float]:
    """The circle near the one found that lies most on ink: a seal over a table's rules pulls the
    circle search a few pixels off its ring."""
    return _most_inked(ink, x, y, r, range(-2, 3), range(-3, 4))


def _most_inked(ink: np.ndarray, x: float, y: float, r: float, shifts: range, radii: range) -> tuple[float, float, float]:
    """Of the circles about (x, y, r), centre moved by `shifts` both ways and radius by `radii`, the one
    that lies most on ink."""
    dx, dy, dr = (a.ravel() for a in np.meshgrid(shifts, shifts, radii))
    best = int(np.argmax(_inked(ink, x + dx, y + dy, r + dr)))
    return x + dx[best], y + dy[best], r + dr[best]


def _inked(ink: np.ndarray, x: ArrayLike, y: ArrayLike, r: ArrayLike) -> np.ndarray:
    """Share of each circle's length (centres and radii broadcast together) that lies on ink."""
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    x, y, r = (np.asarray(v, float).reshape(-1, 1) for v in np.broadcast_arrays(x, y, r))
    xs = np.clip(np.round(x + r * np.cos(angles)).astype(int), 0, ink.shape[1] - 1)
    ys = np.clip(np.round(y + r * np.sin(angles)).astype(int), 0, ink.shape[0] - 1)
    return (ink[ys, xs] > 0).mean(axis=1)


def _paper(pixels: np.ndarray) -> np.ndarray:
    """The paper's colour among these RGB pixels (N x 3): their median: most of it is paper."""
    return np.percentile(pixels, 50, axis=0).astype(np.uint8)
