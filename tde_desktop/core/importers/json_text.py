"""Chunks of JSON records read by Arrow, as the cell text the Python path writes.

:mod:`.fast_json` hands chunks of flat records (one per line) to
:func:`parse_records`; :func:`as_text` turns each column into what
:func:`.json_import.to_text` would give for each value, so both paths see the same
text and the shared type rules decide the same types:

- strings as they are (Arrow would read ISO dates as timestamps: such keys are read
  again as text);
- whole numbers as written; decimals as Python's ``repr`` writes them (``1.0``,
  ``1e-05``), the common shapes in Arrow compute functions and the rare others
  (exponents, tiny values) by ``repr`` itself;
- booleans as ``true``/``false``; null and absent values as empty cells.

Anything else (a nested value, bytes that are not UTF-8, a whole number too large
for a 64-bit integer) raises :class:`NotForThisPath`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from tde_desktop.core.importers.arrow_types import convert, observe
from tde_desktop.core.importers.column_types import ColumnState
from tde_desktop.core.importers.type_rules import INTEGER_KINDS, REAL_KINDS

#: bytes of a chunk Arrow parses per thread (a longer record is parsed whole)
BLOCK_BYTES = 512 << 10
#: doubles at least this large that are whole may have been integers too long for
#: int64, which the Python path keeps as written
_EXACT_LIMIT = float(2 ** 53)


def _float(value: float) -> Any:
    """One float64 scalar (compute functions would make it with ``pa.scalar``, which
    imports pandas: 60 MB and 0.2 s an import does not need)."""
    return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(np.array([value]))])[0]


class NotForThisPath(Exception):
    """Something only the Python path handles; nothing was written to the pack."""


def parse_records(chunk: bytes, text_keys: dict[str, None]) -> Any:
    """A table of the records of ``chunk`` (JSON Lines), keys in order of appearance.

    ``text_keys`` collects the keys read as text rather than as timestamps; it is
    kept from chunk to chunk by the caller.
    """
    block = BLOCK_BYTES
    order: list[str] | None = None  # keys in order of appearance, from the first reading
    while True:
        schema = pa.schema([(k, pa.string()) for k in text_keys]) if text_keys else None
        try:
            table = pj.read_json(
                pa.BufferReader(chunk),
                read_options=pj.ReadOptions(block_size=block, use_threads=True),
                parse_options=pj.ParseOptions(explicit_schema=schema,
                                              unexpected_field_behavior="infer"))
        except pa.ArrowInvalid as exc:
            if "straddl" in str(exc) and block < len(chunk):
                block = len(chunk) + 1  # a record longer than a block: parse it whole
                continue
            raise NotForThisPath(str(exc).splitlines()[0]) from exc
        if order is None:
            order = table.column_names
        stamps = [f.name for f in table.schema if pa.types.is_temporal(f.type)]
        if not stamps:
            # (Arrow puts the keys it was told to read as text first.)
            return table.select(order) if table.column_names != order else table
        text_keys.update(dict.fromkeys(stamps))


def as_column(column: Any) -> Any:
    """One column of a parsed chunk, as it is kept until its type is known.

    Whole numbers and decimals stay numbers (their text is only made if the column
    turns out to be text); strings, booleans and nulls become text, null as ''.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    kind = column.type
    if pa.types.is_int64(kind):
        return column
    if pa.types.is_float64(kind):
        big = pc.and_(pc.greater_equal(pc.abs(column), _LIMIT),
                      pc.equal(pc.floor(column), column))
        if pc.any(big).as_py():
            raise NotForThisPath("a whole number too long for a 64-bit integer")
        return column
    return as_text(column)


def as_text(column: Any) -> Any:
    """A column as the text :func:`.json_import.to_text` gives; null values ''."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            column.validate(full=True)  # Arrow's JSON reader does not check UTF-8
        except pa.ArrowInvalid as exc:
            raise NotForThisPath("not UTF-8") from exc
        text = column.cast(pa.string())
    elif pa.types.is_null(kind):
        text = pa.nulls(len(column), pa.string())
    elif pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_floating(kind):
        text = _float_text(column)
    else:
        raise NotForThisPath(f"a column of {kind}")
    return pc.fill_null(text, _EMPTY)


def observe_column(state: ColumnState, column: Any, *, distinct: bool) -> bool:
    """:func:`.arrow_types.observe` for a column of :func:`as_column`.

    The type rules decide a column of numbers by the longest whole number alone (more
    than MAX_DIGITS digits make it text), and a decimal as Python writes it fits
    exactly the decimal kinds, so numbers are checked through a sample of their text:
    the smallest and largest whole number, or one decimal.
    """
    kind = column.type
    if pa.types.is_string(kind):
        return observe(state, column, distinct=distinct)
    if column.null_count == len(column):
        return distinct
    if pa.types.is_int64(kind):
        ends = pc.min_max(column).as_py()
        sample = _strings([str(ends["min"]), str(ends["max"])])
    else:
        sample = _strings(["0.5"])
    observe(state, sample, distinct=False)
    return distinct


def stored(kind: str, column: Any) -> Any:
    """A column of :func:`as_column` as it is stored for ``kind``; missing values null."""
    if not pa.types.is_string(column.type):
        if kind in INTEGER_KINDS:
            return column
        if kind in REAL_KINDS:
            return pc.cast(column, pa.float64())
        column = as_text(column)
    return convert(kind, column)


def _float_text(column: Any) -> Any:
    """Decimals as Python's ``repr`` writes them."""
    text = pc.cast(column, pa.string())
    whole = pc.match_substring_regex(text, r"^-?[0-9]+$")
    text = pc.if_else(whole, pc.binary_join_element_wise(text, _POINT_ZERO, _EMPTY), text)
    # repr switches to exponents below 1e-4 and from 1e16; Arrow's shortest form elsewhere.
    odd = pc.fill_null(pc.or_(pc.match_substring(text, "e"),
                              pc.match_substring_regex(text, r"^-?0\.0000")), False)
    if pc.any(odd).as_py():
        values = pc.filter(column, odd).to_pylist()
        text = pc.replace_with_mask(text, odd, _strings([repr(v) for v in values]))
    return text


def _strings(values: list[str]) -> Any:
    """A string array built from its buffers (``pa.array`` would import pandas)."""
    data = [v.encode() for v in values]
    offsets = np.cumsum([0, *map(len, data)], dtype=np.int32)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets),
                                       pa.py_buffer(b"".join(data)))


_EMPTY, _POINT_ZERO = _strings(["", ".0"])
_LIMIT = _float(_EXACT_LIMIT)
