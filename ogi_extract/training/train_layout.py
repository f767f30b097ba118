"""Train (or fine-tune) the layout model and write its folder (config.json, model.onnx, weights.pt).

    ogi-extract train layout --config configs/layout.yaml --out DIR [--annotated DIR ...] [--base DIR]

Generated pages are written once into the config's data folders (git-ignored, e.g. /data/layout)
and reused. `--annotated` adds annotated reports' pages (annotations/README.md) to every batch;
`--base` starts from a model folder's weights (fine-tuning). The held-out pages score the result
(separator F1 at a 2-pixel tolerance, table-region IoU, by degradation level) into config.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from ogi_extract.models.layout.model import CHANNELS, WEIGHTS, LayoutModel, save_folder
from ogi_extract.training.layout_net import LayoutNet, build, state_bytes, to_onnx
from ogi_extract.training.layout_pages import Pages
from ogi_extract.training.layout_score import score_set

FROZEN_SEED = 9001  # the benchmark's test split; never drawn for training


def loss_fn(logits: torch.Tensor, target: torch.Tensor, pos_weight: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, target, pos_weight=pos_weight[:, None, None])


def fit(net: LayoutNet, pages: Pages, cfg: dict, extra: Pages | None = None, log=print) -> list[float]:
    """Train in place for cfg['steps'] steps or cfg['minutes'] of wall clock; the loss of each step."""
    t = cfg["train"]
    torch.manual_seed(int(t.get("seed", 0)))
    rng = np.random.default_rng(int(t.get("seed", 0)))
    device = _device(str(t.get("device", "cpu")))
    net.to(device)
    opt = torch.optim.AdamW(net.parameters(), lr=float(t["lr"]), weight_decay=1e-4)
    steps, budget = int(t["steps"]), 60 * float(t.get("minutes") or 1e9)
    pos_weight = torch.tensor([float(v) for v in t["pos_weight"]], device=device)
    jitter = float(t.get("jitter", 0.0))
    losses, start = [], time.perf_counter()
    net.train()
    for step in range(steps):
        done = max(step / steps, (time.perf_counter() - start) / budget)  # steps or wall-clock budget, whichever ends first
        if done >= 1:
            break
        for group in opt.param_groups:  # short warm-up, then cosine decay over the run
            group["lr"] = float(t["lr"]) * min(1.0, done / 0.05) * 0.5 * (1 + np.cos(np.pi * done))
        source = extra if extra is not None and rng.random() < float(t.get("annotated_share", 0.5)) else pages
        x, y = source.batch(rng, int(t["batch"]), int(t["crop"]), float(t["table_crops"]))
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = loss_fn(net(_jittered(x, jitter) if jitter else x), y, pos_weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        if step % 25 == 0:
            log(f"step {step:5d}  loss {np.mean(losses[-50:]):.4f}  {time.perf_counter() - start:.0f}s")
    net.eval().cpu()
    return losses


def _device(name: str) -> torch.device:
    """`auto`: the accelerator where one is present (the config's runs on a lent GPU), else the CPU."""
    if name != "auto":
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _jittered(x: torch.Tensor, amount: float) -> torch.Tensor:
    """Crops with paper tone, contrast and grain drawn afresh, so many steps over few pages do not learn
    their exact pixels (inputs are ink-high, paper 0)."""
    n = x.shape[0]
    r = torch.rand(n, 3, 1, 1, device=x.device)
    contrast, paper, grain = 1 - amount * r[:, :1], amount * 0.3 * r[:, 1:2], amount * 0.2 * r[:, 2:]
    return (x * contrast + paper + grain * torch.randn_like(x)).clamp(0, 1)


def ensure_data(cfg: dict) -> None:
    """Generate the configured train and val pages unless their folders exist."""
    d = cfg["data"]
    for split in ("train", "val"):
        seed = int(d[f"{split}_seed"])
        if seed == FROZEN_SEED:
            raise SystemExit(f"seed {FROZEN_SEED} is reserved for the benchmark's test split")
        folder = Path(d[split])
        if not any(folder.glob("*.npz")):
            from ogi_extract.training.layout_data import write_set  # the renderer and its fonts: only to generate

            n = write_set(folder, int(d[f"{split}_reports"]), seed, int(d["long_side"]), int(d.get("workers", 1)))
            print(f"{n} {split} pages -> {folder}")


def export(net: LayoutNet, cfg: dict, out: Path, metrics: dict, info: dict) -> Path:
    config = {"kind": "layout", "channels": list(CHANNELS), "long_side": int(cfg["long_side"]), "stride": net.stride,
              "width": net.down[0][0].out_channels, "depth": len(net.down), "skips": net.skips,
              "threads": 2, "threshold": float(cfg.get("threshold", 0.5)),
              "separator_threshold": float(cfg.get("separator_threshold", cfg.get("threshold", 0.5))), "metrics": metrics, "training": info}
    return save_folder(out, to_onnx(net), state_bytes(net), config)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="ogi-extract train layout", description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=Path("configs/layout.yaml"))
    ap.add_argument("--out", type=Path, required=True, help="model folder to write")
    ap.add_argument("--annotated", type=Path, nargs="*", default=[], help="folders of annotated reports")
    ap.add_argument("--base", type=Path, help="model folder to fine-tune from")
    ap.add_argument("--steps", type=int, help="override train.steps")
    args = ap.parse_args(argv)
    cfg = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    if args.steps:
        cfg["train"]["steps"] = args.steps
    torch.set_num_threads(int(cfg["train"].get("threads", 2)))
    if args.annotated and cfg.get("benchmark") and Path(cfg["benchmark"]).is_dir():
        from ogi_extract.training.benchmark import assert_not_frozen

        truths = [json.loads(j.read_text(encoding="utf-8")) for d in args.annotated for j in Path(d).glob("*.json")]
        assert_not_frozen(truths, cfg["benchmark"])
    ensure_data(cfg)
    model_cfg = cfg["model"]
    if args.base:
        model_cfg = json.loads((args.base / "config.json").read_text(encoding="utf-8"))
    net = build(model_cfg)
    if args.base:
        net.load_state_dict(torch.load(args.base / WEIGHTS, weights_only=True))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        extra = None
        if args.annotated:
            from ogi_extract.training.layout_data import write_set

            write_set(Path(tmp), 0, 0, int(cfg["long_side"]), annotated=args.annotated)
            extra = Pages([Path(tmp)], int(cfg["long_side"]))
        pages = Pages([Path(cfg["data"]["train"])], int(cfg["long_side"]), cache=bool(cfg["train"].get("cache", False)))
        if cfg["train"].get("cache"):
            pages.to(_device(str(cfg["train"].get("device", "cpu"))), int(cfg["train"]["crop"]))
        losses = fit(net, pages, cfg, extra)
    info = {"seconds": round(time.perf_counter() - start), "steps": len(losses), "final_loss": round(float(np.mean(losses[-50:])), 4),
            "config": cfg, "base": str(args.base) if args.base else None, "annotated": [str(a) for a in args.annotated]}
    out = export(net, cfg, args.out, {}, info)
    metrics = score_set(LayoutModel.load(out), Path(cfg["data"]["val"]))
    export(net, cfg, args.out, metrics, info)
    print(json.dumps({"out": str(out), **info, "metrics": metrics}, ensure_ascii=False, default=str)[:2000])


if __name__ == "__main__":
    main()
