"""The benchmark as a Hugging Face dataset: one example per document, page images included.

One example per *document* because the truth (metrics, agency, year, format) is per document
and `predict` reads whole files; page images and table cells ride along per page.
Build:  python -m ogi_extract.training.benchmark build --config configs/benchmark.yaml --out data/benchmark
Check:  python -m ogi_extract.training.benchmark verify --out data/benchmark
The schema and the rule that nothing trains on a frozen split are in annotations/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import yaml
from datasets import Dataset, DatasetDict, Features, Image, List, Value, load_from_disk
from PIL import Image as PILImage

from ogi_extract.training.synth.degrade import degrade

FEATURES = Features({
    "doc_id": Value("string"),
    "source": Value("string"),  # real | seed | synth
    "kind": Value("string"),  # digital (text layer) | scanned (images only)
    "degradation": Value("string"),  # clean | mild | heavy | fax | skew | lowres
    "format": Value("string"),
    "agency": Value("string"),
    "year": Value("int32"),
    "metrics": Value("string"),  # JSON {metric id: number | null}
    "cells": Value("string"),  # JSON [{page (1-based), box, table, row, col, row_span, col_span, text, metric_id}] at `dpi`
    "dpi": Value("int32"),  # resolution of `pages` and of every box
    "pdf": Value("binary"),  # the file `predict` reads
    "pdf_sha256": Value("string"),
    "pages_sha256": Value("string"),  # of the decoded pixels: stable where PDF bytes are not (dates)
    "n_pages": Value("int32"),
    "pages": List(Image()),
})
MANIFEST = "manifest.json"


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def truth_digest(metrics: dict) -> str:
    """Identifies a document by its truth, so a re-rendered copy of a test report is caught too."""
    return sha256(json.dumps(metrics, sort_keys=True, ensure_ascii=False))


# --- sources: each yields examples (dicts of FEATURES) -------------------------------------------

def render_pages(pdf: bytes, dpi: int) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(pdf)
    return [np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")) for page in doc]


def png(image: np.ndarray) -> dict:
    buf = io.BytesIO()
    PILImage.fromarray(image).save(buf, format="PNG")
    return {"bytes": buf.getvalue(), "path": None}


def image_pdf(images: list[np.ndarray], dpi: int) -> bytes:
    """An image-only PDF, as a scanner writes it (fixed dates, so the bytes are reproducible)."""
    pil = [PILImage.fromarray(i) for i in images]
    buf = io.BytesIO()
    stamp = time.gmtime(1577836800)  # 2020-01-01
    pil[0].save(buf, format="PDF", save_all=True, append_images=pil[1:], resolution=dpi,
                creationDate=stamp, modDate=stamp)
    return buf.getvalue()


def example(doc_id: str, truth: dict, pdf: bytes, pages: list[np.ndarray], dpi: int, *, source: str,
            kind: str, degradation: str, cells: list[dict] | None = None) -> dict:
    return {
        "doc_id": doc_id, "source": source, "kind": kind, "degradation": degradation,
        "format": truth.get("format"), "agency": truth.get("agency"), "year": truth.get("year"),
        "metrics": json.dumps(truth["metrics"], ensure_ascii=False),
        "cells": json.dumps(cells or [], ensure_ascii=False),
        "dpi": dpi, "pdf": pdf, "pdf_sha256": sha256(pdf),
        "pages_sha256": pixels_digest(pages),
        "n_pages": len(pages), "pages": [png(p) for p in pages],
    }


def real_examples(folder: Path, degradations: list[str], dpi: int, source: str = "real") -> Iterator[dict]:
    """Each labeled PDF as it is (digital) and as scanned copies at each other level."""
    for truth_file in sorted((folder / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        pdf = (folder / f"{truth_file.stem}.pdf").read_bytes()
        pages = render_pages(pdf, dpi)
        for level in degradations:
            if level == "clean":
                yield example(truth_file.stem, truth, pdf, pages, dpi, source=source, kind="digital",
                              degradation="clean")
                continue
            rng = np.random.default_rng(zlib.crc32(f"{truth_file.stem}/{level}".encode()))  # same scan every build
            scans = [degrade(cv2.cvtColor(p, cv2.COLOR_RGB2GRAY), level, rng, dpi)[0] for p in pages]
            yield example(f"{truth_file.stem}.{level}", truth, image_pdf(scans, dpi), scans, dpi, source=source,
                          kind="scanned", degradation=level)


def generated_examples(folder: Path, dpi: int, source: str) -> Iterator[dict]:
    """The generator's output: <doc_id>.pdf + <doc_id>.json (truth with per-page words and cells)."""
    for truth_file in sorted(folder.glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        pdf = truth_file.with_suffix(".pdf").read_bytes()
        pages = render_pages(pdf, dpi)
        cells = []
        for page in truth.get("pages", []):
            k = dpi / page.get("dpi", dpi)
            cells += [c | {"page": page["index"] + 1, "box": [v * k for v in c["box"]]} for c in page.get("cells", [])]
        yield example(truth.get("doc_id", truth_file.stem), truth, pdf, pages, dpi,
                      source=truth.get("source", source), kind=truth.get("kind", "digital"),
                      degradation=truth.get("degradation", "clean"), cells=cells)


def source_examples(entry: dict, dpi: int, root: Path) -> Iterator[dict]:
    folder = root / entry["dir"]
    if entry.get("command") and not folder.exists():  # e.g. the generator's seed renderer
        subprocess.run(entry["command"].format(python=sys.executable), shell=True, check=True, cwd=root)
    if not folder.exists():
        print(f"benchmark: skipping {entry['source']} source, {folder} does not exist", file=sys.stderr)
        return
    if entry["source"] == "real":
        yield from real_examples(folder, entry.get("degradations", ["clean"]), dpi)
    else:
        yield from generated_examples(folder, dpi, entry["source"])


# --- build, load, select, verify -------------------------------------------------------------------

def pixels_digest(pages: Iterable[np.ndarray]) -> str:
    return sha256("".join(sha256(np.ascontiguousarray(p).tobytes()) for p in pages))


def content_hash(ds: Dataset) -> str:
    """Order-free digest of a split: every document's id, page pixels and truth. Pixels rather than
    PDF bytes, because a regenerated PDF differs in its creation date and font subset names."""
    rows = sorted(zip(ds["doc_id"], ds["pages_sha256"], ds["metrics"], ds["format"], ds["agency"], ds["year"]))
    return sha256("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))


def to_dataset(rows: list[dict]) -> Dataset:
    return Dataset.from_dict({k: [r[k] for r in rows] for k in FEATURES}, features=FEATURES)


def build(config: dict, out: Path, root: Path = Path(".")) -> DatasetDict:
    dpi = int(config.get("dpi", 150))
    rows = {name: [ex for entry in entries for ex in source_examples(entry, dpi, root)]
            for name, entries in config["splits"].items()}
    dd = DatasetDict({name: to_dataset(r) for name, r in rows.items() if r})  # an empty split cannot be saved
    dd.save_to_disk(str(out))
    frozen = set(config.get("frozen", []))
    record = {
        "version": str(config["version"]),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "dpi": dpi,
        "splits": {name: {"documents": len(ds), "pages": sum(ds["n_pages"]),
                          "frozen": name in frozen, "sha256": content_hash(ds),
                          "truth_digests": sorted({truth_digest(json.loads(m)) for m in ds["metrics"]})
                          if name in frozen else []}
                   for name, ds in dd.items()},
    }
    (out / MANIFEST).write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    pinned = config.get("test_sha256") or {}
    for name, digest in pinned.items():
        if record["splits"].get(name, {}).get("sha256") != digest:
            print(f"benchmark: WARNING split {name!r} differs from the pinned sha256 of version "
                  f"{config['version']} - bump `version` if this is on purpose", file=sys.stderr)
    return dd


def load(path: Path | str, split: str | None = None) -> Dataset:
    """A split by name, optionally filtered: 'test', 'test:degradation=heavy', 'test:format=ogi2021,kind=scanned'.
    With no split, the first frozen split of the manifest (the test set)."""
    dd = load_from_disk(str(path))
    if split is None:
        split = next((n for n, s in manifest(path)["splits"].items() if s["frozen"]), next(iter(dd)))
    name, _, filters = split.partition(":")
    ds = dd[name]
    for cond in filter(None, filters.split(",")):
        key, _, value = cond.partition("=")
        ds = ds.filter(lambda v, value=value: str(v) == value, input_columns=key)
    return ds


def manifest(path: Path | str) -> dict:
    return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))


