"""Cross-year checks over predict results: carried-forward vs next year's carried-over, 现行有效件数 continuity."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ogi_extract.errors import InputError
from ogi_extract.inference.crossyear import read_jsonl


def _line(file: str, agency: str, year: int, metrics: dict) -> str:
    return json.dumps({"file": file, "agency": agency, "year": year, "format": "ogi2021", "metrics": metrics},
                      ensure_ascii=False)


def _check(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ogi_extract.cli", "check", str(path)], capture_output=True, text=True,
                          check=True)


def test_warnings_name_both_files(tmp_path):
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join([
        _line("a/2022.pdf", "某市 人民政府", 2022, {"applications.carried_forward.total": 5, "art20.normative.in_force": 40}),
        _line("b/2023.pdf", "某市人民政府", 2023, {"applications.carried_over.total": 3, "art20.normative.in_force": 44,
                                             "art20.normative.issued": 6, "art20.normative.repealed": 2}),
        _line("c/2023.pdf", "另一个局", 2023, {"applications.carried_over.total": 9}),
    ]) + "\n", encoding="utf-8")
    out = _check(results)
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, lines  # in-force 40 + 6 - 2 = 44 holds; the other agency has no 2022
    assert "a/2022.pdf" in lines[0] and "b/2023.pdf" in lines[0] and " 5 " in lines[0] and " 3 " in lines[0]
    assert "3 report(s), 1 cross-year warning(s)" in out.stderr


def test_in_force_continuity(tmp_path):
    results = tmp_path / "r.jsonl"
    results.write_text(_line("x.pdf", "局", 2021, {"art20.rules.in_force": 10}) + "\n"
                       + _line("y.pdf", "局", 2022, {"art20.rules.in_force": 10, "art20.rules.issued": 2,
                                                     "art20.rules.repealed": 0}) + "\n", encoding="utf-8")
    lines = _check(results).stdout.strip().splitlines()
    assert len(lines) == 1 and "x.pdf" in lines[0] and "y.pdf" in lines[0] and "= 12" in lines[0]


def test_a_broken_results_file_is_a_typed_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"file": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_jsonl(bad)
