"""The bad-input table: every kind of `make_bad_inputs` in one `predict` batch beside a good report.

Prints, per input kind, the error type (or "read"), whether the good report's metrics survived,
and the batch's exit status, as markdown (the README's table).

Run: `.venv/bin/python benchmarks/bad_inputs.py`
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from ogi_extract.training.bad_inputs import make_bad_inputs

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "data" / "digital" / "004_07cc7924a28de747.pdf"
NO_RESULT = {"folder": "its files are listed instead",
             "unreadable path": "readable to root (as here): a copy of the good report, read once"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kinds = make_bad_inputs(Path(tmp) / "bad", GOOD)
        listing = Path(tmp) / "list.txt"
        listing.write_text("\n".join([*kinds, str(GOOD)]) + "\n", encoding="utf-8")
        out = Path(tmp) / "r.jsonl"
        run = subprocess.run([sys.executable, "-m", "ogi_extract.cli", "predict", f"@{listing}", "-o", str(out), "-q",
                              "--workers", "2", "--timeout", "120"], capture_output=True, text=True)
        records = {r["file"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    print("| input | result | detail |\n|---|---|---|")
    for path, kind in kinds.items():
        record = records.get(path)
        if record is None:
            print(f"| {kind} | no result of its own | {NO_RESULT.get(kind, 'a same-content copy is read once')} |")
            continue
        error = record["details"]["error"]
        warnings = "; ".join(record["details"]["warnings"])[:90]
        result = f"`{error['type']}`" if error else f"read ({len(record['metrics'])} metrics)"
        detail = (error["detail"] if error else warnings)[:90].replace("|", "/").replace(tmp, "…")
        print(f"| {kind} | {result} | {detail} |")
    intact = sum(r["metrics"].get("proactive.total") == 4047 for r in records.values())
    print(f"\nthe good report and its repaired corrupt-xref twin: {intact} results with its metrics; "
          f"exit status {run.returncode}; traceback on stderr: {'Traceback' in run.stderr}; "
          f"last stderr line: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ''}")


if __name__ == "__main__":
    main()
