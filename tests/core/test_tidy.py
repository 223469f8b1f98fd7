"""Tidy values: clusters of near-identical values, merges applied on read, undo."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.charts import ChartSpec, chart_data
from tde_desktop.core.explore.export_view import export_dataset
from tde_desktop.core.explore.facets import facet
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.paging import count_rows, fetch_rows
from tde_desktop.core.explore.tidied import column_sql, mapping_sql, sql_literal
from tde_desktop.core.explore.tidy import (
    cluster_values,
    find_clusters,
    fingerprint,
    merge_values,
    ngram_fingerprint,
    tidy_steps,
    undo_step,
)
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack

ROWS = ([("BROADWAY EAST", "1")] * 3 + [("Broadway East", "2")] * 5
        + [("broadway  east.", "3")] + [("Pigtown", "4")] * 4 + [("Pig town", "5")]
        + [("Café Row", "6")] * 2 + [("Cafe row", "7")] + [("Hamilton", "8")])


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    src = tmp_path / "residents.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["neighbourhood", "ward"])
        w.writerows(ROWS)
    p = Pack.create(tmp_path / "t.tdepack", title="Tidy")
    import_file(p, src, title="Residents", type_overrides={"ward": "text"})
    yield p
    p.close()


def test_fingerprint_keys_as_openrefine() -> None:
    assert fingerprint("  BROADWAY EAST ") == fingerprint("East, Broadway") == "broadway east"
    assert fingerprint("Café  Row") == fingerprint("cafe row.") == "cafe row"
    assert fingerprint("a a b") == "a b"
    assert fingerprint("Pigtown") != fingerprint("Pig town")
    assert ngram_fingerprint("Pigtown") == ngram_fingerprint("Pig town") == "gtigowpitown"
    assert ngram_fingerprint("ab") == "ab"


def test_clusters_by_method_with_counts_and_suggestion() -> None:
    counts = [("BROADWAY EAST", 3), ("Broadway East", 5), ("Pigtown", 4), ("Pig town", 1),
              ("Hamilton", 1)]
    fp = cluster_values(counts, "fingerprint")
    assert [(c.values, c.suggested) for c in fp] == [
        ([("Broadway East", 5), ("BROADWAY EAST", 3)], "Broadway East")]
    ng = cluster_values(counts, "ngram")
    assert {c.suggested for c in ng} == {"Broadway East", "Pigtown"}
    with pytest.raises(TdeError):
        cluster_values(counts, "soundex")


def test_find_clusters_in_a_pack_offers_each_group_once(pack: Pack) -> None:
    table = pack.dataset("Residents").table_name
    clusters = find_clusters(pack.conn, table, "neighbourhood")
    groups = [sorted(v for v, _n in c.values) for c in clusters]
    assert groups == [["BROADWAY EAST", "Broadway East", "broadway  east."],
                      ["Cafe row", "Café Row"], ["Pig town", "Pigtown"]]
    assert [c.method for c in clusters] == ["fingerprint", "fingerprint", "ngram"]
    assert clusters[0].rows == 9
    assert clusters[0].suggested == "Broadway East"


def test_merge_is_applied_on_read_everywhere_and_undone(pack: Pack, tmp_path: Path) -> None:
    info = pack.dataset("Residents")
    table = info.table_name
    before = dict(facet(pack.conn, table, "neighbourhood").values)
    assert before["BROADWAY EAST"] == 3
    assert before["Broadway East"] == 5
    steps = merge_values(pack, "Residents", "neighbourhood",
                         ["BROADWAY EAST", "broadway  east.", "Broadway East"], "Broadway East")
    assert [s.from_value for s in steps] == ["BROADWAY EAST", "broadway  east."]
    after = dict(facet(pack.conn, table, "neighbourhood").values)
    assert after["Broadway East"] == 9
    assert "BROADWAY EAST" not in after
    bars = chart_data(pack.conn, table, ChartSpec("bar", "neighbourhood"))
    assert dict(zip(bars.labels, bars.values, strict=True))["Broadway East"] == 9
    assert count_rows(pack.conn, table, [Filter("neighbourhood", "is", "Broadway East")]) == 9
    shown = {r[1] for r in fetch_rows(pack.conn, table, ["neighbourhood"], limit=50)}
    assert "BROADWAY EAST" not in shown
    assert "Broadway East" in shown
    out = tmp_path / "out.csv"
    export_dataset(pack, "Residents", out)
    exported = out.read_text(encoding="utf-8")
    assert "BROADWAY EAST" not in exported
    assert exported.count("Broadway East") == 9
    # the dataset table keeps every original value
    raw = pack.conn.execute(f'SELECT count(*) FROM "{table}" '
                            "WHERE neighbourhood = 'BROADWAY EAST'").fetchone()[0]
    assert raw == 3
    assert [s.from_value for s in tidy_steps(pack, "Residents")] == [
        "BROADWAY EAST", "broadway  east."]
    undo_step(pack, steps[0].id)
    again = dict(facet(pack.conn, table, "neighbourhood").values)
    assert again["BROADWAY EAST"] == 3
    assert again["Broadway East"] == 6
    assert [s.id for s in tidy_steps(pack, "Residents")] == [steps[1].id]
    with pytest.raises(TdeError):
        undo_step(pack, steps[0].id)


def test_steps_survive_reopening_and_chain(pack: Pack) -> None:
    merge_values(pack, "Residents", "neighbourhood", ["Pig town"], "Pigtown")
    merge_values(pack, "Residents", "neighbourhood", ["Pigtown"], "Pigtown (SW)")
    path = pack.path
    pack.close()
    with Pack.open(path) as again:
        table = again.dataset("Residents").table_name
        values = dict(facet(again.conn, table, "neighbourhood").values)
        assert values["Pigtown (SW)"] == 5
        assert "Pig town" not in values
        assert "Pigtown (SW)" in column_sql(again.conn, table, "neighbourhood")
        # clustering reads tidied values: the merged cluster is gone
        groups = [{v for v, _n in c.values}
                  for c in find_clusters(again.conn, table, "neighbourhood")]
        assert {"Pigtown", "Pig town"} not in groups


def test_merge_refuses_what_it_cannot_do(pack: Pack) -> None:
    with pytest.raises(TdeError):
        merge_values(pack, "Residents", "nowhere", ["a"], "b")
    with pytest.raises(TdeError):
        merge_values(pack, "Residents", "neighbourhood", ["a"], "  ")


def test_mapping_sql_is_safe_for_quotes_and_nul() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (c TEXT)")
    odd = ["O'Brien's", "x\x00y", "plain"]
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in odd])
    expr = mapping_sql('"c"', {"O'Brien's": "O'Brien", "x\x00y": "xy"})
    got = [r[0] for r in conn.execute(f"SELECT {expr} FROM t ORDER BY rowid")]
    assert got == ["O'Brien", "xy", "plain"]
    assert sql_literal("it's") == "'it''s'"


def _as_version_5(path: Path) -> None:
    """Turn a pack back into one made before tidy steps existed (migrations 1-5 only)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE _tde_tidy")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_tidy'")
    conn.execute("PRAGMA user_version = 5")
    conn.close()


def test_a_pack_from_before_tidy_steps(pack: Pack) -> None:
    path = pack.path
    pack.close()
    _as_version_5(path)
    with Pack.open(path, read_only=True) as old:  # read-only: not migrated, still readable
        table = old.dataset("Residents").table_name
        assert column_sql(old.conn, table, "neighbourhood") == '"neighbourhood"'
        assert dict(facet(old.conn, table, "neighbourhood").values)["BROADWAY EAST"] == 3
        assert tidy_steps(old, "Residents") == []
        with pytest.raises(TdeError):
            merge_values(old, "Residents", "neighbourhood", ["BROADWAY EAST"], "Broadway East")
    with Pack.open(path) as upgraded:  # opened for editing: migration 6 adds the table
        assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] >= 6  # and later
        merge_values(upgraded, "Residents", "neighbourhood", ["BROADWAY EAST"], "Broadway East")
        table = upgraded.dataset("Residents").table_name
        assert dict(facet(upgraded.conn, table, "neighbourhood").values)["Broadway East"] == 8
