"""The reader for each non-PDF kind of input (see `inference/sniff.py`), one call for load.py."""

from __future__ import annotations

from pathlib import Path

from ogi_extract.errors import UnsupportedFormatError
from ogi_extract.inference.readers.html import read_html
from ogi_extract.inference.readers.mht import read_mht
from ogi_extract.inference.readers.word import read_docx, read_legacy_word
from ogi_extract.settings import Settings
from ogi_extract.types import Page

MARKUP_KINDS = ("html", "mht", "docx", "doc", "rtf", "ofd")


def read_form(kind: str, name: str, data: bytes, settings: Settings, path: Path | None) -> tuple[list[Page], list[str]]:
    """Pages and warnings of an HTML/MHTML, Word/RTF or OFD file; `path` (None for bytes) locates a page's images."""
    if kind == "html":
        return read_html(name, data, settings, base=path.parent if path is not None else None)
    if kind == "mht":
        return read_mht(name, data, settings)
    if kind == "docx":
        return read_docx(name, data), []
    if kind in ("doc", "rtf"):
        return read_legacy_word(name, data, settings), []
    raise UnsupportedFormatError(name, "OFD (GB/T 33190) cannot be read yet: use the PDF or Word version")