def verify(path: Path | str) -> dict[str, bool]:
    """Recompute each frozen split's digest, from the stored pixels up, and compare it with the manifest."""
    m, dd = manifest(path), load_from_disk(str(path))
    out = {}
    for name, s in m["splits"].items():
        if s["frozen"]:
            ds = dd[name]
            pixels = all(pixels_digest(np.asarray(i) for i in ex["pages"]) == ex["pages_sha256"] for ex in ds)
            out[name] = pixels and content_hash(ds) == s["sha256"]
    return out


def assert_not_frozen(truths: Iterable[dict], benchmark: Path | str) -> None:
    """For training code: refuse training documents whose truth equals a frozen (test) document's."""
    frozen = {d for s in manifest(benchmark)["splits"].values() for d in s["truth_digests"]}
    hits = [t.get("doc_id", "?") for t in truths if truth_digest(t["metrics"]) in frozen]
    if hits:
        raise ValueError(f"{len(hits)} training documents are in the frozen benchmark split: {hits[:5]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ogi_extract.training.benchmark")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the dataset from a config")
    b.add_argument("--config", type=Path, default=Path("configs/benchmark.yaml"))
    b.add_argument("--out", type=Path, default=Path("data/benchmark"))
    v = sub.add_parser("verify", help="check the frozen splits against the manifest")
    v.add_argument("--out", type=Path, default=Path("data/benchmark"))
    args = ap.parse_args(argv)
    if args.command == "build":
        config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
        dd = build(config, args.out)
        m = manifest(args.out)
        for name, _ds in dd.items():
            s = m["splits"][name]
            print(f"{name}: {s['documents']} documents, {s['pages']} pages, sha256 {s['sha256'][:16]}"
                  + (" (frozen)" if s["frozen"] else ""))
        return 0
    ok = verify(args.out)
    print(json.dumps(ok))
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
