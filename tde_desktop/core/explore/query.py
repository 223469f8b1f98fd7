"""Filters in plain language and fast queries over one dataset table.

Every identifier is quoted with :func:`pack.quote` and every value is bound as
a parameter, so nothing a participant types can change the shape of a query.

Paging strategy (tables of 2.5 million rows must scroll without stalls):

- Unfiltered, unsorted, with dense rowids (the importers write rows 1..N and
  never delete): row ``offset`` is ``rowid = offset + 1``, a direct seek.
- Every other query pages by *keyset*: each page fetched remembers the sort key
  and rowid of its last row (an "anchor"). A later request starts from the
  nearest anchor at or before the wanted offset with ``(key, rowid) > (?, ?)``
  and uses OFFSET only for the rows between the anchor and the offset. Scrolling
  forward therefore costs one index seek per page, and a jump costs an OFFSET
  from the nearest known page instead of from the top.
- Sorting by a column uses an index made on demand by :func:`ensure_index`
  (callers may run it in the background the first time a column is sorted).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
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


def _condition(f: Filter, table: str | None) -> tuple[str, list[object]]:
    c = quote(f.column)
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
    from tde_desktop.core.explore.search import search_filter_sql

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


def _where(conn: sqlite3.Connection, table: str, filters: Sequence[Filter],
           extra: Sequence[str] = ()) -> tuple[str, list[object]]:
    """Like :func:`where_clause`, but a search without an index falls back to LIKE."""
    conds: list[str] = []
    params: list[object] = []
    for f in filters:
        if f.op == "search" and not _has_table(conn, table + "_fts"):
            sql, p = _like_any_text(conn, table, str(f.value or ""))
        else:
            sql, p = _condition(f, table)
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


# -- counting and paging -----------------------------------------------------------

_MAX_QUERIES = 64
_MAX_ANCHORS = 20_000
#: how many rows to skip from an anchor before walking from the end is considered instead
_REVERSE_AFTER = 5_000
#: query key -> sorted positions and their (position, sort key, rowid) anchors
_anchors: OrderedDict[tuple[Any, ...], tuple[list[int], list[tuple[int, Any, int]]]] = (
    OrderedDict())
_scalars: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
# The grid reads pages on worker threads too; the caches above are shared by all threads.
_lock = threading.Lock()
#: a page that skips at most this many rows after a remembered position is read at once
CHEAP_SKIP = 1_000


def _connection_token(conn: sqlite3.Connection) -> str:
    """A token unique to this connection's lifetime (id() is reused after a close)."""
    try:
        row = conn.execute("SELECT token FROM temp._tde_query_token").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is None:
        token = uuid.uuid4().hex
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _tde_query_token (token TEXT)")
        conn.execute("INSERT INTO temp._tde_query_token VALUES (?)", (token,))
        return token
    return str(row[0])


def _version(conn: sqlite3.Connection) -> tuple[str, int, int]:
    # data_version changes when another connection commits; total_changes when this one
    # writes: together they tell a cached answer that the table may have changed.
    return (_connection_token(conn), conn.execute("PRAGMA data_version").fetchone()[0],
            conn.total_changes)


def _cached(key: tuple[Any, ...], compute: Any) -> Any:
    with _lock:
        if key in _scalars:
            _scalars.move_to_end(key)
            return _scalars[key]
    value = compute()  # outside the lock: it may take seconds
    with _lock:
        _scalars[key] = value
        if len(_scalars) > _MAX_QUERIES * 4:
            _scalars.popitem(last=False)
    return value


def count_rows(conn: sqlite3.Connection, table: str, filters: Sequence[Filter] = ()) -> int:
    """How many rows of ``table`` match every filter (cached until the data changes)."""
    where, params = _where(conn, table, filters)
    sql = f"SELECT count(*) FROM {quote(table)} {where}"
    key = ("count", _version(conn), sql, tuple(map(repr, params)))
    return int(_cached(key, lambda: conn.execute(sql, params).fetchone()[0]))


def _dense(conn: sqlite3.Connection, table: str) -> bool:
    """True when the rowids are exactly 1..N (no gaps), so offset n is rowid n + 1."""
    def compute() -> bool:
        # Separate queries: min/max of rowid alone are single seeks, and the count is
        # shared with count_rows' cache.
        # A dataset's row count is in the catalogue; counting 2.5 million rows on the
        # UI thread is what made the first page slow to appear.
        try:
            known = conn.execute("SELECT row_count FROM _tde_datasets WHERE table_name = ?",
                                 (table,)).fetchone()
        except sqlite3.OperationalError:
            known = None
        n = int(known[0]) if known else count_rows(conn, table)
        lo = conn.execute(f"SELECT min(rowid) FROM {quote(table)}").fetchone()[0]
        hi = conn.execute(f"SELECT max(rowid) FROM {quote(table)}").fetchone()[0]
        return bool(n == 0 or (lo == 1 and hi == n))
    return bool(_cached(("dense", _version(conn), table), compute))


