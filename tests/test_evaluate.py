"""Scoring, the benchmark dataset, evaluate's reports, and a real peer run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from ogi_extract.training import benchmark
from ogi_extract.training.evaluate import main
from ogi_extract.training.score import (
    CellDetection,
    DocumentExactMatch,
    FieldF1,
    ReportFields,
    Sample,
    Throughput,
    field_counts,
    metric_group,
    most_confused,
    same_value,
    score,
)

REAL = Path(__file__).parent / "data" / "real"
DOC = "hongze_qzf_2023"


def truth(doc: str = DOC) -> dict:
    return json.loads((REAL / "truth" / f"{doc}.json").read_text(encoding="utf-8"))


# --- scoring -------------------------------------------------------------------------------------

def test_values_match_exactly_and_null_is_not_zero():
    assert same_value(3, 3.0) and same_value(7730.28, 7730.28) and same_value(None, None)
    assert not same_value(None, 0) and not same_value(0, None) and not same_value(3, 3.01)


def test_field_counts_on_hand_made_cases():
    t = {"a": 1, "b": None, "c": 3, "d": 4}
    p = {"a": 1.0, "b": 0, "c": 3, "x": 5}  # a right (float), b wrong (0 for null), d missing, x extra
    c = field_counts(t, p)
    assert (c.tp, c.fp, c.fn) == (2, 2, 2)
    assert c.precision == pytest.approx(0.5) and c.recall == pytest.approx(0.5) and c.f1 == pytest.approx(0.5)
    assert field_counts({}, {}).f1 == 1.0
    assert field_counts({"a": 1}, {}).f1 == 0.0


def _sample(doc_id: str, t: dict, p: dict, **kw) -> Sample:
    return Sample(doc_id, t, p, **kw)


def test_evaluators_and_breakdowns():
    t = {"agency": "某市人民政府", "year": 2023, "format": "ogi2021",
         "metrics": {"art20.rules.issued": 1, "applications.new.total": 21, "review.upheld": 10}}
    perfect = _sample("a", t, dict(t, agency="某市 人民政府", seconds=2.0), degradation="clean", pages=4)
    swapped = _sample("b", t, {"agency": None, "year": 2023, "format": "ogi2021", "seconds": 2.0,
                              "metrics": {"art20.rules.issued": 1, "applications.carried_over.total": 21,
                                          "review.upheld": 10.0}}, degradation="heavy", pages=4)
    samples = [perfect, swapped]
    assert FieldF1()(samples)["f1"] == pytest.approx(2 * 5 / (2 * 5 + 1 + 1))
    assert FieldF1("applications")(samples)["f1"] == pytest.approx(0.5)
    assert DocumentExactMatch().primary(samples) == 0.5
    fields = ReportFields()(samples)
    assert fields["agency"] == 0.5 and fields["year"] == 1.0 and fields["accuracy"] == pytest.approx(2.5 / 3)
    assert Throughput().primary(samples) == pytest.approx(2.0)
    side_by_side = [_sample(s.doc_id, t, dict(s.prediction, workers=2), pages=4) for s in samples]
    assert Throughput().primary(side_by_side) == pytest.approx(4.0)  # two files at once: each 2 s took 1 s of the clock
    assert most_confused(samples) == [("applications.new.total", "applications.carried_over.total", 1)]
    card = score(samples)
    assert card.by_degradation["clean"]["f1"] == 1.0 and card.by_degradation["heavy"]["f1"] < 1.0
    assert set(card.by_group) == {"art20", "applications", "review_litigation"}
    assert metric_group("answers.refused.privacy", "ogi2008") == "ogi2008.answers"


def test_cell_detection_matches_boxes_one_to_one():
    cells = [{"page": 0, "box": [0, 0, 10, 10]}, {"page": 0, "box": [10, 0, 20, 10]}, {"page": 1, "box": [0, 0, 5, 5]}]
    pred = [{"page": 0, "box": [0, 0, 10, 11]}, {"page": 0, "box": [1, 0, 11, 10]}, {"page": 1, "box": [0, 0, 5, 5]}]
    s = _sample("a", {"metrics": {}, "cells": cells}, {"metrics": {}, "cells": pred})
    out = CellDetection()([s])
    assert (out["tp"], out["fp"], out["fn"]) == (2, 1, 1)
    half_res = _sample("b", {"metrics": {}, "cells": cells, "dpi": 100},
                       {"metrics": {}, "cells": [{"page": 1, "box": [0, 0, 2.5, 2.5]}], "dpi": 50})
    assert CellDetection()([half_res])["tp"] == 1


# --- the benchmark dataset -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """One real PDF kept digital and scanned as a fax, plus one generator-style document with cells."""
    root = tmp_path_factory.mktemp("bench")
    (root / "real" / "truth").mkdir(parents=True)
    shutil.copy(REAL / f"{DOC}.pdf", root / "real")
    shutil.copy(REAL / "truth" / f"{DOC}.json", root / "real" / "truth")
    (root / "synth").mkdir()
    shutil.copy(REAL / "huaian_szf_2024.pdf", root / "synth" / "gen_0001.pdf")
    cell = {"table": 0, "row": 0, "col": 0, "row_span": 1, "col_span": 1, "box": [100, 200, 300, 260],
            "text": "规章", "metric_id": None}
    doc = truth("huaian_szf_2024") | {"doc_id": "gen_0001", "kind": "digital", "degradation": "clean",
                                      "source": "synth", "pages": [{"index": 3, "width": 1654, "height": 2339,
                                                                    "dpi": 200, "words": [], "cells": [cell],
                                                                    "sections": []}]}
    (root / "synth" / "gen_0001.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    config = {"version": "t1", "dpi": 50, "frozen": ["test"],
              "splits": {"test": [{"source": "real", "dir": "real", "degradations": ["clean", "fax"]}],
                         "dev": [{"source": "synth", "dir": "synth"}, {"source": "seed", "dir": "absent"}]}}
    benchmark.build(config, root / "out", root=root)
    return root / "out"


def test_benchmark_builds_and_loads_back(tiny: Path):
    test = benchmark.load(tiny)  # default: the frozen split
    assert sorted(test["doc_id"]) == [DOC, f"{DOC}.fax"]
    fax = benchmark.load(tiny, "test:degradation=fax")[0]
    assert fax["kind"] == "scanned" and fax["n_pages"] == 5 == len(fax["pages"])
    assert fax["pages"][0].size == pytest.approx((413, 585), abs=2)  # A4 at 50 dpi
    assert json.loads(fax["metrics"]) == truth()["metrics"]
    assert len(pdfium.PdfDocument(fax["pdf"])) == 5  # the scanned copy is a real PDF predict can read
    gen = benchmark.load(tiny, "dev")[0]
    (cell,) = json.loads(gen["cells"])
    assert cell["page"] == 4 and cell["box"] == pytest.approx([25, 50, 75, 65])  # 1-based; rescaled 200 -> 50 dpi
    assert gen["agency"] == "淮安市人民政府" and gen["source"] == "synth"


def test_frozen_split_is_hashed_and_guarded(tiny: Path, tmp_path: Path):
    m = benchmark.manifest(tiny)
    assert m["version"] == "t1" and m["splits"]["test"]["frozen"] and not m["splits"]["dev"]["frozen"]
    assert benchmark.verify(tiny) == {"test": True}
    with pytest.raises(ValueError, match="frozen"):
        benchmark.assert_not_frozen([truth() | {"doc_id": "leak"}], tiny)
    other = truth()
    other["metrics"] = dict(other["metrics"], **{"review.total": 99})
    benchmark.assert_not_frozen([other], tiny)  # a different document passes


def test_frozen_split_holds_no_development_fixture():
    """The yardstick holds only documents nothing was developed on: no test fixture, only the reserved seed."""
    import yaml

    config = yaml.safe_load((Path(__file__).parents[1] / "configs" / "benchmark.yaml").read_text(encoding="utf-8"))
    frozen = [e for name in config["frozen"] for e in config["splits"][name]]
    assert frozen and not any(e["dir"].startswith("tests/") for e in frozen)
    assert all("--seed 9001" in e["command"] for e in frozen if e["source"] == "synth")
    assert any(e["dir"] == "tests/data/real" for e in config["splits"]["dev"])
    assert set(config["test_sha256"]) == set(config["frozen"])


# --- evaluate and its reports ----------------------------------------------------------------------

def test_evaluate_scores_predictions_and_writes_reports(tiny: Path, tmp_path: Path):
    t = truth()
    good = {"file": f"/x/{DOC}.pdf", "agency": t["agency"], "year": t["year"], "format": t["format"],
            "metrics": t["metrics"], "seconds": 1.0, "pages": 5}
    bad = dict(good, file=f"/x/{DOC}.fax.pdf", agency=None,
               metrics=dict(t["metrics"], **{"review.upheld": None}), seconds=5.0)
    preds = tmp_path / "ours.jsonl"
    preds.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad)), encoding="utf-8")
    peer = tmp_path / "peer.jsonl"
    peer.write_text(json.dumps(dict(good, metrics={}, seconds=20.0)), encoding="utf-8")
    out = tmp_path / "report"
    assert main(["--benchmark", str(tiny), "--predictions", str(preds), "--compare", f"peer={peer}",
                 "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    ours = report["systems"]["ogi-extract"]
    n = len(t["metrics"])
    assert ours["summary"]["fields"]["f1"] == pytest.approx(2 * (2 * n - 1) / (2 * (2 * n - 1) + 2))
    assert ours["summary"]["documents"]["exact_match"] == 0.5
    assert ours["by_degradation"]["clean"]["f1"] == 1.0
    assert ours["summary"]["throughput"]["pages_per_second"] == pytest.approx(10 / 6)
    assert report["ratios"]["peer"]["f1"] is None  # the peer found nothing: no finite ratio
    assert report["ratios"]["peer"]["pages_per_second"] == pytest.approx((10 / 6) / (5 / 20))
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "ogi-extract" in md and "fax" in md and "(frozen test split)" in md
    assert "Input of ogi-extract: the PDF: its text layer where it has one" in md  # peers get images: say so
    assert "Input of peers: the stored page images" in md
    for plot in ("accuracy_by_degradation.png", "confusions.png"):
        assert (out / plot).read_bytes()[:4] == b"\x89PNG"


# --- a peer, for real ------------------------------------------------------------------------------

def test_rapid_peer_reads_a_real_table_crop():
    import rapid_table  # noqa: F401  (make test installs every extra: missing is a failure, not a skip)
    from PIL import Image

    from ogi_extract.training.peers import run_peer

    page = pdfium.PdfDocument(str(REAL / f"{DOC}.pdf"))[3].render(scale=150 / 72).to_pil().convert("RGB")
    crop = Image.fromarray(np.asarray(page)[140:590, 120:1100])  # table 三's last rows on page 4
    (record,) = run_peer("rapid", [{"doc_id": DOC, "pages": [crop], "dpi": 150}])
    assert record["format"] == "ogi2021" and record["cells"]
    assert record["metrics"]["applications.not_processed.petition.natural_person"] == 1
    assert record["metrics"]["applications.total.total"] == 21
    card = score([Sample(DOC, truth(), record, pages=1)], "rapid")
    assert card.summary["fields"]["tp"] >= 30


# --- Label Studio round trip -----------------------------------------------------------------------

def test_label_studio_round_trip():
    from ogi_extract.training.label_studio import from_tasks, to_tasks

    cell = {"table": 0, "row": 2, "col": 1, "row_span": 1, "col_span": 2, "box": [100.0, 200.0, 300.0, 260.0],
            "text": "7,730.28", "metric_id": "art20.fees.amount"}
    label = cell | {"col": 0, "col_span": 1, "box": [10.0, 200.0, 100.0, 260.0], "text": "行政事业性收费",
                    "metric_id": None}
    empty = cell | {"row": 3, "text": "", "metric_id": "review.pending", "box": [100.0, 260.0, 300.0, 300.0]}
    page = {"index": 0, "width": 1654, "height": 2339, "dpi": 200, "words": [], "cells": [cell, label, empty],
            "sections": [{"text": "四、行政复议", "box": [50.0, 40.0, 400.0, 80.0]}]}
    doc = {"doc_id": "d1", "agency": "淮安市人民政府", "year": 2024, "format": "ogi2021", "pages": [page],
           "metrics": {"art20.fees.amount": 7730.28, "review.pending": None}}
    tasks = to_tasks(doc, ["/data/d1_p0.png"])
    export = [t | {"annotations": t["predictions"]} for t in json.loads(json.dumps(tasks))]
    (back,) = from_tasks(export)
    assert {k: back[k] for k in ("agency", "year", "format", "metrics")} == {k: doc[k] for k in
                                                                          ("agency", "year", "format", "metrics")}
    got = {c["text"]: c for c in back["pages"][0]["cells"]}
    assert got["7,730.28"]["box"] == pytest.approx(cell["box"]) and got["7,730.28"]["col_span"] == 2
    assert got["行政事业性收费"]["metric_id"] is None
    assert back["pages"][0]["sections"][0]["text"] == "四、行政复议"


def test_peer_row_mapping_is_fuzzy_and_positional():
    from ogi_extract.training.peers import PeerTable, guess_format, map_rows

    table = PeerTable([["信息内容", "本年处理决定数量"], ["", "行政许可", "550"],
                       ["(七)总计", "21", "0", "0", "0", "0", "", "21"],  # half-width parens, one empty cell
                       ["3.补正后申请内容 仍不明确", "1", "0", "0", "0", "0", "0", "1"]])
    assert guess_format([table]) == "ogi2021"
    m = map_rows([table], "ogi2021")
    assert m["art20.licensing.decisions"] == 550
    assert m["applications.total.natural_person"] == 21 and m["applications.total.other_org"] is None
    assert m["applications.unavailable.unclear.total"] == 1
    assert len(m) == 1 + 7 + 7
