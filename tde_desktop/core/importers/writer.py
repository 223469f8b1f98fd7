"""Streams rows from any importer into a new dataset table, atomically.

Every importer produces rows of text and hands them to :func:`write_dataset`.
The writer makes column names safe (:mod:`.catalogue`), infers types chunk by chunk
(the rules of :mod:`.type_rules`, applied by :mod:`.column_types`), converts values,
inserts them, and writes the catalogue and dictionary rows, all inside one
transaction: a failure, a cancel or a kill leaves no table and no catalogue row behind.

A column's type is the one that fits every value of the whole file, and every
value is stored as that type says. To insert rows at once, the writer guesses
the types from the first chunk; when a later chunk changes a column's type (a
leading zero in a column thought numeric, a decimal in one thought whole) it
stops inserting, reads on to learn the final types, and starts again from the
top with them. So the stored values never depend on where chunks begin, and the
fast path for well-formed UTF-8 files (:mod:`.fast_csv`), which learns the
types in a first pass, stores exactly the same values.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Protocol

from tde_desktop.core.errors import ProgressCallback, report
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import ngettext
from tde_desktop.core.importers import column_types as ct
from tde_desktop.core.importers import type_rules as rules
from tde_desktop.core.importers.catalogue import (
    EXTRA_COLUMN,
    GeoColumns,
    Provenance,
    WrittenTable,
    import_errors,
    prepare_columns,
    unique_table_name,
    write_catalogue,
)
from tde_desktop.core.pack import DatasetInfo, Pack, quote

__all__ = ["GeoColumns", "Provenance", "RowSource", "write_dataset"]

#: cells read before the table is created with the types they suggest, then per chunk
FIRST_CHUNK_CELLS = 400_000
CHUNK_CELLS = 200_000


class RowSource(Protocol):
    """What an importer hands to the writer."""

    headers: list[str]

    def rows(self) -> Iterator[list[str]]:
        """A fresh iterator over data rows (text cells; may be ragged)."""

    def position(self) -> tuple[int, int]:
        """(work done, total work) for progress, in any unit; total 0 if unknown."""

    def sha256(self) -> str:
        """Hex SHA-256 of the original bytes, valid once :meth:`rows` is exhausted."""


class _Restart(Exception):
    def __init__(self, final_kinds: list[str]) -> None:
        self.final_kinds = final_kinds


def _same_storage(provisional: str, kind: str) -> bool:
    """Whether rows stored while a column was ``provisional`` are right for ``kind``.

    Only a column with no value in the first chunk that turns out to be text keeps
    its rows: both store every cell as it was read, empty cells as NULL.
    """
    return provisional == kind or (provisional == rules.UNKNOWN and kind == rules.TEXT)


class _Job:
    """One attempt at writing a dataset; a restart makes a new job."""

    def __init__(self, pack: Pack, source: RowSource, names: list[str], table: str,
                 states: list[ct.ColumnState], progress: ProgressCallback | None) -> None:
        self.pack = pack
        self.source = source
        self.names = names
        self.ncols = len(names)
        self.table = table
        self.states = states
        self.progress = progress
        self.row_count = 0
        self.short_lines: list[int] = []
        self.long_lines: list[int] = []
        self.provisional: list[str] = []
        self.scan_only = False
        self.has_extra = False
        self.missing = [0] * len(names)  # cells stored as NULL, counted as they are written
        self.extras_present = 0

    def _chunks(self) -> Iterator[list[list[str]]]:
        rows = filter(None, self.source.rows())  # blank lines are not rows
        size = max(20, FIRST_CHUNK_CELLS // max(1, self.ncols))
        while True:
            chunk = list(itertools.islice(rows, size))
            if not chunk:
                return
            yield chunk
            size = max(20, CHUNK_CELLS // max(1, self.ncols))

    def _square(self, chunk: list[list[str]]) -> list[str | None]:
        """Pad short rows, move extra fields of long rows aside; returns the extras."""
        n = self.ncols
        extras: list[str | None] = [None] * len(chunk)
        if set(map(len, chunk)) == {n}:
            return extras
        for i, row in enumerate(chunk):
            if len(row) < n:
                self.short_lines.append(self.row_count + i + 2)
                row.extend([""] * (n - len(row)))
            elif len(row) > n:
                extra = row[n:]
                del row[n:]
                if any(extra):
                    self.long_lines.append(self.row_count + i + 2)
                    extras[i] = json.dumps(extra, ensure_ascii=False)
        return extras

    def run(self) -> None:
        """Write every row with the types known so far.

        Raises :class:`_Restart` with the final types when a chunk changed a type in a
        way that makes the rows already stored wrong (the rest of the file is then only
        read, to learn the final types).
        """
        for chunk in self._chunks():
            extras = self._square(chunk)
            if not chunk:
                continue
            columns = list(zip(*chunk))  # noqa: B905 - _square made every row the same width
            plain = [state.observe(col) for state, col in zip(self.states, columns, strict=True)]
            if not self.provisional:
                self.provisional = [s.best() for s in self.states]
                self._create_table(self.provisional)
            elif not self.scan_only and not all(
                _same_storage(p, s.best())
                for p, s in zip(self.provisional, self.states, strict=True)
            ):
                self.scan_only = True
            if not self.scan_only:
                self._insert(chunk, columns, plain, extras)
            self.row_count += len(chunk)
            done, total = self.source.position()
            report(self.progress, done, total,
                   ngettext("Imported {n:,} row", "Imported {n:,} rows",
                            self.row_count).format(n=self.row_count))
        if self.scan_only:
            raise _Restart([s.best() for s in self.states])
        if not self.provisional:  # header only: an empty dataset
            self.provisional = [rules.UNKNOWN] * self.ncols
            self._create_table(self.provisional)

    def _create_table(self, kinds: list[str]) -> None:
        cols_sql = ", ".join(f"{quote(n)} {rules.affinity(k)}".rstrip()
                             for n, k in zip(self.names, kinds, strict=True))
        self.pack.conn.execute(f"CREATE TABLE {quote(self.table)} ({cols_sql})")

    def _insert(self, chunk: list[list[str]], columns: list[tuple[str, ...]],
                plain: list[bool | list[float]], extras: list[str | None]) -> None:
        """Convert one chunk for the current types and insert it."""
        converted = [
            ct.converter(s.best())(col, p)
            for s, col, p in zip(self.states, columns, plain, strict=True)
        ]
        empties = self._count_missing(columns, plain)
        self.extras_present += len(extras) - extras.count(None)
        if any(e is not None for e in extras):
            self._add_extra_column()
        # NULLIF turns empty cells into NULL inside SQLite, so most chunks go from the CSV
        # reader to executemany without a Python pass over their values; it is only put on
        # the columns that have an empty cell in this chunk.
        placeholders = ",".join("NULLIF(?, '')" if e else "?" for e in empties)
        conn = self.pack.conn
        if self.has_extra:
            conn.executemany(f"INSERT INTO {quote(self.table)} VALUES ({placeholders}, ?)",
                             zip(*converted, extras))  # noqa: B905
            return
        unchanged = all(c is col for c, col in zip(converted, columns, strict=True))
        conn.executemany(f"INSERT INTO {quote(self.table)} VALUES ({placeholders})",
                         chunk if unchanged else zip(*converted))  # noqa: B905

    def _count_missing(self, columns: list[tuple[str, ...]],
                       plain: list[bool | list[float]]) -> list[int]:
        """Add up the cells this chunk stores as NULL (empty, or a marker in a typed column).

        Returns the number of empty cells of each column in this chunk.
        """
        empties = []
        for i, (col, state, is_plain) in enumerate(zip(columns, self.states, plain,
                                                         strict=True)):
            n = empty = col.count("")
            kind = state.best()
            if kind not in (rules.TEXT, rules.UNKNOWN) and is_plain is False:
                n += sum(col.count(m) for m in rules.MISSING_MARKERS if m)
            self.missing[i] += n
            empties.append(empty)
        return empties

    def _add_extra_column(self) -> None:
        if not self.has_extra:
            self.pack.conn.execute(
                f"ALTER TABLE {quote(self.table)} ADD COLUMN {EXTRA_COLUMN} TEXT")
            self.has_extra = True


def write_dataset(
    pack: Pack,
    source: RowSource,
    provenance: Provenance,
    *,
    type_overrides: dict[str, str] | None = None,
    geo: GeoColumns | None = None,
    warnings: list[str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Write ``source`` as a new dataset; all or nothing.

    ``type_overrides`` maps an original or safe column name to one of
    :data:`.type_rules.USER_TYPES`. Returns the new catalogue entry. Raises
    :class:`ImportFailed` (nothing written) or :class:`Cancelled` (nothing written).
    """
    display, names, states, name_warnings = prepare_columns(pack, source.headers,
                                                             type_overrides)
    all_warnings = list(warnings or []) + name_warnings
    table = unique_table_name(pack, provenance.title)
    # WAL + NORMAL during a bulk import: still atomic, and a crash mid-import rolls
    # back; only durability of the final commit on power loss is relaxed.
    pack.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with import_errors(), paused_gc(), pack.atomic():
            job = _Job(pack, source, names, table, states, progress)
            try:
                job.run()
            except _Restart as restart:
                pack.conn.execute(f"DROP TABLE IF EXISTS {quote(table)}")
                for state, kind in zip(states, restart.final_kinds, strict=True):
                    if state.forced is None:
                        state.kinds = {kind} if kind in rules.KINDS else set()
                job = _Job(pack, source, names, table, states, progress)
                job.run()
            written = WrittenTable(
                table=table, names=names, states=states, row_count=job.row_count,
                missing=job.missing, sha256=provenance.sha256 or source.sha256(),
                short_lines=job.short_lines, long_lines=job.long_lines,
                has_extra=job.has_extra, extras_present=job.extras_present)
            info = write_catalogue(pack, written, display, provenance, geo, all_warnings)
    finally:
        pack.conn.execute("PRAGMA synchronous = FULL")
        close = getattr(source, "close", None)
        if close is not None:
            close()
    return info
