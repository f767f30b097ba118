"""Small text classes a table reader needs: values, units, placeholders, numbering, lines."""

from __future__ import annotations

import re

from ogi_extract.types import Word

# A closing bracket may follow: OCR reads a lone 0 a fax broke as 0), and values.parse_number reads it 0.
NUMBER = re.compile(r"[-−+]?\d[\d,，.．]*%?[)）]?")

# Chinese characters: a label, header or unit (件, 次) has them; a value cell's number, however garbled (X for 8), has none.
CJK = re.compile(r"[\u4e00-\u9fff]")

UNITS = {"条", "件", "个", "人", "次", "篇", "人次", "元", "万元", "项", "家", "份", "场", "期", "天", "%"}
_UNIT_RUN = re.compile("(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")+")
PLACEHOLDER = re.compile(r"[—–―\-－─一/／\\、.。]+|无|空")  # OCR reads —— as 一 too
DIGIT_LOOKALIKES = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "，": ",", "．": "."}
_OCR_DIGITS = str.maketrans(DIGIT_LOOKALIKES)
_LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2),
    (re.compile(r"^\d+\s*[.、．]"), 3),
    (re.compile(r"^([（(]\d+[）)]|[①-⑳])"), 4),
)


def is_unit(text: str) -> bool:
    """A unit cell's text: 件, or units run together where a scan lost the rule between two cells (件件)."""
    return bool(_UNIT_RUN.fullmatch(text.replace(" ", "")))


def as_digits(text: str) -> str:
    """OCR's look-alikes of digits and separators (O, l, I, |, fullwidth ，．) as what they stand for."""
    return text.translate(_OCR_DIGITS)


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text.replace(" ", "")) is not None


def is_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.fullmatch(text.replace(" ", "")))


def is_value(text: str) -> bool:
    """A value cell's text: a number (OCR's O/l read as 0/1; a unit may follow), a placeholder (——), or nothing."""
    text = text.replace(" ", "")
    number = as_digits(text)
    unit = max((u for u in UNITS if number.endswith(u) and len(number) > len(u)), key=len, default="")
    return not text or is_placeholder(text) or is_number(number[: len(number) - len(unit)])


def level(label: str) -> int | None:
    """Numbering depth of a label: 一、 1, （一） 2, 1. 3, （1） 4; None when unnumbered."""
    return next((lvl for pattern, lvl in _LEVELS if pattern.match(label)), None)


ITEM = re.compile(r"^\s*(?:(\d+)\s*[.、．]|[（(](\d+)[）)])")


def item_number(label: str) -> tuple[int, int] | None:
    """(level, number) of a label numbered in digits: 4.… is (3, 4), （4）… is (4, 4)."""
    m = ITEM.match(label)
    return None if m is None else (3, int(m[1])) if m[1] else (4, int(m[2]))


def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        cy, h = (w.box[1] + w.box[3]) / 2, w.box[3] - w.box[1]
        for line in reversed(lines[-3:]):
            top, bottom = min(v.box[1] for v in line), max(v.box[3] for v in line)
            if top <= cy <= bottom and h < 2 * (bottom - top) and bottom - top < 2 * h:
                line.append(w)
                break
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]
