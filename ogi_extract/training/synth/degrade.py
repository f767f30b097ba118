"""Make a clean page raster look scanned, cheaply (OpenCV/numpy), and write image-only PDFs.

Each level is a recipe of small steps: tilt (<= 1.5 degrees), paper tone and uneven light,
faded or broken ruling lines, blur, noise, speckle, binarisation (fax), resampling (lowres),
JPEG artifacts. The level `augraphy` (only when asked for; needs the `synth` extra) hands the
page to augraphy's paper-and-ink pipeline instead (`augraphy_scan`). `degrade` returns the 2x3 affine map it applied to the page, so ground-truth
boxes follow the ink (`move_box`). The image keeps its size.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

LEVELS = ("clean", "mild", "heavy", "fax", "skew", "lowres")
AUGRAPHY = "augraphy"  # not in LEVELS: slow and optional, chosen only on request


def degrade(image: np.ndarray, level: str, rng: np.random.Generator, dpi: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A grey page (H x W uint8) at `dpi` -> (scanned-looking page, 2x3 map from old to new pixel coordinates)."""
    if level == AUGRAPHY:
        from ogi_extract.training.synth.augraphy_scan import augraphy_degrade  # optional extra, imported on use

        return augraphy_degrade(image, rng, dpi)
    if level not in LEVELS:
        raise ValueError(f"unknown degradation {level!r}; one of {LEVELS + (AUGRAPHY,)}")
    img = image.astype(np.float32)
    matrix = np.float32([[1, 0, 0], [0, 1, 0]])
    if level == "clean":
        return image.copy(), matrix
    u = rng.uniform
    px = dpi / 200  # blur and shifts are drawn for 200 dpi
    if level in ("heavy", "mild", "skew", "lowres"):
        img = _fade_lines(img, rng, share=u(0.05, 0.2) if level != "heavy" else u(0.3, 0.6))
    if level == "lowres":
        img = _resample(img, u(0.45, 0.65), u(0.45, 0.65))
    if level == "fax":
        img = _resample(img, 1.0, 0.5)  # fax standard resolution: half the lines
    angle = {"mild": u(-0.5, 0.5), "heavy": u(-1.5, 1.5), "fax": u(-0.8, 0.8), "lowres": u(-0.4, 0.4),
             "skew": rng.choice([-1, 1]) * u(0.8, 1.5)}[level]
    shift = (u(-8, 8) * px, u(-8, 8) * px)
    img, matrix = _tilt(img, angle, shift)
    if level == "fax":
        img = cv2.GaussianBlur(img, (0, 0), 0.7 * px)
        img = np.where(img > u(140, 190), 255.0, 0.0).astype(np.float32)
        return _speckle(img, rng, u(2e-4, 8e-4)).astype(np.uint8), matrix
    img = _paper(img, rng, ink=u(10, 45) if level != "heavy" else u(30, 75), light=u(0.0, 0.08 if level != "heavy" else 0.2))
    img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32({"heavy": u(10, 20)}.get(level, u(2, 5)))
    img = cv2.GaussianBlur(img, (0, 0), {"heavy": u(0.9, 1.3)}.get(level, u(0.6, 0.9)) * px)
    if level == "heavy":
        img = _speckle(img, rng, u(1e-4, 5e-4))
    out = np.clip(img, 0, 255).astype(np.uint8)
    if level == "heavy":
        out = _jpeg(out, int(u(25, 45)))
    return out, matrix


def move_box(box: list[float] | tuple[float, ...], matrix: np.ndarray) -> list[float]:
    """The axis-aligned bounds of a box after the page's affine map."""
    x0, y0, x1, y1 = box
    corners = np.float32([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ matrix.T
    lo, hi = corners.min(0), corners.max(0)
    return [round(float(lo[0]), 1), round(float(lo[1]), 1), round(float(hi[0]), 1), round(float(hi[1]), 1)]


def write_image_pdf(pages: list[np.ndarray], path: Path, dpi: int, quality: int = 50) -> None:
    """An image-only PDF: one greyscale JPEG per page at `dpi` (PIL writes DCT-encoded pages)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.fromarray(p, mode="L") for p in pages]
    # a hair above dpi: rasterising at dpi then gives back exactly the image size (pdfium rounds up)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi * 1.0001, quality=quality,
                   optimize=True)


def _tilt(img: np.ndarray, angle: float, shift: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[:, 2] += shift
    out = cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return out, matrix.astype(np.float32)


def _paper(img: np.ndarray, rng: np.random.Generator, ink: float, light: float) -> np.ndarray:
    """Grey paper, greyer ink, light falling off towards one side."""
    h, w = img.shape
    paper = rng.uniform(225, 250)
    theta = rng.uniform(0, 2 * np.pi)
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * np.float32(np.cos(theta))
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None] * np.float32(np.sin(theta))
    light_map = 1 - np.float32(light / 2) * (gx + gy + 1)  # dimmer towards one side
    return (ink + img * np.float32((paper - ink) / 255)) * light_map


def _fade_lines(img: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """Lighten or break ruling lines in random stretches (worn toner, bad copies)."""
    ink = (img < 128).astype(np.uint8)
    h_lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (60, 1)))
    v_lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 60)))
    thick = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))  # filled areas are no rules
    lines = ((h_lines | v_lines) & (1 - thick)).astype(bool)
    if not lines.any():
        return img
    h, w = img.shape
    small = rng.random((max(h // 40, 2), max(w // 40, 2))).astype(np.float32)
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    fade = lines & (field < share)
    out = img.copy()
    out[fade] = 255 - (255 - out[fade]) * rng.uniform(0.0, 0.4)
    return out


def _resample(img: np.ndarray, fx: float, fy: float) -> np.ndarray:
    h, w = img.shape
    small = cv2.resize(img, (max(1, int(w * fx)), max(1, int(h * fy))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _speckle(img: np.ndarray, rng: np.random.Generator, density: float) -> np.ndarray:
    h, w = img.shape
    n = int(h * w * density)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    img = img.copy()
    img[ys, xs] = rng.choice([0.0, 255.0], n, p=[0.7, 0.3])
    return img


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
