"""The fast path for JSON Lines and JSON arrays of flat records.

The Python path (:mod:`.json_import`) turns every value into a Python object. For the
common case, a portal export of flat records, this path does the same work in
compiled code, on the typed-column path of the fast CSV import (:mod:`.fast_csv`):

- the file is read in chunks of whole records; one vectorised pass (numpy) finds the
  brackets outside strings, checks the records are flat objects and cuts the chunk
  after the last complete record. A JSON array becomes JSON Lines on the way: its
  opening and closing brackets and the commas between records are blanked, and raw
  line breaks (only ever whitespace in valid JSON) become spaces, so each record is
  one line;
- Arrow's JSON reader (C++, on every core) parses each chunk;
- every column becomes text exactly as :func:`.json_import.to_text` writes it
  (numbers as Python writes them, booleans ``true``/``false``), and the shared
  Arrow type rules (:mod:`.arrow_types`) check, convert and insert it with the ADBC
  SQLite driver, as in the fast CSV path.

Whatever this path would not store exactly as the Python path does makes it return
``None`` before the pack is touched, and the caller uses the Python path: a nested
object or array in a record (the Python path keeps it as JSON text), a record that
is not an object, nesting deeper than records have, a record larger than
:data:`MAX_RECORD_BYTES`, bytes that are not UTF-8, invalid JSON, no records, a
pack inside a transaction, or pyarrow or the ADBC driver missing. Because nothing
deeper than one level ever reaches Arrow's parser, a hostile deeply nested file
cannot exhaust its stack.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback, report
from tde_desktop.core.i18n import _
from tde_desktop.core.importers import column_types as ct
from tde_desktop.core.importers import fast_csv
from tde_desktop.core.importers.catalogue import GeoColumns, Provenance, WrittenTable
from tde_desktop.core.importers.catalogue import prepare_columns as _prepare
from tde_desktop.core.importers.json_text import NotForThisPath
from tde_desktop.core.importers.scratch import scratch_file
from tde_desktop.core.pack import DatasetInfo, Pack

log = logging.getLogger(__name__)

#: bytes read at a time; each chunk of whole records is parsed by Arrow on every core.
#: With 2 MB (and Arrow's unused memory handed back after each) 300,000 x 33 records
#: peak under 200 MB, 5% slower than with 4 MB
CHUNK_BYTES = 2 << 20
#: a single record larger than this goes to the Python path
MAX_RECORD_BYTES = 64 << 20
#: rows are written with the types seen in this much of the file (as in fast_csv)
CHOOSE_TYPES_BYTES = 8 << 20
_NEWLINES_TO_SPACES = bytes.maketrans(b"\r\n", b"  ")
_WHITESPACE = (32, 9, 10, 13)


_NotFlat = NotForThisPath

def import_json_fast(pack: Pack, path: Path, provenance: Provenance, *, layout: str,
                     warnings: list[str], progress: ProgressCallback | None,
                     type_overrides: dict[str, str] | None = None) -> DatasetInfo | None:
    """Import a JSON array (``layout='array'``) or JSON Lines file of flat records.

    Returns ``None``, with nothing written, when the Python path must do it.
    """
    if pack.conn.in_transaction or pack.read_only:
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
    except (_NotFlat, fast_csv._NotForThisPath) as exc:
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
                       _("Imported {n:,} rows").format(n=self.rows))
            if not self.rows:
                raise _NotFlat("no records")
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
                       _("Imported {n:,} rows").format(n=rows))

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

    chunks = _chunks(path, layout, sha256)
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
    import pyarrow.compute as pc

    return pc.fill_null(pa.nulls(n, pa.string()), "")


def _chunks(path: Path, layout: str, sha256: Any) -> Iterator[tuple[int, bytes]]:
    """(bytes read, whole flat records as JSON Lines) for each chunk of the file."""
    depth = 1 if layout == "array" else 0  # the depth between records
    first = True
    done = 0
    rest = b""
    with path.open("rb") as f:
        head = f.read(3)
        if head != b"\xef\xbb\xbf":  # past any UTF-8 byte-order mark
            f.seek(0)
        elif sha256 is not None:
            sha256.update(head)
        while True:
            data = f.read(CHUNK_BYTES)
            if sha256 is not None:
                sha256.update(data)
            done += len(data)
            buf = rest + data if rest else data
            if not data:  # the end of the file
                if layout != "array" and buf.strip():  # no line break after the last record
                    cut, out = _cut(buf + b"\n", layout, depth, first=first)
                    if cut >= 0:
                        first, buf = False, buf[cut:]
                        yield done, out
                _check_tail(buf, layout, first)
                return
            cut, out = (_cut_lines(buf) if layout != "array" else (-1, b""))
            if cut < 0:
                cut, out = _cut(buf, layout, depth, first=first)
            if cut < 0:
                if len(buf) > MAX_RECORD_BYTES:
                    raise _NotFlat("a record is too large")
                rest = buf
                continue
            first = False
            rest = buf[cut:]
            yield done, out


def _check_tail(rest: bytes, layout: str, first: bool) -> None:
    """What follows the last record: whitespace, and the closing bracket of an array."""
    tail = rest.strip()
    if first or (layout == "array" and tail != b"]") or (layout != "array" and tail):
        raise _NotFlat("not a list of flat records")


def _cut_lines(buf: bytes) -> tuple[int, bytes]:
    """JSON Lines up to the last line break, when no line opens two brackets; else -1.

    Such lines are handed to Arrow as they are: none can be nested (a bracket inside
    a string counts too, which only sends the chunk to :func:`_cut`).
    """
    import numpy as np

    cut = buf.rfind(b"\n") + 1
    if not cut:
        return -1, b""
    a = np.frombuffer(buf, dtype=np.uint8, count=cut)
    openers = np.flatnonzero((a == 123) | (a == 91))
    lines = np.flatnonzero(a == 10)
    if len(openers) and np.bincount(np.searchsorted(lines, openers)).max() > 1:
        return -1, b""
    return cut, buf[:cut]


def _cut(buf: bytes, layout: str, depth: int, *, first: bool) -> tuple[int, bytes]:
    """The end of the last whole record in ``buf``, and the records up to it as lines.

    ``buf`` starts between records (before the opening bracket of an array in the
    first chunk). Returns (-1, b"") when no record ends in ``buf``.
    """
    import numpy as np

    array = layout == "array"
    a = np.frombuffer(buf, dtype=np.uint8)
    brackets = np.flatnonzero((a == 123) | (a == 125) | (a == 91) | (a == 93))
    if not _one_pair_per_line(a, brackets):
        quotes = np.flatnonzero(a == 34)
        if 92 in a:  # a backslash: drop the quotes it escapes
            quotes = quotes[~_escaped(a, quotes)]
        brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # outside strings
    chars = a[brackets]
    level = np.cumsum(np.where((chars == 123) | (chars == 91), 1, -1)) + (
        0 if first and array else depth)
    skip = 0
    if first and array:  # the opening bracket of the whole array
        if not len(chars) or chars[0] != 91:
            raise _NotFlat("not an array")
        skip = 1
    below = np.flatnonzero(level[skip:] < depth)
    stop = skip + int(below[0]) if len(below) else len(chars)
    if len(below) and (not array or chars[stop] != 93):
        raise _NotFlat("a bracket closes what was never opened")
    chars, level, where = chars[skip:stop], level[skip:stop], brackets[skip:stop]
    if (level > depth + 1).any() or (chars == 91).any() or (chars == 93).any():
        raise _NotFlat("nested values")
    # Levels now alternate between depth + 1 (a record's '{') and depth (its '}').
    closes = np.flatnonzero(chars == 125)
    if not len(closes):
        return -1, b""
    last = int(closes[-1]) + 1
    starts, ends = where[:last][chars[:last] == 123], where[closes]
    cut = int(ends[-1]) + 1
    # What lies before each record: whitespace, and in an array its opening bracket
    # (before the first record of the file) or one comma. It is blanked, and a line
    # break ends each record.
    gap_from = np.concatenate(([0], ends[:-1] + 1))
    lengths = starts - gap_from
    gap = np.repeat(gap_from - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    between = a[gap]
    owner = np.repeat(np.arange(len(lengths)), lengths)
    commas = np.bincount(owner[between == 44], minlength=len(lengths))
    expected = np.ones(len(lengths), dtype=np.int64) if array else np.zeros(len(lengths),
                                                                           dtype=np.int64)
    if first and array:
        expected[0] = 0
        if np.count_nonzero(between == 91) != 1:
            raise _NotFlat("not an array")
    if (commas != expected).any() or np.count_nonzero(
            np.isin(between, (*_WHITESPACE, 44, 91))) != len(between):
        raise _NotFlat("not a list of records")
    out = np.frombuffer(bytearray(buf[:cut].translate(_NEWLINES_TO_SPACES)), dtype=np.uint8)
    out[gap] = 32
    out[ends[:-1] + 1] = 10
    return cut, out.tobytes() + b"\n"


def _one_pair_per_line(a: Any, brackets: Any) -> bool:
    """Whether no line holds more than one opening and one closing bracket.

    Then the brackets are taken as they are, without finding the strings: a bracket
    inside a string would have to stand where a record begins or ends, so cutting
    there leaves a string open at the end of a line, which Arrow refuses (and the
    file goes to the Python path).
    """
    import numpy as np

    if not len(brackets):
        return True
    line = np.searchsorted(np.flatnonzero(a == 10), brackets)
    opening = (a[brackets] == 123) | (a[brackets] == 91)
    return bool(np.bincount(line[opening]).max(initial=0) <= 1
                and np.bincount(line[~opening]).max(initial=0) <= 1)


def _escaped(a: Any, quotes: Any) -> Any:
    """Which quotes follow an odd number of backslashes."""
    import numpy as np

    count = np.zeros(len(quotes), dtype=np.int64)
    pos = quotes - 1
    active = pos >= 0
    while active.any():
        hit = np.zeros(len(quotes), dtype=bool)
        hit[active] = a[pos[active]] == 92
        if not hit.any():
            break
        count += hit
        pos -= 1
        active = hit & (pos >= 0)
    return count % 2 == 1
