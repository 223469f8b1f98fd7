"""The JSON importer: a real Socrata rows.json export, arrays, JSON Lines, broken files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, ImportFailed
from tde_desktop.core.importers import fast_json, import_file, json_chunks, json_import, writer
from tde_desktop.core.importers.catalogue import Provenance
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
    # (a nested value: read by the Python path, which reads the file twice)
    path.write_text(json.dumps([{"a": i, "b": [i]} for i in range(500)]))
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
    monkeypatch.setattr(json_chunks, "CHUNK_BYTES", 16_384)  # on both paths
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


def _records(n: int) -> list[dict[str, Any]]:
    """Flat records with every kind of value both paths must store alike."""
    odd = ["plain", 'say "hi"', "back\\slash", "[not] {nested}", "línea\nnueva", "日本", "",
           "NA", "0123"]
    floats = [1.0, -0.0, 0.1, 1e-05, 2.5e-4, 2.5e-7, 1.5e-300, 123456.789, -7.25, 1e15 + 0.5]
    out: list[dict[str, Any]] = []
    for i in range(n):
        rec: dict[str, Any] = {"count": i, "name": odd[i % len(odd)], "f": floats[i % len(floats)],
                               "flag": i % 3 == 0, "when": f"2021-{i % 12 + 1:02d}-0{i % 9 + 1}",
                               "us": f"{i % 12 + 1}/{i % 28 + 1}/2020", "code": f"{i % 50:03d}"}
        if i % 7:
            rec["maybe"] = None if i % 5 == 0 else i * 2
        if i % 4 == 0:
            rec["quarter"] = None if i % 8 == 0 else i / 4
        if i > n - 40:  # a key that appears only near the end
            rec["late"] = f"x{i}"
        out.append(rec)
    return out


def _stored(pack: Pack, info: Any) -> tuple[Any, ...]:
    table = quote(info.table_name)
    cols = [quote(c.name) for c in info.columns]
    values = query(pack, f"SELECT {', '.join(f'{c}, typeof({c})' for c in cols)} "
                         f"FROM {table} ORDER BY rowid")
    columns = [(c.name, c.original_name, c.type, c.missing_count) for c in info.columns]
    return info.row_count, columns, values


@pytest.mark.parametrize("layout", ["lines", "lines-unended", "array", "array-indented",
                                    "array-one-line"])
@pytest.mark.parametrize("chunk", [1 << 20, 2_000])
def test_fast_and_python_paths_store_the_same_values(
        new_pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str,
        chunk: int) -> None:
    monkeypatch.setattr(json_chunks, "CHUNK_BYTES", chunk)  # small: keys and types change late
    monkeypatch.setattr(fast_json, "CHOOSE_TYPES_BYTES", chunk * 2)
    records = _records(600)
    path = tmp_path / ("data.jsonl" if layout.startswith("lines") else "data.json")
    if layout.startswith("lines"):
        text = "".join(json.dumps(r) + "\n" for r in records)
        path.write_text(text.rstrip("\n") if layout == "lines-unended" else text,
                        encoding="utf-8")
    elif layout == "array":
        path.write_text("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n",
                        encoding="utf-8")
    else:
        path.write_text(json.dumps(records, indent=2 if layout == "array-indented" else None,
                                   ensure_ascii=False), encoding="utf-8")
    kind = "lines" if layout.startswith("lines") else "array"
    fast = fast_json.import_json_fast(new_pack, path, Provenance(title="fast"), layout=kind,
                                      warnings=[], progress=None)
    assert fast is not None, "flat records take the fast path"
    monkeypatch.setattr(json_import, "_import_fast", lambda *args: None)
    slow = import_file(new_pack, path)
    assert fast.sha256 == slow.sha256
    assert _stored(new_pack, fast) == _stored(new_pack, slow)
    types = {c.original_name: c.type for c in fast.columns}
    assert {k: types[k] for k in ("count", "f", "code", "us", "late")} == {
        "count": "integer", "f": "number", "code": "text", "us": "date", "late": "text"}


@pytest.mark.parametrize("content", [
    b'[{"a": 1}, {"a": [1, 2]}]',  # nested: kept as JSON text by the Python path
    b'[{"a": 1} {"a": 2}]',  # a missing comma
    b'[{"a": 1},, {"a": 2}]',
    b'[{"a": 1}, 5]',
    b'[{"a": 1}] [{"a": 2}]',
    b'{"a": 1}\n{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",  # deeper than records
    b'{"a": "\xff"}\n',
    b'{"a": "N/A"}\n{"a": 2}\n',  # text and numbers in one column
    b'{"a": 123456789012345678901234}\n',
])
def test_what_the_fast_path_leaves_to_the_python_path(new_pack: Pack, tmp_path: Path,
                                                       content: bytes) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    layout = "array" if content.startswith(b"[") else "lines"
    assert fast_json.import_json_fast(new_pack, path, Provenance(title="t"), layout=layout,
                                      warnings=[], progress=None) is None
    assert_nothing_written(new_pack)


@pytest.mark.parametrize("forced", ["text", "number", "date"])
def test_forced_types_store_the_same_on_both_paths(new_pack: Pack, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   forced: str) -> None:
    path = tmp_path / "forced.jsonl"
    path.write_text("".join(json.dumps({"n": i, "s": f"{i}.5" if i % 3 else "n/a"}) + "\n"
                            for i in range(50)), encoding="utf-8")
    overrides = {"n": forced, "s": forced}
    fast = import_file(new_pack, path, type_overrides=overrides)
    monkeypatch.setattr(json_import, "_import_fast", lambda *args: None)
    slow = import_file(new_pack, path, type_overrides=overrides)
    assert _stored(new_pack, fast) == _stored(new_pack, slow)
