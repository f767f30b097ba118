"""Report fields: which agency, which year, which official table format."""

from __future__ import annotations

import re
from collections import Counter

from ..types import Document
from .layout import text_lines

_YEAR_IN_TITLE = re.compile(r"(20\d\d|19\d\d)年(?:度)?(?:本?[^，。]{0,12})?政府信息公开(?:工作)?(?:年度)?(?:报告|统计|年报)")
_YEAR_SPAN = re.compile(r"[（(](20\d\d)年度?[）)]")
_YEAR = re.compile(r"(?:20|19)\d\d年度?")
_AGENCY_END = re.compile(r"(人民政府|政府办公室|办公厅|办公室|委员会|公安局|公安厅|分局|局|厅|委|署|院|中心|政府)$")
_FORMAT_KEYS = {
    "ogi2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
    "ogi2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减"),
    "template": ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理", "尚未审结"),
    "ogi2008": ("统计指标", "收到申请数", "申请答复数", "主动公开政府信息数", "行政复议数量", "行政诉讼数量",
                "受理政府信息公开申请", "对申请的答复", "主动公开文件数", "依申请公开"),
}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def detect_year(lines: list[str]) -> int | None:
    lines = [_compact(line) for line in lines]
    head = "".join(lines[:12])
    for pattern in (_YEAR_IN_TITLE, _YEAR_SPAN):
        m = pattern.search(head)
        if m:
            return int(m.group(1))
    years = Counter(int(y) for y in re.findall(r"(20[0-3]\d)年", "".join(lines)))
    return years.most_common(1)[0][0] if years else None


def _agency_in(title: str) -> str | None:
    """The issuer in a title like 四川省司法厅关于2021年度政府信息公开工作的年度报告."""
    head = _YEAR.sub("", title).split("政府信息公开")[0].removesuffix("关于").strip("：: ")
    return head if 2 <= len(head) <= 30 and _AGENCY_END.search(head) else None


def detect_agency(lines: list[str]) -> str | None:
    lines = [_compact(line) for line in lines]
    for i, line in enumerate(lines[:12]):
        if "政府信息公开" not in line or not any(k in line for k in ("报告", "年报", "统计")):
            continue
        previous = lines[max(0, i - 3):i]
        # a title wrapped over two lines puts the issuer (or the year) on the line above
        for title in (line, *(p + line for p in previous[-1:])):
            if agency := _agency_in(title):
                return agency
        for prev in reversed(previous):
            if 2 <= len(prev) <= 30 and _AGENCY_END.search(prev):
                return prev
    for line in lines:
        m = re.search(r"填报单位[（(]?盖章[）)]?[：:]\s*(\S+)", line)
        if m:
            return m.group(1)
    return None


def detect_format(text: str, year: int | None) -> str:
    """The official table format, from its tell-tale column and row labels, then the year."""
    t = _compact(text)
    hits = {k: sum(key in t for key in keys) for k, keys in _FORMAT_KEYS.items()}
    if hits["ogi2021"] >= 2:
        return "ogi2021"
    if hits["ogi2019"] >= 2:
        return "ogi2019"
    if hits["template"] >= 2:
        return "ogi2021" if year and year >= 2021 else "ogi2019"
    if hits["ogi2008"] >= 2:
        return "ogi2008"
    return "other"


def _lines(page) -> list[str]:
    return ["".join(w.text for w in line) for line in text_lines(page.words or [])]


def report_fields(doc: Document) -> tuple[str | None, int | None, str]:
    first = _lines(doc.pages[0]) if doc.pages else []
    year = detect_year(first)
    agency = detect_agency(first)
    if agency is None:
        for page in doc.pages[1:]:
            agency = detect_agency(_lines(page))
            if agency:
                break
    return agency, year, detect_format(doc.text, year)
