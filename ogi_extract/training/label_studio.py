"""Label Studio <-> the annotation schema (annotations/README.md), for `annotations/label_studio.xml`.

One Label Studio task per page. `to_tasks` pre-fills a document's truth as a prediction, so an
annotator corrects rather than draws; `from_tasks` reads an export (JSON) back into documents.
Label Studio boxes are percentages of the image; ours are pixels at the page's dpi.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

GRID = ("table", "row", "col", "row_span", "col_span")
REPORT_FIELDS = ("agency", "year", "format")


def _box_value(box: list[float], w: int, h: int) -> dict:
    x0, y0, x1, y1 = box
    return {"x": 100 * x0 / w, "y": 100 * y0 / h, "width": 100 * (x1 - x0) / w, "height": 100 * (y1 - y0) / h,
            "rotation": 0}


def _region(rid: str, box: list[float], page: dict, label: str, fields: dict) -> list[dict]:
    w, h = page["width"], page["height"]
    geo = _box_value(box, w, h)
    base = {"id": rid, "to_name": "page", "original_width": w, "original_height": h, "image_rotation": 0}
    out = [base | {"from_name": "region", "type": "rectanglelabels", "value": geo | {"rectanglelabels": [label]}}]
    for name, v in fields.items():
        if v is None:
            continue
        if name in GRID:
            out.append(base | {"from_name": name, "type": "number", "value": geo | {"number": v}})
        else:
            out.append(base | {"from_name": name, "type": "textarea", "value": geo | {"text": [str(v)]}})
    return out


def to_tasks(doc: dict, image_urls: list[str], model_version: str = "truth", score: float | None = None) -> list[dict]:
    """A labeled document (with `pages`) -> Label Studio tasks, its truth (or a model's output) as the prediction."""
    tasks = []
    for page, url in zip(doc["pages"], image_urls):
        result: list[dict] = []
        for i, c in enumerate(page.get("cells", [])):
            mid = c.get("metric_id")
            value = None if not mid else json.dumps(doc["metrics"].get(mid)).replace("null", "")
            fields = {"text": c.get("text"), "metric_id": mid, "value": value} | {k: c.get(k) for k in GRID}
            result += _region(f"p{page['index']}c{i}", c["box"], page, "value_cell" if mid else "cell", fields)
        for i, s in enumerate(page.get("sections", [])):
            result += _region(f"p{page['index']}s{i}", s["box"], page, "section", {"text": s["text"]})
        if page["index"] == 0:
            result += [{"from_name": "agency", "to_name": "page", "type": "textarea",
                        "value": {"text": [doc.get("agency") or ""]}},
                       {"from_name": "format", "to_name": "page", "type": "choices",
                        "value": {"choices": [doc.get("format") or "other"]}}]
            if doc.get("year"):
                result.append({"from_name": "year", "to_name": "page", "type": "number",
                               "value": {"number": doc["year"]}})
        data = {"image": url, "doc_id": doc["doc_id"], "page": page["index"], "dpi": page["dpi"],
                "width": page["width"], "height": page["height"]}
        prediction = {"model_version": model_version, "result": result} | ({"score": score} if score is not None else {})
        tasks.append({"data": data, "predictions": [prediction]})
    return tasks


def _parse_value(text: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    v = json.loads(text)
    return v if isinstance(v, (int, float)) else None


def chosen_result(task: dict) -> list[dict]:
    """The regions of a task as exported: its ground-truth annotation, else its latest submitted one,
    else its first prediction. Cancelled (skipped) annotations are ignored; a real export may list
    predictions as bare ids, which carry no regions."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if done:
        done.sort(key=lambda a: (bool(a.get("ground_truth")), str(a.get("updated_at") or a.get("created_at") or "")))
        return done[-1].get("result") or []
    predicted = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    return predicted[0].get("result") or [] if predicted else []


def from_tasks(tasks: Iterable[dict]) -> list[dict]:
    """A Label Studio JSON export -> labeled documents (annotations win over predictions)."""
    docs: dict[str, dict] = {}
    for task in sorted(tasks, key=lambda t: (t["data"]["doc_id"], t["data"]["page"])):
        d = task["data"]
        doc = docs.setdefault(d["doc_id"], {"doc_id": d["doc_id"], "agency": None, "year": None, "format": "other",
                                            "metrics": {}, "pages": []})
        regions: dict[str, dict] = defaultdict(dict)
        for r in chosen_result(task):
            v = r["value"]
            if r["from_name"] in REPORT_FIELDS:
                if r["from_name"] == "agency":
                    doc["agency"] = (v.get("text") or [""])[0] or None
                elif r["from_name"] == "year":
                    doc["year"] = int(v["number"])
                elif r["from_name"] == "format":
                    doc["format"] = v["choices"][0]
                continue
            reg = regions[r["id"]]
            if r["type"] == "rectanglelabels":
                w, h = r["original_width"], r["original_height"]
                reg["label"] = v["rectanglelabels"][0]
                reg["box"] = [v["x"] * w / 100, v["y"] * h / 100, (v["x"] + v["width"]) * w / 100,
                              (v["y"] + v["height"]) * h / 100]
            else:
                reg[r["from_name"]] = v["number"] if r["type"] == "number" else (v.get("text") or [""])[0]
        page = {"index": d["page"], "width": d["width"], "height": d["height"], "dpi": d["dpi"], "words": [],
                "cells": [], "sections": []}
        for reg in regions.values():
            if reg.get("label") == "section":
                page["sections"].append({"text": reg.get("text", ""), "box": reg["box"]})
                continue
            mid = reg.get("metric_id") or None
            page["cells"].append({k: reg.get(k, 1 if k.endswith("span") else 0) for k in GRID}
                                 | {"box": reg["box"], "text": reg.get("text", ""), "metric_id": mid})
            if mid:
                doc["metrics"][mid] = _parse_value(reg.get("value", ""))
        doc["pages"].append(page)
    return list(docs.values())
