"""The SQL expression that reads a column with its tidy steps applied.

A tidy step (see :mod:`.tidy`) records "read ``from_value`` as ``to_value``" for
one column of one dataset in ``_tde_tidy``; the dataset table keeps its original
values. Every query that shows or counts a column's values (facets, charts, maps,
filters, the grid, exports) asks :func:`column_sql` for the column instead of
quoting its name, so tidied values are used everywhere at once and undoing a step
is deleting nothing but one row's mark.

The expression is ``CASE WHEN "c" IN (<from values>) THEN CASE WHEN "c" IN (<values
becoming T1>) THEN 'T1' ... END ELSE "c" END``: SQLite turns a constant ``IN`` list
into a one-off b-tree, so rows whose value was not merged pay one lookup and merged
rows one lookup per target value. Values are written as SQL literals (never
parameters), so the expression drops into any query without moving its parameters.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from tde_desktop.core.pack import quote

TIDY_TABLE = "_tde_tidy"


def sql_literal(value: str) -> str:
    """``value`` as a SQL text literal that cannot end the string early."""
    if "\x00" in value:  # a NUL cannot sit in SQL text; spell the bytes instead
        return f"CAST(X'{value.encode('utf-8').hex()}' AS TEXT)"
    return "'" + value.replace("'", "''") + "'"


def has_tidy_table(conn: sqlite3.Connection) -> bool:
    """True when the pack has the table of tidy steps (packs before migration 6 do not)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (TIDY_TABLE,)).fetchone()
    return row is not None


def tidy_map(conn: sqlite3.Connection, table: str, column: str) -> dict[str, str]:
    """``{original value: tidied value}`` for the active steps of ``table``.``column``.

    Steps are applied in the order they were made, so a value merged into B and B
    later merged into C reads as C. Empty when the column has no active step or the
    pack has no table of steps.
    """
    if not has_tidy_table(conn):
        return {}
    rows = conn.execute(
        f"SELECT from_value, to_value FROM {TIDY_TABLE} WHERE dataset_id = "
        "(SELECT id FROM _tde_datasets WHERE table_name = ?) AND \"column\" = ? "
        "AND undone_at IS NULL ORDER BY id", (table, column)).fetchall()
    mapping: dict[str, str] = {}
    for source, target in rows:
        for key, value in mapping.items():  # earlier merges into `source` follow it on
            if value == source:
                mapping[key] = target
        mapping[str(source)] = str(target)
    return {k: v for k, v in mapping.items() if k != v}


def mapping_sql(column_expr: str, mapping: dict[str, str]) -> str:
    """``column_expr`` read through ``mapping``; the plain expression when it is empty.

    Values are grouped by the value they become, so a row walks one ``IN`` list per
    target, and a row whose value was not merged stops at the first ``IN``.
    """
    if not mapping:
        return column_expr
    by_target: dict[str, list[str]] = {}
    for source, target in mapping.items():
        by_target.setdefault(target, []).append(source)
    whens = " ".join(
        f"WHEN {column_expr} IN ({', '.join(sql_literal(s) for s in sources)}) "
        f"THEN {sql_literal(target)}" for target, sources in by_target.items())
    if len(by_target) == 1:
        return f"(CASE {whens} ELSE {column_expr} END)"
    keys = ", ".join(sql_literal(k) for k in mapping)
    return (f"(CASE WHEN {column_expr} IN ({keys}) THEN CASE {whens} END "
            f"ELSE {column_expr} END)")


def column_sql(conn: sqlite3.Connection | None, table: str, column: str) -> str:
    """The SQL expression giving ``column`` of ``table`` with its tidy steps applied.

    It is the quoted column name when there is nothing to apply (or no connection
    to ask), so callers can use it wherever they used ``quote(column)``. It is an
    expression, not a name: give it an alias in a SELECT list when the name matters.
    """
    plain = quote(column)
    if conn is None:
        return plain
    return mapping_sql(plain, tidy_map(conn, table, column))


def columns_sql(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> list[str]:
    """:func:`column_sql` for each of ``columns``, asking the pack once for all of them."""
    tidied = tidied_columns(conn, table)
    return [column_sql(conn, table, c) if c in tidied else quote(c) for c in columns]


def tidied_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The columns of ``table`` that have at least one active tidy step."""
    if not has_tidy_table(conn):
        return set()
    return {r[0] for r in conn.execute(
        f"SELECT DISTINCT \"column\" FROM {TIDY_TABLE} WHERE dataset_id = "
        "(SELECT id FROM _tde_datasets WHERE table_name = ?) AND undone_at IS NULL",
        (table,))}
