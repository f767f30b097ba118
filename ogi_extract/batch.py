"""`ogi-extract predict`: many files through worker processes into one streamed output.

Exit status (also in `EXIT`): 0 every file read; 3 some files failed (the others are written);
4 no file could be read; 2 a usage error (bad option, nothing to read, unusable model), printed
as one line before any work starts. The closing summary counts each error type.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .errors import OgiError
from .inputs import Earlier, UsageError, content_hash, expand, read_earlier
from .remote import staged_output

EXIT = {"ok": 0, "usage": 2, "some_failed": 3, "none_read": 4}
FLAGS = {"dpi": "--dpi", "workers": "--workers", "timeout_s": "--timeout", "ocr_engine": "--engine",
         "labels_model": "--labels-model", "max_pages": "--max-pages", "max_memory_mb": "--max-memory-mb"}


def settings_from(args: argparse.Namespace):
    """Settings from the flags (over OGI_* variables); a bad value is one UsageError line."""
    from pydantic import ValidationError

    from .settings import Settings

    overrides = {k: v for k, v in {
        "ocr_engine": args.engine, "dpi": args.dpi, "workers": args.workers, "timeout_s": args.timeout,
        "use_text_layer": False if args.no_text_layer else None, "labels_model": args.labels_model,
        "max_pages": getattr(args, "max_pages", None), "max_memory_mb": getattr(args, "max_memory_mb", None),
    }.items() if v is not None}
    try:
        return Settings(**overrides)
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else ""
        raise UsageError(f"{FLAGS.get(name, 'OGI_' + name.upper())}: {err['msg']}"
                         + (f" (got {err['input']!r})" if "input" in err else "")) from None


def output_format(args: argparse.Namespace) -> str:
    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "jsonl")
    fmt = {"json": "jsonl", "txt": "text", "pq": "parquet"}.get(fmt, fmt)
    fmt = fmt if fmt in ("jsonl", "csv", "parquet", "text") else "jsonl"
    if args.output:
        out = Path(args.output)
        if out.is_dir():
            raise UsageError(f"-o {args.output}: is a folder; name a file")
        if not out.parent.is_dir():
            raise UsageError(f"-o {args.output}: folder {out.parent} does not exist")
    elif fmt == "parquet":
        raise UsageError("parquet needs -o FILE")
    if args.resume and (fmt != "jsonl" or not args.output):
        raise UsageError("--resume needs -o FILE.jsonl")
    return fmt


def executor(args: argparse.Namespace):
    """`predict_each` or its Ray Data twin: (sources, settings) -> (source, Result) as files finish."""
    from .inference.pipeline import predict_each

    if getattr(args, "executor", "local") != "ray":
        if getattr(args, "ray_address", None):
            raise UsageError("--ray-address needs --executor ray")
        return predict_each
    try:
        import ray.data  # noqa: F401

        from .batch_ray import connect, ray_each
    except ImportError as e:
        raise UsageError(f"--executor ray needs Ray Data: pip install 'ogi-extract[ray]' ({e})") from None
    try:
        started = connect(getattr(args, "ray_address", None))  # before any output is opened
    except ConnectionError as e:
        raise UsageError(f"{e}") from None
    return lambda sources, settings: ray_each(sources, settings, shutdown=started)


def run(args: argparse.Namespace, suffixes: set[str]) -> int:
    try:
        with staged_output(args):  # an -o URL: written locally, copied up at the end
            return _run(args, suffixes)
    except UsageError as e:
        print(f"ogi-extract: {e}", file=sys.stderr)
        return EXIT["usage"]


def _run(args: argparse.Namespace, suffixes: set[str]) -> int:
    from tqdm import tqdm

    from .inference.crossyear import Report, cross_year_warnings
    from .inference.pipeline import check_models, error_result
    from .output import ResultWriter
    from .review import ReviewWriter

    settings = settings_from(args)
    fmt = output_format(args)
    try:
        check_models(settings)
    except OgiError as e:
        raise UsageError(f"{e}") from None
    each = executor(args)
    earlier = read_earlier(Path(args.output)) if args.resume else Earlier()
    if args.resume and (earlier.torn or earlier.retry or earlier.unusable):
        print(f"ogi-extract: --resume: {len(earlier.done)} done, {earlier.retry} transient failure(s) to redo, "
              f"{earlier.unusable} unusable line(s) ignored" + (", a torn last line redone" if earlier.torn else ""),
              file=sys.stderr)
    names = iter(expand(args.files, suffixes))
    first = next(names, None)
    if first is None:
        raise UsageError(f"nothing to read in {' '.join(args.files)}")
    count: Counter[str] = Counter()
    failed_early: list = []
    hashes: dict[str, str] = {}
    seen: set[str] = set()

    def jobs():
        """Distinct files to schedule; a file that cannot even be hashed is failed here, in the parent."""
        import itertools

        for name in itertools.chain([first], names):
            if name in earlier.done:  # a line without a hash: a file that failed before it could be read
                count["already done"] += 1
                continue
            try:
                digest = content_hash(name, settings.max_file_mb)
            except OgiError as e:
                failed_early.append((name, error_result(name, e)))
                continue
            if digest in earlier.done:
                count["already done"] += 1
            elif digest in seen:
                count["duplicate"] += 1
            else:
                seen.add(digest)
                hashes[name] = digest
                yield name

    errors: Counter[str] = Counter()
    breaks = 0
    bar = tqdm(unit="file", disable=args.quiet or None, file=sys.stderr)
    by_year: list[Report] = []
    review = ReviewWriter(args.review, settings) if getattr(args, "review", None) else None
    with ResultWriter(Path(args.output) if args.output else None, fmt, append=args.resume) as writer:

        def record(name: str, result) -> None:
            nonlocal breaks
            writer.write(result, hashes.get(name))
            if review:
                review.add(result)
            if result.agency and result.year:  # several years of one agency: compared at the end
                by_year.append(Report(result.file, result.agency, result.year, result.values))
            bar.update()
            count["read" if result.error is None else "failed"] += 1
            breaks += len(result.breaks)
            if result.error:
                errors[result.error.type] += 1
                tqdm.write(f"ogi-extract: {result.file}: {result.error.type}: {result.error.reason}"
                           + (f" ({result.error.detail})" if result.error.detail else ""), file=sys.stderr)

        for name, result in each(jobs(), settings):
            while failed_early:
                record(*failed_early.pop(0))
            record(str(name), result)
        while failed_early:
            record(*failed_early.pop(0))
    bar.close()
    for warning in cross_year_warnings(by_year):
        print(f"ogi-extract: cross-year: {warning}", file=sys.stderr)
    if review:
        print(f"ogi-extract: review pages in {review.close()}", file=sys.stderr)
    read, failed = count["read"], count["failed"]
    kinds = ", ".join(f"{k} {n}" for k, n in errors.most_common())
    skipped = "".join(f", {count[k]} {k}" for k in ("duplicate", "already done") if count[k])
    print(f"ogi-extract: {read + failed} file(s): {read} read, {failed} failed" + (f" ({kinds})" if kinds else "")
          + skipped + f"; {breaks} relation break(s) flagged" + (f"; results in {getattr(args, 'output_url', None) or args.output}" if args.output else ""),
          file=sys.stderr)
    if failed and not read:
        return EXIT["none_read"]
    return EXIT["some_failed"] if failed else EXIT["ok"]
