"""Ruling lines on a page image (OpenCV): ink masks of rules, page skew, rule pieces.

Rules may be broken, thin or doubled; a rule is longer than any stroke of a character. The
edges of a shaded band across a table count as row rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SKEW_DEG = 3.0
FAINT_CONTRAST = 3  # grey levels below the local mean that a rule, averaged along itself, lies
SHADE_STEP = 12  # grey levels the paper's shade steps by at a shaded band's edge
SHADE_LENGTH = 100  # points a shaded band runs across a table at least (a line of text darkens less)
SHADE_PX_PER_PT = 1.4  # the shade is looked at on a copy of about 100 dpi (it has no fine detail)


@dataclass
class Masks:
    horizontal: np.ndarray
    vertical: np.ndarray
    scale: float  # pixels per typographic point (1/72 inch)


def binary(gray: np.ndarray, block: int = 15) -> np.ndarray:
    """Ink as 255: adaptive, so shaded header cells and uneven scans still show their rules."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def runs(ink: np.ndarray, length: int, bridge: int, horizontal: bool) -> np.ndarray:
    """Straight runs of ink at least `length` long, then small breaks between them bridged.

    Outside the image counts as paper, so text cut by a crop's edge does not pass for a rule.
    """
    if not cv2.hasNonZero(ink):  # no ink, no runs (a cell's crop or a page's faint ink is often blank)
        return np.zeros_like(ink)

    def morph(img: np.ndarray, op: int, size: int) -> np.ndarray:
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, 1) if horizontal else (1, size))
        return cv2.morphologyEx(img, op, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)

    return morph(morph(ink, cv2.MORPH_OPEN, length), cv2.MORPH_CLOSE, bridge)


def line_masks(gray: np.ndarray, scale: float) -> Masks:
    """Rules as clear long runs of ink, carried on by faint runs in line with them (scans fade rules in
    stretches); row rules also where a shaded band's edge is."""
    ink = binary(gray, max(15, int(10 * scale) | 1))
    bridge = max(3, int(3 * scale))
    # A rule is longer than any stroke of a character (about 12 pt at most).
    length = max(10, int(18 * scale))
    masks = []
    for horizontal in (True, False):
        clear = runs(ink, length, bridge, horizontal)
        beside = np.ones((int(8 * scale) | 1, 1) if horizontal else (1, int(8 * scale) | 1), np.uint8)
        faint = faint_ink(gray, scale, horizontal) & ~cv2.dilate(clear, beside)  # not a clear rule's edge or shade
        faint = runs(faint, 2 * length, bridge, horizontal)
        masks.append(clear | in_line_with(faint, clear, horizontal, tol=max(2, int(scale)), reach=length))
    return Masks(masks[0] | shade_edges(gray, scale, int(SHADE_LENGTH * scale), bridge), masks[1], scale)


def shade_edges(gray: np.ndarray, scale: float, length: int, bridge: int) -> np.ndarray:
    """Top and bottom edges of shaded bands (grey section and header rows across a table) as
    horizontal rules, 255: such a band's edges are often its only row rules.

    The paper's shade is the page with its text closed over (strokes are thinner than the kernel),
    on a smaller copy; an edge is where that shade steps by `SHADE_STEP` grey levels within a few
    points, along a straight run at least `length` long (a page's gradients are far gentler),
    drawn at the step's middle.
    """
    f = max(1, round(scale / SHADE_PX_PER_PT))
    if f > 1 and min(gray.shape) >= 2 * f:  # (not a sliver of an image)
        small = cv2.resize(gray, None, fx=1 / f, fy=1 / f, interpolation=cv2.INTER_AREA)
    else:
        small, f = gray, 1
    s = scale / f
    k = int(6 * s) | 1
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    blur = max(3, int(6 * s))
    paper = cv2.blur(paper, (blur, 1)).astype(np.int16)
    d = max(1, int(2 * s))
    step = np.zeros(paper.shape, np.uint8)
    step[d:-d] = np.abs(paper[2 * d:] - paper[:-2 * d]) >= SHADE_STEP
    bands = runs(step * 255, max(1, length // f), max(1, bridge // f), True)
    edges = np.zeros_like(gray)
    if not cv2.hasNonZero(bands):
        return edges
    _, _, stats, cents = cv2.connectedComponentsWithStats(bands)
    for (x, _, length_x, _, _), (_, cy) in zip(stats[1:], cents[1:]):  # ends trimmed by what the blur spread them
        y = int(cy * f)
        edges[max(0, y - 1):y + 2, (x + blur // 2) * f:(x + length_x - blur // 2) * f] = 255
    return edges


def faint_ink(gray: np.ndarray, scale: float, horizontal: bool) -> np.ndarray:
    """Ink of rules too faint or noisy to threshold (worn toner, a bad copy), as 255: averaging
    along the rule's direction keeps a faint rule and evens out the noise around it."""
    along = max(3, int(6 * scale))
    smooth = cv2.blur(gray, (along, 1) if horizontal else (1, along))
    block = max(15, int(10 * scale) | 1)
    ink = cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, FAINT_CONTRAST)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 1) if horizontal else (1, 3), np.uint8))


