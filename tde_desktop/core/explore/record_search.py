"""Finding one record by what a person knows about it (an address, a reference number).

Used by "Check the data": a participant types part of an address or an id and
picks the record from a short list written in plain words. The search is a SQL
``LIKE`` over a few key columns with a ``LIMIT``, so it stays quick on large
datasets; the Qt side runs it off the UI thread all the same.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tde_desktop.core.explore.labels import plain_label
from tde_desktop.core.numbers import readable_float
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.pack_file import ColumnInfo, quote
from tde_desktop.core.text_direction import isolate

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

#: words in a column name that make it a good way to recognise a record, best first
_KEY_HINTS = (("address",), ("referenceid", "reference", "_id", "id"), ("name",),
              ("neighborhood", "neighbourhood", "street", "status"), ("date",))
_SKIP_HINTS = ("location", "geometry", "lat", "long", "latitude", "longitude")


@dataclass
class Record:
    """One match: its rowid and (plain label, value) for each key column.

    Labels come from :func:`tde_desktop.core.explore.labels.plain_label`.
    """

    rowid: int
    fields: list[tuple[str, str]]

    def headline(self) -> str:
        """The first key value (an address, say), for the first line of a list item."""
        return next((v for _label, v in self.fields if v), str(self.rowid))

    def pairs(self) -> list[tuple[str, str]]:
        """The other key columns that hold a value, as (label, value), in order."""
        return [(label, value) for label, value in self.fields[1:] if value]

    def details(self) -> str:
        """The other key values as ``label: value`` pairs, for the second line on screen.

        Each value, and each pair, is isolated (see :mod:`tde_desktop.core.text_direction`):
        an address or a negative number reads as written in an Arabic window, and a pair
        reads in its label's direction ("status: open", not "open :status") while the pairs
        follow the window's. For text that is stored, compared or written to a file, use
        :meth:`pairs`."""
        return "  \u00b7  ".join(isolate(f"{label}: {isolate(value)}")
                                 for label, value in self.pairs())


def key_columns(columns: Sequence[ColumnInfo], limit: int = 4) -> list[ColumnInfo]:
    """The few columns that tell records apart for a person: an address, an id, a name,
    a place, a date (by their names), else the first columns. Coordinates are left out."""
    def rank(column: ColumnInfo) -> int:
        name = column.name.lower()
        for i, hints in enumerate(_KEY_HINTS):
            if any(h in name for h in hints):
                return i
        return len(_KEY_HINTS) + (0 if column.is_identifier else 1)

    usable = [c for c in columns if c.name.lower() not in _SKIP_HINTS]
    return sorted(usable, key=lambda c: (rank(c), c.position))[:limit]


def search_records(conn: sqlite3.Connection, table: str, columns: Sequence[ColumnInfo],
                   text: str, *, lang: str | None = None, limit: int = 20) -> list[Record]:
    """Records whose key ``columns`` contain ``text`` (case-insensitive), in rowid order.

    Guarantees at most ``limit`` records; an empty ``text`` gives the first ones.
    ``%`` and ``_`` typed by a person match themselves.
    """
    names = [c.name for c in columns]
    select = ", ".join(quote(n) for n in names)
    sql = f"SELECT rowid, {select} FROM {quote(table)}"
    params: list[object] = []
    words = text.split()
    if words:
        escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                   for w in words]
        # every word must appear in some key column: "1200 monroe" finds "1200 N MONROE ST"
        clauses = []
        for word in escaped:
            clauses.append("(" + " OR ".join(f"{quote(n)} LIKE ? ESCAPE '\\'"
                                             for n in names) + ")")
            params.extend([f"%{word}%"] * len(names))
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY rowid LIMIT ?"
    params.append(limit)
    labels = [plain_label(c, lang) for c in columns]
    return [Record(int(row[0]), [(label, _shown(v))
                                 for label, v in zip(labels, row[1:], strict=True)])
            for row in conn.execute(sql, params)]


def _shown(value: object) -> str:
    """A value as a person reads it: a date-time shows as its date (enough to know a record),
    a float as a spreadsheet shows it (15 significant digits, a whole one without ".0"),
    as the grid shows it."""
    if value is None:
        return ""
    if type(value) is float:
        return readable_float(value)
    text = str(value)
    if _DATE_TIME.match(text):
        return text[:10]
    return text


def record_by_rowid(conn: sqlite3.Connection, table: str, columns: Sequence[ColumnInfo],
                    rowid: int, *, lang: str | None = None) -> Record | None:
    """The record with ``rowid`` in the same plain words as a search match, or None."""
    select = ", ".join(quote(c.name) for c in columns)
    row = conn.execute(f"SELECT {select} FROM {quote(table)} WHERE rowid = ?",
                       (rowid,)).fetchone()
    if row is None:
        return None
    return Record(rowid, [(plain_label(c, lang), _shown(v))
                          for c, v in zip(columns, row, strict=True)])


def search_pack(pack_path: Path, dataset_id: int, text: str, *, lang: str | None = None,
                limit: int = 20) -> list[Record]:
    """:func:`search_records` on a read-only connection of its own (for a worker thread)."""
    with Pack.open(pack_path, read_only=True) as pack:
        info = pack.dataset(dataset_id)
        return search_records(pack.conn, info.table_name, key_columns(info.columns), text,
                              lang=lang, limit=limit)
