"""Result writers: JSONL is the primary output (one line per input file); CSV and parquet are long views of it."""

from __future__ import annotations

import csv
import json
from contextlib import nullcontext
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .inference.result import Result

LONG_COLUMNS = ["file", "agency", "year", "format", "metric", "value", "raw", "confidence", "page", "source"]


def long_rows(result: Result) -> Iterator[dict]:
    for mid, m in result.metrics.items():
        yield {"file": result.file, "agency": result.agency, "year": result.year, "format": result.format,
               "metric": mid, "value": m.value, "raw": m.raw, "confidence": m.confidence, "page": m.page,
               "source": m.source}


class ResultWriter:
    """Streams results to `path` (or a text stream) in jsonl, csv or parquet."""

    def __init__(self, stream: IO[str] | None, fmt: str = "jsonl", path: Path | None = None):
        self.fmt, self.path, self.stream = fmt, path, stream
        self._rows: list[dict] = []
        self._csv = csv.DictWriter(stream, LONG_COLUMNS) if fmt == "csv" and stream else None
        if self._csv:
            self._csv.writeheader()

    def write(self, result: Result) -> None:
        if self.fmt == "text":
            self.stream.write(summary(result) + "\n")
        elif self.fmt == "jsonl":
            self.stream.write(json.dumps(result.to_record(), ensure_ascii=False) + "\n")
            self.stream.flush()
        elif self.fmt == "csv":
            self._csv.writerows(long_rows(result))
        else:
            self._rows.extend(long_rows(result))

    def close(self) -> None:
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            columns = {c: [r[c] for r in self._rows] for c in LONG_COLUMNS}
            columns["value"] = [None if v is None else float(v) for v in columns["value"]]
            pq.write_table(pa.table(columns), self.path)


def write_all(results: Iterable[Result], path: Path, fmt: str = "jsonl") -> None:
    with open(path, "w", encoding="utf-8", newline="") if fmt != "parquet" else nullcontext() as stream:
        writer = ResultWriter(stream, fmt, path)
        for r in results:
            writer.write(r)
        writer.close()



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
