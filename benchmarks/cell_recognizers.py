"""Numeric value-cell crops: the cell recognizer trained here against PP-OCRv6's recognizer (RapidOCR's rec model).

Per degradation level: cell accuracy (the whole text right), character accuracy (1 - edit distance
over length) and value accuracy (the parsed number right; 〇 and 0, 1,234 and 1234 agree), and each
recognizer's milliseconds per crop (batches of 32; inflated by other jobs on the machine).
Crops: a held-out set from cells_data (never seed 9001, the frozen test split's), e.g.
    python -m ogi_extract.training.cells_data --reports 36 --rendered 600 --seed 12 --out data/cells/val
Run: `python benchmarks/cell_recognizers.py --crops data/cells/val [--model DIR] [--limit N] [--out FILE]`
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np

from ogi_extract.inference.values import parse_number
from ogi_extract.models.cells import CellRecognizer
from ogi_extract.models.ocr.rapid import RapidEngine
from ogi_extract.training import cells_data
from ogi_extract.training.train_cells import accuracy


def _text(t: str) -> str:
    return "".join(t.split()).replace("，", ",").replace("－", "-")


def _value(t: str):
    p = parse_number(t)
    return p.value if p.ok else ("?", t)


def run(crops: Path, model: Path | None, limit: int | None, seed: int = 0) -> dict:
    rows = cells_data.read_set(crops)
    if limit and len(rows) > limit:
        rows = [rows[i] for i in sorted(np.random.default_rng(seed).choice(len(rows), limit, replace=False))]
    images = [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p, _, _, _ in rows]
    ours = CellRecognizer.load(model, 2) if model else CellRecognizer.default(2)
    paddle = RapidEngine()
    reads: dict[str, list[str]] = {"cells (ours)": [], "PP-OCRv6 rec": []}
    seconds = {}
    t = time.perf_counter()
    for i in range(0, len(images), 32):
        reads["cells (ours)"] += [r[0][0] if r else "" for r in ours.read(images[i:i + 32], k=1)]
    seconds["cells (ours)"] = time.perf_counter() - t
    t = time.perf_counter()
    rgb = [cv2.cvtColor(im, cv2.COLOR_GRAY2RGB) for im in images]
    for i in range(0, len(rgb), 32):
        reads["PP-OCRv6 rec"] += [str(x) for x in paddle._ocr.recognize_txt(rgb[i:i + 32]).txts]
    seconds["PP-OCRv6 rec"] = time.perf_counter() - t
    out = {}
    for name, texts in reads.items():
        pairs = [(_text(t), _text(r), lv) for (_, t, lv, _), r in zip(rows, texts)]
        acc = accuracy(pairs)
        for level in acc:
            sel = [(t, r) for (_, t, lv, _), r in zip(rows, texts) if level in ("all", lv)]
            acc[level]["value"] = round(sum(_value(t) == _value(r) for t, r in sel) / len(sel), 4)
        out[name] = {"ms_per_crop": round(1000 * seconds[name] / len(rows), 2), "by_level": acc}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crops", type=Path, default=Path("data/cells/val"))
    ap.add_argument("--model", type=Path, help="a cell recognizer folder; default the shipped one")
    ap.add_argument("--limit", type=int, help="a random sample of this many crops")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(args.crops, args.model, args.limit)
    levels = list(next(iter(result.values()))["by_level"])
    print(f"{'recognizer':14} {'metric':6} " + " ".join(f"{lv:>7}" for lv in levels))
    for name, r in result.items():
        for metric in ("cell", "char", "value"):
            print(f"{name:14} {metric:6} " + " ".join(f"{r['by_level'][lv][metric]:7.4f}" for lv in levels))
        print(f"{name:14} ms/crop {r['ms_per_crop']}")
    print("n per level: " + ", ".join(f"{lv} {result['PP-OCRv6 rec']['by_level'][lv]['n']}" for lv in levels))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
