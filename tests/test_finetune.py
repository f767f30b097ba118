"""Fine-tuning the row-label classifier on an annotated report: rows read by the real pipeline,
labeled from the annotation's cells, learned by a retrained model, frozen documents refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ogi_extract.models.labels import LabelClassifier, normalize
from ogi_extract.models.labels.features import Example
from ogi_extract.schema import UNMAPPED, load_spec
from ogi_extract.training import train_labels
from ogi_extract.training.annotated import examples_from_reports
from ogi_extract.training.benchmark import MANIFEST, truth_digest

REPO = Path(__file__).resolve().parents[1]
SANMING = REPO / "tests/data/digital/004_07cc7924a28de747.pdf"  # 三明市公安局 2016, ogi2008, home-made rows


def annotated_rows(truth: dict) -> dict[str, str]:
    """Normalized row label -> row key, straight from the annotation's grid (label cell = column 0)."""
    keys = {m: r.key for r in load_spec()[truth["format"]].all_rows for m in r.metric_ids}
    out = {}
    for page in truth["pages"]:
        rows: dict[tuple, list[dict]] = {}
        for c in page["cells"]:
            rows.setdefault((c["table"], c["row"]), []).append(c)
        for cells in rows.values():
            label = next((c["text"] for c in cells if c["col"] == 0), "")
            ids = {keys[c["metric_id"]] for c in cells if c["metric_id"]}
            out[normalize(label)] = ids.pop() if ids else UNMAPPED
    return out


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(SANMING.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return examples_from_reports([SANMING])


def test_rows_get_the_annotated_row_keys(examples, truth):
    expected = annotated_rows(truth)
    got = {normalize(e.label): e.target for e in examples}
    assert len(got) >= 14 and all(e.fmt == "ogi2008" for e in examples)
    assert got == {k: expected.get(k) for k in got}
    assert {k for k, v in expected.items() if v != UNMAPPED} <= set(got)  # every annotated row was read
    assert got[normalize("受理政府信息公开申请总数")] == "requests.received"
    assert got[normalize("3.信函、传真申请数")] == UNMAPPED  # a value cell with no metric id


def test_finetuned_model_learns_the_annotated_rows(examples, tmp_path):
    config = yaml.safe_load((REPO / "configs/labels.yaml").read_text(encoding="utf-8"))
    config.update(copies=2, holdout={"seed": 1000, "copies": 1}, annotated={"repeat": 3})
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "model"
    train_labels.main(["--config", str(tmp_path / "labels.yaml"), "--out", str(out), "--annotated", str(SANMING)])

    clf = LabelClassifier.load(out)
    assert [t for t, _ in clf.predict_examples(examples)] == [e.target for e in examples]
    saved = json.loads((out / "config.json").read_text(encoding="utf-8"))
    [doc] = saved["training"]["annotated_documents"]
    assert doc["doc_id"] == "004_07cc7924a28de747" and len(doc["sha256"]) == 64
    assert saved["metrics"]["annotated"]["accuracy"] == 1.0


def test_frozen_benchmark_documents_are_refused(truth, tmp_path):
    manifest = {"splits": {"test": {"frozen": True, "truth_digests": [truth_digest(truth["metrics"])]}}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ValueError, match="frozen"):
        examples_from_reports([SANMING], benchmark=tmp_path)
