"""The text of an HTML file whatever its encoding: BOM, declared charset, UTF-8, else detected.

Chinese portals serve UTF-8 or GB2312/GBK (often declared as one and written as the other).
GB2312 and GBK are read as GB18030, their superset, so a page declared GB2312 that uses
GBK-only characters still reads.
"""

from __future__ import annotations

import re

import charset_normalizer

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding=["']([\w.-]+)""")
_CHINESE = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "hz-gb-2312": "hz",
            "euc-cn": "gb18030", "gb-2312-80": "gb18030"}


def decode(data: bytes) -> str:
    """The page's text: its BOM, else its declared charset if the bytes agree, else UTF-8 if
    they are valid UTF-8, else what charset-normalizer finds."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    declared = _META_CHARSET.search(data[:8192]) or _XML_ENCODING.search(data[:200])
    candidates = [codec_name(declared.group(1).decode("ascii", "ignore"))] if declared else []
    for enc in [*candidates, "utf-8"]:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    enc = codec_name(best.encoding) if best is not None else "gb18030"
    return data.decode(enc, errors="replace")


def codec_name(name: str) -> str:
    """Python's codec for a declared charset; GB2312/GBK as GB18030."""
    name = name.lower().replace("_", "-")
    return _CHINESE.get(name, _CHINESE.get(name.replace("-", ""), name))
