"""The fast path for JSON Lines and JSON arrays of flat records.

The Python path (:mod:`.json_import`) turns every value into a Python object. For the
common case, a portal export of flat records, this path does the same work in
compiled code, on the typed-column path of the fast CSV import (:mod:`.fast_csv`):

- the file is read in chunks of whole flat records, as JSON Lines
  (:mod:`.json_chunks`), and Arrow's JSON reader (C++, on every core) parses each
  one, a chunk ahead on a worker thread;
- numbers stay numbers; every other value becomes text exactly as
  :func:`.json_import.to_text` writes it, and the shared Arrow type rules
  (:mod:`.arrow_types`, through :mod:`.json_text`) check and convert each column,
  inserted with the ADBC SQLite driver as in the fast CSV path.

Whatever this path would not store exactly as the Python path does makes it return
``None`` before the pack is touched, and the caller uses the Python path: a nested
object or array in a record (the Python path keeps it as JSON text), text and numbers
in one column of a chunk, a record that is not an object, nesting deeper than records
have, a record larger than :data:`.json_chunks.MAX_RECORD_BYTES`, bytes that are not
UTF-8, invalid JSON, no records, a pack inside a transaction, or pyarrow or the ADBC
driver missing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback, report
from tde_desktop.core.i18n import ngettext
from tde_desktop.core.importers import column_types as ct
from tde_desktop.core.importers import fast_csv, json_chunks
from tde_desktop.core.importers.catalogue import GeoColumns, Provenance, WrittenTable
from tde_desktop.core.importers.catalogue import prepare_columns as _prepare
from tde_desktop.core.importers.json_text import NotForThisPath
from tde_desktop.core.importers.scratch import scratch_file
from tde_desktop.core.pack import DatasetInfo, Pack

log = logging.getLogger(__name__)

#: rows are written with the types seen in this much of the file (as in fast_csv)
CHOOSE_TYPES_BYTES = 8 << 20
#: types a facilitator may force here (as in fast_csv: forcing a number keeps what is
#: not a number as text, by the Python path's rules)
_OVERRIDES = {"text", "date", "datetime"}


def import_json_fast(pack: Pack, path: Path, provenance: Provenance, *, layout: str,
                     warnings: list[str], progress: ProgressCallback | None,
                     type_overrides: dict[str, str] | None = None) -> DatasetInfo | None:
    """Import a JSON array (``layout='array'``) or JSON Lines file of flat records.

    Returns ``None``, with nothing written, when the Python path must do it.
    """
    if (pack.conn.in_transaction or pack.read_only
            or not set((type_overrides or {}).values()) <= _OVERRIDES):
        return None
    try:  # only checking that the fast path is installed
        import adbc_driver_manager  # noqa: F401
        import adbc_driver_sqlite  # noqa: F401
        import numpy  # noqa: F401
        import pyarrow.json  # noqa: F401

        from tde_desktop.core.importers import arrow_types  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - missing or broken in this installation
        log.info("%s: using the Python importer (%s)", path.name, exc)
        return None
    job = _Job(path, layout, pack, type_overrides, progress)
    pack.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with scratch_file() as scratch:
            with fast_csv._Scratch(scratch) as staged:
                sha256 = job.read_all(staged)
                if job.changed:
                    job.write_again(staged)
            display, names, states, name_warnings = job.final
            return fast_csv._copy_into_pack(
                pack, scratch, provenance, display, GeoColumns(), [*warnings, *name_warnings],
                WrittenTable(table="", names=names, states=states, row_count=job.rows,
                             missing=job.missing, sha256=sha256))
    except (NotForThisPath, fast_csv._NotForThisPath) as exc:
        log.info("%s: using the Python importer (%s)", path.name, exc)
        return None
    finally:
        pack.conn.execute("PRAGMA synchronous = FULL")


class _Job:
    """One file read chunk by chunk: columns learnt, typed and written."""

    def __init__(self, path: Path, layout: str, pack: Pack,
                 overrides: dict[str, str] | None, progress: ProgressCallback | None) -> None:
        self.path = path
        self.layout = layout
        self.pack = pack
        self.overrides = overrides
        self.progress = progress
        self.total = path.stat().st_size
        self.keys: list[str] = []  # record keys in order of first appearance
        self._known: set[str] = set()
        self.seen: list[ct.ColumnState] = []  # what the values say, per key
        self.distinct: list[bool] = []
        self.rows = 0
        self.missing: list[int] = []
        self.changed = False  # keys or types changed after writing began
        self.final: tuple[list[str], list[str], list[ct.ColumnState], list[str]] = (
            [], [], [], [])

    def _kinds(self, keys: list[str], *, final: bool) -> list[str]:
        """Each column's kind: what its values say, the name rules and the overrides."""
        try:
            prepared = _prepare(self.pack, keys, self.overrides)
        except ImportFailed:
            if final:
                raise
            prepared = _prepare(self.pack, keys, None)  # an override names a later key
            self.changed = True
        for state, seen in zip(prepared[2], self.seen, strict=False):
            state.seen_value = seen.seen_value
            if state.forced is None:
                state.kinds &= seen.kinds
        if final:
            self.final = prepared
        return [s.best() for s in prepared[2]]

    def read_all(self, staged: Any) -> str:
        """Read the file once: learn the columns and their types, hash it, and write.

        As in the fast CSV path, rows are written with the types seen in the first
        :data:`CHOOSE_TYPES_BYTES`; a later key or type change sets :attr:`changed`.
        """
        from tde_desktop.core.importers.json_text import observe_column

        sha256 = hashlib.sha256()
        waiting: list[dict[str, Any]] = []
        chosen: list[str] | None = None
        width = 0
        with _Writer(staged) as writer:
            for done, columns in self._columns(sha256):
                for i, key in enumerate(self.keys):
                    if key in columns:
                        self.distinct[i] = observe_column(self.seen[i], columns[key],
                                                          distinct=self.distinct[i])
                self.rows += _length(columns)
                if chosen is None:
                    waiting.append(columns)
                    if done >= CHOOSE_TYPES_BYTES:
                        chosen, width = self._start(staged, writer, waiting), len(self.keys)
                        waiting = []
                elif not self.changed:
                    if len(self.keys) != width or self._kinds(self.keys, final=False) != chosen:
                        self.changed = True
                    else:
                        self.missing = writer.write(self._batch(columns), chosen, self.missing)
                report(self.progress, done, self._total(),
                       ngettext("Imported {n:,} row", "Imported {n:,} rows",
                                self.rows).format(n=self.rows))
            if not self.rows:
                raise NotForThisPath("no records")
            if chosen is None:
                chosen = self._start(staged, writer, waiting)
                width = len(self.keys)
        if self._kinds(self.keys, final=True) != chosen or len(self.keys) != width:
            self.changed = True
        return sha256.hexdigest()

    def _start(self, staged: Any, writer: Any, batches: list[dict[str, Any]]) -> list[str]:
        kinds = self._kinds(self.keys, final=False)
        staged.create(_names(len(kinds)), kinds)
        self.missing = [0] * len(kinds)
        for columns in batches:
            self.missing = writer.write(self._batch(columns), kinds, self.missing)
        return kinds

    def _total(self) -> int:
        return 2 * self.total if self.changed else self.total

    def write_again(self, staged: Any) -> None:
        """Second pass, with the final columns and types, into a fresh scratch table."""
        kinds = [s.best() for s in self.final[2]]
        staged.create(_names(len(kinds)), kinds)
        self.missing = [0] * len(kinds)
        rows = 0
        with _Writer(staged) as writer:
            for done, columns in self._columns(None):
                self.missing = writer.write(self._batch(columns), kinds, self.missing)
                rows += _length(columns)
                report(self.progress, self.total + done, 2 * self.total,
                       ngettext("Imported {n:,} row", "Imported {n:,} rows",
                                rows).format(n=rows))

    def _batch(self, columns: dict[str, Any]) -> Any:
        """A record batch of text columns in key order; keys a chunk lacks are empty."""
        import pyarrow as pa

        n = _length(columns)
        arrays = [columns[k] if k in columns else _empty(n) for k in self.keys]
        return pa.RecordBatch.from_arrays(arrays, names=_names(len(arrays)))

    def _columns(self, sha256: Any) -> Iterator[tuple[int, dict[str, Any]]]:
        """(bytes read, {key: column}) for each chunk of records; new keys are added."""
        for done, named in _parsed(self.path, self.layout, sha256):
            for name in named:
                if name not in self._known:
                    self._known.add(name)
                    self.keys.append(name)
                    self.seen.append(ct.ColumnState())
                    self.distinct.append(True)
            yield done, named


