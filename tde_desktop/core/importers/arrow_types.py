"""The column type rules of :mod:`.type_rules` on Arrow columns.

The fast CSV path (:mod:`.fast_csv`) checks and converts a whole column of a batch
with Arrow compute functions (RE2 regular expressions and C++ casts) instead of
Python strings. The patterns are those of :data:`.type_rules.KINDS`, anchored to
whole values; RE2 never backtracks, so they need no atomic groups. The state of a
column is the Python path's :class:`.column_types.ColumnState`. Tests run every
rule through both engines, and import the same files both ways comparing every
stored value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tde_desktop.core.importers.column_types import ColumnState
from tde_desktop.core.importers.type_rules import (
    CENTURY_PIVOT,
    KINDS,
    LONG_DIGITS,
    MAX_DIGITS,
    MISSING_MARKERS,
    NUMERIC_KINDS,
    PREFERENCE,
    REAL_KINDS,
    SLASH_DATE_PARTS,
    TEXT,
    THOUSANDS,
    UNKNOWN,
    WIDER,
)


def _strings(values: list[str]) -> Any:
    """A small Arrow array of strings, built from its buffers.

    (``pa.array`` would first import pandas, to see whether it was handed a pandas
    object: 60 MB and 0.2 s that an import does not need.)
    """
    data = [v.encode() for v in values]
    offsets = np.cumsum([0, *map(len, data)], dtype=np.int32)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets),
                                       pa.py_buffer(b"".join(data)))


def _text(value: str) -> Any:
    """One Arrow string scalar (compute functions would convert a Python str with
    ``pa.scalar``, which imports pandas)."""
    return _strings([value])[0]


def _integer(value: int, arrow_type: Any, numpy_type: Any) -> Any:
    data = pa.py_buffer(np.array([value], dtype=numpy_type))
    return pa.Array.from_buffers(arrow_type, 1, [None, data])[0]


_MARKERS = _strings(sorted(MISSING_MARKERS))
_MARKER_BYTES = max(len(m.encode()) for m in MISSING_MARKERS)
_PM = _strings(["P", "p"])
_AM = _strings(["A", "a"])
_ANCHORED = {name: f"^(?:{kind.pattern})$" for name, kind in KINDS.items()}
_LONG_INTEGER = f"^(?:{LONG_DIGITS})$"
_LONG_BYTES = _integer(MAX_DIGITS + 1, pa.int32(), np.int32)
_SLASH_DATE = f"^(?:{SLASH_DATE_PARTS})$"
_NULL_TEXT = pa.StringArray.from_buffers(1, pa.py_buffer(np.zeros(2, np.int32)),
                                         pa.py_buffer(b""), pa.py_buffer(b"\x00"), 1)[0]
_EMPTY, _ZERO, _ZEROS, _DASH, _COLON, _T = map(_text, ["", "0", "00", "-", ":", "T"])
_CENTURY_20, _CENTURY_19, _PIVOT = map(_text, ["20", "19", f"{CENTURY_PIVOT:02d}"])
_NOON, _MIDNIGHT = _integer(12, pa.int8(), np.int8), _integer(0, pa.int8(), np.int8)
_TWO_DIGITS = _integer(2, pa.int32(), np.int32)

Column = Any  # a pyarrow Array or ChunkedArray of strings (pyarrow ships no type hints)


def _true(result: Any) -> bool:
    return bool(result.as_py())


def observe(state: ColumnState, column: Column, *, distinct: bool = True) -> bool:
    """Narrow a column's candidate kinds with one batch, as ``ColumnState.observe`` does.

    With ``distinct`` the checks run on the batch's distinct values, which is quicker
    when values repeat. Returns whether they did (so the caller can stop asking for a
    column whose values rarely repeat).
    """
    if state.forced is not None or not state.kinds:
        if not state.seen_value:
            state.seen_value = _has_value(column)
        return distinct
    if distinct:
        unique = pc.unique(column)
        distinct = len(unique) * 2 < len(column)
        column = unique
    if _all_markers(column):
        return distinct
    state.seen_value = True
    # (A value holding NUL matches no kind's pattern, so such a column becomes text
    # here as it does in column_types.)
    settled: set[str] = set()
    for kind in [k for k in PREFERENCE if k in state.kinds]:
        if kind in settled:
            continue
        if _fits_or_missing(column, _ANCHORED[kind]):
            settled |= WIDER.get(kind, frozenset())
        else:
            state.kinds.discard(kind)
    # Whole values of too many digits make a column text; only decimal patterns let
    # them through (the integer ones stop at MAX_DIGITS). No marker looks like one.
    if state.kinds & NUMERIC_KINDS and "integer" not in state.kinds and _has_long_digits(column):
        state.kinds -= NUMERIC_KINDS
    return distinct


def _all_markers(column: Column) -> bool:
    """Whether every value is a missing marker (never when one is longer than them all)."""
    longest = pc.max(pc.binary_length(column)).as_py()
    return longest is None or (longest <= _MARKER_BYTES
                               and _true(pc.all(pc.is_in(column, value_set=_MARKERS))))


def _fits_or_missing(column: Column, pattern: str) -> bool:
    """Whether every value matches ``pattern`` or is a missing marker.

    Only the values that do not match are looked up among the markers.
    """
    matched = pc.match_substring_regex(column, pattern)
    if _true(pc.all(matched)):
        return True
    others = pc.filter(column, pc.invert(matched))
    return _true(pc.all(pc.is_in(others, value_set=_MARKERS)))


def _has_long_digits(column: Column) -> bool:
    """Whether a value is a whole number of too many digits (:data:`LONG_DIGITS`).

    Such a value is at least that many bytes long and has no decimal point, so the
    pattern runs only on the values that pass those two cheap tests.
    """
    candidates = pc.and_(pc.greater_equal(pc.binary_length(column), _LONG_BYTES),
                         pc.invert(pc.match_substring(column, ".")))
    if not _true(pc.any(candidates)):
        return False
    return _true(pc.any(pc.match_substring_regex(pc.filter(column, candidates),
                                                 _LONG_INTEGER)))


def _has_value(column: Column) -> bool:
    """Whether any cell is neither empty nor a missing marker."""
    return not _true(pc.all(pc.is_in(column, value_set=_MARKERS)))


def convert(kind: str, column: Column) -> Column:
    """A batch of one column as it is stored for ``kind``; missing cells become null."""
    if kind in (TEXT, UNKNOWN):
        return _null_where(column, pc.equal(column, _EMPTY))
    rules = KINDS[kind]
    if rules.slash_order:
        return _iso_dates(column, day_first=rules.day_first)
    text = column if _no_markers(column) else _null_where(
        column, pc.is_in(column, value_set=_MARKERS))
    if rules.thousands:
        text = pc.replace_substring(text, THOUSANDS, "")
    if kind in REAL_KINDS:
        return pc.cast(text, pa.float64())
    if kind in NUMERIC_KINDS:
        return pc.cast(text, pa.int64())
    return text  # ISO dates and date-times are stored as written


def _iso_dates(column: Column, *, day_first: bool) -> Column:
    """``M/D/YYYY [h:mm[:ss] [AM|PM]]`` (or day first) as ISO-8601 text; others null.

    The same result as ``column_types._iso_from_match``, one whole column at a time.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    missing = None if _no_markers(column) else pc.is_in(column, value_set=_MARKERS)
    fixed = _fixed_width_iso(column, missing, day_first=day_first)
    if fixed is not None:
        return fixed
    parts = pc.extract_regex(column, _SLASH_DATE)

    def part(name: str) -> Column:
        return pc.struct_field(parts, name)

    month, day = (part("b"), part("a")) if day_first else (part("a"), part("b"))
    year = part("y")
    two_digit = pc.equal(pc.utf8_length(year), _TWO_DIGITS)
    century = pc.if_else(pc.less(year, _PIVOT), _CENTURY_20, _CENTURY_19)
    year = pc.if_else(two_digit, pc.binary_join_element_wise(century, year, _EMPTY), year)
    date = pc.binary_join_element_wise(year, pc.utf8_lpad(month, 2, "0"),
                                       pc.utf8_lpad(day, 2, "0"), _DASH)
    has_time = pc.not_equal(part("h"), _EMPTY)
    if _true(pc.any(has_time)):
        hour = pc.cast(pc.if_else(has_time, part("h"), _ZERO), pa.int8())
        ampm = part("ap")
        pm = pc.and_(pc.is_in(ampm, value_set=_PM), pc.less(hour, _NOON))
        midnight = pc.and_(pc.is_in(ampm, value_set=_AM), pc.equal(hour, _NOON))
        hour = pc.if_else(pm, pc.add(hour, _NOON), pc.if_else(midnight, _MIDNIGHT, hour))
        seconds = pc.if_else(pc.equal(part("s"), _EMPTY), _ZEROS, part("s"))
        clock = pc.binary_join_element_wise(pc.utf8_lpad(pc.cast(hour, pa.string()), 2, "0"),
                                            part("mi"), seconds, _COLON)
        date = pc.if_else(has_time, pc.binary_join_element_wise(date, clock, _T), date)
    return date if missing is None else pc.if_else(missing, _NULL_TEXT, date)


