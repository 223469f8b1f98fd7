"""The fast path for well-formed UTF-8 delimited files.

The Python path (:mod:`.writer`) handles every file but touches each cell in
Python. For the common case, a clean UTF-8 export such as a city portal gives,
this path does the same work in compiled code:

- Arrow's CSV reader parses the file (C++, on every core);
- :mod:`.arrow_types` checks and converts whole columns with Arrow compute functions;
- the ADBC SQLite driver binds the Arrow columns to an INSERT statement in C.

The file is read once: every block is checked (the column types narrow as in the
Python path), hashed, converted and written, with the types seen in the first
8 MB. Those are nearly always the final types; when a later block changes one (a
decimal in a column of whole numbers, say), writing stops, the reading goes on to
learn the final types, and a second pass writes everything again with them. So,
as in the Python path, every value is stored as the type of its whole column says.
Rows go into a scratch SQLite file, which is then copied into the pack with one
``INSERT ... SELECT`` inside the pack's own transaction, so the pack is changed
all at once or not at all (:mod:`.arrow_insert`, shared with the JSON and sheet
paths, says why the scratch file is needed).

Whatever this path would not handle exactly as the Python path does makes it
return ``None`` before the pack is touched, and the caller uses the Python path:
a row with too few or too many fields, bytes that are not in the file's encoding
(UTF-8, or the Windows code page cp1252 or Latin-1), a header that spans lines, a
column forced to be a number, a number Arrow cannot read, a pack already inside a
transaction, or pyarrow or the ADBC driver missing from the installation.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ProgressCallback, report
from tde_desktop.core.i18n import ngettext
from tde_desktop.core.importers import arrow_insert
from tde_desktop.core.importers import column_types as ct
from tde_desktop.core.importers.catalogue import (
    GeoColumns,
    Provenance,
    WrittenTable,
    prepare_columns,
)
from tde_desktop.core.importers.csv_gaps import BlankRows, check_empty_lines
from tde_desktop.core.importers.dialect import Dialect
from tde_desktop.core.importers.scratch import scratch_file
from tde_desktop.core.pack import DatasetInfo, Pack

log = logging.getLogger(__name__)

# The insert machinery lives in arrow_insert; the fast JSON and sheet paths reach it
# through these names too.
_NotForThisPath = arrow_insert.NotForThisPath
_Writer = arrow_insert.Writer
_ConvertingWriter = arrow_insert.ConvertingWriter
_Scratch = arrow_insert.Scratch
_copy_into_pack = arrow_insert.copy_into_pack

#: bytes Arrow parses at a time. Its reader reads up to 32 blocks ahead on a background
#: thread, so this sets the memory an import takes: at 384 KiB a million-row import
#: peaks under 200 MB and runs as fast as with blocks ten times larger.
BLOCK_BYTES = 384 << 10
#: rows are written with the types seen in this much of the file, usually the final
#: ones; a type that changes further down means writing again (see _Reader.read_all)
CHOOSE_TYPES_BYTES = 8 << 20
#: the encodings this path reads, as Arrow names them. UTF-8 is read as it is (Arrow
#: skips a byte-order mark); the Windows code page that Excel's "Save as CSV" writes,
#: and Latin-1, are decoded to UTF-8 block by block as the file is read.
_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8", "cp1252": "cp1252", "latin-1": "latin-1"}
#: types a facilitator may force on a column here: they keep the text as written (with
#: missing markers as NULL in a date column). Forcing a number keeps whatever is not a
#: number as text, by rules of Python's float() and SQLite's affinity: the Python path.
_OVERRIDES = {"text", "date", "datetime"}


class _CountingFile:
    """A binary file that counts (and optionally hashes) the bytes read through it.

    Only the bytes from ``start`` to ``end`` are handed out (the table between the rows
    above its header and the notes under it); the others are hashed all the same, those
    before ``start`` at once and those after ``end`` by :meth:`drain`.
    """

    def __init__(self, path: Path, sha256: Any = None, span: tuple[int, int] | None = None
                 ) -> None:
        self._f = path.open("rb")
        self.sha256 = sha256
        start, end = span or (0, None)
        self.end: int | None = end
        head = self._f.read(start)
        if self.sha256 is not None:
            self.sha256.update(head)
        self.done = len(head)
        self.closed = False
        self.line_feeds = self.returns = 0  # line ends handed out, to count the lines
        self.last = b""  # the last byte handed out

    def lines(self) -> int:
        """The lines handed out so far (LF, CRLF or CR-only line ends)."""
        ends = self.line_feeds or self.returns
        return ends + (1 if self.last not in (b"", b"\n", b"\r") else 0)

    def read(self, size: int = -1) -> bytes:
        if self.end is not None:
            left = max(0, self.end - self.done)
            size = left if size < 0 else min(size, left)
        data = self._f.read(size)
        self.done += len(data)
        if self.sha256 is not None:
            self.sha256.update(data)
        if self.end is not None:  # (not past the table, when drained)
            self.line_feeds += data.count(b"\n")
            self.returns += data.count(b"\r")
            self.last = data[-1:] or self.last
        return data

    def drain(self) -> None:
        """Read (and hash) everything left, past ``end`` too."""
        self.end = None
        while self.read(1 << 20):
            pass

    def close(self) -> None:
        self._f.close()
        self.closed = True


def import_fast(pack: Pack, path: Path, provenance: Provenance, *, encoding: str,
                dialect: Dialect, span: tuple[int, int], headers: list[str],
                header_cells: list[str], geo: GeoColumns | None,
                warnings: list[str], progress: ProgressCallback | None,
                type_overrides: dict[str, str] | None = None) -> DatasetInfo | None:
    """Import a well-formed delimited file; ``None`` when the Python path must do it.

    ``span`` is the bytes of the data rows (after the header, before any notes under
    the table); the SHA-256 is of the whole file. A row equal to the header (a second
    table) also leaves the file to the Python path, which says where it starts.
    """
    if (encoding not in _ENCODINGS or pack.conn.in_transaction
            or any("\n" in h or "\r" in h for h in headers)
            or not set((type_overrides or {}).values()) <= _OVERRIDES):
        return None
    try:  # only checking that the fast path is installed
        import adbc_driver_manager  # noqa: F401
        import adbc_driver_sqlite  # noqa: F401
        import pyarrow  # noqa: F401

        from tde_desktop.core.importers import arrow_types  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - missing or broken in this installation
        # (A frozen build that left out a file a package reads at import raises
        # FileNotFoundError, not ImportError: the Python path still imports the file.)
        log.info("%s: using the Python importer (%s)", path.name, exc)
        return None
    display, names, states, name_warnings = prepare_columns(pack, headers, type_overrides)
    reader = _Reader(path, dialect, len(names), progress, encoding)
    reader.span, reader.header_cells = span, header_cells
    # NORMAL while the import runs, as in the Python path (see RELIABILITY.md).
    pack.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with scratch_file() as scratch:
            with _Scratch(scratch) as staged:
                sha256 = reader.read_all(states, staged)
                if reader.types_changed:  # a later block changed a type: write again
                    reader.write_again(states, staged)
            return _copy_into_pack(
                pack, scratch, provenance, display, geo, [*warnings, *name_warnings],
                WrittenTable(table="", names=names, states=states, row_count=reader.rows,
                             missing=reader.missing, sha256=sha256))
    except _NotForThisPath as exc:
        log.info("%s: using the Python importer (%s)", path.name, exc)
        return None
    finally:
        pack.conn.execute("PRAGMA synchronous = FULL")


class _Reader:
    """One delimited file read by Arrow, batch by batch, as columns of text."""

    def __init__(self, path: Path, dialect: Dialect, ncols: int,
                 progress: ProgressCallback | None, encoding: str = "utf-8") -> None:
        self.path = path
        self.dialect = dialect
        self.span: tuple[int, int] | None = None
        self.header_cells: list[str] = []
        self.encoding = encoding
        self.columns = [f"c{i}" for i in range(ncols)]
        self.progress = progress
        self.total = path.stat().st_size
        self.rows = 0  # data rows, counted by the first pass
        self.missing = [0] * ncols  # cells stored as NULL, per column
        self.types_changed = False
        self._first_cell: Any = None  # the header's first cell, as an Arrow scalar
        self._gaps = BlankRows(self.header_cells, ncols)  # made again once header_cells is set

    @contextlib.contextmanager
    def _batches(self, sha256: Any = None) -> Iterator[tuple[_CountingFile, Iterator[Any]]]:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        source = _CountingFile(self.path, sha256, self.span)
        d = self.dialect
        if self.span and self.span[1] - self.span[0] < 4096 and not self._has_rows():
            try:  # a header alone (Arrow refuses an empty file): no batches
                yield source, iter(())
            finally:
                source.close()
            return
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(column_names=self.columns,
                                               block_size=BLOCK_BYTES,
                                               encoding=_ENCODINGS[self.encoding]),
                parse_options=pacsv.ParseOptions(
                    delimiter=d.delimiter, quote_char=d.quotechar or False,
                    double_quote=d.escapechar is None, escape_char=d.escapechar or False,
                    newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(self.columns, pa.string()),
                    strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            yield source, iter(reader)
        except (pa.ArrowException, OSError) as exc:
            # A ragged row, bytes that are not UTF-8, ...: the Python path explains it.
            raise _NotForThisPath(str(exc).splitlines()[0] if str(exc) else repr(exc)) from exc
        finally:
            source.close()

    def _has_rows(self) -> bool:
        """Whether the (short) span of data rows holds anything but line ends."""
        assert self.span is not None
        with self.path.open("rb") as f:
            f.seek(self.span[0])
            return bool(f.read(self.span[1] - self.span[0]).strip(b"\r\n"))

    def read_all(self, states: list[ct.ColumnState], staged: _Scratch) -> str:
        """Read the whole file once: learn every column's type, hash the bytes, and write.

        Rows are written with the types seen in the first :data:`CHOOSE_TYPES_BYTES` of
        the file; they are the final types unless a later block changes one (then
        :attr:`types_changed` is set, writing stops, and the reading goes on to learn the
        final types). Returns the SHA-256 of the file.
        """
        from tde_desktop.core.importers.arrow_types import observe

        self._gaps = BlankRows(self.header_cells, len(self.columns))
        sha256 = hashlib.sha256()
        distinct = [True] * len(states)  # check distinct values while values repeat
        waiting: list[Any] = []  # batches read before the types are chosen
        chosen: list[str] | None = None
        writer = _ConvertingWriter(staged, len(states))
        with self._batches(sha256) as (source, batches), writer:
            for n, batch in enumerate(batches, start=1):
                self._check_second_table(batch)
                self._gaps.check(batch)
                for i, (state, column) in enumerate(zip(states, batch.columns, strict=True)):
                    distinct[i] = observe(state, column, distinct=distinct[i])
                self.rows += batch.num_rows
                if chosen is None:
                    waiting.append(batch)
                    if n * BLOCK_BYTES >= CHOOSE_TYPES_BYTES:
                        chosen = [s.best() for s in states]
                        self._start(staged, writer, chosen, waiting)
                        waiting = []
                elif not self.types_changed:
                    if [s.best() for s in states] != chosen:
                        self.types_changed = True
                    else:
                        writer.write(batch, chosen, self.missing)
                # The reader runs ahead of the batches handed out; each batch is about
                # one block of the file.
                report(self.progress, min(n * BLOCK_BYTES, self.total), self._total(),
                       ngettext("Imported {n:,} row", "Imported {n:,} rows",
                                self.rows).format(n=self.rows))
            if chosen is None:  # a small file: every batch waited
                self._start(staged, writer, [s.best() for s in states], waiting)
            if source.lines() > self.rows:  # Arrow skipped empty lines (or values span lines)
                check_empty_lines(self.path, self.span, self.encoding, self.dialect,
                                  self.header_cells, len(self.columns))
            source.drain()  # anything after the last row still counts in the checksum
        self.missing = writer.nulls
        return sha256.hexdigest()

    def _check_second_table(self, batch: Any) -> None:
        """Give the file to the Python path when a row repeats the header."""
        import pyarrow.compute as pc

        from tde_desktop.core.importers.arrow_types import _text

        cells = self.header_cells
        if len(cells) != batch.num_columns or not any(cells):
            return
        if self._first_cell is None:
            self._first_cell = _text(cells[0])
        same = pc.equal(batch.column(0), self._first_cell)
        if not pc.any(same).as_py():
            return
        for row in batch.filter(same).to_pylist():
            if list(row.values()) == cells:
                raise _NotForThisPath("a second table under the first")

    def _start(self, staged: _Scratch, writer: _Writer, kinds: list[str],
               batches: list[Any]) -> None:
        staged.create(self.columns, kinds)
        for batch in batches:
            writer.write(batch, kinds, self.missing)

    def _total(self) -> int:
        """Progress is counted in bytes: one pass over the file, or two after a change."""
        return 2 * self.total if self.types_changed else self.total

    def write_again(self, states: list[ct.ColumnState], staged: _Scratch) -> None:
        """Second pass, with the final types, into a fresh scratch table."""
        kinds = [s.best() for s in states]
        staged.create(self.columns, kinds)
        rows = 0
        writer = _ConvertingWriter(staged, len(kinds))
        with self._batches() as (_source, batches), writer:
            for batch in batches:
                writer.write(batch, kinds, self.missing)
                rows += batch.num_rows
                report(self.progress, self.total + self.total * rows // max(1, self.rows),
                       2 * self.total, ngettext("Imported {n:,} row", "Imported {n:,} rows",
                                                rows).format(n=rows))
        self.missing = writer.nulls
