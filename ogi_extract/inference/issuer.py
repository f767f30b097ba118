"""Who issued a report: the agency name in its title block, else in its signature block.

A report title names its issuer before "政府信息公开" (often with the year and 关于 around it) and
may be wrapped over two or three centred lines; some reports print only a bare title and sign at
the end. A name is accepted only when it reads like an issuer (ends in an office, body, zone or
place word, no sentence punctuation, no prose verbs); otherwise the answer is None, never a guess.
"""

from __future__ import annotations

import re

# what an issuer's name ends with, longest alternatives first
ISSUER_END = re.compile(
    r"(人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府办|办公厅|办公室|管理委员会|管委会|工作委员会|委员会"
    r"|综合实验区|实验区|试验区|示范区|开发区|高新区|新区|园区|合作区|保税区|街道办事处|办事处|街道|社区"
    r"|分局|公安局|局|厅|委|署|院|中心|政府|镇|乡|苏木|所|馆|支队|大队|总队|处|部|站|办|会|司|集团|公司"
    r"|省|市|州|盟|县|区|旗)$")
# a place with no body after it (a wrapped issuer's first line: 淮安市 / 洪泽区人民政府)
PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,14}(省|自治区|市|州|盟|县|区|旗)$")
PROSE = re.compile(r"[，。；;,！？!?、“”\"]|进一步|我们|我局|我委|我区|我市|我县|本机关|本单位|按照|根据|严格|做好|加强|开展"
                   r"|工作的|情况|以下|如下|详见|特此|的$")
YEAR = re.compile(r"(?:19|20)\d\d\s*年度?")
DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
NOISE = re.compile(r"^[—\-－_\s\d第页/共]*$|^附件|〔|〕|^来源|^发布|^时间|^索引|^首页|^当前位置")
TITLE_KEY = "政府信息公开"
TITLE_END = ("报告", "年报", "统计")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_issuer(name: str) -> bool:
    return 2 <= len(name) <= 40 and not PROSE.search(name) and not re.search(r"\d", name) \
        and bool(ISSUER_END.search(name)) and not name.startswith(("关于", "政府信息"))


def issuer_in_title(title: str) -> str | None:
    """四川省司法厅关于2021年度政府信息公开工作的年度报告 -> 四川省司法厅 (None if no issuer there)."""
    head = compact(title).split(TITLE_KEY)[0]
    head = re.sub(r"[《》<>【】\[\]]", "", YEAR.sub("", head))
    head = re.sub(r"(关于|的)$", "", head).removeprefix("关于").strip("：:·- ")
    if head.endswith("本级"):
        head = head[:-2]
    return head if is_issuer(head) else None


def _title_like(line: str) -> bool:
    return 0 < len(line) <= 40 and not NOISE.search(line) and not PROSE.search(line.split(TITLE_KEY)[0]) \
        and not DATE.search(line)


def _title_line(lines: list[str]) -> int | None:
    """Index of the line where 政府信息公开 (possibly wrapped onto the next line) starts a title."""
    for k, line in enumerate(lines):
        pair = line + (lines[k + 1] if k + 1 < len(lines) else "")
        at = pair.find(TITLE_KEY)
        rest = "".join(lines[k:k + 3])[at:]
        if 0 <= at < len(line) and _title_like(line) and any(e in rest for e in TITLE_END):
            return k
    return None


def issuer_in_title_block(lines: list[str], depth: int = 15) -> str | None:
    """The issuer of the title: on the 政府信息公开 line or on up to two title lines above it."""
    lines = [compact(line) for line in lines[:depth]]
    lines = [x for x in lines if re.search(r"[\u4e00-\u9fff]", x)]  # drop page numbers, English subtitles
    k = _title_line(lines)
    if k is None:
        return None
    title = lines[k] + (lines[k + 1] if k + 1 < len(lines) and TITLE_KEY not in lines[k] else "")
    above: list[str] = []
    for x in reversed(lines[max(0, k - 2):k]):
        if not _title_like(x):
            break
        above.insert(0, x)
    found, used = issuer_in_title(title), 0
    while found is None and used < len(above):  # the issuer on its own line(s) above the title
        used += 1
        found = issuer_in_title("".join(above[-used:]) + title)
    if found is None:
        return None  # a bare title: the caller looks at the signature block
    rest = above[:len(above) - used]
    if rest and (len(found) < 5 or PLACE_ONLY.match(rest[-1])):
        # the issuer itself wrapped: 淮安市 / 洪泽区人民政府…, 经济技术开发区 / 管理委员会…
        if name := issuer_in_title("".join(above[-used - 1:]) + title):
            return name
    return found


def issuer_in_signature(lines: list[str]) -> str | None:
    """The issuer signing the report: an issuer-like line just above (or beside) the closing date."""
    lines = [compact(line) for line in lines]
    for i in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        m = DATE.search(lines[i])
        if not m:
            continue
        before = lines[i][:m.start()]
        if is_issuer(before):
            return before
        for prev in reversed(lines[max(0, i - 2):i]):
            if is_issuer(prev):
                return prev
        return None
    for line in lines:
        m = re.search(r"填报单位[（(]?盖章[）)]?[：:]\s*(\S+)", line)
        if m and is_issuer(m.group(1)):
            return m.group(1)
    return None


def publication_date(lines: list[str]) -> tuple[int, int] | None:
    """(year, month) of the closing date at the end of the report, if printed."""
    for line in reversed([compact(x) for x in lines][-12:]):
        if m := DATE.search(line):
            return int(m.group(1)), int(m.group(2))
    return None
