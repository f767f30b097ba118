"""What a file is, from its content (magic bytes, zip members, markup), never from its name.

A report saved as `报告.pdf` that is really a web page, a Word file named `.htm`, or an RTF or
MHTML page published as `.doc`, is read as what it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

Kind = Literal["pdf", "image", "html", "mht", "docx", "doc", "rtf", "ofd", "unknown"]

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps (and .xls, .ppt: refused by the converter)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# An HTML document or fragment: a doctype, or one of the elements a saved page or an exported
# Word file opens with, near the start (after any BOM, XML declaration or comments).
_MIME = re.compile(rb"^MIME-Version:", re.IGNORECASE | re.MULTILINE)
_RELATED = re.compile(rb"^Content-Type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)
_MARKUP = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|table[\s>]|div[\s>]|p[\s>])", re.IGNORECASE)


def sniff(data: bytes) -> Kind:
    """The kind of a file's content."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE2_MAGIC):
        return "doc"
    if data[:64].lstrip().startswith(b"{\\rtf"):  # RTF, often published with a .doc name
        return "rtf"
    if _MIME.search(data[:4096]) and _RELATED.search(data[:4096]):
        return "mht"  # a page saved as one file (.mht, Word's 单个文件网页)
    if _looks_like_markup(data):
        return "html"
    return "unknown"


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "unknown"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    return "unknown"


def _looks_like_markup(data: bytes) -> bool:
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head[:1] == b"\x00" or head[1:2] == b"\x00":  # UTF-16 without a BOM: drop the zero bytes
        head = head.replace(b"\x00", b"")
    head = head.lstrip()
    return head.startswith(b"<") and _MARKUP.search(head) is not None
