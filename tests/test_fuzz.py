"""Bounded fuzzing (hypothesis): loading mutated files, parsing numbers and labels never crashes.

The long run with recorded inputs and crash counts is benchmarks/fuzz.py; each crash it found is a
named regression test here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_extract.inference.values import parse_number
from ogi_extract.settings import Settings
from ogi_extract.training.fuzz import label_target, load_target, mutate, number_target, seeds

SEEDS = seeds()
EDITS = st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 3), st.integers(0, 255)), min_size=1, max_size=8)
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("kind", sorted(SEEDS))
@BOUNDED
@given(edits=EDITS)
def test_mutated_files_load_or_raise_input_errors(kind, edits):
    load_target(mutate(SEEDS[kind], edits))


NUMBERISH = st.text(alphabet=st.sampled_from("0123456789.,，-+ 万元件次()（）OoIl|一—/无\u3000"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NUMBERISH, st.text(max_size=30)))
def test_number_parser_never_crashes(text):
    number_target(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_label_normalizer_never_crashes(text):
    label_target(text)


def test_tiff_with_an_unknown_compression_tag_is_a_corrupt_file():
    from conftest import DATA

    from ogi_extract.errors import CorruptFileError
    from ogi_extract.inference.load import load_document

    with pytest.raises(CorruptFileError, match="KeyError"):  # was an uncaught KeyError: 159 (benchmarks/fuzz.py)
        load_document((DATA / "fuzz" / "tiff-unknown-compression.bin").read_bytes(), Settings())


def test_regressions_found_by_fuzzing():
    assert parse_number("9" * 5000) == parse_number("x")  # int() refuses 4,301+ digits
    assert parse_number("1." + "9" * 400).value is None  # float() gave inf, written as Infinity
    assert parse_number("1,234").value == 1234 and parse_number("12.5万元").unit == "万元"
