"""Which column a new chart starts with: one whose values read well as a few bars."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Protocol

from tde_desktop.core.pack import quote

#: a column with this many different values (in the sample) makes a readable bar chart
MIN_GROUPS, MAX_GROUPS = 2, 50
#: rows looked at per column; enough to tell a district from an address, and bounded
SAMPLE_ROWS = 5_000


class _Column(Protocol):
    name: str
    type: str
    is_identifier: bool


def distinct_in_sample(conn: sqlite3.Connection, table: str, column: str,
                       limit: int = MAX_GROUPS + 1) -> int:
    """How many different non-empty values ``column`` holds in the table's first
    SAMPLE_ROWS rows, counting at most ``limit``."""
    c = quote(column)
    row = conn.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT {c} FROM "
        f"(SELECT {c} FROM {quote(table)} LIMIT ?) WHERE {c} IS NOT NULL AND {c} != '' "
        f"LIMIT ?)", (SAMPLE_ROWS, limit)).fetchone()
    return int(row[0]) if row else 0


def default_bar_column(conn: sqlite3.Connection, table: str,
                       columns: Sequence[_Column]) -> str | None:
    """The first text or whole-number column (not an identifier) with between MIN_GROUPS
    and MAX_GROUPS different values, such as a district; None if no column qualifies.
    Reads at most SAMPLE_ROWS rows per column, so it is quick on any table."""
    for column in columns:
        if column.is_identifier or column.type not in ("text", "integer"):
            continue
        try:
            n = distinct_in_sample(conn, table, column.name)
        except sqlite3.Error:
            return None
        if MIN_GROUPS <= n <= MAX_GROUPS:
            return column.name
    return None
