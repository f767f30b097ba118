"""Cutting characters into words, shared by the text layer and the OCR engines.

Words are cut the same way whatever read them: at whitespace, line changes and horizontal gaps
wider than half a character height (two cells of one table row never merge into one word).
It sits below both `models/ocr` and `inference/`, so neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ogi_extract.types import BBox, Word, WordSource, union

GAP_RATIO = 0.5  # a gap wider than this many char heights starts a new word


def split_words(
    chars: Sequence[tuple[str, BBox]],
    source: WordSource,
    scores: Sequence[float] | None = None,
    gap_ratio: float = GAP_RATIO,
) -> list[Word]:
    """Group characters in reading order into words; a word's confidence is its weakest char's."""
    words: list[Word] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            cs = [chars[i] for i in run]
            conf = min(scores[i] for i in run) if scores is not None else 1.0
            words.append(word_of(cs, conf, source))
            run.clear()

    for i, (ch, box) in enumerate(chars):
        if not ch.strip():
            flush()
            continue
        if run and _breaks(chars[run[-1]][1], box, gap_ratio):
            flush()
        run.append(i)
    flush()
    return words


def _breaks(prev: BBox, box: BBox, gap_ratio: float) -> bool:
    """True when `box` cannot continue the word ending at `prev`."""
    h_prev, h = prev[3] - prev[1], box[3] - box[1]
    overlap = min(prev[3], box[3]) - max(prev[1], box[1])
    if overlap < 0.5 * min(h_prev, h):
        return True  # another line
    gap = box[0] - prev[2]
    return gap > gap_ratio * max(h_prev, h) or box[2] < prev[0]


def word_of(chars: Sequence[tuple[str, BBox]], confidence: float, source: WordSource) -> Word:
    """The word these characters make: their text joined, their boxes' union."""
    return Word("".join(c for c, _ in chars), union([b for _, b in chars]), confidence, source, list(chars))


def char_boxes(word: Word) -> list[tuple[str, BBox]]:
    """A word's characters with their boxes: the reader's, or spread evenly over the word."""
    if word.chars:
        return word.chars
    x0, y0, x1, y1 = word.box
    step = (x1 - x0) / max(len(word.text), 1)
    return [(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1)) for i, ch in enumerate(word.text)]
