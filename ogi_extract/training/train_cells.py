"""Train the numeric-cell recognizer (CRNN + CTC, torch) on value-cell crops; export it as ONNX.

    ogi-extract train cells --config configs/cells.yaml --out ogi_extract/models/cells/default \
        [--annotated DIR] [--base DIR]

Crops come from `cells_data` (built first when the config's folders are missing). The output
folder gets model.onnx + config.json (what inference loads) and weights.pt (for --base); the
config records the data, the epochs and the held-out character and cell accuracy by level.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import yaml

from ogi_extract.models.cells.recognizer import CellRecognizer, prepare
from ogi_extract.training import cells_data
from ogi_extract.training.cells_model import CHARSET, CRNN, HEIGHT, export, load_torch

INDEX = {c: i for i, c in enumerate(CHARSET) if c}


def encode(text: str) -> list[int]:
    """Class indices of a printed text ('－' and '–' read as '-'); unknown characters are dropped."""
    return [INDEX[c] for c in text.replace("－", "-").replace("–", "-") if c in INDEX]


def load_set(folder: Path) -> list[tuple[np.ndarray, str, str]]:
    """(prepared crop 1 x HEIGHT x W, text, level) of a crop set."""
    return [(prepare(cv2.imread(str(p), cv2.IMREAD_GRAYSCALE), HEIGHT), t, lv) for p, t, lv, _ in cells_data.read_set(folder)]


def batches(items: list, size: int, rng: np.random.Generator, shuffle: bool = True):
    """Batches of similar width (less padding): sort by width inside random chunks."""
    order = rng.permutation(len(items)) if shuffle else np.arange(len(items))
    for start in range(0, len(order), size * 20):
        chunk = sorted(order[start:start + size * 20], key=lambda i: items[i][0].shape[2])
        groups = [chunk[i:i + size] for i in range(0, len(chunk), size)]
        for g in (rng.permutation(len(groups)) if shuffle else range(len(groups))):
            yield [items[i] for i in groups[g]]


def tensors(group: list, rng: np.random.Generator | None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Images padded with paper (stretched 0.8-1.25x in width when `rng` is given), CTC targets, lengths."""
    imgs = []
    for img, _, _ in group:
        if rng is not None:
            w = max(8, int(img.shape[2] * rng.uniform(0.8, 1.25)))
            img = cv2.resize(img[0], (w + (-w % 4), HEIGHT), interpolation=cv2.INTER_LINEAR)[None]
        imgs.append(img)
    width = max(i.shape[2] for i in imgs)
    x = np.full((len(imgs), 1, HEIGHT, width), -1.0, np.float32)
    for n, img in enumerate(imgs):
        x[n, :, :, : img.shape[2]] = img
    codes = [encode(t) for _, t, _ in group]
    return torch.from_numpy(x), torch.tensor([c for cs in codes for c in cs], dtype=torch.long), \
        torch.tensor([len(c) for c in codes], dtype=torch.long)


def ctc_loss(net: CRNN, x: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    logp = net(x).permute(1, 0, 2)  # T x N x C
    steps = torch.full((x.shape[0],), logp.shape[0], dtype=torch.long)
    return torch.nn.functional.ctc_loss(logp, targets, steps, lengths, blank=0, zero_infinity=True)


def char_errors(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def accuracy(pairs: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """Cell and character accuracy by level (and 'all') of (truth, read, level) triples."""
    out = {}
    for level in sorted({lv for _, _, lv in pairs}) + ["all"]:
        sel = [(t, r) for t, r, lv in pairs if level in ("all", lv)]
        chars = sum(max(1, len(t)) for t, _ in sel)
        errors = sum(min(max(1, len(t)), char_errors(t, r)) for t, r in sel)
        out[level] = {"n": len(sel), "cell": round(sum(t == r for t, r in sel) / len(sel), 4),
                      "char": round(1 - errors / chars, 4)}
    return out


def evaluate(model: CellRecognizer, folder: Path) -> dict[str, dict[str, float]]:
    rows = cells_data.read_set(folder)
    pairs = []
    for start in range(0, len(rows), 64):
        chunk = rows[start:start + 64]
        reads = model.read([cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p, _, _, _ in chunk], k=1)
        pairs += [(t, r[0][0] if r else "", lv) for (_, t, lv, _), r in zip(chunk, reads)]
    return accuracy(pairs)


def train(config: dict, out: Path, annotated: Path | None = None, base: Path | None = None) -> dict:
    torch.manual_seed(config["seed"])
    torch.set_num_threads(config["threads"])
    rng = np.random.default_rng(config["seed"])
    for split in ("train", "val"):
        folder = Path(config["data"][split])
        if not (folder / "labels.tsv").is_file():
            b = config["build"][split]
            cells_data.write_set(folder, b["reports"], b["rendered"], b["seed"], config["threads"])
    items = load_set(Path(config["data"]["train"]))
    if len(items) > config.get("max_crops", len(items)):
        items = [items[i] for i in rng.choice(len(items), config["max_crops"], replace=False)]
    if annotated is not None:  # a crop set, or a folder of annotated reports
        extra = load_set(annotated) if (annotated / "labels.tsv").is_file() else \
            [(prepare(crop, HEIGHT), text, level) for crop, text, level in cells_data.annotated_crops(annotated)]
        items += extra * config["annotated_repeat"]
    net = load_torch(base) if base else CRNN()
    opt = torch.optim.AdamW(net.parameters(), lr=config["lr"], weight_decay=1e-4)
    steps = config["epochs"] * -(-len(items) // config["batch"])
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config["lr"], total_steps=steps, pct_start=0.15)
    start, losses = time.perf_counter(), []
    for epoch in range(config["epochs"]):
        net.train()
        total, n = 0.0, 0
        for group in batches(items, config["batch"], rng):
            loss = ctc_loss(net, *tensors(group, rng))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total, n = total + float(loss.detach()), n + 1
            if n % 50 == 0:
                print(f"  step {n}: loss {total / n:.4f} ({time.perf_counter() - start:.0f}s)", flush=True)
        losses.append(round(total / max(1, n), 4))
        print(f"epoch {epoch + 1}/{config['epochs']}: loss {losses[-1]} ({time.perf_counter() - start:.0f}s)", flush=True)
    info = {"data": {k: str(v) for k, v in config["data"].items()}, "build": config["build"], "train_crops": len(items),
            "annotated": str(annotated) if annotated else None, "base": str(base) if base else None,
            "epochs": config["epochs"], "losses": losses, "seconds": round(time.perf_counter() - start)}
    model = export(net, info)
    model.config["metrics"] = {"val": evaluate(model, Path(config["data"]["val"]))}
    model.save(out)
    torch.save(net.state_dict(), Path(out) / "weights.pt")
    return model.config


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="ogi-extract train cells", description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=Path("configs/cells.yaml"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--annotated", type=Path, help="annotated reports (PDF + truth with cells) or a crop set (labels.tsv + images) to add")
    ap.add_argument("--base", type=Path, help="a model folder (with weights.pt) to continue from")
    ap.add_argument("--epochs", type=int, help="override the config's")
    args = ap.parse_args(argv)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    if args.epochs is not None:
        config["epochs"] = args.epochs
    result = train(config, args.out, args.annotated, args.base)
    print(json.dumps(result["metrics"], ensure_ascii=False))


if __name__ == "__main__":
    main()
