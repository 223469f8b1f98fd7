"""The fast path for one table of a spreadsheet: columns of text into the pack.

The Python path hands the writer (:mod:`.writer`) one row of text at a time. Here
a block of rows becomes columns of text at once (:mod:`.sheet_text`), then Arrow
string arrays, and the fast CSV path's machinery (:mod:`.fast_csv`) checks the
types with the shared Arrow rules, converts and inserts them with the ADBC SQLite
driver into a scratch file, copied into the pack in one transaction. The text of
every cell is the Python path's, so the stored values are the same (a test imports
workbooks both ways and compares every value).

As in the fast CSV path, rows are written with the types seen in the first
:data:`CHOOSE_TYPES_ROWS` rows; if a later block changes a type, writing stops, the
reading goes on to learn the final types, and a second pass writes everything
again. ``None`` is returned, with nothing written, when the fast path is missing
from the installation or the pack is inside a transaction.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from tde_desktop.core.errors import ProgressCallback, report
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import ngettext
from tde_desktop.core.importers import fast_csv
from tde_desktop.core.importers.catalogue import (
    GeoColumns,
    Provenance,
    WrittenTable,
    prepare_columns,
)
from tde_desktop.core.importers.scratch import scratch_file
from tde_desktop.core.pack import DatasetInfo, Pack

log = logging.getLogger(__name__)

#: rows whose types are used to start writing
CHOOSE_TYPES_ROWS = 50_000
#: a block of columns (lists of text, or numpy arrays of finite floats) and where the
#: reading is, as (done, total)
Blocks = Callable[[], Iterator[tuple[list[Any], tuple[int, int]]]]


def write_text_columns(pack: Pack, blocks: Blocks, headers: list[str], provenance: Provenance,
                       *, sha256: Callable[[], str], warnings: list[str],
                       progress: ProgressCallback | None,
                       type_overrides: dict[str, str] | None = None,
                       release: Callable[[], None] | None = None) -> DatasetInfo | None:
    """Write the blocks of text columns ``blocks()`` gives as a new dataset.

    ``blocks`` may be called twice (when a type changes after writing began);
    ``release`` is called once the last block has been read, before the rows are
    copied into the pack, so that what the blocks came from can be let go first.
    """
    if pack.conn.in_transaction or not set((type_overrides or {}).values()) <= {
            "text", "date", "datetime"}:  # (a forced number: see fast_csv._OVERRIDES)
        return None
    try:  # only checking that the fast path is installed
        import adbc_driver_manager  # noqa: F401
        import adbc_driver_sqlite  # noqa: F401
        import pyarrow  # noqa: F401

        from tde_desktop.core.importers import arrow_types  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - missing or broken in this installation
        log.info("using the Python importer (%s)", exc)
        return None
    display, names, states, name_warnings = prepare_columns(pack, headers, type_overrides)
    columns = [f"c{i}" for i in range(len(names))]
    pack.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with scratch_file() as scratch:
            with fast_csv._Scratch(scratch) as staged, _system_pool():
                rows, missing, changed = _write(blocks, states, staged, columns, progress, None)
                if changed:
                    rows, missing, _c = _write(blocks, states, staged, columns, progress,
                                               [s.best() for s in states])
            if release is not None:
                release()
            return fast_csv._copy_into_pack(
                pack, scratch, provenance, display, GeoColumns(), [*warnings, *name_warnings],
                WrittenTable(table="", names=names, states=states, row_count=rows,
                             missing=missing, sha256=sha256()))
    except fast_csv._NotForThisPath as exc:
        log.info("using the Python importer (%s)", exc)
        return None
    finally:
        pack.conn.execute("PRAGMA synchronous = FULL")


@contextlib.contextmanager
def _system_pool() -> Iterator[None]:
    """Arrow's buffers from the C allocator while a sheet is written.

    mimalloc, Arrow's default, keeps some of the freed buffers for reuse (about 4 MB
    of a 200,000 x 12 sheet's), on top of the parsed sheet still held; the C allocator
    returns them at once, at no measurable cost in time. (Each buffer is freed by the pool it
    came from, so the default can change back while some are still alive.)
    """
    import pyarrow as pa

    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def _write(blocks: Blocks, states: list[Any], staged: Any, columns: list[str],
           progress: ProgressCallback | None, final: list[str] | None
           ) -> tuple[int, list[int], bool]:
    """One pass: (rows, missing cells per column, whether a type changed while writing).

    The first pass (``final`` None) learns the types as it writes; the second writes
    with the ``final`` types.
    """
    import pyarrow as pa

    from tde_desktop.core.importers.arrow_types import observe

    rows = 0
    missing = [0] * len(columns)
    chosen = final
    changed = False
    distinct = [True] * len(columns)
    waiting: list[Any] = []
    if final is not None:
        staged.create(columns, final)
    with _Writer(staged) as writer, paused_gc():
        for texts, (done, total) in blocks():
            batch = pa.RecordBatch.from_arrays([_array(t) for t in texts], names=columns)
            rows += batch.num_rows
            if final is None:
                for i, (state, column) in enumerate(zip(states, batch.columns, strict=True)):
                    if pa.types.is_string(column.type):
                        distinct[i] = observe(state, column, distinct=distinct[i])
                    else:
                        observe(state, _sample(column), distinct=False)
            if chosen is None:
                waiting.append(batch)
                if rows >= CHOOSE_TYPES_ROWS:
                    chosen = [s.best() for s in states]
                    staged.create(columns, chosen)
                    for waited in waiting:
                        missing = writer.write(waited, chosen, missing)
                    waiting = []
            elif not changed:
                if final is None and [s.best() for s in states] != chosen:
                    changed = True
                else:
                    missing = writer.write(batch, chosen, missing)
            report(progress, done, total,
                   ngettext("Imported {n:,} row", "Imported {n:,} rows", rows).format(n=rows))
        if chosen is None:
            chosen = [s.best() for s in states]
            staged.create(columns, chosen)
            for waited in waiting:
                missing = writer.write(waited, chosen, missing)
    return rows, missing, changed


class _Writer(fast_csv._Writer):
    """The fast CSV path's writer, for columns that may still be numbers."""

    def write(self, batch: Any, kinds: list[str], missing: list[int]) -> list[int]:
        import pyarrow as pa

        arrays = [_stored(kind, column) for kind, column in zip(kinds, batch.columns,
                                                                 strict=True)]
        converted = pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)
        self._wait()
        self._inserting = self._worker.submit(self.staged.insert, converted)
        return [m + a.null_count for m, a in zip(missing, arrays, strict=True)]


