"""Column cards: what one column holds, in numbers and in plain sentences.

A card is what participants look at in the "ask good questions of a dataset"
exercise: type, how many cells are empty, the most common values, and for
numbers and dates the range, the middle value and a histogram. Everything is
counted in SQL, so a card on 2.5 million rows loads no rows into Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.explore.facets import date_buckets, facet, numeric_buckets
from tde_desktop.core.explore.filters import (
    Filter,
    format_value,
    is_iso_date_sql,
    is_number_sql,
    where_for,
)
from tde_desktop.core.explore.paging import count_rows
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number as in_language
from tde_desktop.core.pack import ColumnInfo, quote
from tde_desktop.core.text_direction import isolate

NUMERIC_TYPES = ("integer", "number")
DATE_TYPES = ("date", "datetime")
TOP_VALUES = 5


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def format_pct(pct: float) -> str:
    """A percentage as people say it: "23%", "less than 1%", "more than 99%"."""
    if 0 < pct < 1:
        return _("less than 1%")
    if 99 < pct < 100:
        return _("more than 99%")
    return f"{round(pct):d}%"


def format_number(value: Any) -> str:
    """A number with the person's thousands marks and no needless decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return format_value(value)
    if float(value).is_integer():
        return in_language(int(value))
    return in_language(value)  # at most two decimals, in the person's language


@dataclass
class ColumnCard:
    """Facts about one column under the current filters.

    ``minimum``/``median``/``maximum`` are None for text; for dates they are ISO
    text. ``histogram`` is a list of ``(low, high, count)`` for numbers, of
    ``(period, count)`` for dates, and None for text.
    """

    name: str
    label: str
    type: str
    rows: int
    missing: int
    missing_pct: float
    distinct: int
    top: list[tuple[Any, int, float]] = field(default_factory=list)
    minimum: Any = None
    median: Any = None
    maximum: Any = None
    histogram: list[tuple[float, float, int]] | list[tuple[str, int]] | None = None

    def summary(self) -> list[str]:
        """Plain sentences for a participant, most useful first, for the screen only: each
        value from the pack in them (the most common one, the range) is isolated
        (:func:`~tde_desktop.core.text_direction.isolate`), so "2041 W NORTH AVE" or
        "-76.6" reads as written inside an Arabic sentence."""
        if self.rows == 0:
            return [_("There are no rows to describe.")]
        present = self.rows - self.missing
        if present == 0:
            return [_("No row has a value in this column.")]
        lines: list[str] = []
        numeric = self.type in NUMERIC_TYPES
        # A "most common" value held by under 1% of rows says nothing useful.
        if self.top and not numeric and self.top[0][2] >= 1 and self.top[0][1] > 1:
            value, _count, pct = self.top[0]
            lines.append(_("Most common: {value}, {pct} of rows").format(
                value=isolate(format_value(value)), pct=format_pct(pct)))
        if self.minimum is not None:
            if numeric:
                lines.append(_("Ranges from {low} to {high}; half are at or below {mid}").format(
                    low=isolate(format_number(self.minimum)),
                    high=isolate(format_number(self.maximum)),
                    mid=isolate(format_number(self.median))))
            else:
                # Dates only: a time of day here is mostly a time-zone artefact of exports.
                lines.append(_("From {low} to {high}; half are on or before {mid}").format(
                    low=isolate(format_value(str(self.minimum)[:10])),
                    high=isolate(format_value(str(self.maximum)[:10])),
                    mid=isolate(format_value(str(self.median)[:10]))))
        if self.missing:
            lines.append(_("{pct} of rows have no value").format(
                pct=format_pct(self.missing_pct)))
        else:
            lines.append(_("Every row has a value"))
        if self.distinct == present and present > 1:
            lines.append(_("Every value is different"))
        elif self.distinct == 1:
            lines.append(_("Every row with a value holds the same value"))
        else:
            lines.append(ngettext("{n} different value", "{n} different values",
                                  int(self.distinct)).format(n=format_number(self.distinct)))
        return lines


def _median(conn: sqlite3.Connection, table: str, column: str, filters: Sequence[Filter],
            present: int, where_extra: str) -> Any:
    c = quote(column)
    where, params = where_for(conn, table, filters, [where_extra])
    # Lower median: the value half of the cells are at or below; an index on the
    # column (made when someone sorts by it) turns this into a seek.
    row = conn.execute(
        f"SELECT {c} FROM {quote(table)} {where} ORDER BY {c} LIMIT 1 OFFSET ?",
        [*params, (present - 1) // 2]).fetchone()
    return row[0] if row else None


def column_card(conn: sqlite3.Connection, table: str, column: ColumnInfo,
                filters: Sequence[Filter] = ()) -> ColumnCard:
    """The card of ``column`` among the rows that match ``filters``.

    Never raises on an empty dataset or an all-empty column: counts are 0 and
    the range and histogram are None.
    """
    c = quote(column.name)
    rows = count_rows(conn, table, filters)
    missing = count_rows(conn, table, [*filters, Filter(column.name, "empty")]) if rows else 0
    present = rows - missing
    not_missing = Filter(column.name, "not_empty")
    top_facet = facet(conn, table, column.name, [*filters, not_missing], limit=TOP_VALUES)
    card = ColumnCard(
        name=column.name, label=column.original_name or column.name, type=column.type,
        rows=rows, missing=missing, missing_pct=_pct(missing, rows),
        distinct=top_facet.distinct,
        top=[(v, n, _pct(n, rows)) for v, n in top_facet.values],
    )
    if present == 0:
        return card
    if column.type in NUMERIC_TYPES:
        is_num = is_number_sql(column.name)
        w, p = where_for(conn, table, filters, [is_num])
        lo, hi, n = conn.execute(
            f"SELECT min({c}), max({c}), count(*) FROM {quote(table)} {w}", p).fetchone()
        if n:
            card.minimum, card.maximum = lo, hi
            card.median = _median(conn, table, column.name, filters, n, is_num)
            card.histogram = numeric_buckets(conn, table, column.name, filters)
    elif column.type in DATE_TYPES:
        is_date = is_iso_date_sql(column.name)
        w, p = where_for(conn, table, filters, [is_date])
        lo, hi, n = conn.execute(
            f"SELECT min({c}), max({c}), count(*) FROM {quote(table)} {w}", p).fetchone()
        if n:
            card.minimum, card.maximum = lo, hi
            card.median = _median(conn, table, column.name, filters, n, is_date)
            span_days = _span_days(str(lo), str(hi))
            unit = "day" if span_days <= 62 else "month" if span_days <= 3 * 366 else "year"
            card.histogram = date_buckets(conn, table, column.name, filters, unit=unit)
    return card


def _span_days(low: str, high: str) -> int:
    import datetime as dt

    try:
        return (dt.date.fromisoformat(high[:10]) - dt.date.fromisoformat(low[:10])).days
    except ValueError:
        return 0
