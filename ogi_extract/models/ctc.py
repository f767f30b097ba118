"""Several readings of one text line from a CTC recognizer's per-step probabilities.

Greedy decoding keeps one reading and throws away what the network was unsure about; a
prefix beam search (Graves 2012; Hannun et al. 2014) keeps the k most probable label sequences,
summing over the alignments of each, so "1" vs "7" or "3" vs "8" both survive with their
probabilities. Steps where blank is near certain are skipped and each step keeps only its few
likeliest characters, so a large alphabet (PP-OCR: 18k characters) costs little.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

BLANK = 0  # index of the CTC blank in both recognizers' alphabets
MIN_CHAR_PROB = 1e-3  # characters below this at a step are not extended


def greedy(probs: np.ndarray, charset: list[str]) -> tuple[str, float]:
    """Best-path reading and its mean character probability (PP-OCR's confidence)."""
    best = probs.argmax(1)
    keep = [t for t in range(len(best)) if best[t] != BLANK and (t == 0 or best[t] != best[t - 1])]
    text = "".join(charset[best[t]] for t in keep)
    return text, float(np.mean([probs[t, best[t]] for t in keep])) if keep else float(probs[:, BLANK].mean())


def beam(probs: np.ndarray, charset: list[str], k: int = 5, width: int = 12, per_step: int = 4) -> list[tuple[str, float]]:
    """The `k` most probable readings with their probabilities (sum over alignments), best first.

    `probs`: T x C softmax outputs, index 0 the blank; `charset[i]` the text of class i.
    """
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (1.0, 0.0)}  # prefix -> (p ends in blank, p ends in char)
    for t in range(probs.shape[0]):
        row = probs[t]
        if row[BLANK] > 0.999:  # nothing happens here: every prefix simply absorbs a blank
            beams = {p: ((b + c) * row[BLANK], 0.0) for p, (b, c) in beams.items()}
            continue
        likeliest = np.argpartition(row, -per_step)[-per_step:]  # not a sort of all 18k classes a step
        top = [int(i) for i in likeliest[np.argsort(row[likeliest])[::-1]] if i != BLANK and row[i] >= MIN_CHAR_PROB]
        nxt: dict[tuple[int, ...], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for prefix, (pb, pc) in beams.items():
            nxt[prefix][0] += (pb + pc) * row[BLANK]
            last = prefix[-1] if prefix else None
            for i in top:
                p = row[i]
                if i == last:
                    nxt[prefix][1] += pc * p  # a repeat collapses, unless a blank came between
                    nxt[prefix + (i,)][1] += pb * p
                else:
                    nxt[prefix + (i,)][1] += (pb + pc) * p
        ranked = sorted(nxt.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:width]
        beams = {p: (v[0], v[1]) for p, v in ranked}
    out = sorted(((("".join(charset[i] for i in p)), b + c) for p, (b, c) in beams.items()), key=lambda r: -r[1])
    return [(text, float(p)) for text, p in out[:k] if p > 0]  # a sure model leaves others at 0 (underflow)


def merged(readings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Readings that differ only by spaces are one reading: their probabilities add up."""
    out: dict[str, float] = {}
    for text, p in readings:
        key = "".join(text.split())
        out[key] = out.get(key, 0.0) + p
    return sorted(out.items(), key=lambda tp: -tp[1])
