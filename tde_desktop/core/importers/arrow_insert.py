"""The fast paths' way into the pack: Arrow batches, a scratch SQLite file, one copy.

The fast CSV, JSON and sheet imports (:mod:`.fast_csv`, :mod:`.fast_json`,
:mod:`.fast_sheet`) convert their rows to Arrow columns and hand them here:

- :class:`Writer` converts each batch and inserts it on a worker thread, through the
  ADBC SQLite driver, which binds whole Arrow columns in C (:class:`ConvertingWriter`
  also shares the converting with the reading thread);
- :class:`Scratch` is the scratch SQLite file the rows go into first;
- :func:`copy_into_pack` copies the finished scratch table into a new table of the
  pack with one ``INSERT ... SELECT``, inside the pack's own transaction with its
  catalogue rows, so the pack is changed all at once or not at all.

(The scratch file is needed because ADBC carries its own copy of SQLite, and two
copies of SQLite must never open the same database file in one process: one closing
the file drops the other's locks.)
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tde_desktop.core.importers.catalogue import (
    GeoColumns,
    Provenance,
    WrittenTable,
    import_errors,
    unique_table_name,
    write_catalogue,
)
from tde_desktop.core.importers.type_rules import affinity
from tde_desktop.core.pack import DatasetInfo, Pack, quote

STAGED = "staged"
#: the scratch file is thrown away after a failure, so it needs no journal, no fsync
#: and no lock others could share; 64 KiB pages take a sixteenth of the write calls.
#: (The pack's own write, the copy, keeps its journal and sync: see copy_into_pack.)
SCRATCH_PRAGMAS = ("PRAGMA page_size = 65536", "PRAGMA journal_mode = OFF",
                    "PRAGMA synchronous = OFF", "PRAGMA locking_mode = EXCLUSIVE")


class NotForThisPath(Exception):
    """Something in the file that only the Python path handles; nothing was written."""


class Writer:
    """Converts batches and hands them to SQLite on a worker thread.

    SQLite inserts one batch while the next is converted (both run in C without the
    GIL). Leaving the block waits for the last insert; a cancel waits too, and the
    scratch file is then closed uncommitted.
    """

    def __init__(self, staged: Scratch) -> None:
        self.staged = staged
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="tde-import")
        self._inserting: Future[None] | None = None

    def __enter__(self) -> Writer:
        return self

    def write(self, batch: Any, kinds: list[str], missing: list[int]) -> list[int]:
        """Convert ``batch`` for ``kinds`` and queue it; returns ``missing`` with its NULLs."""
        import pyarrow as pa

        from tde_desktop.core.importers.arrow_types import convert

        arrays = [convert(kind, column) for kind, column in zip(kinds, batch.columns,
                                                                strict=True)]
        converted = pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)
        self._wait()
        self._inserting = self._worker.submit(self.staged.insert, converted)
        return [m + a.null_count for m, a in zip(missing, arrays, strict=True)]

    def _wait(self) -> None:
        if self._inserting is not None:
            inserting, self._inserting = self._inserting, None
            inserting.result()

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        try:
            self._wait()
        finally:
            self._worker.shutdown(wait=True)


class ConvertingWriter(Writer):
    """The writer of delimited files: blocks are converted where there is time.

    A block goes to the worker whole (converted and inserted there) when the worker is
    free, so the reading thread only reads and checks types; while the worker is still
    busy with the block before, the reading thread converts the next one itself instead
    of waiting. The cells stored as NULL are counted in :attr:`nulls` (final once the
    block is left); ``write`` returns ``missing`` as given.
    """

    def __init__(self, staged: Scratch, ncols: int) -> None:
        super().__init__(staged)
        self._ncols = ncols
        self._counts: list[list[int]] = []  # NULLs per block (appended by either thread)

    @property
    def nulls(self) -> list[int]:
        """Cells stored as NULL so far, per column."""
        return [sum(column) for column in zip(*self._counts, strict=True)] or [0] * self._ncols

    def write(self, batch: Any, kinds: list[str], missing: list[int]) -> list[int]:
        if self._inserting is not None and not self._inserting.done():
            converted = self._convert(batch, kinds)
            self._wait()
            self._inserting = self._worker.submit(self.staged.insert, converted)
        else:
            self._wait()
            self._inserting = self._worker.submit(self._convert_and_insert, batch, list(kinds))
        return missing

    def _convert(self, batch: Any, kinds: list[str]) -> Any:
        import pyarrow as pa

        from tde_desktop.core.importers.arrow_types import convert

        arrays = [convert(kind, column) for kind, column in zip(kinds, batch.columns,
                                                                strict=True)]
        self._counts.append([a.null_count for a in arrays])
        return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)

    def _convert_and_insert(self, batch: Any, kinds: list[str]) -> None:
        self.staged.insert(self._convert(batch, kinds))


class Scratch:
    """The scratch SQLite file, written through the ADBC driver's low-level API.

    (Its DB-API module would import pandas and double the memory of an import.)
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Scratch:
        import adbc_driver_manager as adbc
        import adbc_driver_sqlite

        self._adbc = adbc
        self._insert: Any = None
        try:
            self._db = adbc_driver_sqlite.connect(str(self.path))
            self._conn = adbc.AdbcConnection(self._db)
            for pragma in SCRATCH_PRAGMAS:  # before the transaction, on the empty file
                self._run(pragma)
            self._conn.set_autocommit(False)
        except adbc.Error as exc:
            raise NotForThisPath(str(exc).splitlines()[0]) from exc
        return self

    def create(self, columns: list[str], kinds: list[str]) -> None:
        """(Re)create the scratch table with the given column types."""
        adbc = self._adbc
        try:
            if self._insert is not None:
                self._insert.close()
            for sql in (f"DROP TABLE IF EXISTS {STAGED}",
                        f"CREATE TABLE {STAGED} ({columns_sql(columns, kinds)})"):
                self._run(sql)
            self._insert = adbc.AdbcStatement(self._conn)
            self._insert.set_options(**{
                adbc.INGEST_OPTION_TARGET_TABLE: STAGED,
                adbc.INGEST_OPTION_MODE: adbc.INGEST_OPTION_MODE_APPEND})
        except adbc.Error as exc:
            raise NotForThisPath(str(exc).splitlines()[0]) from exc

    def _run(self, sql: str) -> None:
        statement = self._adbc.AdbcStatement(self._conn)
        try:
            statement.set_sql_query(sql)
            if sql.startswith("PRAGMA"):  # a pragma answers with a row: read and drop it
                handle, _rows = statement.execute_query()
                import pyarrow as pa

                pa.RecordBatchReader._import_from_c(handle.address).read_all()
            else:
                statement.execute_update()
        finally:
            statement.close()

    def insert(self, batch: Any) -> None:
        try:
            self._insert.bind(batch)
            self._insert.execute_update()
        except self._adbc.Error as exc:
            raise NotForThisPath(str(exc).splitlines()[0]) from exc

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        try:
            if kind is None:
                self._conn.commit()
        finally:
            if self._insert is not None:
                self._insert.close()
            self._conn.close()
            self._db.close()


def columns_sql(names: list[str], kinds: list[str]) -> str:
    return ", ".join(f"{quote(n)} {affinity(k)}".rstrip()
                     for n, k in zip(names, kinds, strict=True))


def copy_into_pack(pack: Pack, scratch: Path, provenance: Provenance, display: list[str],
                    geo: GeoColumns | None, warnings: list[str],
                    written: WrittenTable) -> DatasetInfo:
    """Copy the scratch table into a new table of the pack, with its catalogue rows."""
    conn = pack.conn
    written.table = unique_table_name(pack, provenance.title)
    kinds = [s.best() for s in written.states]
    with import_errors():
        conn.execute("ATTACH DATABASE ? AS tde_scratch", (str(scratch),))
        try:
            with pack.atomic():
                conn.execute(f"CREATE TABLE {quote(written.table)} "
                             f"({columns_sql(written.names, kinds)})")
                # Same column count and affinities: SQLite copies whole records.
                conn.execute(f"INSERT INTO main.{quote(written.table)} "
                             f"SELECT * FROM tde_scratch.{STAGED}")
                return write_catalogue(pack, written, display, provenance, geo, warnings)
        finally:
            conn.execute("DETACH DATABASE tde_scratch")
