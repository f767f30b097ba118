"""`ogi-extract annotate export|import`: a real report out to Label Studio tasks and back from an export
shaped like Label Studio's own JSON export (annotation metadata, a cancelled annotation, predictions
listed as ids), with an annotator's corrections."""

import copy
import json

from conftest import DATA

from ogi_extract.cli import main
from ogi_extract.training.annotated import find_reports

PDF = DATA / "digital" / "000_9883ccc3c4a509fd.pdf"
STAMP = "2026-12-03T10:0{}:00.000000Z"


def _annotation(task_id: int, result: list[dict], cancelled: bool, minute: int) -> dict:
    return {"id": 100 + task_id + 50 * cancelled, "completed_by": 1, "result": result, "was_cancelled": cancelled,
            "ground_truth": False, "created_at": STAMP.format(minute), "updated_at": STAMP.format(minute),
            "draft_created_at": None, "lead_time": 41.7, "prediction": {}, "result_count": 0,
            "unique_id": f"u-{task_id}-{int(cancelled)}", "import_id": None,
            "last_action": "submitted", "task": task_id, "project": 3, "updated_by": 1,
            "parent_prediction": 200 + task_id, "parent_annotation": None, "last_created_by": None}


def _label_studio_export(tasks: list[dict]) -> list[dict]:
    """What Label Studio's "Export > JSON" writes after an annotator corrected the pre-annotations."""
    out = []
    for n, task in enumerate(tasks, 1):
        result = copy.deepcopy(task["predictions"][0]["result"])
        for r in result:
            r["origin"] = "prediction"
        if task["data"]["page"] == 1:
            value_regions = [r["id"] for r in result if r["value"].get("rectanglelabels") == ["value_cell"]]
            fix, drop = value_regions[0], value_regions[1]
            for r in result:
                if r["id"] == fix and r["from_name"] in ("text", "value"):
                    r["value"]["text"] = ["999"]
                    r["origin"] = "prediction-changed"
            result = [r for r in result if r.get("id") != drop]
        if task["data"]["page"] == 0:
            for r in result:
                if r["from_name"] == "agency":
                    r["value"]["text"] = ["宁波市公安局（修正）"]
        annotations = [_annotation(n, result, False, 1), _annotation(n, [], True, 2)]  # then skipped once
        out.append({"id": n, "annotations": annotations, "file_upload": None, "drafts": [], "predictions": [200 + n],
                    "data": task["data"], "meta": {}, "created_at": STAMP.format(0), "updated_at": STAMP.format(2),
                    "inner_id": n, "total_annotations": 1, "cancelled_annotations": 1, "total_predictions": 1,
                    "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None,
                    "project": 3, "updated_by": 1, "comment_authors": []})
    return out


def test_annotate_export_then_import_a_corrected_label_studio_export(tmp_path):
    assert main(["annotate", "export", str(PDF), "--out", str(tmp_path / "ls")]) == 0
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["page"] for t in tasks] == [0, 1, 2]
    assert all((tmp_path / "ls" / t["data"]["image"].split("?d=")[1]).is_file() for t in tasks)
    assert (tmp_path / "ls" / "label_studio.xml").is_file()
    regions = [r for t in tasks for r in t["predictions"][0]["result"] if r["from_name"] == "region"]
    value_cells = [r for r in regions if r["value"]["rectanglelabels"] == ["value_cell"]]
    assert len(value_cells) >= 50 and tasks[0]["predictions"][0]["model_version"] == "ogi-extract"
    predicted = {r["id"]: r for t in tasks for r in t["predictions"][0]["result"] if r["from_name"] == "metric_id"}

    export = tmp_path / "export.json"
    export.write_text(json.dumps(_label_studio_export(tasks), ensure_ascii=False), encoding="utf-8")
    assert main(["annotate", "import", str(export), "--out", str(tmp_path / "ann")]) == 0
    (report,) = find_reports([tmp_path / "ann"])  # a PDF beside its truth, with cells: ready for fine-tuning
    truth = report.truth
    assert report.pdf.read_bytes() == PDF.read_bytes()
    assert truth["agency"] == "宁波市公安局（修正）" and truth["year"] == 2017 and truth["format"] == "ogi2008"
    page2 = [r for r in value_cells if r["id"].startswith("p1c")]
    fixed, dropped = (predicted[page2[i]["id"]]["value"]["text"][0] for i in (0, 1))
    assert truth["metrics"][fixed] == 999 and dropped not in truth["metrics"]
    assert len(truth["metrics"]) == len(value_cells) - 1
    assert sum(len(p["cells"]) + len(p["sections"]) for p in truth["pages"]) == len(regions) - 1
