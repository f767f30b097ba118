"""The row-label classifier: the shipped model on noisy labels, context, unmapped rows, round trip, rebuild."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from ogi_extract.models.labels import LabelClassifier, normalize, variants
from ogi_extract.models.labels.artifact import LinearTextModel
from ogi_extract.models.labels.features import Example, matrix, vectorizer
from ogi_extract.schema import REVIEW_LITIGATION, UNMAPPED, load_spec
from ogi_extract.types import Cell, Row, Word

REPO = Path(__file__).resolve().parents[1]


def row(label: str, values: list[str] | None = None, parents=(), section="", headers=()) -> Row:
    cells = [Cell(0, i, (0, 0, 1, 1), [Word(v, (0, 0, 1, 1))] if v else []) for i, v in enumerate(values or ["3"])]
    return Row(page=0, label=label, parents=list(parents), section=section, values=cells, headers=list(headers))


def targets(clf: LabelClassifier, rows: list[Row], fmt: str) -> list[str]:
    return [r.target for r in clf.predict(rows, fmt)]


@pytest.fixture(scope="module")
def clf() -> LabelClassifier:
    return LabelClassifier.default()


def test_shipped_artifact_describes_itself(clf):
    folder = REPO / "ogi_extract/models/labels/default"
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["kind"] == "row-label-classifier"
    assert 0 < config["threshold"] < 1
    assert config["training"]["data_digest"]
    assert set(config["classes"]) == set(load_spec().targets()) | {UNMAPPED}
    assert config["version"] == 2 and config["format"] == "arrays+json" and not (folder / "model.joblib").exists()
    assert sum(f.stat().st_size for f in folder.iterdir()) < 8_000_000


def test_model_folder_problems_are_clear_errors(clf, tmp_path):
    from ogi_extract.errors import ModelError, ModelNotFoundError

    folder = clf.save(tmp_path / "m")
    assert LabelClassifier.load(folder).predict_examples([]) == []
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    for change, message in [({"version": 1}, "format version 1"), ({"format": "pickle"}, "format 'pickle'"),
                            ({"classes": config["classes"][:5]}, "do not fit")]:
        (folder / "config.json").write_text(json.dumps(config | change), encoding="utf-8")
        with pytest.raises(ModelError, match=message):
            LabelClassifier.load(folder)
    (folder / "config.json").write_text("{torn", encoding="utf-8")
    with pytest.raises(ModelError, match="config.json"):
        LabelClassifier.load(folder)
    (folder / "weights.npz").unlink()
    with pytest.raises(ModelNotFoundError, match="weights.npz"):
        LabelClassifier.load(folder)


def test_weights_holding_python_objects_are_refused(clf, tmp_path):
    import numpy as np

    from ogi_extract.errors import ModelError

    folder = clf.save(tmp_path / "m")
    with np.load(folder / "weights.npz") as z:
        arrays = {k: z[k] for k in z.files}
    arrays["coef"] = np.array([object()], dtype=object)  # would need pickle to read
    np.savez(folder / "weights.npz", **arrays)
    with pytest.raises(ModelError, match="pickle"):
        LabelClassifier.load(folder)


def test_normalize_strips_numbering_spaces_and_width():
    assert normalize("（三） 不予公 开") == "不予公开"
    assert normalize("其中:1.当面申请数") == "当面申请数"
    assert normalize("４．政务微信公开政府信息数") == "政务微信公开政府信息数"
    assert normalize("①网络申请数") == "网络申请数"


APP = ["1"] * 7
NOISY_2019 = [  # printed label, damaged as OCR and text extraction damage them
    ("一、本年新收政府倍息公开申清数量", "applications.new"),
    ("2. 其他法律行政法规禁止公开", "applications.refused.prohibited_by_law"),
    ("(4) 保护第三方合法权益", "applications.refused.third_party_rights"),
    ("1.属干国家秘密", "applications.refused.state_secret"),
    ("1、本机关不掌握相关政府信 息", "applications.unavailable.not_held"),
    ("5.要求行政机关确认或重 新出", "applications.not_processed.reconfirm"),
    ("（二）部分公开（区分处理的，只计这一情", "applications.partially_granted"),
    ("四、结转下年度继续 办理", "applications.carried_forward"),
]
NOISY_2008 = [
    ("3．网 络申请数", "requests.online"),
    ("④不属于本行政机关公开数", "answers.not_this_agency"),
    ("其中:涉及国家秘密", "answers.refused.state_secret"),
    ("（一）主动公开政府信息数 (不同渠道和方式公开相同信息计l条)", "proactive.total"),
    ("1.专职人员数（不包括政府公报及", "org.staff_full_time"),
    ("受理政府信息公开申请总数", "requests.received"),
]


@pytest.mark.parametrize("label,target", NOISY_2019)
def test_noisy_template_labels(clf, label, target):
    assert targets(clf, [row(label, APP, section="三、收到和处理政府信息公开申请情况")], "ogi2019") == [target]


@pytest.mark.parametrize("label,target", NOISY_2008)
def test_noisy_ogi2008_labels(clf, label, target):
    assert targets(clf, [row(label)], "ogi2008") == [target]


def test_split_other_rows_of_ogi2021(clf):
    rows = [row(label, APP) for label in (
        "（六）其他处理", "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3、其他", "（七）总计")]
    assert targets(clf, rows, "ogi2021") == [
        "applications.other", "applications.other.no_correction", "applications.other.unpaid_fees",
        "applications.other.other", "applications.total"]


def test_review_and_litigation_told_apart_by_context(clf):
    table = ["四、行政复议数量", "（一）维持具体行政行为数", "（二）被依法纠错数", "（三）其他情形数",
             "五、行政诉讼数量", "（一）维持具体行政行为或者驳回原告诉讼请求数", "（二）被依法纠错数", "（三）其他情形数"]
    assert targets(clf, [row(label) for label in table], "ogi2008") == [
        "review.total", "review.upheld", "review.corrected", "review.other",
        "litigation.total", "litigation.upheld", "litigation.corrected", "litigation.other"]
    alone = [row("被依法纠错数", parents=["四、行政复议数量"])], [row("被依法纠错数", parents=["五、行政诉讼数量"])]
    assert targets(clf, alone[0], "ogi2008") == ["review.corrected"]
    assert targets(clf, alone[1], "ogi2008") == ["litigation.corrected"]


def test_table_four_row_is_recognized_by_shape(clf):
    spec_row = load_spec()["ogi2019"].row(REVIEW_LITIGATION)
    headers = [c.label for c in spec_row.columns]
    rows = [row("", ["0"] * 15, section="四、政府信息公开行政复议、行政诉讼情况", headers=headers)]
    assert targets(clf, rows, "ogi2019") == [REVIEW_LITIGATION]
    assert targets(clf, [row("", ["1"] * 15)], "ogi2021") == [REVIEW_LITIGATION]


@pytest.mark.parametrize("label,values", [
    ("3.信函、传真申请数", ["0", "0"]),
    ("政府信息公开收费减免金额", ["0", "0"]),
    ("4.其他类型答复数", ["1", "1"]),
    ("电话咨询数", ["1200"]),  # not in the training data
    ("在线访谈满意率", ["98%"]),  # not in the training data
    ("12345热线工单办结率", ["98%"]),  # not in the training data
    ("信息内容", ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
    ("我局认真落实各项工作要求", [""]),
])
def test_rows_without_counterpart_stay_unmapped(clf, label, values):
    [labeled] = clf.predict([row(label, values)], "ogi2008")
    assert labeled.target == UNMAPPED
    assert 0 <= labeled.probability <= 1


def test_format_rules_out_other_families(clf):
    [labeled] = clf.predict([row("行政复议数量", ["2"])], "ogi2019")
    assert not labeled.target.startswith("review.")


def test_save_load_round_trip(clf, tmp_path):
    rows = [row(label) for label, _ in NOISY_2008] + [row(label, APP) for label, _ in NOISY_2019]
    before = clf.predict(rows, "other")
    clf.save(tmp_path / "m")
    after = LabelClassifier.load(tmp_path / "m").predict(rows, "other")
    assert [(a.target, a.probability) for a in before] == [(b.target, b.probability) for b in after]


def test_threshold_decides_what_stays_unmapped():
    rows = [row("网上申请数"), row("2.网络申请数"), row("3.信函、传真申请数")]
    strict, lenient = LabelClassifier.default(threshold=0.999), LabelClassifier.default(threshold=0.01)
    assert targets(strict, rows, "ogi2008").count(UNMAPPED) > targets(lenient, rows, "ogi2008").count(UNMAPPED)
    assert targets(lenient, rows, "ogi2008")[1] == "requests.online"


def test_numpy_scoring_equals_scikit_learn():
    """Predicting scores the saved arrays in numpy (no scikit-learn import): the same probabilities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    examples = list(variants.generate(1, seed=3))
    pipeline = Pipeline([("features", vectorizer({"raw": 0.5, "meta": 0.3}, min_df=1)),
                         ("model", LogisticRegression(max_iter=30))])
    pipeline.fit(matrix(examples), [e.target for e in examples])
    model = LinearTextModel.from_pipeline(pipeline)
    odd = [Example(label, "ogi2008", before=(label,)) for label in ("", "a", "其中：  1.网上\u3000申请", " x\ty  ")]
    x = matrix(examples[:200] + odd)
    assert np.allclose(model.predict_proba(x), pipeline.predict_proba(x), rtol=0, atol=1e-12)


def test_variants_are_deterministic_and_cover_every_target():
    first = list(variants.generate(1, seed=7))
    assert first == list(variants.generate(1, seed=7))
    assert {e.target for e in first} == set(load_spec().targets()) | {UNMAPPED}


def test_rebuild_command_on_a_small_config(tmp_path):
    config = yaml.safe_load((REPO / "configs/labels.yaml").read_text(encoding="utf-8"))
    config.update(copies=4, holdout={"seed": 5, "copies": 1})
    config["model"].update(max_iter=100, min_df=1)
    (tmp_path / "small.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    out = tmp_path / "model"
    subprocess.run([sys.executable, "-m", "ogi_extract.training.train_labels",
                    "--config", str(tmp_path / "small.yaml"), "--out", str(out)], check=True, cwd=REPO, timeout=300)
    rebuilt = LabelClassifier.load(out)
    assert rebuilt.info["metrics"]["holdout"]["n"] > 0
    assert targets(rebuilt, [row("2.政府网站公开政府信息数")], "ogi2008") == ["proactive.website"]
