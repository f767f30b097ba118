"""Report fields: which agency, which year, which official table format."""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from ..types import Document
from .issuer import issuer_in_signature, issuer_in_title_block, publication_date
from .layout import text_lines

_YEAR_IN_TITLE = re.compile(r"(20\d\d|19\d\d)年(?:度)?(?:本?[^，。]{0,12})?政府信息公开(?:工作)?(?:年度)?(?:报告|统计|年报)")
_YEAR_SPAN = re.compile(r"[（(](20\d\d)年度?[）)]")
_FORMAT_KEYS = {
    "ogi2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
    "ogi2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减"),
    "template": ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理", "尚未审结"),
    "ogi2008": ("统计指标", "收到申请数", "申请答复数", "主动公开政府信息数", "行政复议数量", "行政诉讼数量",
                "受理政府信息公开申请", "对申请的答复", "主动公开文件数", "依申请公开"),
}


MISREAD_FROM = 7  # keys this long still count with one character misread (本年新制作数量 read 本年新制作數量 off a fax)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def year_and_source(lines: list[str], closing: list[str] | None = None) -> tuple[int | None, str]:
    """The year a report covers, and where it came from: its title, else the closing date (a report
    is published early in the following year), else the year the text mentions most."""
    lines = [_compact(line) for line in lines]
    head = "".join(lines[:12])
    for pattern in (_YEAR_IN_TITLE, _YEAR_SPAN):
        m = pattern.search(head)
        if m:
            return int(m.group(1)), "title"
    published = publication_date(closing if closing is not None else lines)
    if published:
        year, month = published
        return (year - 1 if month <= 6 else year), "publication date"
    years = Counter(int(y) for y in re.findall(r"(20[0-3]\d)年", "".join(lines)))
    return (years.most_common(1)[0][0], "body text") if years else (None, "")


def detect_year(lines: list[str]) -> int | None:
    return year_and_source(lines)[0]


def detect_agency(lines: list[str]) -> str | None:
    """The issuer from the title block, else from the signature block of the same lines."""
    return issuer_in_title_block(lines) or issuer_in_signature(lines)


def detect_format(text: str, year: int | None) -> str:
    """The official table format, from its tell-tale column and row labels, then the year."""
    t = _compact(text)
    hits = {k: sum(_printed(key, t) for key in keys) for k, keys in _FORMAT_KEYS.items()}
    if hits["ogi2021"] >= 2:
        return "ogi2021"
    if hits["ogi2019"] >= 2:
        return "ogi2019"
    if hits["template"] >= 2:
        return "ogi2021" if year and year >= 2021 else "ogi2019"
    if hits["ogi2008"] >= 2:
        return "ogi2008"
    return "other"


def _printed(key: str, text: str) -> bool:
    """Whether `key` is in `text`, one character misread allowed from MISREAD_FROM characters on."""
    return key in text or len(key) >= MISREAD_FROM and fuzz.partial_ratio(key, text) >= 100 * (1 - 1 / len(key)) - 0.01


def _lines(page) -> list[str]:
    return ["".join(w.text for w in line) for line in text_lines(page.words or [])]


def report_fields(doc: Document) -> tuple[str | None, int | None, str]:
    """Agency, covered year and format; a field not found for sure is None with a warning in doc."""
    first = _lines(doc.pages[0]) if doc.pages else []
    last = _lines(doc.pages[-1]) if doc.pages else []
    agency = next((a for p in doc.pages[:2] if (a := issuer_in_title_block(_lines(p)))), None) \
        or issuer_in_signature(last) or issuer_in_signature(first)
    if agency is None:
        doc.warnings.append("agency: no issuer name found in the title or signature block")
    year, source = year_and_source(first, last)
    if year is None:
        doc.warnings.append("year: no year found in the title, closing date or text")
    elif source != "title":
        doc.warnings.append(f"year: not in the title; {year} taken from the {source}")
    return agency, year, detect_format(doc.text, year)