def in_line_with(faint: np.ndarray, clear: np.ndarray, horizontal: bool, tol: float, reach: float) -> np.ndarray:
    """The faint runs that carry a clear rule piece on along its line, at most `reach` away: the
    faded stretches of a rule, not the strokes of a line of text (which lie where no rule is)."""
    if not (cv2.hasNonZero(faint) and cv2.hasNonZero(clear)):  # nothing to carry on, or nothing to carry on from
        return np.zeros_like(faint)
    pieces = np.array(segments(clear, horizontal)).reshape(1, -1, 3)
    _, labels, stats, cents = cv2.connectedComponentsWithStats(faint)
    runs = _segments(stats, cents, horizontal)[:, None, :]  # faint runs against clear pieces, all pairs at once
    gap = np.maximum(pieces[..., 1] - runs[..., 2], runs[..., 1] - pieces[..., 2])  # along the line; < 0 where they overlap
    keep = ((np.abs(pieces[..., 0] - runs[..., 0]) <= tol) & (gap <= reach)).any(axis=1)
    out = np.zeros_like(faint)
    for i in np.flatnonzero(keep) + 1:  # each kept run drawn in its own box: a page-wide lookup cost 4x more
        x, y, w, h = stats[i, :4]
        out[y : y + h, x : x + w][labels[y : y + h, x : x + w] == i] = 255
    return out


def skew(gray: np.ndarray) -> float:
    """Angle (degrees) the page is turned by; 0 when it is tiny or past `MAX_SKEW_DEG`.

    The angle at which the ink's rows are sharpest (projection profile): text lines and rules
    alike vote, so a page whose rules a scan broke into dashes is still measured (a fit to long
    rules alone read 0 there for 1.1 degrees). Measured on a small copy, coarse then fine.
    """
    scale = 1000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(binary(small))
    if ys.size == 0:
        return 0.0
    xs = xs - small.shape[1] / 2
    reach = int(np.abs(xs).max() * np.tan(np.radians(MAX_SKEW_DEG))) + 1

    def sharpness(angle: float) -> float:  # sum of squared ink counts per row once turned by `angle`
        rows = np.rint(ys - xs * np.tan(np.radians(angle))).astype(np.int64) + reach
        return float(np.square(np.bincount(rows).astype(np.float64)).sum())

    coarse = max(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.1), key=sharpness)
    angle = float(max(np.arange(coarse - 0.1, coarse + 0.1 + 1e-9, 0.01), key=sharpness))
    return angle if 0.05 < abs(angle) < MAX_SKEW_DEG else 0.0


def segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, float, float]]:
    """Rule pieces in a mask as (position across, start, end along)."""
    _, _, stats, cents = cv2.connectedComponentsWithStats(mask)
    return [(a, b, c) for a, b, c in _segments(stats, cents, horizontal).tolist()]


def _segments(stats: np.ndarray, cents: np.ndarray, horizontal: bool) -> np.ndarray:
    """(position across, start, end along) of each component but the background, as rows."""
    x, y, w, h = (stats[1:, i].astype(float) for i in range(4))
    return np.stack([cents[1:, 1], x, x + w] if horizontal else [cents[1:, 0], y, y + h], axis=1).reshape(-1, 3)


def rule_lines(pieces: list[tuple[float, float, float]], gap: float = 4) -> list[tuple[float, float, float]]:
    """Pieces in line with each other joined into rules: (mean position, start, end)."""
    pieces = sorted(pieces)
    groups: list[list[tuple[float, float, float]]] = []
    for p in pieces:
        if groups and p[0] - groups[-1][-1][0] <= gap:
            groups[-1].append(p)
        else:
            groups.append([p])
    return [(float(np.mean([p[0] for p in g])), min(p[1] for p in g), max(p[2] for p in g)) for g in groups]


def positions(mask: np.ndarray, axis: int, min_len: float) -> np.ndarray:
    """Centres of rules at least `min_len` long: axis=0 for horizontal rules (y), 1 for vertical (x)."""
    pieces = segments(mask, horizontal=axis == 0)
    return cluster(np.sort([p for p, a, b in pieces if b - a >= min_len]), gap=4)


def cluster(values: np.ndarray, gap: float) -> np.ndarray:
    """Merge sorted values closer than `gap` into their mean."""
    if values.size == 0:
        return values
    groups = np.split(values, np.nonzero(np.diff(values) > gap)[0] + 1)
    return np.array([g.mean() for g in groups])
