"""Counting and paging over one dataset table, fast enough for 2.5 million rows.

The grid asks for rows ``offset .. offset+limit`` of the filtered, sorted
table (:func:`fetch_rows`); it must scroll without stalls. The strategy:

- Unfiltered, unsorted, with dense rowids (the importers write rows 1..N and
  never delete): row ``offset`` is ``rowid = offset + 1``, a direct seek.
- Every other query pages by *keyset*: each page fetched remembers the sort key
  and rowid of its last row (an "anchor"). A later request starts from the
  nearest anchor at or before the wanted offset with ``(key, rowid) > (?, ?)``
  and uses OFFSET only for the rows between the anchor and the offset. Scrolling
  forward therefore costs one index seek per page, and a jump costs an OFFSET
  from the nearest known page instead of from the top.
- Far from any anchor but near the end, the rows are read from the end in
  the reverse order and flipped.
- Sorting by a column uses an index made on demand by :func:`ensure_index`
  (callers may run it in the background the first time a column is sorted).

Counts and anchors are cached per connection and data version, so a cached
answer never outlives the data it was computed on. The caches are shared by
all threads (the grid reads pages on worker threads too).
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from tde_desktop.core.explore.filters import Filter, where_for
from tde_desktop.core.explore.tidied import columns_sql
from tde_desktop.core.pack import quote

_MAX_QUERIES = 64
_MAX_ANCHORS = 20_000
#: how many rows to skip from an anchor before walking from the end is considered instead
_REVERSE_AFTER = 5_000
#: query key -> sorted positions and their (position, sort key, rowid) anchors
_anchors: OrderedDict[tuple[Any, ...], tuple[list[int], list[tuple[int, Any, int]]]] = (
    OrderedDict())
_scalars: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()
#: a page that skips at most this many rows after a remembered position is read at once
CHEAP_SKIP = 1_000


def forget_cached_pages() -> None:
    """Forget every cached count and remembered page, as after starting the app.

    Later reads give the same rows, only the first of them may be slower.
    """
    with _lock:
        _scalars.clear()
        _anchors.clear()


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
    where, params = where_for(conn, table, filters)
    sql = f"SELECT count(*) FROM {quote(table)} {where}"
    key = ("count", _version(conn), sql, tuple(map(repr, params)))
    return int(_cached(key, lambda: conn.execute(sql, params).fetchone()[0]))


def row_bound(conn: sqlite3.Connection, table: str) -> int:
    """At most how many rows ``table`` holds: its largest rowid (one b-tree seek), or 0.

    Rows are numbered from 1, so this is never below the true count. The catalogue's
    count is checked against it before a grid is sized: a results-only pack keeps the
    counts of tables it left empty, and a stranger's pack may claim anything.
    """
    return max(0, int(conn.execute(f"SELECT max(rowid) FROM {quote(table)}").fetchone()[0]
                      or 0))


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
    cols = "".join(", " + c for c in columns_sql(conn, table, columns))  # tidied values
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
            where, where_params = where_for(conn, table, filters)
            sql = f"{select} FROM {quote(table)} {where}{reverse} LIMIT ? OFFSET ?"
            rows = conn.execute(sql, [*where_params, end - offset, total - end]).fetchall()
            rows.reverse()
    if rows is None:
        where, where_params = where_for(conn, table, filters, extra)
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
    where, params = where_for(conn, table, filters)
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
