"""Cached counts and remembered pages never outlive the connection or the data they were
computed on; a page read elsewhere makes the next one cheap."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tde_desktop.core.explore import paging
from tde_desktop.core.explore.filters import Filter


def test_counts_not_reused_by_a_later_connection(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    setup = sqlite3.connect(db)
    setup.execute("CREATE TABLE t (x)")
    setup.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(10)])
    setup.commit()
    setup.close()
    for expected in (10, 15, 20):
        conn = sqlite3.connect(db)
        assert paging.count_rows(conn, "t") == expected
        conn.close()
        writer = sqlite3.connect(db)
        writer.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5)])
        writer.commit()
        writer.close()


def test_reopened_pack_skips_a_second_full_check(tmp_path: Path) -> None:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.pack import pack_file as pack_module

    path = tmp_path / "p.tdepack"
    Pack.create(path, title="x").close()
    Pack.open(path).close()
    stat = path.stat()
    assert (str(path.resolve()), stat.st_size, stat.st_mtime_ns) in pack_module._checked


def test_deep_pages_from_the_end_match_offset(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (k, v)")
    conn.executemany("INSERT INTO t VALUES (?, ?)",
                     [(None if i % 7 == 0 else i % 50, i) for i in range(30_000)])
    conn.commit()
    filters = [Filter("v", "gt", 10)]
    for descending in (False, True):
        direction = " DESC" if descending else ""
        expected = conn.execute(
            f"SELECT rowid, v FROM t WHERE v > 10 ORDER BY k{direction}, rowid{direction}"
        ).fetchall()
        for offset in (29_800, 25_000, 29_980):
            page = paging.fetch_rows(conn, "t", ["v"], filters, order_by="k",
                                     descending=descending, offset=offset, limit=200)
            assert page == [tuple(r) for r in expected[offset:offset + 200]]
    conn.close()


def test_deep_pages_are_cheap_only_near_a_remembered_row(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (k TEXT, n INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?)",
                     [("a" if i % 3 else "b", i) for i in range(30_000)])
    conn.commit()
    only_a = [Filter("k", "is", "a")]
    # no filter, no sort: a rowid seek at any depth
    assert paging.page_is_cheap(conn, "t", offset=25_000)
    # filtered: the first page is cheap, a deep one needs a long OFFSET
    assert paging.page_is_cheap(conn, "t", only_a, offset=0)
    assert not paging.page_is_cheap(conn, "t", only_a, offset=15_000)
    assert not paging.page_is_cheap(conn, "t", [], "n", True, offset=15_000)
    # a page read elsewhere (another connection) makes the next one a keyset read here
    other = sqlite3.connect(db)
    rows = paging.fetch_rows(other, "t", ["k", "n"], only_a, offset=15_000, limit=200)
    other.close()
    paging.remember_page(conn, "t", ["k", "n"], only_a, None, False, 15_000, rows)
    assert paging.page_is_cheap(conn, "t", only_a, offset=15_200)
    following = paging.fetch_rows(conn, "t", ["k", "n"], only_a, offset=15_200, limit=200)
    expected = conn.execute("SELECT rowid, k, n FROM t WHERE k = 'a' ORDER BY rowid "
                            "LIMIT 200 OFFSET 15200").fetchall()
    assert following == expected
    # the same for a sorted order: the sort key comes from the rows' own columns
    sorted_rows = paging.fetch_rows(conn, "t", ["k", "n"], [], "n", True, offset=9_000,
                                    limit=100)
    paging.forget_cached_pages()
    assert not paging.page_is_cheap(conn, "t", [], "n", True, offset=9_100)
    paging.remember_page(conn, "t", ["k", "n"], [], "n", True, 9_000, sorted_rows)
    assert paging.page_is_cheap(conn, "t", [], "n", True, offset=9_100)
    assert paging.fetch_rows(conn, "t", ["n"], [], "n", True, offset=9_100, limit=3) == [
        (20_900, 20_899), (20_899, 20_898), (20_898, 20_897)]
    # a known total saves the count before walking from the end
    assert paging.fetch_rows(conn, "t", ["n"], only_a, offset=19_999, limit=5,
                             total=20_000) == [(30_000, 29_999)]
    conn.close()
