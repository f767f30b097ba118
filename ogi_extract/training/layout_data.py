"""Training pages for the layout model: a page image at model scale and its target maps.

Targets come from cell boxes, so a separator is drawn where a cell border is whether or not the
rule is printed (faint, dashed, three-line tables, lost to a bad scan). Generated reports are
drawn with extra layout variety (`vary_style`) and every degradation level; the clean-frame
boxes are mapped through the degradation's affine map, so tilted scans get tilted lines.
Annotated reports (annotations/README.md: pages[].cells boxes at the page's dpi) give the same
targets from their own boxes.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from ogi_extract.models.layout import CHANNELS, page_scale, to_gray
from ogi_extract.training.synth.degrade import degrade
from ogi_extract.training.synth.generate import DEGRADATIONS, LOWRES_DPI, _pick, random_report, vary_style
from ogi_extract.training.synth.render import rasterize, render_pdf

SCAN_DPI = 200
LEVELS = {**DEGRADATIONS, "clean": 0.15, "heavy": 0.25}  # more hard scans than the benchmark mix
DIGITAL_SHARE = 0.15
LINE_PX = 3  # separator thickness in the target, model pixels
KEEP_PLAIN = 0.25  # share of pages without a table kept (they teach "no separators here")


def targets(shape: tuple[int, int], page: dict, scale: float, matrix: np.ndarray | None = None) -> np.ndarray:
    """Target maps (CHANNELS x H x W, 0/1) of one page's truth; boxes in page pixels, mapped by `matrix`."""
    h, w = shape
    out = np.zeros((len(CHANNELS), h, w), np.uint8)
    m = np.float32([[1, 0, 0], [0, 1, 0]]) if matrix is None else matrix

    def pts(xy: list[tuple[float, float]]) -> np.ndarray:
        p = np.float32([[x, y, 1] for x, y in xy]) @ m.T
        return np.round(p * scale).astype(np.int32)

    for cell in page.get("cells", []):
        x0, y0, x1, y1 = cell["box"]
        for a, b, ch in (((x0, y0), (x1, y0), 0), ((x0, y1), (x1, y1), 0), ((x0, y0), (x0, y1), 1), ((x1, y0), (x1, y1), 1)):
            p, q = pts([a, b])
            cv2.line(out[ch], tuple(map(int, p)), tuple(map(int, q)), 1, LINE_PX)
    for ch, key in ((2, "tables"), (3, "sections")):
        for item in page.get(key, []):
            x0, y0, x1, y1 = item["box"]
            cv2.fillConvexPoly(out[ch], pts([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]), 1)
    if not page.get("tables") and page.get("cells"):  # annotations without table boxes: the cells' union
        for table in {c.get("table", 0) for c in page["cells"]}:
            boxes = np.array([c["box"] for c in page["cells"] if c.get("table", 0) == table])
            x0, y0 = boxes[:, :2].min(0)
            x1, y1 = boxes[:, 2:].max(0)
            cv2.fillConvexPoly(out[2], pts([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]), 1)
    return out


def _sample(gray: np.ndarray, page: dict, long_side: int, matrix: np.ndarray | None) -> dict:
    scale = page_scale(gray.shape, long_side)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return {"image": small, "target": targets(small.shape, page, scale, matrix)}


def synth_scans(i: int, seed: int, varied: bool = True, level: str | None = None):
    """Generated report `i` of set `seed`, page by page: (scan, clean-frame truth, 2x3 map, level).

    `level` forces a degradation ("digital": the clean render); else one is drawn.
    """
    rng = np.random.default_rng([seed, i])
    report, _ = random_report(rng, f"layout_{seed}_{i:05d}")
    if varied:
        vary_style(report, rng)
    digital = rng.random() < DIGITAL_SHARE
    level = level or ("digital" if digital else _pick(rng, LEVELS))
    dpi = LOWRES_DPI if level == "lowres" else SCAN_DPI
    with tempfile.TemporaryDirectory() as tmp:
        pages = render_pdf(report, Path(tmp) / "r.pdf", dpi)
        images = rasterize(Path(tmp) / "r.pdf", dpi)
    for page, image in zip(pages, images):
        scan, matrix = degrade(image, "clean" if level == "digital" else level, rng, dpi)
        yield scan, page.to_json(), matrix, level


def synth_pages(i: int, seed: int, long_side: int) -> list[dict]:
    """The sampled pages of generated report `i` of set `seed`: image (uint8) and target maps."""
    rng = np.random.default_rng([seed, i, 1])
    return [{**_sample(scan, page, long_side, matrix), "level": level}
            for scan, page, matrix, level in synth_scans(i, seed)
            if page["cells"] or rng.random() < KEEP_PLAIN]


def annotated_pages(pdf: Path, long_side: int) -> list[dict]:
    """Pages of an annotated report that carry cell boxes, rendered at each page's truth dpi."""
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    try:
        for page in truth.get("pages", []):
            if not page.get("cells"):
                continue
            image = doc[page["index"]].render(scale=page.get("dpi", SCAN_DPI) / 72, grayscale=True).to_numpy()
            out.append({**_sample(to_gray(image), page, long_side, None), "level": "annotated"})
    finally:
        doc.close()
    return out


def _synth_job(args: tuple[int, int, int]) -> list[dict]:
    return synth_pages(*args)


def write_set(out: Path, n_reports: int, seed: int, long_side: int, workers: int = 1,
              annotated: list[Path] | None = None) -> int:
    """Write pages as `<out>/<k>.npz` (image, target, level); the number written."""
    out.mkdir(parents=True, exist_ok=True)
    k = 0

    def save(pages: list[dict]) -> None:
        nonlocal k
        for p in pages:
            np.savez_compressed(out / f"{k:06d}.npz", image=p["image"], target=p["target"], level=p["level"])
            k += 1

    for folder in annotated or []:
        for pdf in sorted(Path(folder).glob("*.pdf")):
            save(annotated_pages(pdf, long_side))
    jobs = [(i, seed, long_side) for i in range(n_reports)]
    if workers <= 1:
        for j in jobs:
            save(_synth_job(j))
    else:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for pages in pool.imap(_synth_job, jobs):
                save(pages)
    return k
