"""Streams rows from any importer into a new dataset table, atomically.

Every importer produces rows of text and hands them to :func:`write_dataset`.
The writer makes column names safe, infers types chunk by chunk
(:mod:`tde_desktop.core.importers.column_types`), converts values, inserts them, and
writes the catalogue and dictionary rows, all inside one transaction: a failure,
a cancel or a kill leaves no table and no catalogue row behind.

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

import contextlib
import itertools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tde_desktop.core.errors import (
    Cancelled,
    EncodingProblem,
    ImportFailed,
    ProgressCallback,
    report,
)
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import _
from tde_desktop.core.importers import column_types as ct
from tde_desktop.core.pack import DatasetInfo, Pack, quote, utc_now

#: SQLite's default column limit is 2,000; we keep a margin for our own columns.
MAX_COLUMNS = 1990
FIRST_CHUNK_CELLS = 400_000
CHUNK_CELLS = 200_000
EXTRA_COLUMN = "extra_fields"


class RowSource(Protocol):
    """What an importer hands to the writer."""

    headers: list[str]

    def rows(self) -> Iterator[list[str]]:
        """A fresh iterator over data rows (text cells; may be ragged)."""

    def position(self) -> tuple[int, int]:
        """(work done, total work) for progress, in any unit; total 0 if unknown."""

    def sha256(self) -> str:
        """Hex SHA-256 of the original bytes, valid once :meth:`rows` is exhausted."""


@dataclass
class Provenance:
    """Where a dataset came from; stored in the catalogue row."""

    title: str
    description: str = ""
    source_url: str = ""
    publisher: str = ""
    licence: str = ""
    retrieved_at: str = ""
    original_filename: str = ""
    format: str = ""
    sha256: str = ""
    import_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class GeoColumns:
    """Names (original headers) of the columns that locate each row, if any."""

    crs: str = ""
    geometry: str = ""
    latitude: str = ""
    longitude: str = ""


@dataclass
class WrittenTable:
    """A data table written into the pack, and what the catalogue needs to know of it."""

    table: str
    names: list[str]
    states: list[ct.ColumnState]
    row_count: int
    missing: list[int]  # cells stored as NULL, per column
    sha256: str
    short_lines: list[int] = field(default_factory=list)
    long_lines: list[int] = field(default_factory=list)
    has_extra: bool = False
    extras_present: int = 0


class _Restart(Exception):
    def __init__(self, final_kinds: list[str]) -> None:
        self.final_kinds = final_kinds


def safe_names(headers: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Trimmed display headers, SQL-safe unique names, and warnings about what changed."""
    warnings: list[str] = []
    display: list[str] = []
    seen_display: set[str] = set()
    for i, raw in enumerate(headers):
        text = " ".join(str(raw).split())
        if not text:
            text = f"column_{i + 1}"
            warnings.append(_("Column {n} had no name; it is called {name}.").format(
                n=i + 1, name=text))
        base, k = text, 2
        while text.casefold() in seen_display:
            text = f"{base} ({k})"
            k += 1
        if text != base:
            warnings.append(_("Two columns were called {name}; the second is {new}.").format(
                name=base, new=text))
        seen_display.add(text.casefold())
        display.append(text)
    names: list[str] = []
    seen: set[str] = {"rowid", "oid", "_rowid_", EXTRA_COLUMN}
    for text in display:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        name = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_text).strip("_").lower() or "column"
        if name[0].isdigit():
            name = "c_" + name
        base, k = name, 2
        while name in seen:
            name = f"{base}_{k}"
            k += 1
        seen.add(name)
        names.append(name)
    return display, names, warnings


def unique_table_name(pack: Pack, title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_title).strip("_").lower()[:40] or "data"
    existing = pack.table_names()
    name, k = f"ds_{slug}", 2
    while name in existing or f"{name}_fts" in existing:
        name = f"ds_{slug}_{k}"
        k += 1
    return name


