"""`predict --executor ray` (a local Ray instance) gives what the local executor gives; URL inputs and outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import fsspec
from conftest import DATA

from ogi_extract.batch import EXIT
from ogi_extract.cli import main as cli

REPORTS = [DATA / "digital" / "000_9883ccc3c4a509fd.pdf", DATA / "real" / "hongze_qzf_2023.pdf"]


def _by_name(text: str) -> dict[str, dict]:
    lines = [json.loads(line) for line in text.splitlines()]
    return {Path(r["file"]).name: r for r in lines}


def _batch(folder: Path) -> Path:
    folder.mkdir()
    for report in REPORTS:
        shutil.copy(report, folder)
    (folder / "bad.pdf").write_bytes(b"%PDF-1.7\n" + b"cut short")
    return folder


def test_ray_executor_gives_the_local_results_with_urls_in_and_out(tmp_path, capsys):
    inputs = _batch(tmp_path / "in")
    local, remote = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert cli(["predict", str(inputs), "-o", str(local), "-q"]) == EXIT["some_failed"]
    # inputs and output as file:// URLs go through fsspec (object stores the same way: s3://, gs://)
    argv = ["predict", inputs.as_uri(), "-o", remote.as_uri(), "--executor", "ray", "--workers", "2", "-q"]
    assert cli(argv) == EXIT["some_failed"]
    err = capsys.readouterr().err
    assert "2 read, 1 failed (CorruptFileError 1)" in err.splitlines()[-1]
    assert "Traceback" not in err

    ours, theirs = _by_name(local.read_text()), _by_name(remote.read_text())
    assert set(theirs) == {"000_9883ccc3c4a509fd.pdf", "hongze_qzf_2023.pdf", "bad.pdf"} == set(ours)
    assert theirs["hongze_qzf_2023.pdf"]["file"] == (inputs / "hongze_qzf_2023.pdf").as_uri()
    for name in ("000_9883ccc3c4a509fd.pdf", "hongze_qzf_2023.pdf"):
        assert len(theirs[name]["metrics"]) >= 12
        assert theirs[name]["metrics"] == ours[name]["metrics"]
        assert theirs[name]["sha256"] == ours[name]["sha256"]
        assert (theirs[name]["agency"], theirs[name]["year"]) == (ours[name]["agency"], ours[name]["year"])
    error = theirs["bad.pdf"]["details"]["error"]
    assert error == ours["bad.pdf"]["details"]["error"] and error["type"] == "CorruptFileError"

    # resume against the URL: every file's hash is there, nothing is redone
    assert cli(argv + ["--resume"]) == EXIT["ok"]
    assert "3 already done" in capsys.readouterr().err
    assert _by_name(remote.read_text()) == theirs


def test_url_glob_in_and_memory_url_out_with_the_local_executor(tmp_path, capsys):
    # (memory:// lives in one process: the local executor's workers, forked from a fork server, read
    # inputs from file:// here; the parent hashes names and writes the output, so memory:// works there)
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(REPORTS[0], inputs)
    (inputs / "empty.pdf").write_bytes(b"")
    (inputs / "notes.txt").write_text("no match for the glob")
    out = "memory://ogi/out/r.jsonl"
    assert cli(["predict", inputs.as_uri() + "/*.pdf", "-o", out, "-q"]) == EXIT["some_failed"]
    results = _by_name(fsspec.filesystem("memory").cat_file("/ogi/out/r.jsonl").decode())
    assert set(results) == {"000_9883ccc3c4a509fd.pdf", "empty.pdf"}
    assert results["000_9883ccc3c4a509fd.pdf"]["file"] == (inputs / "000_9883ccc3c4a509fd.pdf").as_uri()
    assert len(results["000_9883ccc3c4a509fd.pdf"]["metrics"]) >= 12
    assert results["empty.pdf"]["details"]["error"]["type"] == "EmptyFileError"
    assert cli(["predict", "memory://ogi/in/missing.pdf", "-q"]) == EXIT["none_read"]
    assert "MissingFileError" in capsys.readouterr().err


def test_ray_address_without_the_ray_executor_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    assert cli(["predict", str(REPORTS[0]), "-o", str(out), "--ray-address", "auto", "-q"]) == EXIT["usage"]
    assert capsys.readouterr().err.strip() == "ogi-extract: --ray-address needs --executor ray" and not out.exists()


def test_a_file_over_the_timeout_is_stopped_on_its_ray_actor(tmp_path, capsys):
    # Ray calls the actor in a thread, where no alarm reaches: the actor's own worker process is killed
    out = tmp_path / "r.jsonl"
    argv = ["predict", str(REPORTS[1]), "-o", str(out), "--executor", "ray", "--timeout", "0.05", "-q"]
    assert cli(argv) == EXIT["none_read"]
    (line,) = _by_name(out.read_text()).values()
    assert line["details"]["error"]["type"] == "ExtractionTimeout" and "worker ended" in line["details"]["error"]["detail"]
    assert "Traceback" not in capsys.readouterr().err


def test_a_ray_cluster_that_cannot_be_reached_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    argv = ["predict", str(REPORTS[0]), "-o", str(out), "--executor", "ray", "--ray-address", "127.0.0.1:1", "-q"]
    assert cli(argv) == EXIT["usage"]
    err = capsys.readouterr().err
    assert err.startswith("ogi-extract: --ray-address 127.0.0.1:1: nothing answers") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
