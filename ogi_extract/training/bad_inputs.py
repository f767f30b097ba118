"""Inputs that must never stop a batch: one file (or path) of each kind, for tests and benchmarks/bad_inputs.py.

    make_bad_inputs(folder) -> {path: kind}

Each is small to write; the decompression bomb and the giant page box are small files that
would be huge once decoded or rendered.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas


def _pdf(pages: int = 1, size: tuple[float, float] = (595, 842), encrypt: str | None = None, text: str = "2024") -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=size, encrypt=pdfencrypt.StandardEncryption(encrypt) if encrypt else None)
    for _ in range(pages):
        pdf.drawString(72, size[1] - 72, text)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _image(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def make_bad_inputs(folder: Path, good: Path) -> dict[str, str]:
    """Write every bad input kind into `folder` (a copy of `good` for the one read by content); -> {path: kind}."""
    folder.mkdir(parents=True, exist_ok=True)
    report = good.read_bytes()
    zero = io.BytesIO()
    pdfium.PdfDocument.new().save(zero)
    xref = report.rfind(b"startxref")
    frames = [Image.new("RGB", (400, 300), (255, 255, 255)) for _ in range(3)]
    tiff = _image(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    files = {
        "empty.pdf": (b"", "empty file"),
        "truncated.pdf": (report[: len(report) // 2], "truncated PDF"),
        "corrupt-xref.pdf": (report[:xref] + re.sub(rb"\d+", b"999999", report[xref:], count=1), "corrupt xref"),
        "encrypted.pdf": (_pdf(encrypt="secret"), "encrypted (password)"),
        "text.pdf": ("政府信息公开 just text\n".encode(), "not a PDF"),
        "report.png": (report, "wrong extension (a PDF named .png)"),
        "zero-pages.pdf": (zero.getvalue(), "zero pages"),
        "bomb.png": (_image(Image.new("1", (15000, 15000)), "PNG"), "decompression bomb (225 MP PNG)"),
        "giant-box.pdf": (_pdf(pages=6, size=(14400, 14400)), "giant page box (6 x 14400 pt)"),
        "cut.tif": (tiff[: len(tiff) * 2 // 3], "multi-page TIFF cut off"),
        "cmyk.jpg": (_image(Image.new("CMYK", (800, 600), (0, 0, 0, 0)), "JPEG"), "CMYK JPEG"),
        "pixel.png": (_image(Image.new("RGB", (1, 1)), "PNG"), "1-pixel image"),
        "no-report.pdf": (_pdf(text="Hello, this is no report at all."), "no report (no tables)"),
        "tiny-strip.png": (_image(Image.fromarray(np.full((20, 6000, 3), 255, np.uint8)), "PNG"), "6000x20 blank strip"),
    }
    kinds = {}
    for name, (data, kind) in files.items():
        (folder / name).write_bytes(data)
        kinds[str(folder / name)] = kind
    for name, kind in [("loop.pdf", "symlink loop"), ("fifo.pdf", "FIFO"), ("folder.pdf", "folder"),
                       ("unreadable.pdf", "unreadable path"), ("missing.pdf", "missing file")]:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        if kind == "symlink loop":
            path.symlink_to(path.name)
        elif kind == "FIFO":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "unreadable path":
            path.write_bytes(report)
            path.chmod(0)  # root reads it all the same
        kinds[str(path)] = kind
    return kinds
