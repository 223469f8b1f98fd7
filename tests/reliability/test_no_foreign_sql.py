"""No SQL text from a pack is executed: publish and results-only rebuild dataset tables.

A stranger can give a dataset table a ``CREATE TABLE`` of their own (a ``CHECK`` that
loads an extension, a ``DEFAULT`` or a collation); the published file and the
results-only pack must hold our own plain definition, with the same columns and
affinities, and the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.table_copy import our_type
from tde_desktop.core.results.publish import publish
from tde_desktop.core.results.results_only import write_results_pack
from tests.reliability.conftest import Scenario
from tests.reliability.stranger_pack import build, tamper

EVIL_CHECK = "CHECK (load_extension('/tmp/tde-evil.so') IS NULL OR 1)"


def _evil_pack(path: Path) -> str:
    build(path)
    conn = sqlite3.connect(path)
    table = conn.execute("SELECT table_name FROM _tde_datasets").fetchone()[0]
    cols = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    conn.close()
    defs = ", ".join(f'"{c[1]}" {c[2]} {EVIL_CHECK} DEFAULT (random())' for c in cols)
    tamper(path, ("PRAGMA ignore_check_constraints = ON", ()),
           (f'ALTER TABLE "{table}" RENAME TO old_copy', ()),
           (f'CREATE TABLE "{table}" ({defs})', ()),
           (f'INSERT INTO "{table}" SELECT * FROM old_copy', ()),
           ("DROP TABLE old_copy", ()))
    return str(table)


def _shape(db: Path, table: str) -> tuple[str, list[tuple[str, str]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        cols = [(r[1], r[2]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
        rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        return sql, cols, rows
    finally:
        conn.close()


def test_publish_and_results_only_never_run_the_packs_create_table(
        tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("strangers: CREATE TABLE text in the pack", "publish and results-only "
                 "rebuild the table from PRAGMA table_info with our types: no CHECK, DEFAULT "
                 "or function from the pack reaches the new file; same columns, affinities, rows")
    pack_path = tmp_path / "stranger.tdepack"
    table = _evil_pack(pack_path)
    _sql, src_cols, src_rows = _shape(pack_path, table)
    with Pack.open(pack_path, read_only=True) as pack:
        db, _meta = publish(pack, tmp_path / "published.db")
        small = write_results_pack(pack, tmp_path / "results.tdepack")
    for out, rows in ((db, src_rows), (small, [])):
        sql, cols, got = _shape(out, table)
        assert "CHECK" not in sql.upper()
        assert "load_extension" not in sql
        assert "random" not in sql
        assert cols == [(name, our_type(kind)) for name, kind in src_cols]
        assert got == rows
        s.trial()


@pytest.mark.parametrize(("declared", "ours"), [
    ("INTEGER", "INTEGER"), ("BIGINT", "INTEGER"), ("TEXT", "TEXT"), ("VARCHAR(10)", "TEXT"),
    ("REAL", "REAL"), ("DOUBLE", "REAL"), ("", ""), ("BLOB", ""), ("DATE", "NUMERIC"),
    ("TEXT) ; DROP TABLE x; --", "TEXT"), ("NUMERIC", "NUMERIC")])
def test_declared_types_map_onto_our_list(declared: str, ours: str) -> None:
    assert our_type(declared) == ours