def _no_markers(column: Column) -> bool:
    """Whether no value can be a missing marker: each is longer than every marker.

    (A null cell counts as one that could be: the caller then looks them up.)
    """
    shortest = pc.min(pc.binary_length(column)).as_py()
    return not column.null_count and shortest is not None and shortest > _MARKER_BYTES


def _null_where(column: Column, is_null: Column) -> Column:
    """``column`` with the cells where ``is_null`` holds made null.

    A plain string array keeps its offsets and bytes (only a validity bitmap is made),
    and comes back as it is when no cell is null; any other is copied by ``if_else``.
    """
    nulls = pc.sum(is_null).as_py() or 0
    if (isinstance(column, pa.ChunkedArray) or column.offset or column.null_count
            or not pa.types.is_string(column.type)):
        return pc.if_else(is_null, _NULL_TEXT, column) if nulls else column
    if not nulls:
        return column
    valid = pc.invert(is_null)
    _none, offsets, data = column.buffers()
    return pa.Array.from_buffers(column.type, len(column), [valid.buffers()[1], offsets, data],
                                 nulls)


#: dates written at one fixed width, as portals export them: width -> pattern, 12-hour.
#: Not a rule of their own: a speed-up for values that already fit a slash-date kind of
#: type_rules (tests/core/test_type_rules.py has an example of each width).
_FIXED_SHAPES = {
    10: ("00/00/0000", False),
    19: ("00/00/0000 00:00:00", False),
    22: ("00/00/0000 00:00:00 AM", True),
}


