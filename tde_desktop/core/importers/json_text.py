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

#: bytes of a chunk Arrow parses per thread (a longer record is parsed whole)
BLOCK_BYTES = 1 << 20
#: doubles at least this large that are whole may have been integers too long for
#: int64, which the Python path keeps as written
_EXACT_LIMIT = float(2 ** 53)


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


def as_text(column: Any) -> Any:
    """One column of a parsed chunk as a string array; null and absent values ''."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
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
    return pc.fill_null(text, "")


def _float_text(column: Any) -> Any:
    """Decimals as Python's ``repr`` writes them."""
    big = pc.and_(pc.greater_equal(pc.abs(column), _EXACT_LIMIT),
                  pc.equal(pc.floor(column), column))
    if pc.any(big).as_py():
        raise NotForThisPath("a whole number too long for a 64-bit integer")
    text = pc.cast(column, pa.string())
    whole = pc.match_substring_regex(text, r"^-?[0-9]+$")
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
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
