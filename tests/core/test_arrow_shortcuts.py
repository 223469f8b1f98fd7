"""The fast path's shortcuts give exactly what the patterns they stand for give.

``arrow_types`` skips work where a cheaper test decides the same thing: fixed-width
dates are checked byte by byte instead of by a regular expression, the too-many-digits
pattern runs only on values long enough and without a decimal point, and missing cells
become nulls without copying the text. Random values check each against the slow way.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from tde_desktop.core.importers import arrow_types
from tde_desktop.core.importers import type_rules as rules

#: the regular expression each fixed-width shape stands for
SHAPE_PATTERNS = {
    "00/00/0000": r"[0-9]{2}/[0-9]{2}/[0-9]{4}",
    "00/00/0000 00:00:00": r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}",
    "00/00/0000 00:00:00 AM":
        r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [AaPp][Mm]",
}
#: characters near the edges of what a shape allows (the bytes around '0'-'9', a, p, m)
NEAR = "0159/:./ -AaPpMmBbOoLlNn`@{" + "\x00\x7f"


def _matrix(values: list[str]) -> np.ndarray:
    data = b"".join(v.encode("latin-1") for v in values)
    return np.frombuffer(data, dtype=np.uint8).reshape(len(values), -1)


def test_the_shapes_are_those_of_the_patterns() -> None:
    assert {shape for shape, _twelve in arrow_types._FIXED_SHAPES.values()} == set(
        SHAPE_PATTERNS)
    for width, (shape, _twelve) in arrow_types._FIXED_SHAPES.items():
        assert len(shape) == width


@settings(max_examples=300, deadline=None)
@given(data=st.data(), shape=st.sampled_from(sorted(SHAPE_PATTERNS)))
def test_fixed_width_shapes_accept_what_their_pattern_accepts(data: st.DataObject,
                                                              shape: str) -> None:
    """Values one or two characters away from the shape, alone and in a column."""
    fitting = data.draw(st.from_regex(SHAPE_PATTERNS[shape], fullmatch=True)
                        .filter(lambda v: v.isascii()))
    chars = list(fitting)
    for _change in range(data.draw(st.integers(0, 2))):
        chars[data.draw(st.integers(0, len(shape) - 1))] = data.draw(st.sampled_from(NEAR))
    value = "".join(chars)
    expected = re.fullmatch(SHAPE_PATTERNS[shape], value) is not None
    assert arrow_types._fits_shape(_matrix([value]), shape) == expected, value
    assert arrow_types._fits_shape(_matrix([fitting, value, fitting]), shape) == expected


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(
    st.from_regex(r"-?[0-9]{1,16}(\.[0-9]{0,3})?", fullmatch=True),
    st.from_regex(r"[-+]?[0-9]{11,15}", fullmatch=True),
    st.text(alphabet="0123456789.-+e,", max_size=16)), min_size=1, max_size=8))
def test_long_digits_are_found_as_by_their_pattern(values: list[str]) -> None:
    column = pa.array(values, type=pa.string())
    expected = any(re.fullmatch(rules.LONG_DIGITS, v) for v in values)
    assert arrow_types._has_long_digits(column) == expected


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.sampled_from(["", "NA", "1", "2.5", "x", "é"]), max_size=12),
       start=st.integers(0, 3))
def test_missing_cells_become_null_as_if_copied(values: list[str], start: int) -> None:
    whole = pa.array(values, type=pa.string())
    column = whole.slice(min(start, len(values)))  # slices keep an offset: copied then
    for is_null in (pc.equal(column, ""), pc.is_in(column, value_set=arrow_types._MARKERS)):
        expected = pc.if_else(is_null, arrow_types._NULL_TEXT, column)
        got = arrow_types._null_where(column, is_null)
        assert got.to_pylist() == expected.to_pylist()
        assert got.null_count == expected.null_count
        assert pc.cast(got, pa.string()).to_pylist() == expected.to_pylist()


def test_fixed_width_dates_convert_alike_with_and_without_missing_cells() -> None:
    values = ["01/05/2023 01:05:00 PM", "12/31/2023 12:00:00 AM"]
    both = ["2023-01-05T13:05:00", "2023-12-31T00:00:00"]
    plain = arrow_types.convert("datetime_mdy", pa.array(values, type=pa.string()))
    assert plain.to_pylist() == both
    assert plain.null_count == 0
    gaps = arrow_types.convert("datetime_mdy", pa.array(["", *values, "N/A"], pa.string()))
    assert gaps.to_pylist() == [None, *both, None]