def _array(values: Any) -> Any:
    """Text as a string array; a numpy array of floats as an Arrow one."""
    import pyarrow as pa

    if isinstance(values, list):
        return _strings(values)
    return pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(values)])


def _sample(column: Any) -> Any:
    """A few texts that fit exactly the kinds the text of every number fits.

    The kinds of a whole number depend only on its digits, so the smallest and the
    largest whole number speak for all; any other float is written by repr, which
    fits the decimal kinds only, as "0.5" does.
    """
    import numpy as np

    values = np.frombuffer(column.buffers()[1], dtype=np.float64, count=len(column),
                           offset=column.offset * 8)
    whole = (values == np.trunc(values)) & (np.abs(values) < 1e15)
    sample = []
    if whole.any():
        ends = values[whole]
        sample += [str(int(ends.min())), str(int(ends.max()))]
    if not whole.all():
        sample.append("0.5")
    return _strings(sample)


def _stored(kind: str, column: Any) -> Any:
    """A column as it is stored for ``kind``; text cells are converted by the shared rules."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from tde_desktop.core.importers.arrow_types import convert
    from tde_desktop.core.importers.sheet_text import float_texts
    from tde_desktop.core.importers.type_rules import INTEGER_KINDS, REAL_KINDS

    if not pa.types.is_string(column.type):
        if kind in INTEGER_KINDS:  # every value is whole and below 1e15
            return pc.cast(column, pa.int64())
        if kind in REAL_KINDS:
            return column
        import numpy as np

        values = np.frombuffer(column.buffers()[1], dtype=np.float64, count=len(column),
                               offset=column.offset * 8)
        column = _strings(float_texts(values))
    return convert(kind, column)


def _strings(values: list[str]) -> Any:
    """A string array built from its buffers (``pa.array`` would import pandas)."""
    import numpy as np
    import pyarrow as pa

    joined = "".join(values)
    sized: list[str] | list[bytes]
    if joined.isascii():  # one byte a character: no string need be encoded alone
        data, sized = joined.encode("ascii"), values
    else:
        encoded = list(map(str.encode, values))
        data, sized = b"".join(encoded), encoded
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, sized), dtype=np.int64, count=len(values)), out=offsets[1:])
    return pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(offsets),
                                            pa.py_buffer(data)).cast(pa.string())
