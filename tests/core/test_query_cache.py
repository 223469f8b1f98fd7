"""Cached counts never outlive the connection or the data they were computed on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tde_desktop.core import query


def test_counts_not_reused_by_a_later_connection(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    setup = sqlite3.connect(db)
    setup.execute("CREATE TABLE t (x)")
    setup.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(10)])
    setup.commit()
    setup.close()
    for expected in (10, 15, 20):
        conn = sqlite3.connect(db)
        assert query.count_rows(conn, "t") == expected
        conn.close()
        writer = sqlite3.connect(db)
        writer.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5)])
        writer.commit()
        writer.close()


def test_reopened_pack_skips_a_second_full_check(tmp_path: Path) -> None:
    from tde_desktop.core import pack as pack_module
    from tde_desktop.core.pack import Pack

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
    filters = [query.Filter("v", "gt", 10)]
    for descending in (False, True):
        direction = " DESC" if descending else ""
        expected = conn.execute(
            f"SELECT rowid, v FROM t WHERE v > 10 ORDER BY k{direction}, rowid{direction}"
        ).fetchall()
        for offset in (29_800, 25_000, 29_980):
            page = query.fetch_rows(conn, "t", ["v"], filters, order_by="k",
                                    descending=descending, offset=offset, limit=200)
            assert page == [tuple(r) for r in expected[offset:offset + 200]]
    conn.close()
