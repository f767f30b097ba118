"""How real reports print the same row differently: numbering, 其中, quotes, synonyms, spacing.

`vary(label, rng)` rewrites a spec label into one of its printed forms, keeping its meaning
(the synonyms are the ones the labeling rules map to the same id). `EXTRA_*` are home-made
rows that mean no canonical metric: they must come out unmapped.
"""

from __future__ import annotations

import re

import numpy as np

CN = "一二三四五六七八九十"
SYNONYMS = {  # spec label (without numbering) -> printed alternatives, same meaning
    "不同意公开答复数": ["不予公开答复数", "否决公开答复数", "不同意公开数"],
    "申请信息不存在数": ["信息不存在数", "申请的信息不存在数"],
    "不属于本行政机关公开数": ["非本机关政府信息数", "不属于本机关公开数"],
    "属于已主动公开范围数": ["已主动公开数", "属于已主动公开范围的数量"],
    "主动公开政府信息数": ["主动公开政府信息总数", "主动公开信息数"],
    "政府网站公开政府信息数": ["政府网站公开信息数", "通过政府网站公开政府信息数"],
    "收到申请数": ["受理申请总数", "收到申请总数"],
    "网络申请数": ["网上申请数", "互联网申请数"],
    "申请答复数": ["答复申请数", "对申请的答复总数"],
    "部分公开（区分处理的，只计这一情形，不计其他情形）": ["部分公开"],
    "危及“三安全一稳定”": ["危及\"三安全一稳定\"", "危及三安全一稳定"],
    "本机关不掌握相关政府信息": ["本机关不掌握相关的政府信息"],
    "其他": ["其他情形"],
}
EXTRA_OGI2008 = [  # (label, unit, typical size): rows real statistical tables add
    ("信函、传真申请数", "件", 3), ("电子邮件申请数", "件", 3), ("其他类型答复数", "件", 2),
    ("政府信息公开收费减免金额", "元", 0), ("接受行政申诉、举报数", "件", 1), ("其他形式申请数", "件", 2),
    ("依申请公开信息减免的费用", "万元", 0), ("政务服务网公开政府信息数", "条", 300),
    ("主动公开政府信息数（历年累计）", "条", 20000), ("咨询答复数", "件", 50),
]
EXTRA_ART20 = {"（五）": ["行政确认", "行政奖励", "行政裁决", "行政给付"], "（六）": ["行政检查", "行政征收"]}


Numbering = dict[str, str]  # "cn" / "digit" -> a format for the number ("（{}）", "{}.")


def numbering(rng: np.random.Generator) -> Numbering:
    """One report's numbering styles: the same all through it."""
    return {"cn": str(rng.choice(["（{}）", "（{}）", "({})"])),
            "digit": str(rng.choice(["{}.", "{}.", "{}、", "{}．", "（{}）"]))}


def vary(label: str, rng: np.random.Generator, style: Numbering | None = None, p: float = 0.3) -> str:
    """One printed form of `label`: the report's numbering style, and with probability p a synonym
    or another 其中 form."""
    num, body = _split_number(label)
    if rng.random() < p:
        for base, alts in SYNONYMS.items():
            if body == base or body.endswith(base):
                body = body[: len(body) - len(base)] + str(rng.choice(alts))
                break
        if body.startswith("其中："):
            body = str(rng.choice(["其中:", "其中 ", ""])) + body[3:]
    return renumber(num, style) + body


def _split_number(label: str) -> tuple[str, str]:
    m = re.match(rf"^(（[{CN}]+）|\([{CN}]+\)|[{CN}]+、|\d+[.、．]|（\d+）)\s*", label)
    return (m.group(1), label[m.end():]) if m else ("", label)


def renumber(num: str, style: Numbering | None) -> str:
    """The same number in the report's style: （一） (一) 一、 / 1. 1、 1． （1）; top-level 一、 stays."""
    digits = re.sub(r"[（）()、.．]", "", num)
    if not num or style is None or (num.endswith("、") and not digits.isdigit()):
        return num
    return style["digit" if digits.isdigit() else "cn"].format(digits)


def indent(label: str, depth: int, unit: int) -> str:
    """Full-width-space indentation as in Word tables (the 2008 statistical table)."""
    return "\u3000" * (depth * unit) + label
