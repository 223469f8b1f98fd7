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
