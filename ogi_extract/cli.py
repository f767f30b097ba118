"""`ogi-extract`: predict, evaluate, synth, benchmark, train. A thin shell over the package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

INPUT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
INPUT_SUFFIXES |= {".html", ".htm", ".shtml", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".rtf", ".ofd"}  # by content: sniff.py


def cmd_predict(args: argparse.Namespace) -> int:
    from .batch import run

    return run(args, INPUT_SUFFIXES)


def _delegate(module: str):
    def run(args: argparse.Namespace) -> int:
        import importlib

        return importlib.import_module(module).main(args.rest) or 0

    setattr(run, "delegates", True)  # noqa: B010 (a function attribute mypy cannot see)
    return run


TRAINERS = {  # `ogi-extract train KIND ...`
    "labels": "ogi_extract.training.train_labels",
    "layout": "ogi_extract.training.train_layout",
    "cells": "ogi_extract.training.train_cells",
}


def _train(args: argparse.Namespace) -> int:
    """`train KIND [options]`: the trainer module of that kind parses the rest."""
    import importlib

    if not args.rest or args.rest[0] not in TRAINERS:
        sys.exit(f"ogi-extract train: name what to train: {' | '.join(TRAINERS)}")
    return importlib.import_module(TRAINERS[args.rest[0]]).main(args.rest[1:]) or 0


setattr(_train, "delegates", True)  # noqa: B010


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi-extract", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="extract metrics from report PDFs or page images")
    p.add_argument("files", nargs="+", help="PDF / PNG / JPEG / TIFF files, folders (recursive), globs ('**' "
                   "recursive), @LIST.txt (a name per line) or - (names on stdin); duplicates by content read once")
    p.add_argument("-o", "--output", help="write results here (default: JSONL on stdout)")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet", "text"],
                   help="default: from -o's suffix, else jsonl; text is a readable summary")
    p.add_argument("--engine", choices=["rapidocr", "paddleocr"], help="OCR engine for pages without a text layer")
    p.add_argument("--dpi", type=int)
    p.add_argument("--workers", type=int, help="files in parallel (one process each; default 0: one per core, as memory allows)")
    p.add_argument("--timeout", type=float, help="seconds per file")
    p.add_argument("--no-text-layer", action="store_true", help="OCR every page, even with a text layer")
    p.add_argument("--labels-model", type=Path, help="a label-classifier folder (default: the shipped one)")
    p.add_argument("--resume", action="store_true",
                   help="skip files whose content hash is in -o FILE.jsonl, redo timed-out/dead ones, append")
    p.add_argument("--review", type=Path, metavar="DIR", help="also write an HTML review page per report (+ index)")
    p.add_argument("--max-pages", type=int, help="refuse documents with more pages")
    p.add_argument("--max-memory-mb", type=int, help="resident memory per worker; over it the file fails")
    p.add_argument("--executor", choices=["local", "ray"], default="local",
                   help="local worker processes, or Ray Data actors (needs the `ray` extra)")
    p.add_argument("--ray-address", help="Ray cluster to join (`auto`, `ray://head:10001`); default: a local instance")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_predict)
    p.epilog = "exit status: 0 all files read, 3 some failed, 4 none read, 2 usage error"
    for name, module, text in [
        ("evaluate", "ogi_extract.training.evaluate", "score extraction against a labeled benchmark"),
        ("synth", "ogi_extract.training.synth.generate", "generate labeled synthetic reports"),
        ("benchmark", "ogi_extract.training.benchmark", "build the benchmark dataset"),
        ("annotate", "ogi_extract.training.annotate", "Label Studio: export predictions as tasks, import an export"),
        ("train-labels", "ogi_extract.training.train_labels", "train the row-label classifier (= train labels)"),
        ("check", "ogi_extract.inference.crossyear", "cross-year checks of predict results (JSONL files)"),
    ]:
        d = sub.add_parser(name, help=text, add_help=False)
        d.set_defaults(run=_delegate(module))
    d = sub.add_parser("train", help=f"train or fine-tune a model: {' | '.join(TRAINERS)}", add_help=False)
    d.set_defaults(run=_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if getattr(args.run, "delegates", False):
        args.rest = rest  # the subcommand's own module parses its options
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
