"""Filters in plain language, and the SQL that applies them to a dataset table.

A :class:`Filter` is one condition on one column ("ward is 7", "date between 1
and 31 March"). It describes itself in a short phrase for captions and chips,
and turns into a SQL condition. Every identifier is quoted with
:func:`pack.quote` and every value is bound as a parameter, so nothing a
participant types can change the shape of a query.

Two ways to get the SQL:

- :func:`where_for` (the usual one) reads ``conn`` to see whether the dataset
  has a text index; a ``search`` filter without one falls back to LIKE over
  the text columns. Extra SQL conditions can be added to it.
- :func:`where_clause` needs no connection; a ``search`` filter then requires
  the text index to exist.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.search import fts_table, search_filter_sql
from tde_desktop.core.explore.tidied import column_sql
from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import readable_float
from tde_desktop.core.pack import quote

OPS = ("is", "is_not", "contains", "starts_with", "between", "gt", "lt", "empty",
       "not_empty", "in", "search")
#: ops that need no value
NO_VALUE_OPS = ("empty", "not_empty")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})")


def _month_names() -> list[str]:
    return [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
            _("July"), _("August"), _("September"), _("October"), _("November"),
            _("December")]


def format_value(value: object) -> str:
    """A value as a person would write it: ISO dates become "1 March 2017"."""
    if value is None:
        return _("(empty)")
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # as a spreadsheet shows it: 8218656.6, not ...600000001
        return readable_float(value)
    text = str(value)
    m = _ISO_DATE.match(text) or _ISO_DATETIME.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            date = _("{day} {month} {year}").format(  # Spanish puts "de" between them
                day=day, month=_month_names()[month - 1], year=year)
            if m.re is _ISO_DATETIME and (m.group(4), m.group(5)) != ("00", "00"):
                return f"{date} {m.group(4)}:{m.group(5)}"
            return date
    return text


def _json_safe(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_safe(v) for v in value]
    return value


@dataclass(frozen=True)
class Filter:
    """One condition on one column; ``op`` is one of :data:`OPS`.

    ``between`` is inclusive at both ends; for ISO date text the upper bound
    covers the whole day. ``in`` takes a tuple of values (``None`` matches
    empty cells). ``search`` is a full-text query over the dataset's text
    columns (its ``column`` is ignored; use ``"*"``).
    """

    column: str
    op: str
    value: object = None
    value2: object = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise TdeError(_("{op} is not a filter; use one of: {ops}.").format(
                op=self.op, ops=", ".join(OPS)))
        if self.op == "in" and isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))

    def describe(self, label: str | None = None) -> str:
        """This filter as a short plain-language phrase, e.g. "ward is 7"."""
        col = label or self.column
        v = format_value(self.value)
        if self.op == "is":
            if self.value is None:
                return _("{column} is empty").format(column=col)
            return _("{column} is {value}").format(column=col, value=v)
        if self.op == "is_not":
            return _("{column} is not {value}").format(column=col, value=v)
        if self.op == "contains":
            return _("{column} contains {value}").format(column=col, value=v)
        if self.op == "starts_with":
            return _("{column} starts with {value}").format(column=col, value=v)
        if self.op == "between":
            return _("{column} between {low} and {high}").format(
                column=col, low=v, high=format_value(self.value2))
        if self.op in ("gt", "lt"):
            is_date = isinstance(self.value, dt.date) or bool(
                _ISO_DATE.match(str(self.value)) or _ISO_DATETIME.match(str(self.value)))
            if self.op == "gt":
                text = _("{column} is after {value}") if is_date else _(
                    "{column} is more than {value}")
            else:
                text = _("{column} is before {value}") if is_date else _(
                    "{column} is less than {value}")
            return text.format(column=col, value=v)
        if self.op == "empty":
            return _("{column} is empty").format(column=col)
        if self.op == "not_empty":
            return _("{column} is not empty").format(column=col)
        if self.op == "in":
            values = [format_value(x) for x in (self.value or ())]  # type: ignore[attr-defined]
            if not values:
                return _("{column} is in an empty list").format(column=col)
            if len(values) == 1:
                return _("{column} is {value}").format(column=col, value=values[0])
            return _("{column} is {values} or {last}").format(
                column=col, values=", ".join(values[:-1]), last=values[-1])
        return _("the text mentions {value}").format(value=v)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (dates become ISO text, tuples become lists)."""
        return {"column": self.column, "op": self.op, "value": _json_safe(self.value),
                "value2": _json_safe(self.value2)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Filter:
        """The inverse of :meth:`to_dict`; raises TdeError on a malformed dict."""
        try:
            return cls(str(d["column"]), str(d["op"]), d.get("value"), d.get("value2"))
        except (KeyError, TypeError):
            raise TdeError(_("A saved filter is damaged and was ignored.")) from None


def describe_filters(filters: Sequence[Filter], labels: dict[str, str] | None = None) -> str:
    """All filters as one phrase joined by "and"; "" when there are none."""
    labels = labels or {}
    return _(" and ").join(f.describe(labels.get(f.column)) for f in filters)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bound(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _condition(f: Filter, table: str | None, column: str | None = None
               ) -> tuple[str, list[object]]:
    c = column or quote(f.column)  # the column's SQL expression (tidied) when given
    v = _bound(f.value)
    if f.op == "is":
        return (f"{c} IS NULL", []) if v is None else (f"{c} = ?", [v])
    if f.op == "is_not":
        # "is not 7" keeps empty cells: they are not 7 either.
        return (f"{c} IS NOT NULL", []) if v is None else (f"{c} IS NOT ?", [v])
    if f.op == "contains":
        return f"{c} LIKE ? ESCAPE '\\'", [f"%{_like_escape(str(v))}%"]
    if f.op == "starts_with":
        return f"{c} LIKE ? ESCAPE '\\'", [f"{_like_escape(str(v))}%"]
    if f.op == "between":
        high = _bound(f.value2)
        if isinstance(high, str) and _ISO_DATE.match(high):
            # A date as the upper bound means "to the end of that day", so datetime
            # text such as 2017-05-31T05:00:00Z is included.
            try:
                nxt = (dt.date.fromisoformat(high) + dt.timedelta(days=1)).isoformat()
            except ValueError:
                raise TdeError(_("{value} is not a date.").format(value=high)) from None
            return f"({c} >= ? AND {c} < ?)", [v, nxt]
        return f"{c} BETWEEN ? AND ?", [v, high]
    if f.op == "gt":
        return f"{c} > ?", [v]
    if f.op == "lt":
        return f"{c} < ?", [v]
    if f.op == "empty":
        return f"({c} IS NULL OR {c} = '')", []
    if f.op == "not_empty":
        return f"({c} IS NOT NULL AND {c} <> '')", []
    if f.op == "in":
        values = [_bound(x) for x in (f.value or ())]  # type: ignore[attr-defined]
        parts = []
        present = [x for x in values if x is not None]
        if present:
            parts.append(f"{c} IN ({','.join('?' * len(present))})")
        if len(present) < len(values):
            parts.append(f"{c} IS NULL")
        return ("(" + " OR ".join(parts) + ")" if parts else "0"), present
    # search
    if table is None:
        raise TdeError(_("A text search needs to know which dataset to search."))
    return search_filter_sql(table, str(v or ""))


def _conditions(filters: Sequence[Filter], table: str | None) -> tuple[list[str], list[object]]:
    conds: list[str] = []
    params: list[object] = []
    for f in filters:
        sql, p = _condition(f, table)
        conds.append(sql)
        params.extend(p)
    return conds, params


def where_clause(filters: Sequence[Filter], table: str | None = None
                 ) -> tuple[str, list[object]]:
    """``("WHERE a AND b", params)`` for ``filters``; ``("", [])`` when there are none.

    ``table`` is needed only for a ``search`` filter (it names the text index).
    """
    conds, params = _conditions(filters, table)
    if not conds:
        return "", []
    return "WHERE " + " AND ".join(conds), params


def where_for(conn: sqlite3.Connection, table: str, filters: Sequence[Filter],
              extra: Sequence[str] = ()) -> tuple[str, list[object]]:
    """``("WHERE ...", params)`` keeping the rows of ``table`` that match every filter.

    Unlike :func:`where_clause` it works whether or not ``table`` has a text
    index: without one, a ``search`` filter matches its words with LIKE over the
    text columns (slower, same rows for plain words). ``extra`` conditions are
    SQL text ANDed after the filters; any parameters they need go after the
    returned ones. Returns ``("", [])`` when there is no condition at all.
    """
    conds: list[str] = []
    params: list[object] = []
    for f in filters:
        if f.op == "search" and not _has_table(conn, fts_table(table)):
            sql, p = _like_any_text(conn, table, str(f.value or ""))
        else:
            sql, p = _condition(f, table, column_sql(conn, table, f.column))
        conds.append(sql)
        params.extend(p)
    conds.extend(extra)
    return ("WHERE " + " AND ".join(conds) if conds else ""), params


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def _like_any_text(conn: sqlite3.Connection, table: str, text: str) -> tuple[str, list[object]]:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({quote(table)})")
            if str(r[2]).upper() in ("TEXT", "")]
    words = re.findall(r"\w+", text)
    if not cols or not words:
        return ("1", []) if not words else ("0", [])
    conds: list[str] = []
    params: list[object] = []
    for word in words:
        pattern = f"%{_like_escape(word)}%"
        conds.append("(" + " OR ".join(f"{quote(c)} LIKE ? ESCAPE '\\'" for c in cols) + ")")
        params.extend([pattern] * len(cols))
    return "(" + " AND ".join(conds) + ")", params


def is_number_sql(column: str) -> str:
    """A SQL condition true where ``column`` holds a number (not text, not empty)."""
    return f"typeof({quote(column)}) IN ('integer', 'real')"


def is_iso_date_sql(column: str) -> str:
    """A SQL condition true where ``column`` holds text starting with an ISO date."""
    return f"{quote(column)} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
