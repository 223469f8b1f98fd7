"""The preview of JSON, JSON Lines, Socrata rows.json and GeoJSON files: the first rows
and each column's type as the import then reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.preview import PREVIEW_ROWS, TYPE_SAMPLE_ROWS, Preview, preview
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared
from tests.core.test_import_geojson import feature_collection, point
from tests.core.test_import_json import _records

SHARED = ["messy/nyc_police_precincts_socrata_rows.json",
          "messy/nyc_nta_2020_boundaries_epsg2263.geojson",
          "samples/baltimore/neighborhoods.geojson",
          "samples/los_angeles/neighborhood_councils_2019.geojson"]


def same_as_import(pack: Pack, path: Path, view: Preview) -> None:
    """The import's names and types are the preview's, and its first rows hold the
    preview's text (text columns as shown, others as the same number or date)."""
    info = import_file(pack, path, title=f"{path.stem} {len(pack.datasets())}")
    assert [(c.name, c.type) for c in view.columns] == [
        (c.original_name, c.type) for c in info.columns]
    names = ", ".join(quote(c.name) for c in info.columns)
    stored = pack.conn.execute(
        f"SELECT {names} FROM {quote(info.table_name)} ORDER BY rowid LIMIT ?",
        (PREVIEW_ROWS,)).fetchall()
    assert len(view.rows) == min(PREVIEW_ROWS, info.row_count) == len(stored)
    for shown, row in zip(view.rows, stored, strict=True):
        for text, value, col in zip(shown, row, view.columns, strict=True):
            if value is None:
                assert text.strip() in ("", "NA", "N/A", "null", "None", "-")
            elif col.type == "text":
                assert text == value
            elif col.type in ("integer", "number"):
                assert float(text.replace(",", "")) == pytest.approx(float(value))


@pytest.mark.parametrize("relative", SHARED)
def test_shared_files_preview_as_they_import(new_pack: Pack, relative: str) -> None:
    path = shared(relative)
    view = preview(path)
    assert view.format == ("geojson" if path.suffix == ".geojson" else "json")
    assert len(view.rows) == PREVIEW_ROWS
    same_as_import(new_pack, path, view)


def test_socrata_notes_and_geojson_reprojection_are_said(new_pack: Pack) -> None:
    socrata = preview(shared(SHARED[0]))
    assert any("8 hidden" in n for n in socrata.notes)
    nyc = preview(shared(SHARED[1]))
    assert any("EPSG:2263" in n for n in nyc.notes)
    latitude = [c.name for c in nyc.columns].index("latitude")
    assert 40.4 < float(nyc.rows[0][latitude]) < 41.0  # converted from State Plane feet


def _write(path: Path, layout: str, records: list[dict[str, object]]) -> Path:
    if layout == "lines":
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    elif layout == "under a key":
        path.write_text(json.dumps({"count": len(records), "results": records}),
                        encoding="utf-8")
    else:
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(records, indent=1).encode())
    return path


@pytest.mark.parametrize("layout", ["lines", "array with a BOM", "under a key"])
def test_json_fixtures_preview_as_they_import(new_pack: Pack, tmp_path: Path,
                                              layout: str) -> None:
    # Flat records go by the fast path, whose types must match the preview's.
    path = _write(tmp_path / ("r.jsonl" if layout == "lines" else "r.json"), layout,
                  _records(300))
    view = preview(path)
    assert {c.name: c.type for c in view.columns}["us"] == "date"
    assert [c.name for c in view.columns][-1] == "late"  # a key seen only near the end
    assert any("results" in n for n in view.notes) == (layout == "under a key")
    same_as_import(new_pack, path, view)


def test_nested_values_and_a_geojson_with_clashing_names(new_pack: Pack,
                                                          tmp_path: Path) -> None:
    people = tmp_path / "people.json"
    people.write_text(json.dumps([
        {"name": "Ana", "tags": ["park", "bus"], "home": {"zip": "02134"}, "age": 34},
        {"name": "Bo", "age": 41.5, "member": True, "note": None},
        {"member": False, "name": "Cy"}]), encoding="utf-8")
    view = preview(people)
    assert view.rows[0][:3] == ["Ana", '["park","bus"]', '{"zip":"02134"}']
    assert {c.name: c.type for c in view.columns}["age"] == "number"
    same_as_import(new_pack, people, view)
    places = tmp_path / "places.geojson"
    places.write_text(feature_collection(point(-76.6, 39.3, geometry="a", ward=1),
                                         point(-76.5, 39.2, geometry="b", ward=2)))
    view = preview(places)
    assert [c.name for c in view.columns] == [
        "geometry", "ward", "feature geometry", "latitude", "longitude"]
    same_as_import(new_pack, places, view)


def test_a_big_file_is_previewed_from_its_first_records(tmp_path: Path) -> None:
    n = TYPE_SAMPLE_ROWS + 500
    rows = [{"id": i, "code": f"{i:05d}"} for i in range(n)]
    rows[-1]["late"] = "only here"
    path = _write(tmp_path / "big.jsonl", "lines", rows)
    view = preview(path)
    assert [c.name for c in view.columns] == ["id", "code"]
    assert any(f"first {TYPE_SAMPLE_ROWS:,} records" in n for n in view.notes)


def test_broken_json_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes(b'[{"a": 1}, {"a": ')
    with pytest.raises(ImportFailed, match="not a valid JSON file") as caught:
        preview(path)
    assert "\n" not in str(caught.value)