def ensure_index(conn: sqlite3.Connection, table: str, column: str) -> str:
    """Create (if missing) the index ``idx_<table>_<column>`` used to sort by ``column``.

    Safe to call repeatedly; returns the index name. On a large table the first
    call takes seconds, so the UI runs it in the background.
    """
    name = f"idx_{table}_{column}"
    conn.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")
    return name


def _keyset(order_by: str | None, descending: bool, key: Any, rowid: int
            ) -> tuple[str, list[object]]:
    """The condition "comes after (key, rowid)" in the order used by :func:`fetch_rows`."""
    if order_by is None:
        return ("rowid < ?" if descending else "rowid > ?"), [rowid]
    c = quote(order_by)
    # SQLite sorts NULL first ascending and last descending.
    if not descending:
        if key is None:
            return f"(({c} IS NULL AND rowid > ?) OR {c} IS NOT NULL)", [rowid]
        return f"({c}, rowid) > (?, ?)", [key, rowid]
    if key is None:
        return f"({c} IS NULL AND rowid < ?)", [rowid]
    return f"(({c}, rowid) < (?, ?) OR {c} IS NULL)", [key, rowid]


def fetch_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    filters: Sequence[Filter] = (),
    order_by: str | None = None,
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    total: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows ``offset .. offset+limit`` of the filtered, sorted table; each is (rowid, *columns).

    The order is total (ties broken by rowid), so pages never overlap or skip a
    row. See the module docstring for why paging stays fast deep into a table.
    ``total`` is the number of matching rows when the caller knows it already
    (it saves a count before walking from the end).
    """
    offset = max(0, int(offset))
    cols = "".join(", " + quote(c) for c in columns)
    select = f"SELECT rowid{cols}" + (f", {quote(order_by)}" if order_by else "")
    direction = " DESC" if descending else ""
    order = (f" ORDER BY {quote(order_by)}{direction}, rowid{direction}" if order_by
             else f" ORDER BY rowid{direction}")
    if _rowid_seek(conn, table, filters, order_by, descending):
        sql = f"{select} FROM {quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?"
        return [tuple(r) for r in conn.execute(sql, (offset, limit))]
    qkey = _query_key(conn, table, filters, order_by, descending)
    anchor = _nearest_anchor(qkey, offset)
    extra: list[str] = []
    params: list[object] = []
    skip = offset
    if anchor is not None:
        pos, key, rowid = anchor
        cond, params = _keyset(order_by, descending, key, rowid)
        extra.append(cond)
        skip = offset - pos - 1
    rows = None
    if skip > _REVERSE_AFTER:
        # Far from any remembered position: if the end of the table is nearer, walk from
        # the end in the reverse order (the exact reverse, NULLs included) and flip.
        total = count_rows(conn, table, filters) if total is None else total
        end = min(offset + limit, total)
        if end > offset and total - end < skip:
            back = "" if descending else " DESC"
            reverse = (f" ORDER BY {quote(order_by)}{back}, rowid{back}" if order_by
                       else f" ORDER BY rowid{back}")
            where, where_params = _where(conn, table, filters)
            sql = f"{select} FROM {quote(table)} {where}{reverse} LIMIT ? OFFSET ?"
            rows = conn.execute(sql, [*where_params, end - offset, total - end]).fetchall()
            rows.reverse()
    if rows is None:
        where, where_params = _where(conn, table, filters, extra)
        sql = f"{select} FROM {quote(table)} {where}{order} LIMIT ? OFFSET ?"
        rows = conn.execute(sql, [*where_params, *params, limit, skip]).fetchall()
    if rows:
        _remember(qkey, offset + len(rows) - 1, rows[-1], order_by is not None)
    n = 1 + len(columns)
    return [tuple(r[:n]) for r in rows]


def _rowid_seek(conn: sqlite3.Connection, table: str, filters: Sequence[Filter],
                order_by: str | None, descending: bool) -> bool:
    """True when row ``offset`` is simply ``rowid = offset + 1`` (a direct seek)."""
    return not filters and order_by is None and not descending and _dense(conn, table)


def _query_key(conn: sqlite3.Connection, table: str, filters: Sequence[Filter],
               order_by: str | None, descending: bool) -> tuple[Any, ...]:
    where, params = _where(conn, table, filters)
    return (_version(conn), table, where, tuple(map(repr, params)), order_by, descending)


def _nearest_anchor(qkey: tuple[Any, ...], offset: int) -> tuple[int, Any, int] | None:
    """The remembered (position, key, rowid) nearest before ``offset``, if any."""
    with _lock:
        positions, anchors = _anchors.get(qkey, ([], []))
        i = bisect.bisect_right(positions, offset - 1) - 1
        return anchors[i] if i >= 0 else None


def page_is_cheap(conn: sqlite3.Connection, table: str, filters: Sequence[Filter] = (),
                  order_by: str | None = None, descending: bool = False,
                  offset: int = 0) -> bool:
    """True when :func:`fetch_rows` on ``conn`` reads the page at ``offset`` without a
    long scan: a direct rowid seek, or at most :data:`CHEAP_SKIP` rows skipped after
    the nearest remembered position (so the first page is always cheap by this rule;
    with a rare filter even that may scan, as any first page must)."""
    offset = max(0, int(offset))
    if _rowid_seek(conn, table, filters, order_by, descending):
        return True
    anchor = _nearest_anchor(_query_key(conn, table, filters, order_by, descending), offset)
    skip = offset if anchor is None else offset - anchor[0] - 1
    return skip <= CHEAP_SKIP


def remember_page(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                  filters: Sequence[Filter], order_by: str | None, descending: bool,
                  offset: int, rows: Sequence[tuple[Any, ...]]) -> None:
    """Tell ``conn``'s paging that ``rows`` (from :func:`fetch_rows` with these arguments,
    perhaps on another connection) start at ``offset``, so the pages after them are
    read on ``conn`` from there instead of from the top."""
    if not rows or _rowid_seek(conn, table, filters, order_by, descending):
        return
    last = rows[-1]
    key = last[1 + list(columns).index(order_by)] if order_by else last[0]
    _remember(_query_key(conn, table, filters, order_by, descending),
              offset + len(rows) - 1, (last[0], key), True)


def _remember(qkey: tuple[Any, ...], position: int, row: tuple[Any, ...], sorted_: bool) -> None:
    with _lock:
        positions, anchors = _anchors.setdefault(qkey, ([], []))
        _anchors.move_to_end(qkey)
        if len(_anchors) > _MAX_QUERIES:
            _anchors.popitem(last=False)
        j = bisect.bisect_left(positions, position)
        if j < len(positions) and positions[j] == position:
            return
        if len(positions) >= _MAX_ANCHORS:
            return
        key = row[-1] if sorted_ else row[0]
        positions.insert(j, position)
        anchors.insert(j, (position, key, int(row[0])))


def fetch_row_by_number(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    n: int,
    filters: Sequence[Filter] = (),
    order_by: str | None = None,
    descending: bool = False,
) -> tuple[Any, ...] | None:
    """Row number ``n`` (1 = first) in the filtered, sorted order, or None past the end."""
    if n < 1:
        return None
    rows = fetch_rows(conn, table, columns, filters, order_by, descending, offset=n - 1,
                      limit=1)
    return rows[0] if rows else None


# -- facets and buckets --------------------------------------------------------------


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
    where, params = _where(conn, table, filters)
    c = quote(column)
    sql = (f"SELECT v, n, count(*) OVER (), sum(n) OVER () FROM "
           f"(SELECT {c} AS v, count(*) AS n FROM {quote(table)} {where} GROUP BY {c}) "
           f"ORDER BY n DESC, v LIMIT ?")
    rows = conn.execute(sql, [*params, max(1, limit)]).fetchall()
    if not rows:
        return FacetResult([], 0, 0)
    values = [(r[0], int(r[1])) for r in rows[: max(0, limit)]]
    total = int(rows[0][3])
    return FacetResult(values, total - sum(n for _v, n in values), int(rows[0][2]))


def _is_number_sql(c: str) -> str:
    return f"typeof({c}) IN ('integer', 'real')"


def numeric_buckets(conn: sqlite3.Connection, table: str, column: str,
                    filters: Sequence[Filter] = (), buckets: int = 20
                    ) -> list[tuple[float, float, int]]:
    """Equal-width buckets ``(low, high, count)`` over the numbers in ``column``.

    Every bucket between the smallest and largest value is returned, empty ones
    included; text and empty cells are left out. Whole-number columns with a
    small range get one bucket per value. Counting happens in SQL.
    """
    c = quote(column)
    where, params = _where(conn, table, filters, [_is_number_sql(c)])
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


_UNIT_SQL = {
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
    if unit not in _UNIT_SQL:
        raise TdeError(_("{unit} is not a time unit; use day, week, month or year.").format(
            unit=unit))
    c = quote(column)
    expr = _UNIT_SQL[unit].format(c=c)
    where, params = _where(conn, table, filters, [
        f"{c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"])
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
