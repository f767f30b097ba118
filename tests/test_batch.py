"""`ogi-extract predict` over many files: exit codes, usage errors, streaming, resume, names, models."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA

from ogi_extract import predict
from ogi_extract.batch import EXIT
from ogi_extract.cli import main as cli
from ogi_extract.errors import ExtractionTimeout
from ogi_extract.inference.pipeline import predict_each
from ogi_extract.settings import Settings

GOOD = DATA / "digital" / "004_07cc7924a28de747.pdf"
OTHER = DATA / "digital" / "000_9883ccc3c4a509fd.pdf"
SCANNED = DATA / "scanned" / "004_07cc7924a28de747.pdf"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]


def test_exit_status_says_whether_all_some_or_none_were_read(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(GOOD.read_bytes()[:2000])
    out = tmp_path / "r.jsonl"
    assert cli(["predict", str(GOOD), "-o", str(out), "-q"]) == EXIT["ok"] == 0
    assert cli(["predict", str(GOOD), str(bad), "-o", str(out), "-q"]) == EXIT["some_failed"]
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "1 read, 1 failed (CorruptFileError 1)" in summary
    assert {r["file"] for r in _lines(out)} == {str(GOOD), str(bad)}  # the good file is written all the same
    assert cli(["predict", str(bad), "-o", str(out), "-q"]) == EXIT["none_read"]


@pytest.mark.parametrize("argv", [
    ["-o", "{tmp}/missing/r.jsonl"], ["-o", "{tmp}"], ["--dpi", "10"], ["--workers", "-1"], ["--timeout", "-5"],
    ["--timeout", "nan"], ["--timeout", "inf"], ["--labels-model", "{tmp}"], ["--format", "parquet"],
    ["--resume"],
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, capsys, argv):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert cli(["predict", str(GOOD), "-q", *argv]) == EXIT["usage"]
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("ogi-extract: ") and "Traceback" not in err


def test_nothing_to_read_is_a_usage_error(tmp_path, capsys):
    assert cli(["predict", str(tmp_path), "-q"]) == EXIT["usage"]
    assert "nothing to read" in capsys.readouterr().err


def test_broken_model_stops_before_any_worker_and_writes_nothing(tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(Path(__file__).parents[1] / "ogi_extract" / "models" / "labels" / "default", model)
    (model / "config.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    assert cli(["predict", str(GOOD), "-o", str(out), "--labels-model", str(model), "-q"]) == EXIT["usage"]
    assert not out.exists() and "Traceback" not in capsys.readouterr().err


def test_resume_matches_content_redoes_transient_and_torn_lines(tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    renamed = tmp_path / "same-content.pdf"
    shutil.copy(GOOD, renamed)
    assert cli(["predict", str(GOOD), "-o", str(out), "-q"]) == 0
    timed_out = {"file": str(OTHER), "details": {"error": {"type": "ExtractionTimeout", "reason": "timed out"}}}
    with open(out, "a", encoding="utf-8") as f:
        f.write('[1, 2]\n"text"\n' + json.dumps(timed_out) + '\n{"file": "cut sh')
    assert cli(["predict", str(renamed), str(OTHER), "-o", str(out), "-q", "--resume"]) == 0
    assert "2 unusable line(s) ignored" in capsys.readouterr().err
    records = [r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if isinstance(r, dict)]
    assert [r["file"] for r in records] == [str(GOOD), str(OTHER)]  # renamed copy skipped by hash; timeout redone
    assert records[1]["details"]["error"] is None and records[1]["sha256"]


def test_duplicates_by_content_are_read_once_from_globs_and_lists(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    for name in ("a/x.pdf", "a/y.pdf"):
        shutil.copy(GOOD, tmp_path / name)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{OTHER}\n# a comment\n\n{tmp_path / 'a' / 'x.pdf'}\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    assert cli(["predict", str(tmp_path / "**" / "*.pdf"), f"@{listing}", "-o", str(out), "-q"]) == 0
    assert "2 read, 0 failed, 2 duplicate" in capsys.readouterr().err


def test_names_on_stdin():
    run = subprocess.run([sys.executable, "-m", "ogi_extract.cli", "predict", "-", "-q"], input=f"{GOOD}\n".encode(),
                         capture_output=True, env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])})
    assert run.returncode == 0 and json.loads(run.stdout)["file"] == str(GOOD)


def test_undecodable_file_name_is_written_losslessly_in_every_format(tmp_path):
    raw = os.fsencode(tmp_path) + "/年报".encode() + b"\xff.pdf"  # not UTF-8
    with open(raw, "wb") as f:
        f.write(GOOD.read_bytes())
    name = os.fsdecode(raw)
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"r.{fmt}"
        assert cli(["predict", name, str(OTHER), "-o", str(out), "-q"]) == 0
    files = [r["file"] for r in _lines(tmp_path / "r.jsonl")]
    assert raw in [os.fsencode(f) for f in files]
    import pyarrow.parquet as pq

    assert "\\udcff" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert any("\\udcff" in f for f in pq.read_table(tmp_path / "r.parquet")["file"].to_pylist())


def test_failed_files_have_rows_in_one_fixed_schema(tmp_path):
    import pyarrow.parquet as pq

    from ogi_extract.output import parquet_schema

    bad = tmp_path / "bad.pdf"
    bad.write_text("not a report", encoding="utf-8")
    assert cli(["predict", str(bad), "-o", str(tmp_path / "r.parquet"), "-q"]) == EXIT["none_read"]
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.schema.equals(parquet_schema()) and table["error"].to_pylist()[0].startswith("NotAPdfError")
    assert cli(["predict", str(bad), str(GOOD), "-o", str(tmp_path / "r.csv"), "-q"]) == EXIT["some_failed"]
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith(",error,sha256") and "NotAPdfError" in text and "proactive.total,4047" in text


def test_results_come_as_files_finish_not_in_input_order(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a report", encoding="utf-8")
    order = [str(s) for s, _ in predict_each([str(SCANNED), str(bad)], Settings(workers=2))]
    assert order == [str(bad), str(SCANNED)]


def test_a_killed_worker_is_typed_and_replaced(tmp_path):
    import psutil

    results: list = []
    runner = threading.Thread(target=lambda: results.extend(
        r for _, r in predict_each([str(SCANNED), str(GOOD)], Settings(workers=1))))
    runner.start()
    me, deadline = psutil.Process(), time.time() + 60
    while time.time() < deadline and not results:
        workers = [c for c in me.children(recursive=True) if c.ppid() != me.pid]  # forked by the fork server
        busy = [c for c in workers if c.cpu_times().user > 2.5]  # model loaded, reading the scanned file
        if busy:
            os.kill(busy[0].pid, signal.SIGKILL)
            break
        time.sleep(0.2)
    runner.join(120)
    by_file = {r.file: r for r in results}
    assert by_file[str(SCANNED)].error.type == "WorkerDiedError" and "signal 9" in by_file[str(SCANNED)].error.detail
    assert by_file[str(GOOD)].error is None  # the replacement worker read the next file


def test_memory_limit_ends_the_worker_with_its_own_error(tmp_path):
    from PIL import Image

    big = tmp_path / "big.png"  # 168 MP: about 1 GB once decoded and copied to RGB arrays
    Image.new("L", (14000, 12000), 255).save(big)
    settings = Settings(max_memory_mb=900, max_page_pixels=200_000_000, workers=1)
    results = {s: r for s, r in predict_each([str(big), str(GOOD)], settings)}
    assert results[str(big)].error.type == "MemoryLimitError"
    assert results[str(GOOD)].error is None  # the next file runs in a fresh worker


def test_python_predict_honours_the_timeout():
    with pytest.raises(ExtractionTimeout):
        predict(SCANNED, timeout_s=0.3)


def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(tmp_path):
    files = [str(p) for p in sorted((DATA / "digital").glob("*.pdf"))]
    out = tmp_path / "r.jsonl"
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])}
    argv = [sys.executable, "-m", "ogi_extract.cli", "predict", *files, "-o", str(out), "-q"]
    run = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and out.read_bytes().count(b"\n") >= 1):
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)  # the CLI and its workers, mid-run
    run.wait()
    written = out.read_bytes().count(b"\n")
    assert 1 <= written < len(files)
    assert subprocess.run([*argv, "--resume"], env=env, capture_output=True).returncode == 0
    names = [r["file"] for r in _lines(out)]
    assert sorted(names) == sorted(files)  # each file exactly once


def test_workers_default_to_one_per_core_and_share_the_cores():
    from ogi_extract.models.ocr.base import cpu_threads
    from ogi_extract.settings import cores

    auto = Settings()
    assert auto.workers == 0 and 1 <= auto.pool_size() <= cores()
    assert cpu_threads(auto) == cores()  # in-process `predict`: every core for its models
    assert cpu_threads(auto.worker_settings(auto.pool_size())) == max(1, cores() // auto.pool_size())
    assert cpu_threads(Settings(workers=3, threads=2).worker_settings(3)) == 2  # asked for: kept
    assert Settings(workers=5).pool_size() == 5


def test_a_worker_keeps_opencv_and_the_layout_model_to_its_share_of_the_cores():
    """Not only OCR: each worker's OpenCV and layout model had taken every core, so two workers on two
    cores ran four threads (2-3% more pages/s on the seeds once divided)."""
    import cv2
    from pebble import ProcessPool

    from ogi_extract.inference.pipeline import _init_worker, _worker_context
    from ogi_extract.inference.tables import TableBuilder

    one = Settings(threads=1)
    with ProcessPool(max_workers=1, initializer=_init_worker, initargs=(one,), context=_worker_context()) as pool:
        assert pool.schedule(cv2.getNumThreads).result(timeout=120) == 1
    model = TableBuilder(one, learned=True).model
    assert model is not None and model.session.get_session_options().intra_op_num_threads == 1
