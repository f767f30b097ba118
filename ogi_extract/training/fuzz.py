"""Fuzz targets shared by tests/test_fuzz.py (bounded) and benchmarks/fuzz.py (long, recorded).

Each target takes fuzz input and must either return or raise an `InputError`: anything else is a
crash. Loading is fuzzed with mutated bytes of small real seeds (a PDF, PNG, JPEG, multi-page TIFF).
"""

from __future__ import annotations

from PIL import Image

from ogi_extract.errors import InputError
from ogi_extract.inference.load import load_document
from ogi_extract.inference.values import parse_number
from ogi_extract.models.labels.features import normalize
from ogi_extract.settings import Settings
from ogi_extract.training.bad_inputs import _image, _pdf

FAST = Settings(dpi=72, max_pages=4, max_page_pixels=1_000_000)


def seeds() -> dict[str, bytes]:
    """Small valid files of each kind loading reads, to mutate."""
    frames = [Image.new("RGB", (64, 48), (i * 60, 255, 255)) for i in range(3)]
    return {
        "pdf": _pdf(pages=2, text="2024 政府信息公开 123"),
        "png": _image(Image.new("RGB", (64, 48), "white"), "PNG"),
        "jpeg": _image(Image.new("CMYK", (64, 48)), "JPEG"),
        "tiff": _image(frames[0], "TIFF", save_all=True, append_images=frames[1:]),
    }


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Apply (position, kind, byte) edits: 0 overwrite, 1 insert, 2 delete, 3 cut the rest off."""
    b = bytearray(data)
    for pos, kind, value in edits:
        if not b:
            break
        i = pos % len(b)
        if kind == 0:
            b[i] = value
        elif kind == 1:
            b.insert(i, value)
        elif kind == 2:
            del b[i]
        else:
            del b[i:]
    return bytes(b)


def load_target(data: bytes) -> None:
    try:
        load_document(data, FAST)
    except InputError:
        pass


def number_target(text: str) -> None:
    p = parse_number(text)
    assert p.value is None or isinstance(p.value, int) or abs(p.value) < float("inf"), p
    assert p.ok or p.value is None


def label_target(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str) and len(out) <= len(text) * 18 + 1  # NFKC can widen a char up to 18
