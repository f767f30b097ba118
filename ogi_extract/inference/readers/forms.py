"""The reader for each non-PDF kind of input (see `inference/sniff.py`), one call for load.py."""

from __future__ import annotations

from pathlib import Path

from ogi_extract.errors import UnsupportedFormatError
from ogi_extract.inference.readers.html import read_html
from ogi_extract.inference.readers.word import read_docx, read_legacy_word
from ogi_extract.settings import Settings
from ogi_extract.types import Page

MARKUP_KINDS = ("html", "docx", "doc", "ofd")


def read_form(kind: str, name: str, data: bytes, settings: Settings, path: Path | None) -> tuple[list[Page], list[str]]:
    """Pages and warnings of an HTML, Word or OFD file; `path` (None for bytes) locates images beside a page."""
    if kind == "html":
        return read_html(name, data, settings, base=path.parent if path is not None else None)
    if kind == "docx":
        return read_docx(name, data), []
    if kind == "doc":
        return read_legacy_word(name, data, settings), []
    raise UnsupportedFormatError(name, "OFD (GB/T 33190) cannot be read yet: use the PDF or Word version")