def _fixed_width_iso(column: Column, missing: Column | None, *,
                     day_first: bool) -> Column | None:
    """ISO text for a column of dates all written in one fixed-width shape, else None.

    The bytes of the values are laid out as a matrix, one row per value, and the
    ISO text is assembled column by column of that matrix: no per-value work at all.
    """
    some_missing = missing is not None and (_true(pc.any(missing)) or column.null_count)
    values = pc.filter(column, pc.invert(missing)) if some_missing else column
    n = len(values)
    if n == 0:
        return None
    width = pc.min_max(pc.binary_length(values)).as_py()
    if width["min"] != width["max"] or width["min"] not in _FIXED_SHAPES:
        return None
    w = width["min"]
    shape, twelve_hour = _FIXED_SHAPES[w]
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32, count=n + 1,
                            offset=values.offset * 4)
    raw = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    text = raw[offsets[0]:offsets[0] + n * w].reshape(n, w)
    if not _fits_shape(text, shape):
        return None
    month, day = (text[:, 3:5], text[:, 0:2]) if day_first else (text[:, 0:2], text[:, 3:5])
    out_w = 10 if w == 10 else 19
    out = np.empty((n, out_w), dtype=np.uint8)
    out[:, 0:4] = text[:, 6:10]
    out[:, 4] = out[:, 7] = ord("-")
    out[:, 5:7] = month
    out[:, 8:10] = day
    if w > 10:
        out[:, 10] = ord("T")
        hour = (text[:, 11].astype(np.int16) - 48) * 10 + (text[:, 12] - 48)
        if twelve_hour:
            pm = (text[:, 20] | 0x20) == ord("p")
            hour = np.where(pm & (hour < 12), hour + 12, np.where(~pm & (hour == 12), 0, hour))
        out[:, 11] = hour // 10 + 48
        out[:, 12] = hour % 10 + 48
        out[:, 13] = out[:, 16] = ord(":")
        out[:, 14:16] = text[:, 14:16]
        out[:, 17:19] = text[:, 17:19]
    if not some_missing:
        return pa.StringArray.from_buffers(
            n, pa.py_buffer(np.arange(0, (n + 1) * out_w, out_w, dtype=np.int32)),
            pa.py_buffer(out))
    present = _bools(pc.invert(missing))
    new_offsets = np.zeros(len(column) + 1, dtype=np.int32)
    np.cumsum(np.where(present, out_w, 0), out=new_offsets[1:])
    return pa.StringArray.from_buffers(
        len(column), pa.py_buffer(new_offsets), pa.py_buffer(out),
        pa.py_buffer(np.packbits(present, bitorder="little")), len(column) - n)


#: what each character of a _FIXED_SHAPES shape allows, as a byte range (after
#: lower-casing the letters): "0" a digit, "A" the A of AM or P of PM, "M" an M
_SHAPE_BYTES = {"0": (ord("0"), ord("9")), "A": (ord("a"), ord("p")), "M": (ord("m"), ord("m"))}


def _shape_ranges(shape: str) -> tuple[Any, Any, Any]:
    """The bytes each position of ``shape`` allows: a lower-casing mask, low, high - low."""
    letters = np.array([0x20 if c in "AM" else 0 for c in shape], dtype=np.uint8)
    low, high = zip(*(_SHAPE_BYTES.get(c, (ord(c), ord(c))) for c in shape), strict=True)
    return letters, np.array(low, np.uint8), np.array(high, np.uint8) - np.array(low, np.uint8)


_SHAPE_RANGES = {shape: _shape_ranges(shape) for shape, _twelve in _FIXED_SHAPES.values()}


def _fits_shape(text: Any, shape: str) -> bool:
    """Whether every row of the byte matrix ``text`` is written as ``shape``.

    The regular expression ``[0-9]{2}/[0-9]{2}/...`` checked on whole columns of the
    matrix, one byte position at a time, as a range of allowed bytes.
    """
    letters, low, span = _SHAPE_RANGES[shape]
    if not bool(((text | letters) - low <= span).all()):  # (uint8: below low wraps high)
        return False
    ampm = shape.find("A")  # between a and p: only a or p
    if ampm < 0:
        return True
    lower = text[:, ampm] | 0x20
    return bool(((lower == ord("a")) | (lower == ord("p"))).all())


def _bools(mask: Any) -> Any:
    """A boolean Arrow array (no nulls) as a numpy array, read from its bitmap.

    (``to_numpy`` would import pandas.)
    """
    bits = np.frombuffer(mask.buffers()[1], dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[mask.offset:mask.offset + len(mask)] \
        .astype(bool)
