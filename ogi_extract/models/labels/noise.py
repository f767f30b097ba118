"""Damage a printed label the way table readers do: numbering styles, spaces, wrapped lines,
dropped and OCR-confused characters, mixed widths; and near misses of official wordings."""

from __future__ import annotations

import random
import re

from ogi_extract.models.labels.features import normalize

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_CONFUSABLE = {
    "己": "已", "已": "己巳", "未": "末", "末": "未", "0": "OoD", "1": "lI|", "（": "(", "）": ")", "、": ",，.",
    "：": ":", "人": "入", "入": "人", "土": "士", "日": "曰", "于": "干", "开": "幵", "处": "外", "理": "埋",
    "政": "故", "申": "甲中", "请": "清", "数": "敫放", "量": "星", "总": "急", "息": "自", "信": "倍", "公": "么",
    "不": "个木", "会": "云", "围": "国", "答": "管", "参": "叁", "网": "冈", "办": "为", "复": "夏", "务": "各",
}


def _split_numbering(label: str) -> tuple[str, str]:
    body = normalize(label)
    s = re.sub(r"\s+", "", label)
    return s[: len(s) - len(body)] if s.endswith(body) else "", body


def renumber(label: str, rng: random.Random) -> str:
    """The label with its numbering printed another way (or dropped, or added)."""
    prefix, body = _split_numbering(label)
    qizhong = "其中：" if prefix.startswith("其中") else ""
    digits = re.findall(r"\d+", prefix)
    cn = [c for c in prefix if c in _CN]
    i = int(digits[0]) if digits else (_CN.index(cn[0]) + 1 if cn else rng.randint(1, 8))
    i = max(1, min(i, 10))
    styles = [f"（{_CN[i - 1]}）", f"({_CN[i - 1]})", f"{_CN[i - 1]}、", f"{i}.", f"{i}、", f"({i})", f"（{i}）",
              _CIRCLED[i - 1], f"{i}．", f"{i}", ""]
    if qizhong and rng.random() < 0.7:
        return rng.choice(["其中：", "其中:", "其中", "其中 "]) + rng.choice(["", "", styles[3], styles[4]]) + body
    return (prefix if rng.random() < 0.35 else rng.choice(styles)) + body


def add_spaces(s: str, rng: random.Random) -> str:
    p = rng.uniform(0.05, 0.35)
    return "".join(c + (" " if rng.random() < p else "") for c in s).strip()


def wrap(s: str, rng: random.Random) -> str:
    """A label broken over lines: joined with a space, or cut after the first line."""
    if len(s) < 6:
        return s
    k = rng.randint(max(3, len(s) // 3), len(s) - 2)
    if rng.random() < 0.4:  # only the first line was read
        return s[: max(k, (len(s) * 3 + 4) // 5)]
    return s[:k] + rng.choice([" ", "\n", ""]) + s[k:]


def drop_chars(s: str, rng: random.Random) -> str:
    chars = list(s)
    for _ in range(rng.randint(1, 2 if len(chars) > 6 else 1)):
        if len(chars) > 3:
            del chars[rng.randrange(len(chars))]
    return "".join(chars)


def confuse(s: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(s) if c in _CONFUSABLE]
    chars = list(s)
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
        chars[i] = rng.choice(_CONFUSABLE[chars[i]])
    return "".join(chars)


def width(s: str, rng: random.Random) -> str:
    """Mixed full/half width, as different PDF producers and OCR engines print it."""
    half = s.translate(str.maketrans("（）：，、．", "():,,."))
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)
    return rng.choice([half, full, s])


def noisy(label: str, rng: random.Random, strength: float = 1.0) -> str:
    """A label as a table reader might return it."""
    s = renumber(label, rng) if rng.random() < 0.6 else label
    for fn, p in ((width, 0.3), (wrap, 0.2), (drop_chars, 0.15), (confuse, 0.25), (add_spaces, 0.35)):
        if rng.random() < p * strength:
            s = fn(s, rng)
    return s


OTHER_MEASURES = ["率", "占比", "同比增长率", "满意度", "平均用时", "环比增减", "关注人数", "阅读量", "账号数", "留言数",
                  "排名", "得分", "预算执行率", "人均"]  # invented


def near_miss(label: str, rng: random.Random) -> str:
    """An official topic with another measure: a statistic that shares words with a metric but is none."""
    body = normalize(label)
    stem = re.sub(r"(总次数|次数|总数|数量|数)$", "", body)
    if rng.random() < 0.5:
        stem = stem[: rng.randint(2, max(2, min(6, len(stem))))]
    return stem + rng.choice(OTHER_MEASURES)