def _same_storage(provisional: str, kind: str) -> bool:
    """Whether rows stored while a column was ``provisional`` are right for ``kind``.

    Only a column with no value in the first chunk that turns out to be text keeps
    its rows: both store every cell as it was read, empty cells as NULL.
    """
    return provisional == kind or (provisional == "unknown" and kind == "text")


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    return shown + (", ..." if len(lines) > 5 else "")


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
        conn = self.pack.conn
        for chunk in self._chunks():
            extras = self._square(chunk)
            if not chunk:
                continue
            columns = list(zip(*chunk))  # noqa: B905 - _square made every row the same width
            plain = [state.observe(col) for state, col in zip(self.states, columns, strict=True)]
            if not self.provisional:
                self.provisional = [s.best() for s in self.states]
                cols_sql = ", ".join(
                    f"{quote(n)} {ct.affinity(k)}".rstrip()
                    for n, k in zip(self.names, self.provisional, strict=True)
                )
                conn.execute(f"CREATE TABLE {quote(self.table)} ({cols_sql})")
            elif not self.scan_only and not all(
                _same_storage(p, s.best())
                for p, s in zip(self.provisional, self.states, strict=True)
            ):
                self.scan_only = True
            if not self.scan_only:
                converted = [
                    ct.converter(s.best())(col, p)
                    for s, col, p in zip(self.states, columns, plain, strict=True)
                ]
                empties = self._count_missing(columns, plain)
                self.extras_present += len(extras) - extras.count(None)
                if any(e is not None for e in extras):
                    self._add_extra_column()
                # NULLIF turns empty cells into NULL inside SQLite, so most chunks go from
                # the CSV reader to executemany without a Python pass over their values;
                # it is only put on the columns that have an empty cell in this chunk.
                placeholders = ",".join("NULLIF(?, '')" if e else "?" for e in empties)
                unchanged = all(c is col for c, col in zip(converted, columns, strict=True))
                if self.has_extra:
                    conn.executemany(
                        f"INSERT INTO {quote(self.table)} VALUES ({placeholders}, ?)",
                        zip(*converted, extras))  # noqa: B905
                else:
                    insert = f"INSERT INTO {quote(self.table)} VALUES ({placeholders})"
                    conn.executemany(insert, chunk if unchanged else zip(*converted))  # noqa: B905
            self.row_count += len(chunk)
            done, total = self.source.position()
            report(self.progress, done, total,
                   _("Imported {n:,} rows").format(n=self.row_count))
        if self.scan_only:
            raise _Restart([s.best() for s in self.states])
        if not self.provisional:  # header only: an empty dataset
            self.provisional = ["unknown"] * self.ncols
            cols_sql = ", ".join(quote(n) for n in self.names)
            conn.execute(f"CREATE TABLE {quote(self.table)} ({cols_sql})")

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
            if kind not in ("text", "unknown") and is_plain is False:
                n += sum(col.count(m) for m in ct.MISSING_MARKERS if m)
            self.missing[i] += n
            empties.append(empty)
        return empties

    def _add_extra_column(self) -> None:
        if not self.has_extra:
            self.pack.conn.execute(
                f"ALTER TABLE {quote(self.table)} ADD COLUMN {EXTRA_COLUMN} TEXT")
            self.has_extra = True


@contextlib.contextmanager
def import_errors() -> Iterator[None]:
    """Turn any failure of an import into :class:`ImportFailed` with a plain reason.

    :class:`Cancelled` passes through; a decoding error becomes :class:`EncodingProblem`
    so the caller can try another encoding.
    """
    try:
        yield
    except (Cancelled, ImportFailed):
        raise
    except MemoryError:
        raise ImportFailed(_("The file is too large to import on this computer.")) from None
    except UnicodeDecodeError as exc:
        raise EncodingProblem(_("The file is not in the text encoding {enc}: {reason}").format(
            enc=exc.encoding, reason=exc.reason)) from None
    except sqlite3.Error as exc:
        raise ImportFailed(_("The pack could not be written ({reason}); it is unchanged.").format(
            reason=exc)) from exc
    except OSError as exc:
        raise ImportFailed(_("The file could not be read: {reason}").format(
            reason=exc.strerror or exc)) from exc
    except Exception as exc:  # a parser's own error: explain it, the pack is unchanged
        raise ImportFailed(_("The file could not be read: {reason}").format(reason=exc)) from exc


