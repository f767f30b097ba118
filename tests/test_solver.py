"""The relation solver on a real table: the 镇海 2019 report's values (seed truth), as an OCR would read them."""

from __future__ import annotations

import json
from pathlib import Path

from ogi_extract.inference.checks import check_relations
from ogi_extract.inference.result import MetricValue
from ogi_extract.inference.solver import solve

TRUTH = json.loads((Path(__file__).parent / "data" / "seeds" / "truth" / "001_c76baea7d958f164.json").read_text("utf-8"))
FMT = TRUTH["format"]
TOTAL_ROW = [k for k in TRUTH["metrics"] if k.startswith("applications.total.")]  # （七）总计, printed 0 0 0 0 0 0 2


def _read(overrides: dict[str, list[tuple[int, float]]] | None = None, source: str = "ocr") -> dict[str, MetricValue]:
    """Every printed value read as printed with p=0.98 and a faint 1-digit alternative; `overrides`: other readings."""
    out = {}
    for key, value in TRUTH["metrics"].items():
        readings = (overrides or {}).get(key) or ([(value, 0.98), (value + 1, 0.01)] if value is not None else [])
        first = readings[0][0] if readings else None
        out[key] = MetricValue(value=first, raw="" if first is None else str(first), label="", page=1,
                               confidence=readings[0][1] if readings else 1.0, source=source,
                               alternatives=readings if source == "ocr" else [])
    return out


def _breaks(metrics: dict[str, MetricValue]) -> set[str]:
    return {r.relation for r in check_relations(metrics, FMT) if r.holds is False}


def test_a_misread_digit_is_put_right_by_the_relations():
    key = "applications.granted.natural_person"  # printed 1; read as 7, with 1 as the runner-up
    metrics = _read({key: [(7, 0.55), (1, 0.4)]})
    assert _breaks(metrics) > _breaks(_read())
    solved, warnings = solve(metrics, FMT)
    assert solved[key].value == 1
    assert solved[key].source == "relation-corrected"
    assert (solved[key].original, solved[key].original_probability) == ("7", 0.55)
    assert [k for k in solved if solved[k].value != metrics[k].value] == [key]
    assert _breaks(solved) == _breaks(_read())  # back to the report's own break, no more
    assert key in warnings[0]


def test_the_printed_zhenhai_break_stays_as_printed():
    # a surely read 0 in （七）总计 whose runner-up 1 would make two more relations hold
    metrics = _read({"applications.total.natural_person": [(0, 0.92), (1, 0.07)]})
    before = _breaks(metrics)
    assert any(r.startswith("applications.total.total") for r in before)
    solved, warnings = solve(metrics, FMT)
    assert warnings == []
    assert {k: m.value for k, m in solved.items()} == {k: m.value for k, m in metrics.items()}
    assert _breaks(solved) == before


def test_no_value_is_written_that_no_reading_supports():
    key = "applications.granted.natural_person"
    metrics = _read({key: [(7, 0.97), (1, 0.01)]})  # 1 would fix it, but nothing supports it
    solved, _ = solve(metrics, FMT)
    assert solved[key].value == 7 and solved[key].source == "ocr"
    assert all(m.source != "relation-corrected" for m in solved.values())


def test_text_layer_values_are_never_changed():
    solved, warnings = solve(_read(source="text_layer"), FMT)
    assert warnings == [] and all(m.source == "text_layer" for m in solved.values())
    assert set(TOTAL_ROW) <= set(solved)


def test_a_faint_digit_left_empty_is_filled_only_where_a_reading_makes_its_relations_hold():
    """A cell with ink the recognizer read below the fill threshold stays null on its own; the
    relations it alone kept from being checked decide among its readings. A sure blank, or a reading
    that would break a relation, leaves it empty."""
    key = "applications.granted.total"  # printed 1 (its row and column add up)
    metrics = _read({key: [(None, 0.6), (1, 0.3), (7, 0.1)]})
    solved, warnings = solve(metrics, FMT)
    assert (solved[key].value, solved[key].source, solved[key].original) == (1, "relation-corrected", "")
    assert [k for k in solved if solved[k].value != metrics[k].value] == [key] and key in warnings[0]
    for readings in ([(None, 0.95), (1, 0.05)], [(None, 0.6), (7, 0.4)]):
        solved, warnings = solve(_read({key: readings}), FMT)
        assert solved[key].value is None and warnings == []
