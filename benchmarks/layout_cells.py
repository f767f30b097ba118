"""Cell detection on generated pages, no OCR: ruling lines only (heuristic) vs ruling lines plus the
layout model's separators. Prints cell F1 (IoU >= 0.5) and seconds per page by degradation level (`predict`: the
model's forward pass alone, onnxruntime on 2 threads; `model`: rules + model + lattice).

    python benchmarks/layout_cells.py [--reports 6] [--seed 13] [--levels clean heavy fax] [--varied]

Seed 9001 (the benchmark's test split) is refused. Timings on a shared machine are inflated.
"""

from __future__ import annotations

import argparse
import json
import time

from ogi_extract.inference.layout import find_lattices
from ogi_extract.inference.layout.learned import separator_masks
from ogi_extract.models.layout import LayoutModel
from ogi_extract.training.layout_data import synth_scans
from ogi_extract.training.score import Counts, cell_counts
from ogi_extract.training.synth.degrade import move_box

LEVELS = ["digital", "clean", "mild", "heavy", "fax", "skew", "lowres"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=6, help="reports per level")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--levels", nargs="*", default=LEVELS)
    ap.add_argument("--varied", action="store_true", help="layout variety (faint/dashed/no inner rules, seals)")
    ap.add_argument("--model", help="layout model folder (default: the shipped one)")
    args = ap.parse_args()
    if args.seed == 9001:
        raise SystemExit("seed 9001 is the benchmark's test split")
    model = LayoutModel.load(args.model) if args.model else LayoutModel.default()
    rows = []
    for level in args.levels:
        counts = {"heuristic": Counts(), "model": Counts()}
        seconds, pages = {"heuristic": 0.0, "model": 0.0, "predict": 0.0}, 0
        for i in range(args.reports):
            for scan, page, matrix, _ in synth_scans(i, args.seed, args.varied, level):
                if not page["cells"]:
                    continue
                truth = [{"page": 0, "box": move_box(c["box"], matrix)} for c in page["cells"]]
                pages += 1
                for system in counts:
                    start = time.perf_counter()
                    seps = None
                    if system == "model":
                        maps = model.predict(scan)
                        seconds["predict"] += time.perf_counter() - start
                        seps = separator_masks(maps, scan.shape, model.separator_threshold)
                    lattices = find_lattices(scan, page["dpi"], seps)
                    seconds[system] += time.perf_counter() - start
                    found = [{"page": 0, "box": lat.cell_box(g)} for lat in lattices for g in lat.cells]
                    counts[system] += cell_counts(truth, found)
        row = {"level": level, "pages": pages, **{f"{s}_cell_f1": round(c.f1, 4) for s, c in counts.items()},
               **{f"{s}_s_per_page": round(t / max(pages, 1), 3) for s, t in seconds.items()}}
        rows.append(row)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