def prepare_columns(pack: Pack, headers: Sequence[str],
                    type_overrides: dict[str, str] | None,
                    ) -> tuple[list[str], list[str], list[ct.ColumnState], list[str]]:
    """Display headers, safe names, the starting type state of each column, and warnings.

    Raises :class:`ImportFailed` for a read-only pack, no or too many columns, and an
    override naming a column or type that does not exist.
    """
    if pack.read_only:
        raise ImportFailed(_("This pack is open read-only; nothing can be added to it."))
    display, names, name_warnings = safe_names(headers)
    if not names:
        raise ImportFailed(_("The file has no columns."))
    if len(names) > MAX_COLUMNS:
        raise ImportFailed(
            _("The file has {n:,} columns; a pack can hold at most {max:,} per dataset. "
              "Split the file or keep fewer columns.").format(n=len(names), max=MAX_COLUMNS))
    states = [ct.ColumnState() for _n in names]
    for state, name in zip(states, names, strict=True):
        if ct.is_code_column(name):
            state.kinds -= ct.NUMERIC_KINDS
    lookup = {**{d: i for i, d in enumerate(display)}, **{n: i for i, n in enumerate(names)},
              **{str(h).strip(): i for i, h in enumerate(headers)}}
    for column, user_type in (type_overrides or {}).items():
        if column not in lookup:
            raise ImportFailed(_("There is no column called {column} in this file.").format(
                column=column))
        if user_type not in ct.USER_TYPES:
            raise ImportFailed(_("{type} is not a column type; use one of: {types}.").format(
                type=user_type, types=", ".join(ct.USER_TYPES)))
        states[lookup[column]].forced = user_type
    return display, names, states, name_warnings


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
    :data:`column_types.USER_TYPES`. Returns the new catalogue entry. Raises
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
                        state.kinds = {kind} if kind in ct.KINDS else set()
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


def write_catalogue(pack: Pack, job: WrittenTable, display: list[str], provenance: Provenance,
                     geo: GeoColumns | None, warnings: list[str]) -> DatasetInfo:
    """Write the catalogue and dictionary rows for a table just written (in its transaction)."""
    conn = pack.conn
    if job.short_lines:
        warnings.append(
            _("{n:,} rows had fewer fields than the header and were padded with empty cells "
              "(first at lines {lines}).").format(n=len(job.short_lines),
                                                   lines=_line_list(job.short_lines)))
    if job.long_lines:
        warnings.append(
            _("{n:,} rows had more fields than the header; the extra fields are kept in the "
              "column {col} (first at lines {lines}).").format(
                n=len(job.long_lines), col=EXTRA_COLUMN, lines=_line_list(job.long_lines)))
    names = list(job.names)
    if job.has_extra:
        names.append(EXTRA_COLUMN)
        display = [*display, EXTRA_COLUMN]
    row_count = job.row_count
    missing = job.missing + ([row_count - job.extras_present] if job.has_extra else [])
    counts = (row_count, *missing)
    kinds = [s.best() for s in job.states] + (["text"] if job.has_extra else [])
    for name, state in zip(job.names, job.states, strict=True):
        if state.forced in ("integer", "number"):
            bad = conn.execute(
                f"SELECT count(*) FROM {quote(job.table)} WHERE typeof({quote(name)}) = 'text'"
            ).fetchone()[0]
            if bad:
                warnings.append(_("{n:,} values in {col} are not numbers and were kept as "
                                  "text.").format(n=bad, col=name))

    def safe_name(header: str) -> str:
        for d, n in zip(display, names, strict=False):
            if header in (d, n):
                return n
        return ""

    geo = geo or GeoColumns()
    digest = job.sha256
    cur = conn.execute(
        "INSERT INTO _tde_datasets (table_name, title, description, source_url, publisher,"
        " licence, retrieved_at, original_filename, format, sha256, row_count, column_count,"
        " import_options, warnings, imported_at, crs, geometry_column, latitude_column,"
        " longitude_column) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (job.table, provenance.title, provenance.description, provenance.source_url,
         provenance.publisher, provenance.licence, provenance.retrieved_at,
         provenance.original_filename, provenance.format, digest, row_count,
         len(names), json.dumps(provenance.import_options, ensure_ascii=False),
         json.dumps(warnings, ensure_ascii=False), utc_now(), geo.crs,
         safe_name(geo.geometry) if geo.geometry else "",
         safe_name(geo.latitude) if geo.latitude else "",
         safe_name(geo.longitude) if geo.longitude else ""),
    )
    dataset_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO _tde_columns (dataset_id, position, name, original_name, type,"
        " is_identifier, missing_count) VALUES (?,?,?,?,?,?,?)",
        [
            (dataset_id, i, n, d, ct.semantic_type(k),
             int(ct.looks_like_identifier(n, ct.semantic_type(k))), counts[i + 1])
            for i, (n, d, k) in enumerate(zip(names, display, kinds, strict=True))
        ],
    )
    pack.touch()
    return pack.dataset(int(dataset_id or 0))
