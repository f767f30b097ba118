"""Numeric cell crops with their printed text, for training and benchmarking the cell recognizer.

Two generated sources, both at every degradation level (`degrade.LEVELS`):
- `page_crops`: random reports from the generator, rasterised and degraded like a scan; the ink of
  every value cell (a metric's cell) at its truth box, jittered by a few pixels as a detected cell
  box would be, cut as inference cuts it (`reread.ink_crop`); an empty cell whose speckle or rule
  remnant passes for ink is the blank class;
- `rendered_crops`: single cells drawn here with what the generator never prints but real reports
  do (units 件/项/万元, 〇/○, dashes, signs, thousands separators), degraded the same way.

    python -m ogi_extract.training.cells_data --reports 120 --rendered 6000 --seed 11 --out /data/cells/train
(and `annotated_crops`: the value cells of annotated reports, for fine-tuning) writes `<out>/<level>/<i>.png` (grey, 48 px high) and `<out>/labels.tsv` (path, text, level, source).
Seed 9001 is the frozen test split's; it is refused here.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import re
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ogi_extract.inference.reread import ink_crop
from ogi_extract.training.synth.degrade import LEVELS, degrade, move_box
from ogi_extract.training.synth.generate import LOWRES_DPI, random_report, scan_pages
from ogi_extract.training.synth.render import FONTS, rasterize

HEIGHT = 48  # stored crop height (the recognizers resize on their own)
FROZEN_SEED = 9001
NUMERIC = re.compile(r"^[0-9.,+\-]*$")
EXTRA_UNITS = ("件", "项", "万元", "个", "条")
ZERO_KEPT = 0.25  # most printed cells are "0": keep a quarter of them


def _crop(image: np.ndarray, box: list[float], rng: np.random.Generator, dpi: int) -> np.ndarray | None:
    """The ink of the box, each side moved by up to 1.5 pt first as a detected cell's would be, cut
    as inference cuts it (`reread.ink_crop`: rules wiped, tight around the glyphs), scaled to HEIGHT px;
    None when the cell holds no glyph-sized ink."""
    jitter = 1.5 * dpi / 72
    found = ink_crop(image, [v + rng.uniform(-jitter, jitter) for v in box], dpi)
    if found is None:
        return None
    crop = found[0]
    width = max(8, round(crop.shape[1] * HEIGHT / crop.shape[0]))
    return cv2.resize(crop, (min(width, 12 * HEIGHT), HEIGHT), interpolation=cv2.INTER_AREA)


def page_crops(seed: int, i: int, level: str) -> list[tuple[np.ndarray, str]]:
    """Value-cell crops of one random report scanned at `level`: (grey crop, printed text)."""
    rng = np.random.default_rng([seed, i])
    report, _ = random_report(rng, f"cells_{seed}_{i}")
    dpi = LOWRES_DPI if level == "lowres" else int(rng.choice([150, 200]))  # the benchmark scans at 150
    pages, scans = scan_pages(report, level, int(rng.integers(2**31)), dpi)
    out = []
    for page, scan in zip(pages, scans):
        if level != "fax":  # the pages travel as JPEG inside the PDF
            scan = cv2.imdecode(cv2.imencode(".jpg", scan, [cv2.IMWRITE_JPEG_QUALITY, 50])[1], cv2.IMREAD_GRAYSCALE)
        for cell in page.cells:
            text = cell.get("text") or ""
            if cell.get("metric_id") is None and not (text and NUMERIC.match(text) and any(c.isdigit() for c in text)):
                continue
            if not NUMERIC.match(text) or (text == "0" and rng.random() > ZERO_KEPT):
                continue
            crop = _crop(scan, cell["box"], rng, dpi)
            if crop is not None:
                out.append((crop, text))
    return out


def _extra_text(rng: np.random.Generator) -> str:
    r = rng.random()
    n = int(rng.lognormal(np.log(20), 1.5))
    if r < 0.15:
        return str(rng.choice(["〇", "○", "—", "——", "-", "0"]))
    if r < 0.35:
        return f"{n}{rng.choice(EXTRA_UNITS)}"
    if r < 0.5:
        return f"{n * 37 + int(rng.integers(1000)):,}"
    if r < 0.65:
        return f"{rng.uniform(0, 500):.{int(rng.integers(1, 3))}f}" + ("万元" if rng.random() < 0.3 else "")
    if r < 0.75:
        return f"{rng.choice(['-', '+'])}{n}"
    if r < 0.82:
        return f"{rng.uniform(0, 100):.1f}%"
    return ""


def rendered_crop(rng: np.random.Generator, level: str) -> tuple[np.ndarray, str] | None:
    """One table cell drawn with PIL (rules on its sides, text centred or right-aligned), degraded at
    `level`, and its ink cut out; None when it shows no glyph-sized ink (blank, a dash)."""
    text = _extra_text(rng)
    dpi = LOWRES_DPI if level == "lowres" else 200
    px = dpi / 72
    path, index = FONTS[str(rng.choice(list(FONTS)))]
    font = ImageFont.truetype(path, max(8, round(rng.uniform(8.5, 11) * px)), index=index)
    tw = font.getbbox(text or "0")[2] if text else 0
    w, h = int(max(tw + 8 * px, rng.uniform(30, 90) * px)), int(rng.uniform(1.6, 2.4) * font.size)
    margin = int(20 * px)
    canvas = Image.new("L", (w + 2 * margin, h + 2 * margin), 255)
    draw = ImageDraw.Draw(canvas)
    line = max(1, round(rng.uniform(0.4, 1.2) * px))
    draw.rectangle([margin, margin, margin + w, margin + h], outline=0, width=line)
    if text:
        x = margin + (w - tw) / 2 if rng.random() < 0.8 else margin + w - tw - 3 * px
        draw.text((x, margin + h / 2), text, font=font, fill=0, anchor="lm")
    scan, matrix = degrade(np.asarray(canvas), level, rng, dpi)
    box = move_box([margin, margin, margin + w, margin + h], matrix)
    crop = _crop(scan, box, rng, dpi)
    return None if crop is None else (crop, text)


def annotated_crops(folder: Path, seed: int = 0) -> list[tuple[np.ndarray, str, str]]:
    """Value-cell crops of annotated reports (annotations/README.md: a PDF beside a truth with
    pages[].cells), labelled with the text the person confirmed: (grey crop, text, level)."""
    from ogi_extract.training.annotated import find_reports

    rng, out = np.random.default_rng(seed), []
    for report in find_reports([Path(folder)]):
        truth, pages = report.truth, report.truth.get("pages", [])
        level = truth.get("degradation") or "annotated"
        images = {dpi: rasterize(report.pdf, dpi) for dpi in {p.get("dpi", 200) for p in pages}}
        for page in pages:
            for cell in page.get("cells", []):
                if cell.get("metric_id") is None:
                    continue
                value = truth["metrics"].get(cell["metric_id"])
                text = cell.get("text") if cell.get("text") is not None else "" if value is None else str(value)
                crop = _crop(images[page.get("dpi", 200)][page["index"]], cell["box"], rng, page.get("dpi", 200))
                if NUMERIC.match(text) and crop is not None:
                    out.append((crop, text, level))
    return out


def _page_job(args: tuple[int, int, str]) -> list[tuple[np.ndarray, str, str]]:
    seed, i, level = args
    return [(c, t, level) for c, t in page_crops(seed, i, level)]


def write_set(out: Path, reports: int, rendered: int, seed: int, workers: int = 1) -> int:
    """Crops of `reports` generator reports and `rendered` drawn cells, levels in turn; the number written."""
    if seed == FROZEN_SEED:
        raise SystemExit(f"seed {FROZEN_SEED} is the frozen test split's")
    out = Path(out)
    jobs = [(seed, i, LEVELS[i % len(LEVELS)]) for i in range(reports)]
    rows: list[tuple[str, str, str, str]] = []

    def save(crop: np.ndarray, text: str, level: str, source: str) -> None:
        path = Path(level) / f"{len(rows):06d}.png"
        (out / level).mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out / path), crop)
        rows.append((str(path), text, level, source))

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for crops in pool.imap_unordered(_page_job, jobs):
            for crop, text, level in crops:
                save(crop, text, level, "page")
    rng = np.random.default_rng([seed, 10**6])
    for k in range(rendered):
        level = LEVELS[k % len(LEVELS)]
        if (drawn := rendered_crop(rng, level)) is not None:
            save(*drawn, level, "rendered")
    with open(out / "labels.tsv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter="\t", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return len(rows)


def read_set(folder: Path) -> list[tuple[Path, str, str, str]]:
    """(image path, text, level, source) rows of a written set."""
    folder = Path(folder)
    with open(folder / "labels.tsv", newline="", encoding="utf-8") as f:
        return [(folder / p, t, lv, s) for p, t, lv, s in csv.reader(f, delimiter="\t")]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m ogi_extract.training.cells_data", description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=120)
    ap.add_argument("--rendered", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    n = write_set(args.out, args.reports, args.rendered, args.seed, args.workers)
    print(f"{n} crops -> {args.out}")


if __name__ == "__main__":
    main()
