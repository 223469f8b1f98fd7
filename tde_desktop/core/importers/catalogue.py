"""What both import paths share around the rows of a new dataset.

The Python path (:mod:`.writer`) and the fast CSV path (:mod:`.fast_csv`) differ only
in how rows are read, typed and inserted. Before that, both take their column names,
table name and the starting type of each column from here; during it, both turn
failures into one plain sentence with :func:`import_errors`; after it, both write
the catalogue and dictionary rows with :func:`write_catalogue`, inside the same
transaction as the rows.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import Cancelled, EncodingProblem, ImportFailed
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers import type_rules as rules
from tde_desktop.core.importers.column_types import ColumnState
from tde_desktop.core.pack import DatasetInfo, Pack, quote, utc_now

#: SQLite's default column limit is 2,000; we keep a margin for our own columns.
MAX_COLUMNS = 1990
#: the column that keeps the fields of rows longer than the header, as a JSON list
EXTRA_COLUMN = "extra_fields"


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
    states: list[ColumnState]
    row_count: int
    missing: list[int]  # cells stored as NULL, per column
    sha256: str
    short_lines: list[int] = field(default_factory=list)
    long_lines: list[int] = field(default_factory=list)
    has_extra: bool = False
    extras_present: int = 0


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
    """A new table name made from ``title``, used by no table of the pack (nor its index)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_title).strip("_").lower()[:40] or "data"
    existing = pack.table_names()
    name, k = f"ds_{slug}", 2
    while name in existing or f"{name}_fts" in existing:
        name = f"ds_{slug}_{k}"
        k += 1
    return name


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    return shown + (", ..." if len(lines) > 5 else "")


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
                    ) -> tuple[list[str], list[str], list[ColumnState], list[str]]:
    """Display headers, safe names, the starting type state of each column, and warnings.

    Raises :class:`ImportFailed` for a read-only pack, no or too many columns, and an
    override naming a column or type that does not exist.
    """
    if pack.read_only:
        raise ImportFailed(_("This pack is open read-only; nothing can be added to it."))
    return column_setup(headers, type_overrides)


def column_setup(headers: Sequence[str], type_overrides: dict[str, str] | None = None,
                 ) -> tuple[list[str], list[str], list[ColumnState], list[str]]:
    """:func:`prepare_columns` without a pack: what an import starts from, for a preview."""
    display, names, name_warnings = safe_names(headers)
    if not names:
        raise ImportFailed(_("The file has no columns."))
    if len(names) > MAX_COLUMNS:
        raise ImportFailed(
            ngettext("The file has {n:,} column; a pack can hold at most {max:,} per "
                     "dataset. Split the file or keep fewer columns.",
                     "The file has {n:,} columns; a pack can hold at most {max:,} per "
                     "dataset. Split the file or keep fewer columns.", len(names),
                     ).format(n=len(names), max=MAX_COLUMNS))
    states = [ColumnState() for _n in names]
    for state, name in zip(states, names, strict=True):
        if rules.is_code_column(name):
            state.kinds -= rules.NUMERIC_KINDS
    lookup = {**{d: i for i, d in enumerate(display)}, **{n: i for i, n in enumerate(names)},
              **{str(h).strip(): i for i, h in enumerate(headers)}}
    for column, user_type in (type_overrides or {}).items():
        if column not in lookup:
            raise ImportFailed(_("There is no column called {column} in this file.").format(
                column=column))
        if user_type not in rules.USER_TYPES:
            raise ImportFailed(_("{type} is not a column type; use one of: {types}.").format(
                type=user_type, types=", ".join(rules.USER_TYPES)))
        states[lookup[column]].forced = user_type
    return display, names, states, name_warnings


def write_catalogue(pack: Pack, job: WrittenTable, display: list[str], provenance: Provenance,
                     geo: GeoColumns | None, warnings: list[str]) -> DatasetInfo:
    """Write the catalogue and dictionary rows for a table just written (in its transaction).

    ``warnings`` gains what the reading found (short or long rows, values of a column
    forced to a number that are not numbers). Returns the new catalogue entry.
    """
    conn = pack.conn
    warnings.extend(_shape_warnings(job))
    warnings.extend(_not_number_warnings(pack, job))
    names = list(job.names)
    if job.has_extra:
        names.append(EXTRA_COLUMN)
        display = [*display, EXTRA_COLUMN]
    row_count = job.row_count
    missing = job.missing + ([row_count - job.extras_present] if job.has_extra else [])
    kinds = [s.best() for s in job.states] + ([rules.TEXT] if job.has_extra else [])

    def safe_name(header: str) -> str:
        if header:
            for d, n in zip(display, names, strict=False):
                if header in (d, n):
                    return n
        return ""

    geo = geo or GeoColumns()
    cur = conn.execute(
        "INSERT INTO _tde_datasets (table_name, title, description, source_url, publisher,"
        " licence, retrieved_at, original_filename, format, sha256, row_count, column_count,"
        " import_options, warnings, imported_at, crs, geometry_column, latitude_column,"
        " longitude_column) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (job.table, provenance.title, provenance.description, provenance.source_url,
         provenance.publisher, provenance.licence, provenance.retrieved_at,
         provenance.original_filename, provenance.format, job.sha256, row_count,
         len(names), json.dumps(provenance.import_options, ensure_ascii=False),
         json.dumps(warnings, ensure_ascii=False), utc_now(), geo.crs,
         safe_name(geo.geometry), safe_name(geo.latitude), safe_name(geo.longitude)),
    )
    dataset_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO _tde_columns (dataset_id, position, name, original_name, type,"
        " is_identifier, missing_count) VALUES (?,?,?,?,?,?,?)",
        [
            (dataset_id, i, n, d, rules.semantic_type(k),
             int(rules.looks_like_identifier(n, rules.semantic_type(k))), m)
            for i, (n, d, k, m) in enumerate(zip(names, display, kinds, missing, strict=True))
        ],
    )
    pack.touch()
    return pack.dataset(int(dataset_id or 0))


def _shape_warnings(job: WrittenTable) -> list[str]:
    """What was done about rows with fewer or more fields than the header."""
    warnings = []
    if job.short_lines:
        warnings.append(
            ngettext("{n:,} row had fewer fields than the header and was padded with empty "
                     "cells (line {lines}).",
                     "{n:,} rows had fewer fields than the header and were padded with empty "
                     "cells (first at lines {lines}).", len(job.short_lines),
                     ).format(n=len(job.short_lines), lines=_line_list(job.short_lines)))
    if job.long_lines:
        warnings.append(
            ngettext("{n:,} row had more fields than the header; the extra fields are kept "
                     "in the column {col} (line {lines}).",
                     "{n:,} rows had more fields than the header; the extra fields are kept "
                     "in the column {col} (first at lines {lines}).", len(job.long_lines),
                     ).format(
                n=len(job.long_lines), col=EXTRA_COLUMN, lines=_line_list(job.long_lines)))
    return warnings


def _not_number_warnings(pack: Pack, job: WrittenTable) -> list[str]:
    """How many values of each column forced to a number were kept as text."""
    warnings = []
    for name, state in zip(job.names, job.states, strict=True):
        if state.forced in ("integer", "number"):
            bad = pack.conn.execute(
                f"SELECT count(*) FROM {quote(job.table)} WHERE typeof({quote(name)}) = 'text'"
            ).fetchone()[0]
            if bad:
                warnings.append(ngettext(
                    "{n:,} value in {col} is not a number and was kept as text.",
                    "{n:,} values in {col} are not numbers and were kept as text.", bad,
                ).format(n=bad, col=name))
    return warnings
