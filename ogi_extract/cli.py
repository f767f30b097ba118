"""`ogi-extract`: predict, evaluate, synth, benchmark, train. A thin shell over the package."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

INPUT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def expand(paths: list[str]) -> list[str]:
    """Files as given; folders expand to the reports inside them (recursively, sorted)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += [str(f) for f in sorted(path.rglob("*")) if f.suffix.lower() in INPUT_SUFFIXES]
        else:
            out.append(p)
    return out


def already_done(path: Path) -> set[str]:
    """Files an earlier, interrupted run already wrote a line for."""
    if not path.exists():
        return set()
    done = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            done.add(json.loads(line)["file"])
        except (ValueError, KeyError):
            continue  # a line cut short by the interruption
    return done


def cmd_predict(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .inference.pipeline import predict_many
    from .output import ResultWriter
    from .settings import Settings

    overrides = {k: v for k, v in {
        "ocr_engine": args.engine, "dpi": args.dpi, "workers": args.workers, "timeout_s": args.timeout,
        "use_text_layer": False if args.no_text_layer else None, "labels_model": args.labels_model,
    }.items() if v is not None}
    settings = Settings(**overrides)
    files = expand(args.files)
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "jsonl")
    fmt = {"json": "jsonl", "txt": "text"}.get(fmt, fmt if fmt in ("jsonl", "csv", "parquet", "text") else "jsonl")
    if fmt == "parquet" and not args.output:
        sys.exit("ogi-extract: parquet needs -o FILE")
    if args.resume:
        if fmt != "jsonl" or not args.output:
            sys.exit("ogi-extract: --resume needs -o FILE.jsonl")
        done = already_done(Path(args.output))
        files = [f for f in files if f not in done]
    opened = open(args.output, "a" if args.resume else "w", encoding="utf-8", newline="") \
        if args.output and fmt != "parquet" else None
    if args.resume and opened.tell() and not Path(args.output).read_bytes().endswith(b"\n"):
        opened.write("\n")  # close the line an interruption cut short
    failed = breaks = 0
    with opened or nullcontext(sys.stdout) as stream:
        writer = ResultWriter(stream, fmt, Path(args.output) if args.output else None)
        bar = tqdm(predict_many(files, settings), total=len(files), unit="file", disable=args.quiet or None,
                   file=sys.stderr)
        for result in bar:
            writer.write(result)
            failed += result.error is not None
            breaks += len(result.breaks)
            if result.error:
                tqdm.write(f"ogi-extract: {result.file}: {result.error.reason}"
                           + (f" ({result.error.detail})" if result.error.detail else ""), file=sys.stderr)
        writer.close()
    print(f"ogi-extract: {len(files)} file(s), {failed} failed, {breaks} relation break(s) flagged"
          + (f"; results in {args.output}" if args.output else ""), file=sys.stderr)
    return 1 if files and failed == len(files) else 0


def _delegate(module: str):
    def run(args: argparse.Namespace) -> int:
        import importlib

        return importlib.import_module(module).main(args.rest) or 0

    run.delegates = True
    return run


TRAINERS = {"labels": "ogi_extract.training.train_labels", "layout": "ogi_extract.training.train_layout"}  # `ogi-extract train KIND ...`


def _train(args: argparse.Namespace) -> int:
    """`train KIND [options]`: the trainer module of that kind parses the rest."""
    import importlib

    if not args.rest or args.rest[0] not in TRAINERS:
        sys.exit(f"ogi-extract train: name what to train: {' | '.join(TRAINERS)}")
    return importlib.import_module(TRAINERS[args.rest[0]]).main(args.rest[1:]) or 0


_train.delegates = True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi-extract", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="extract metrics from report PDFs or page images")
    p.add_argument("files", nargs="+", help="PDF / PNG / JPEG / TIFF files, or folders of them")
    p.add_argument("-o", "--output", help="write results here (default: JSONL on stdout)")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet", "text"],
                   help="default: from -o's suffix, else jsonl; text is a readable summary")
    p.add_argument("--engine", choices=["rapidocr", "paddleocr"], help="OCR engine for pages without a text layer")
    p.add_argument("--dpi", type=int)
    p.add_argument("--workers", type=int, help="files in parallel (one process each)")
    p.add_argument("--timeout", type=float, help="seconds per file")
    p.add_argument("--no-text-layer", action="store_true", help="OCR every page, even with a text layer")
    p.add_argument("--labels-model", type=Path, help="a label-classifier folder (default: the shipped one)")
    p.add_argument("--resume", action="store_true", help="skip files already in -o FILE.jsonl and append")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_predict)
    for name, module, text in [
        ("evaluate", "ogi_extract.training.evaluate", "score extraction against a labeled benchmark"),
        ("synth", "ogi_extract.training.synth.generate", "generate labeled synthetic reports"),
        ("benchmark", "ogi_extract.training.benchmark", "build the benchmark dataset"),
        ("train-labels", "ogi_extract.training.train_labels", "train the row-label classifier (= train labels)"),
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
