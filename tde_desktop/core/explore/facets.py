"""Facets and buckets: how the values of one column are spread, counted in SQL.

:func:`facet` gives the most common values of a column; :func:`numeric_buckets`
a histogram of its numbers; :func:`date_buckets` counts per day, week, month or
year of its dates. Each runs one GROUP BY under the current filters, so even
2.5 million rows bring only a few hundred numbers into Python.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.filters import (
    Filter,
    is_iso_date_sql,
    is_number_sql,
    where_for,
)
from tde_desktop.core.explore.paging import count_rows
from tde_desktop.core.explore.tidied import mapping_sql, tidy_map
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import quote


@dataclass
class FacetResult:
    """The most common values of a column: ``values`` (value, count) by count, then value."""

    values: list[tuple[Any, int]]
    other: int
    distinct: int

    @property
    def total(self) -> int:
        return sum(c for _v, c in self.values) + self.other


def facet(conn: sqlite3.Connection, table: str, column: str, filters: Sequence[Filter] = (),
          limit: int = 50) -> FacetResult:
    """The top ``limit`` values of ``column`` among matching rows (NULL shown as None).

    ``other`` counts the rows holding any value outside the top; ``distinct``
    counts distinct values, empty cells included. One GROUP BY pass in SQL.
    """
    where, params = where_for(conn, table, filters)
    c = quote(column)
    counted = f"SELECT {c} AS v, count(*) AS n FROM {quote(table)} {where} GROUP BY {c}"
    mapping = tidy_map(conn, table, column)
    if mapping:  # tidied values count as one: map the few distinct values, not every row
        counted = (f"SELECT {mapping_sql('v0', mapping)} AS v, sum(n0) AS n FROM "
                   f"(SELECT {c} AS v0, count(*) AS n0 FROM {quote(table)} {where} "
                   f"GROUP BY {c}) GROUP BY 1")
    sql = (f"SELECT v, n, count(*) OVER (), sum(n) OVER () FROM ({counted}) "
           f"ORDER BY n DESC, v LIMIT ?")
    rows = conn.execute(sql, [*params, max(1, limit)]).fetchall()
    if not rows:
        return FacetResult([], 0, 0)
    values = [(r[0], int(r[1])) for r in rows[: max(0, limit)]]
    total = int(rows[0][3])
    return FacetResult(values, total - sum(n for _v, n in values), int(rows[0][2]))


def numeric_buckets(conn: sqlite3.Connection, table: str, column: str,
                    filters: Sequence[Filter] = (), buckets: int = 20
                    ) -> list[tuple[float, float, int]]:
    """Equal-width buckets ``(low, high, count)`` over the numbers in ``column``.

    Every bucket between the smallest and largest value is returned, empty ones
    included; text and empty cells are left out. Whole-number columns with a
    small range get one bucket per value. Counting happens in SQL.
    """
    c = quote(column)
    where, params = where_for(conn, table, filters, [is_number_sql(column)])
    lo, hi, is_int = conn.execute(
        f"SELECT min({c}), max({c}), min(typeof({c}) = 'integer') FROM {quote(table)} {where}",
        params).fetchone()
    if lo is None:
        return []
    lo, hi = float(lo), float(hi)
    if lo == hi:
        n = count_rows(conn, table, [*filters, Filter(column, "is", lo)])
        return [(lo, hi, n)]
    buckets = min(500, max(1, int(buckets)))
    if is_int and hi - lo + 1 <= buckets:
        buckets = int(hi - lo + 1)
        width = 1.0
        hi_edge = hi + 1
    else:
        width = (hi - lo) / buckets
        hi_edge = hi
    sql = (f"SELECT min(CAST(({c} - ?) / ? AS INTEGER), ?), count(*) FROM {quote(table)} "
           f"{where} GROUP BY 1")
    counts = dict(conn.execute(sql, [lo, width, buckets - 1, *params]).fetchall())
    edges = [lo + i * width for i in range(buckets)] + [hi_edge]
    return [(edges[i], edges[i + 1], int(counts.get(i, 0))) for i in range(buckets)]


#: unit -> SQL giving the period of the ISO date in the quoted column ``{c}``
#: (the labels of :func:`date_buckets`); fill in ``{c}`` with ``str.format``
UNIT_SQL = {
    "day": "substr({c}, 1, 10)",
    "week": "date(substr({c}, 1, 10), 'weekday 0', '-6 days')",
    "month": "substr({c}, 1, 7)",
    "year": "substr({c}, 1, 4)",
}
_MAX_FILLED = 10_000


def _next_label(label: str, unit: str) -> str:
    if unit == "year":
        return f"{int(label) + 1:04d}"
    if unit == "month":
        y, m = int(label[:4]), int(label[5:7])
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return f"{y:04d}-{m:02d}"
    step = 7 if unit == "week" else 1
    return (dt.date.fromisoformat(label) + dt.timedelta(days=step)).isoformat()


def date_buckets(conn: sqlite3.Connection, table: str, column: str,
                 filters: Sequence[Filter] = (), unit: str = "month") -> list[tuple[str, int]]:
    """Counts per day, week (labelled by its Monday), month or year of ISO date text.

    Labels are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, in order; periods with
    no rows inside the range are filled with 0 (unless there would be more than
    10,000 of them). Cells that are not ISO dates are left out.
    """
    if unit not in UNIT_SQL:
        raise TdeError(_("{unit} is not a time unit; use day, week, month or year.").format(
            unit=unit))
    expr = UNIT_SQL[unit].format(c=quote(column))
    where, params = where_for(conn, table, filters, [is_iso_date_sql(column)])
    rows = conn.execute(
        f"SELECT {expr} AS k, count(*) FROM {quote(table)} {where} GROUP BY k ORDER BY k",
        params).fetchall()
    found = [(str(k), int(n)) for k, n in rows if k is not None]
    if len(found) < 2:
        return found
    counts = dict(found)
    filled: list[tuple[str, int]] = []
    label, last = found[0][0], found[-1][0]
    try:
        while label <= last:
            filled.append((label, counts.get(label, 0)))
            if len(filled) > _MAX_FILLED:
                return found
            label = _next_label(label, unit)
    except ValueError:
        return found
    return filled
