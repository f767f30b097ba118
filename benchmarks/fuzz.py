"""Long fuzz run: mutated PDF/PNG/JPEG/TIFF loading, number and label parsing; records every crash.

    nice -n 10 python benchmarks/fuzz.py --seconds 600 --out benchmarks/runs/fuzz

Writes OUT/crashes/<target>-<n>.bin (the input) and OUT/summary.json (inputs tried and crashes per
target); prints the summary. A crash is any exception other than an InputError (or a failed
invariant of a parser). Each crash found becomes a regression test in tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import traceback
from pathlib import Path

from ogi_extract.training.fuzz import label_target, load_target, mutate, number_target, seeds


def random_text(rng: random.Random) -> str:
    alphabet = "0123456789.,，-+ 万元件次()（）OoIl|一—/无\u3000政府信息公开其中：1、（一）①"
    n = rng.choice([1, 3, 10, 40, 500, 5000])
    return "".join(rng.choice(alphabet) if rng.random() < 0.9 else chr(rng.randrange(0x110000)) for _ in range(n))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/runs/fuzz"))
    args = ap.parse_args(argv)
    (args.out / "crashes").mkdir(parents=True, exist_ok=True)
    rng, base = random.Random(args.seed), seeds()
    tried: dict[str, int] = {}
    crashes: dict[str, list[str]] = {}
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        kind = rng.choice([*base, "number", "label"])
        if kind in base:
            edits = [(rng.randrange(2**20), rng.randrange(4), rng.randrange(256)) for _ in range(rng.randint(1, 8))]
            data, target = mutate(base[kind], edits), load_target
            arg: bytes | str = data
        else:
            text = random_text(rng)
            data, target = text.encode("utf-8", "surrogatepass"), number_target if kind == "number" else label_target
            arg = text
        tried[kind] = tried.get(kind, 0) + 1
        try:
            target(arg)  # type: ignore[arg-type]
        except Exception:
            n = len(crashes.setdefault(kind, []))
            (args.out / "crashes" / f"{kind}-{n}.bin").write_bytes(data)
            crashes[kind].append(traceback.format_exc(limit=3).splitlines()[-1])
    summary = {"seconds": args.seconds, "tried": tried, "crashes": {k: len(v) for k, v in crashes.items()},
               "crash_kinds": {k: sorted(set(v)) for k, v in crashes.items()}}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
