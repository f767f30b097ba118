"""Long images (长图): a page image much taller (or wider) than a page, cut into page-sized tiles.

OCR shrinks a whole 1080x12000 picture until its text is unreadable, and a 6000x20 strip
until it has no height at all. So a page whose long side is over `LONG_RATIO` times its short
side and over `LONG_PAGES` A4 page lengths at its dpi is cut along its long side into tiles of about one page (`PAGE_RATIO` x the short side),
each read like a scanned page. A cut is put where it harms least, looked for in the last
quarter of each tile: on a horizontal table rule (both tiles keep the rule, so a table cut
there is closed on both tiles and is joined again like a table running over a PDF page
break), else in the middle of the widest blank band, else on the row with least ink (there
the tiles overlap by `OVERLAP` of a tile so no text line is lost). A tile still thinner than
1:`MAX_TILE_ASPECT` (a strip), or a strip too short to cut, is padded with white, and every
tile gets a white margin above and below, as a page has.
"""

from __future__ import annotations

import cv2
import numpy as np

from ogi_extract.types import Page

LONG_RATIO = 2.0  # A4 is 1.41; two pages side by side or a long image are over 2
LONG_PAGES = 1.5  # cut only an image longer than this many A4 page lengths (a table crop is not)
A4_LONG_IN = 11.69
PAGE_RATIO = 1.5  # tile length / short side
MIN_TILE = 800  # px: a strip's tiles are at least this long
MAX_TILE_ASPECT = 10.0  # a tile is padded to at most this long / short (OCR fails on thinner strips)
SEARCH = 0.25  # the share of a tile, at its end, where a cut is looked for
RULE_SHARE = 0.3  # a rule runs unbroken over this share of the width
OVERLAP = 0.05
MARGIN = 0.03  # of the width: white added above and below each tile
INK = 160  # grey level below which a pixel is ink


def tile_long_pages(pages: list[Page]) -> tuple[list[Page], list[str]]:
    """Pages with every long page replaced by its tiles, re-indexed; and a warning per cut page."""
    out: list[Page] = []
    warnings: list[str] = []
    for page in pages:
        tiles = tile_image(page.image, page.dpi)
        if len(tiles) > 1 or tiles[0].shape != page.image.shape:
            h, w = page.image.shape[:2]
            what = f"cut into {len(tiles)} page-sized tiles" if len(tiles) > 1 else "padded with white to be read"
            warnings.append(f"page {page.index + 1}: a long image ({w}x{h} px) {what}")
        for tile in tiles:
            out.append(Page(index=len(out), raster=tile, dpi=page.dpi))
    return out, warnings


def tile_image(image: np.ndarray, dpi: int) -> list[np.ndarray]:
    """The image itself when no longer than a page and not a strip, else its tiles in reading order
    (top to bottom, left to right); a strip shorter than a page is only padded."""
    h, w = image.shape[:2]
    if max(h, w) <= LONG_RATIO * min(h, w):
        return [image]
    if max(h, w) <= LONG_PAGES * A4_LONG_IN * dpi:
        return [_pad(image) if h >= w else _pad(image.transpose(1, 0, 2)).transpose(1, 0, 2)]
    wide = w > h
    tall = np.ascontiguousarray(image.transpose(1, 0, 2)) if wide else image
    tiles = [_pad(t) for t in _cut(tall)]
    if len(tiles) > 1:  # a page has margins: text at a cut is not read at the image edge
        m = round(MARGIN * tall.shape[1])
        tiles = [cv2.copyMakeBorder(t, m, m, 0, 0, cv2.BORDER_CONSTANT, value=(255, 255, 255)) for t in tiles]
    return [np.ascontiguousarray(t.transpose(1, 0, 2)) if wide else np.ascontiguousarray(t) for t in tiles]


def _cut(image: np.ndarray) -> list[np.ndarray]:
    """A tall image cut into tiles about `PAGE_RATIO` x its width long."""
    h, w = image.shape[:2]
    length = max(round(w * PAGE_RATIO), MIN_TILE)
    ink = (image.min(axis=2) < INK).astype(np.uint8)
    rules = _rule_rows(ink)
    tiles, top = [], 0
    while h - top > length:
        lo, hi = top + round((1 - SEARCH) * length), top + length
        end, next_top = _cut_at(ink, rules, lo, hi, length)
        tiles.append(image[top:end])
        top = next_top
    tiles.append(image[top:])
    return tiles


def _rule_rows(ink: np.ndarray) -> np.ndarray:
    """Rows crossed by a horizontal rule (an unbroken ink run over `RULE_SHARE` of the width)."""
    run = max(3, round(RULE_SHARE * ink.shape[1]))
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    return np.asarray(opened.any(axis=1))


def _cut_at(ink: np.ndarray, rules: np.ndarray, lo: int, hi: int, length: int) -> tuple[int, int]:
    """(end of this tile, top of the next) for a cut between rows `lo` and `hi`."""
    found = np.flatnonzero(rules[lo:hi])
    if found.size:  # the lowest rule: both tiles keep it
        bottom = lo + int(found[-1])
        top = bottom
        while top > lo and rules[top - 1]:
            top -= 1
        return bottom + 1, top
    per_row = ink[lo:hi].sum(axis=1)
    blank = per_row <= max(1, 0.002 * ink.shape[1])
    if blank.any():  # the middle of the widest blank band
        best, start = (0, 0), None
        for i, b in enumerate([*blank, False]):
            if b and start is None:
                start = i
            elif not b and start is not None:
                if i - start >= best[1] - best[0]:
                    best = (start, i)
                start = None
        mid = lo + (best[0] + best[1]) // 2
        return mid, mid
    row = lo + int(np.argmin(per_row))
    return row, row - round(OVERLAP * length)


def _pad(tile: np.ndarray) -> np.ndarray:
    """A strip padded with white (left and right) to 1:`MAX_TILE_ASPECT`."""
    h, w = tile.shape[:2]
    need = int(np.ceil(h / MAX_TILE_ASPECT))
    if w >= need:
        return tile
    left = (need - w) // 2
    return cv2.copyMakeBorder(tile, 0, 0, left, need - w - left, cv2.BORDER_CONSTANT, value=(255, 255, 255))
