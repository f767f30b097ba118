"""Fine-tuning the label classifier on a few annotated reports of a held-out family fixes its rows.

The family (training/synth/family.py) is one agency's house style that no trainer sees; three of
its reports, rendered to real PDFs and read by the real pipeline, are the annotated reports; a
fourth is the held-out one. benchmarks/finetune_family.py measures the same at full size (tests/test_finetune.py: the mechanism on a seed report).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.models.labels import LabelClassifier, variants
from ogi_extract.models.labels.features import normalize
from ogi_extract.schema import UNMAPPED
from ogi_extract.training.annotated import find_reports, report_examples
from ogi_extract.training.synth import family
from ogi_extract.training.train_labels import main, train

ROOT = Path(__file__).resolve().parents[1]


def test_family_wordings_are_not_in_the_label_training_rows():
    trained = {normalize(e.label) for e in variants.generate(3, seed=0)}
    trained |= {normalize(e.label) for table in variants.clean_tables() for e in table}
    trained |= {normalize(label) for label, _ in variants.HOME_MADE} | set(map(normalize, variants.NO_COUNTERPART))
    house = {normalize(label) for label in family.wordings()}
    assert len(house) == len(family.wordings())
    assert not house & trained


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, Path]:
    """Three annotated family reports, and a fourth held out (generator seed of the family)."""
    base = tmp_path_factory.mktemp("family")
    family.write_family(range(3), base / "annotated")
    family.write_family([5], base / "held_out")
    return base / "annotated", base / "held_out"


def test_finetuning_maps_the_held_out_family_rows(reports, tmp_path):
    annotated, held_out = reports
    (report,) = find_reports([held_out])
    rows, _ = report_examples(Pipeline(), report)
    assert len(rows) >= 30  # the house table's rows, labeled from the annotation
    truth = [e.target for e in rows]

    def wrong(clf: LabelClassifier) -> list[int]:
        return [i for i, (p, _) in enumerate(clf.predict_examples(rows)) if p != truth[i]]

    assert len(wrong(LabelClassifier.default())) >= 8, "the shipped model reads the house labels: not held out"
    # a small base (the shipped config, fewer copies), then `train labels --base BASE --annotated DIR`
    config = yaml.safe_load((ROOT / "configs" / "labels.yaml").read_text(encoding="utf-8"))
    config.update(copies=4, holdout={"seed": 1000, "copies": 1})
    base, _ = train(config)
    base.save(tmp_path / "base")
    before = wrong(base)
    assert len(before) >= 8
    main(["--base", str(tmp_path / "base"), "--annotated", str(annotated), "--out", str(tmp_path / "tuned")])
    tuned = LabelClassifier.load(tmp_path / "tuned")
    after = wrong(tuned)
    fixed = [i for i in before if i not in after]
    assert len(fixed) >= 0.8 * len(before), [(rows[i].label, truth[i]) for i in after]
    assert len(after) <= 0.05 * len(rows)
    assert any(truth[i] != UNMAPPED for i in fixed)  # a metric row, not only an unmapped one
    assert tuned.info["config"]["copies"] == 4 and len(tuned.info["annotated_documents"]) == 3
