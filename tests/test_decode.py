"""CTC top-k readings: the prefix beam search against brute-force summing over every alignment."""

from __future__ import annotations

import itertools

import numpy as np

from ogi_extract.models.ctc import beam, greedy, merged

CHARSET = ["", "1", "7", "0"]


def _collapse(path: tuple[int, ...]) -> str:
    out, last = [], None
    for i in path:
        if i != last and i != 0:
            out.append(CHARSET[i])
        last = i
    return "".join(out)


def _brute_force(probs: np.ndarray) -> dict[str, float]:
    """P(text) = sum over alignments that collapse to it."""
    totals: dict[str, float] = {}
    for path in itertools.product(range(probs.shape[1]), repeat=probs.shape[0]):
        p = float(np.prod([probs[t, i] for t, i in enumerate(path)]))
        totals[_collapse(path)] = totals.get(_collapse(path), 0.0) + p
    return totals


def test_beam_equals_the_sum_over_alignments():
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(len(CHARSET)) * 0.7, size=5)
    exact = sorted(_brute_force(probs).items(), key=lambda kv: -kv[1])[:4]
    found = beam(probs, CHARSET, k=4, width=200, per_step=len(CHARSET))
    assert [t for t, _ in found] == [t for t, _ in exact]
    assert np.allclose([p for _, p in found], [p for _, p in exact], atol=1e-9)


def test_beam_keeps_the_runner_up_readings():
    # two uncertain digits split by a sure blank: every combination survives, with its probability
    probs = np.array([[0.0, 0.55, 0.45, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.35, 0.65, 0.0]])
    text, _ = greedy(probs, CHARSET)
    assert text == "17"
    readings = dict(beam(probs, CHARSET, k=4))
    assert set(readings) == {"17", "77", "11", "71"}
    assert abs(readings["17"] - 0.55 * 0.65) < 1e-9


def test_readings_differing_by_spaces_merge():
    assert merged([("1 2", 0.3), ("12", 0.5), ("7", 0.2)]) == [("12", 0.8), ("7", 0.2)]