def _parsed(path: Path, layout: str, sha256: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(bytes read, {key: column of :func:`.json_text.as_column`}) for each chunk.

    The next chunk is read, parsed and converted on a worker thread while the caller
    types and converts this one (and the writer's thread inserts the one before): the
    work is in C, so it runs side by side.
    """
    import pyarrow as pa

    from tde_desktop.core.importers.json_text import as_column, parse_records

    chunks = json_chunks.chunks(path, layout, sha256)
    schema: dict[str, None] = {}  # keys Arrow would read as timestamps: read as text

    def parse_next() -> tuple[int, dict[str, Any]] | None:
        item = next(chunks, None)
        if item is None:
            return None
        pa.default_memory_pool().release_unused()
        table = parse_records(item[1], schema)
        return item[0], {name: as_column(column)
                         for name, column in zip(table.column_names, table.columns,
                                                 strict=True)}

    with ThreadPoolExecutor(1, thread_name_prefix="tde-import-json") as reader:
        parsing = reader.submit(parse_next)
        while (item := parsing.result()) is not None:
            parsing = reader.submit(parse_next)
            yield item


class _Writer(fast_csv._Writer):
    """The fast CSV path's writer, for columns that may still be numbers."""

    def write(self, batch: Any, kinds: list[str], missing: list[int]) -> list[int]:
        import pyarrow as pa

        from tde_desktop.core.importers.json_text import stored

        arrays = [stored(kind, column) for kind, column in zip(kinds, batch.columns,
                                                                strict=True)]
        converted = pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)
        self._wait()
        self._inserting = self._worker.submit(self.staged.insert, converted)
        return [m + a.null_count for m, a in zip(missing, arrays, strict=True)]


def _names(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def _length(columns: dict[str, Any]) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _empty(n: int) -> Any:
    import pyarrow as pa

    from tde_desktop.core.importers.json_text import as_text

    return as_text(pa.nulls(n, pa.string()))
