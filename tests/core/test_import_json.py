"""The JSON importer: a real Socrata rows.json export, arrays, JSON Lines, broken files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, ImportFailed
from tde_desktop.core.importers import import_file, json_import, writer
from tde_desktop.core.importers.json_import import MAX_DEPTH
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared


def query(pack: Pack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return pack.conn.execute(sql, params).fetchall()


def names(info: Any) -> list[str]:
    return [c.original_name for c in info.columns]


def assert_nothing_written(pack: Pack) -> None:
    assert pack.datasets() == []
    assert query(pack, "SELECT name FROM sqlite_master WHERE name LIKE 'ds_%'") == []


def test_socrata_rows_json_uses_real_columns(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/nyc_police_precincts_socrata_rows.json"))
    assert info.format == "socrata-rows-json"
    assert info.row_count == 77
    assert names(info) == ["Shape_Area", "Precinct", "Shape_Leng", "the_geom"]
    assert not any(n in ("sid", "id", "position", "meta") or n.startswith(":")
                   for n in names(info))
    types = {c.original_name: c.type for c in info.columns}
    assert types["Precinct"] == "integer"
    assert types["Shape_Area"] == "number"
    geom = query(new_pack, f"SELECT the_geom FROM {quote(info.table_name)} WHERE precinct = 1")
    assert geom[0][0].startswith("MULTIPOLYGON (((-74.04")
    assert (info.geometry_column, info.crs) == ("the_geom", "EPSG:4326")
    assert any("8 hidden" in w for w in info.warnings)
    assert query(new_pack, f"SELECT count(DISTINCT precinct) FROM {quote(info.table_name)}") \
        == [(77,)]


def test_array_with_nested_values(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "people.json"
    path.write_text(json.dumps([
        {"name": "Ana", "tags": ["park", "bus"], "home": {"zip": "02134"}, "age": 34},
        {"name": "Bo", "age": 41.5, "member": True, "note": None},
        {"member": False, "name": "Cy"},
    ]), encoding="utf-8")
    info = import_file(new_pack, path)
    assert info.format == "json"
    assert names(info) == ["name", "tags", "home", "age", "member", "note"]
    got = query(new_pack, f"SELECT * FROM {quote(info.table_name)} ORDER BY rowid")
    assert got[0] == ("Ana", '["park","bus"]', '{"zip":"02134"}', 34.0, None, None)
    assert got[1] == ("Bo", None, None, 41.5, "true", None)
    assert got[2][4] == "false"
    assert {c.original_name: c.type for c in info.columns}["age"] == "number"


def test_json_lines_by_suffix_and_by_content(new_pack: Pack, tmp_path: Path) -> None:
    text = '{"a": 1, "b": "x"}\n{"a": 2, "c": null}\n\n{"a": 3, "b": "z"}\n'
    (tmp_path / "events.jsonl").write_text(text, encoding="utf-8")
    (tmp_path / "events.json").write_text(text, encoding="utf-8")
    for name in ("events.jsonl", "events.json"):
        info = import_file(new_pack, tmp_path / name)
        assert info.format == "jsonl"
        assert (info.row_count, names(info)) == (3, ["a", "b", "c"])
        assert query(new_pack, f"SELECT a, b FROM {quote(info.table_name)} ORDER BY rowid") \
            == [(1, "x"), (2, None), (3, "z")]


def test_records_under_one_key_are_found(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"count": 2, "results": [{"id": "7"}, {"id": "8"}]}))
    info = import_file(new_pack, path)
    assert info.row_count == 2
    assert any("results" in w for w in info.warnings)


def test_utf8_bom_is_accepted(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"ciudad": "Bogotá"}]).encode())
    info = import_file(new_pack, path)
    assert query(new_pack, f"SELECT ciudad FROM {quote(info.table_name)}") == [("Bogotá",)]


@pytest.mark.parametrize(("content", "message"), [
    (bytes(range(256)) * 20, "not a JSON file"),
    (b'[{"a": 1}, {"a": ', "not a valid JSON file"),
    (b'{"just": "one object"}', "single JSON object"),
    (b"   ", "empty"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"[" + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"]", "nested too deeply"),
])
def test_bad_json_fails_cleanly(new_pack: Pack, tmp_path: Path, content: bytes,
                                message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


def test_depth_limit_is_generous_enough(new_pack: Pack, tmp_path: Path) -> None:
    deep: Any = 1
    for _level in range(MAX_DEPTH - 3):
        deep = [deep]
    path = tmp_path / "deep_ok.json"
    path.write_text(json.dumps([{"x": deep}]))
    info = import_file(new_pack, path)
    assert info.row_count == 1


def test_damage_after_the_header_pass_leaves_nothing(new_pack: Pack, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{"a": i} for i in range(500)]))
    from tde_desktop.core.importers import json_import

    real = json_import.JsonSource.rows

    def damaged(self: Any) -> Any:
        path.write_text('[{"a": 1}, {"a": ')  # the file changes between the two passes
        yield from real(self)

    monkeypatch.setattr(json_import.JsonSource, "rows", damaged)
    with pytest.raises(ImportFailed, match="not a valid JSON file"):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


def test_cancel_halfway_leaves_nothing(new_pack: Pack, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "FIRST_CHUNK_CELLS", 1_000)
    monkeypatch.setattr(writer, "CHUNK_CELLS", 1_000)
    monkeypatch.setattr(json_import, "PARSE_BUFFER_BYTES", 16_384)  # the file is read in parts
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"n": i, "s": f"v{i}"}) + "\n" for i in range(5_000)))
    seen: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(done)
        if len(seen) == 2:
            assert 0 < done < total
            raise Cancelled

    with pytest.raises(Cancelled):
        import_file(new_pack, path, progress=progress)
    assert_nothing_written(new_pack)
