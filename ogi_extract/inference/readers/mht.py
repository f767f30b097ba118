"""A page saved as one file (MHTML: .mht/.mhtml, Word's 单个文件网页) -> its HTML part, read as HTML.

The parts are split by the standard library's MIME parser; the HTML part is handed to the HTML
reader in its declared charset, and the pictures saved with it are put in a scratch folder so
that `<img>` tables are read through the OCR path as for a page saved with its files.
"""

from __future__ import annotations

import email
import email.policy
import tempfile
import urllib.parse
from pathlib import Path, PurePosixPath

from ogi_extract.errors import CorruptFileError
from ogi_extract.inference.readers.encoding import codec_name
from ogi_extract.inference.readers.html import read_html
from ogi_extract.settings import Settings
from ogi_extract.types import Page

_UTF8_BOM = b"\xef\xbb\xbf"


def read_mht(name: str, data: bytes, settings: Settings) -> tuple[list[Page], list[str]]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    parts = [p for p in message.walk() if not p.is_multipart()]
    html = next((p for p in parts if p.get_content_type() == "text/html"), None)
    if html is None:
        raise CorruptFileError(name, "MHTML without an HTML part")
    payload = _bytes(html.get_payload(decode=True))
    if charset := html.get_content_charset():
        try:
            payload = _UTF8_BOM + payload.decode(codec_name(charset)).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # left to the HTML reader's own detection
    with tempfile.TemporaryDirectory() as tmp:
        for part in parts:
            location = part.get("Content-Location", "")
            if part.get_content_maintype() == "image" and location:
                stem = PurePosixPath(urllib.parse.unquote(location).replace("\\", "/")).name
                if stem:
                    (Path(tmp) / stem).write_bytes(_bytes(part.get_payload(decode=True)))
        return read_html(name, payload, settings, base=Path(tmp))


def _bytes(payload: object) -> bytes:
    """A decoded part's bytes (a non-multipart part decodes to bytes; anything else is empty)."""
    return payload if isinstance(payload, bytes) else b""
