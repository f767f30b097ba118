"""The character BERT label classifier (training-only comparison model): trains, decides like the
shipped classifier, round-trips its folder, and its calibration report adds up."""

import numpy as np
import transformers  # noqa: E402, F401  (make test installs every extra: missing is a failure, not a skip)

from ogi_extract.models.labels import variants  # noqa: E402
from ogi_extract.schema import UNMAPPED  # noqa: E402
from ogi_extract.training.bert_labels import BertLabels  # noqa: E402
from ogi_extract.training.compare_labels import calibration  # noqa: E402


def test_bert_labels_trains_saves_loads_and_calibration_adds_up(tmp_path):
    rows = list(variants.generate(1, seed=3))[:128]
    clf = BertLabels(hidden=32, layers=1, heads=2).fit(rows, epochs=1, batch=32)
    assert clf.info["steps"] == clf.info["of_steps"] == 4  # one epoch of 128 rows, batches of 32
    proba = clf.predict_proba(rows[:20])
    assert proba.shape == (20, len(clf.classes)) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    decided = clf.predict_examples(rows[:20])
    assert all(t in clf.classes or t == UNMAPPED for t, _ in decided) and all(0 <= p <= 1 for _, p in decided)
    back = BertLabels.load(clf.save(tmp_path / "bert"))
    assert np.allclose(back.predict_proba(rows[:20]), proba, atol=1e-6)
    ece, bins = calibration(clf, rows[:100])
    assert 0 <= ece <= 1 and sum(b["n"] for b in bins) == 100
