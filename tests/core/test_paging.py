"""Paging: every page of a filtered, sorted table is the rows an OFFSET query would give."""

from __future__ import annotations

import pytest

from tde_desktop.core.explore.filters import Filter, where_clause
from tde_desktop.core.explore.paging import ensure_index, fetch_row_by_number, fetch_rows
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311, table


def test_paging_matches_offset_on_sorted_and_filtered_results(explorer_pack: Pack) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    ensure_index(conn, t, "neighborhood")
    assert ensure_index(conn, t, "neighborhood") == f"idx_{t}_neighborhood"
    cols = ["neighborhood", "block"]
    for filters, order, desc in [((), None, False), ((), "neighborhood", False),
                                 ((), "neighborhood", True), ((), None, True),
                                 ((Filter("councildistrict", "lt", 9),), "noticedate", True)]:
        where, params = where_clause(filters)
        direction = " DESC" if desc else ""
        order_sql = (f"ORDER BY \"{order}\"{direction}, rowid{direction}" if order
                     else f"ORDER BY rowid{direction}")
        reference = conn.execute(f'SELECT rowid, neighborhood, block FROM "{t}" {where} '
                                 f"{order_sql}", params).fetchall()
        paged: list[tuple[object, ...]] = []
        offset = 0
        while True:
            page = fetch_rows(conn, t, cols, filters, order, desc, offset=offset, limit=997)
            if not page:
                break
            paged.extend(page)
            offset += len(page)
        assert paged == [tuple(r) for r in reference]
        # jumps forward and back, which start from the nearest remembered page
        for jump in (12_345, 500, len(reference) - 3, 0):
            got = fetch_rows(conn, t, cols, filters, order, desc, offset=jump, limit=5)
            assert got == [tuple(r) for r in reference[jump:jump + 5]]
        assert fetch_row_by_number(conn, t, cols, 7, filters, order, desc) == tuple(reference[6])
        assert fetch_row_by_number(conn, t, cols, len(reference) + 1, filters, order, desc) is None


@pytest.mark.shared_data(LA311)
def test_paging_with_nulls_in_the_sort_column(explorer_pack: Pack) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "LA 311")
    for desc in (False, True):
        d = " DESC" if desc else ""
        reference = conn.execute(
            f'SELECT rowid, srnumber FROM "{t}" ORDER BY latitude{d}, rowid{d}').fetchall()
        paged = []
        for offset in range(0, len(reference), 1000):
            paged.extend(fetch_rows(conn, t, ["srnumber"], order_by="latitude", descending=desc,
                                    offset=offset, limit=1000))
        assert paged == [tuple(r) for r in reference]
