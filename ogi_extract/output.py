"""Result writers: JSONL is the primary output (one line per input file); CSV and parquet are long views of it.

Every format is streamed: a result is on disk as soon as its file finishes. A JSONL line is one
`write()` to a file opened for appending (atomic: a killed run never leaves half a line among
whole ones). CSV and parquet have one fixed schema, a row for every file (a failed file or one
without metrics gets a row with `metric` null and `error` set). File names that are not valid
UTF-8 (POSIX bytes, held by Python as lone surrogates) are written as `\\udcXX` escapes: in JSONL
as JSON escapes, so `os.fsencode(json.loads(line)["file"])` gives back the raw bytes; in CSV and
parquet as the six characters `\\udcXX` (valid UTF-8 text; the JSONL line is the lossless record).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .inference.result import Result

LONG_COLUMNS = ["file", "agency", "year", "format", "metric", "value", "raw", "confidence", "page", "source",
                "error", "sha256"]
FORMATS = ("jsonl", "csv", "parquet", "text")


def escaped(text: str) -> str:
    """`text` with lone surrogates (undecodable file-name bytes) as `\\udcXX`: valid UTF-8, reversible."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _finite(value: Any) -> Any:
    """NaN and infinities become None (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def json_line(record: dict) -> bytes:
    """One JSONL line as UTF-8 bytes; strict JSON (no NaN/Infinity), surrogates escaped."""
    try:
        text = json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(record), ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8", "backslashreplace")


def error_text(result: Result) -> str | None:
    e = result.error
    return None if e is None else f"{e.type}: {e.reason}" + (f" ({e.detail})" if e.detail else "")


def long_rows(result: Result, sha256: str | None = None) -> Iterator[dict]:
    """One row per metric; one row with `metric` None for a file that failed or gave no metrics."""
    base = {"file": escaped(result.file), "agency": result.agency, "year": result.year, "format": result.format,
            "error": error_text(result), "sha256": sha256}
    empty = {"metric": None, "value": None, "raw": None, "confidence": None, "page": None, "source": None}
    if not result.metrics:
        yield base | empty
    for mid, m in result.metrics.items():
        value = None if isinstance(m.value, float) and not math.isfinite(m.value) else m.value
        yield base | {"metric": mid, "value": value, "raw": m.raw, "confidence": m.confidence, "page": m.page,
                      "source": m.source}


def parquet_schema():
    import pyarrow as pa

    types = {"year": pa.int32(), "value": pa.float64(), "confidence": pa.float64(), "page": pa.int32()}
    return pa.schema([(c, types.get(c, pa.string())) for c in LONG_COLUMNS])


class ResultWriter:
    """Streams results to `path` (appending when `append`), or to stdout when `path` is None."""

    def __init__(self, path: Path | None, fmt: str = "jsonl", append: bool = False, rows_per_group: int = 2000):
        self.fmt, self.path = fmt, path
        self._fd: int | None = None
        self._text: IO[str] | None = None
        self._parquet = None
        self._rows: list[dict] = []
        self.rows_per_group = rows_per_group
        if fmt == "parquet":
            import pyarrow.parquet as pq

            assert path is not None, "parquet needs a file"
            self._parquet = pq.ParquetWriter(path, parquet_schema())
        elif fmt == "jsonl":
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC), 0o644) \
                if path else None
        else:
            self._text = open(path, "a" if append else "w", encoding="utf-8", errors="backslashreplace", newline="") \
                if path else None
            if fmt == "csv":
                self._csv = csv.DictWriter(self._out, LONG_COLUMNS)
                if not append or self._out.tell() == 0:
                    self._csv.writeheader()

    def write(self, result: Result, sha256: str | None = None) -> None:
        if self.fmt == "jsonl":
            record = result.to_record()  # lone surrogates become JSON `\udcXX` escapes in json_line
            if sha256:
                record["sha256"] = sha256
            if self._fd is not None:
                _write_all(self._fd, json_line(record))
            else:
                sys.stdout.write(json_line(record).decode("utf-8"))
                sys.stdout.flush()
        elif self.fmt == "text":
            self._out.write(escaped(summary(result)) + "\n")
            self._out.flush()
        elif self.fmt == "csv":
            self._csv.writerows(long_rows(result, sha256))
            self._out.flush()
        else:
            self._rows.extend(long_rows(result, sha256))
            if len(self._rows) >= self.rows_per_group:
                self._flush_parquet()

    @property
    def _out(self) -> IO[str]:
        return self._text if self._text is not None else sys.stdout

    def _flush_parquet(self) -> None:
        import pyarrow as pa

        if self._rows and self._parquet is not None:
            self._parquet.write_table(pa.Table.from_pylist(self._rows, schema=parquet_schema()))
            self._rows = []

    def close(self) -> None:
        if self._parquet is not None:
            self._flush_parquet()
            self._parquet.close()
        if self._fd is not None:
            os.close(self._fd)
        if self._text is not None:
            self._text.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_all(results: Iterable[Result], path: Path, fmt: str = "jsonl") -> None:
    with ResultWriter(path, fmt) as writer:
        for r in results:
            writer.write(r)


def summary(result: Result) -> str:
    """A person's view of one result: fields, every metric with its confidence, breaks, warnings."""
    if result.error:
        return f"{result.file}: {result.error.reason} {result.error.detail}".rstrip()
    lines = [f"{result.file}: {result.agency} {result.year} {result.format}, {len(result.metrics)} metrics "
             f"from {result.pages} page(s) in {result.timings.get('total', 0):.1f} s"]
    width = max((len(k) for k in result.metrics), default=0)
    for mid, m in result.metrics.items():
        value = "(empty)" if m.value is None else m.value
        lines.append(f"  {mid:<{width}}  {value!s:>12}  p{m.page}  {m.confidence:.2f}  {m.label}")
    lines += [f"  unmapped: {u.label} {u.values}" for u in result.unmapped]
    lines += [f"  BREAK: {r.relation}  ({r.lhs} vs {r.rhs})" for r in result.breaks]
    lines += [f"  warning: {w}" for w in result.warnings if not w.startswith("relation breaks")]
    return "\n".join(lines)
