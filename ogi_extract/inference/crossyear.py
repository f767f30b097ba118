"""Cross-year checks between reports of one agency: warnings naming both files, never a change.

Year N's 结转下年度继续办理 (applications.carried_forward.*) is year N+1's 上年结转
(applications.carried_over.*), and year N+1's 现行有效件数 (art20.*.in_force) is year N's plus
N+1's 本年制发 minus its 本年废止. Agencies revise their books, so a mismatch is reported, not
forced; a missing value is skipped.

    ogi-extract check results.jsonl [more.jsonl ...]     (also run at the end of one `predict`)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

_APPLICANTS = ("natural_person", "enterprise", "research_institution", "social_org", "legal_service", "other_org", "total")
_ART20 = ("rules", "normative")


@dataclass(frozen=True)
class Report:
    file: str
    agency: str
    year: int
    metrics: dict[str, float | int | None]


def agency_key(name: str) -> str:
    """Agency names as printed vary by spaces and brackets."""
    return re.sub(r"[\s（）()]", "", name)


def read_jsonl(path: Path) -> list[Report]:
    """The reports of a predict JSONL that name an agency and a year."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise InputError(str(path), f"line {n} is not JSON") from None
        if isinstance(rec, dict) and rec.get("agency") and isinstance(rec.get("year"), int):
            out.append(Report(str(rec.get("file")), rec["agency"], rec["year"], rec.get("metrics") or {}))
    return out


def _pair(a: Report, b: Report) -> list[str]:
    """Warnings between year N (a) and year N + 1 (b) of one agency."""
    warnings = []
    for col in _APPLICANTS:
        fwd, over = a.metrics.get(f"applications.carried_forward.{col}"), b.metrics.get(f"applications.carried_over.{col}")
        if fwd is not None and over is not None and fwd != over:
            warnings.append(f"{a.agency}: carried forward {col} {fwd} in {a.year} ({a.file}) but carried over "
                            f"{over} in {b.year} ({b.file})")
    for item in _ART20:
        before, now = a.metrics.get(f"art20.{item}.in_force"), b.metrics.get(f"art20.{item}.in_force")
        issued, repealed = b.metrics.get(f"art20.{item}.issued"), b.metrics.get(f"art20.{item}.repealed")
        if None in (before, now, issued, repealed):
            continue
        expected = before + issued - repealed  # type: ignore[operator]
        if expected != now:
            warnings.append(f"{a.agency}: {item} in force {before} in {a.year} ({a.file}) + {issued} issued - "
                            f"{repealed} repealed in {b.year} = {expected}, but {b.year} ({b.file}) prints {now}")
    return warnings


def cross_year_warnings(reports: list[Report]) -> list[str]:
    """Every consecutive-year pair of every agency, compared."""
    by_agency: dict[str, dict[int, Report]] = defaultdict(dict)
    for r in reports:
        by_agency[agency_key(r.agency)][r.year] = r
    warnings = []
    for years in by_agency.values():
        for year in sorted(years):
            if year + 1 in years:
                warnings += _pair(years[year], years[year + 1])
    return warnings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ogi-extract check", description="cross-year checks of predict results")
    ap.add_argument("results", nargs="+", type=Path, help="JSONL files written by ogi-extract predict")
    args = ap.parse_args(argv)
    try:
        reports = [r for p in args.results for r in read_jsonl(p)]
    except InputError as error:
        sys.exit(f"ogi-extract check: {error}")
    warnings = cross_year_warnings(reports)
    for w in warnings:
        print(w)
    print(f"ogi-extract check: {len(reports)} report(s), {len(warnings)} cross-year warning(s)", file=sys.stderr)
    return 0
