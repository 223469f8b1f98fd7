"""Copy a dataset table's shape without executing SQL text stored in another file.

A pack's ``sqlite_master.sql`` is text a stranger can write: a ``CREATE TABLE`` with
a ``CHECK`` calling a function, a generated column or a ``DEFAULT`` that does more
than it says. Publishing and results-only packs therefore never run it: the new
table is built from ``PRAGMA table_info`` (names and declared types only), with each
type mapped onto our own short list by SQLite's affinity rules.
"""

from __future__ import annotations

import sqlite3

from tde_desktop.core.pack.pack_file import quote

#: The only column types a rebuilt table declares ('' is no affinity, as for BLOB).
OUR_TYPES = ("INTEGER", "REAL", "NUMERIC", "TEXT", "")


def our_type(declared: str) -> str:
    """The type from :data:`OUR_TYPES` that has the affinity SQLite gives ``declared``.

    Follows https://sqlite.org/datatype3.html section 3.1, so copied values are
    stored exactly as in the source table.
    """
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper.strip():
        return ""
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def table_columns(conn: sqlite3.Connection, table: str,
                  schema: str = "main") -> list[tuple[str, str]]:
    """(name, type from :data:`OUR_TYPES`) of each column of ``schema.table``, in order."""
    rows = conn.execute(f"PRAGMA {quote(schema)}.table_info({quote(table)})").fetchall()
    return [(str(r[1]), our_type(str(r[2] or ""))) for r in rows]


def create_like(dst: sqlite3.Connection, table: str, columns: list[tuple[str, str]],
                schema: str = "main") -> None:
    """Create ``schema.table`` in ``dst`` with ``columns``: names quoted, our types only.

    Only identifiers are taken from the source, always quoted; no SQL text from any
    file is executed.
    """
    cols = ", ".join(f"{quote(name)} {kind}".rstrip() for name, kind in columns)
    dst.execute(f"CREATE TABLE {quote(schema)}.{quote(table)} ({cols})")
