"""The GeoJSON importer on real boundary files (one in a projected CRS), and the
geometry helpers it relies on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, ImportFailed
from tde_desktop.core.importers import geometry as geo
from tde_desktop.core.importers import import_file, writer
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared


def query(pack: Pack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return pack.conn.execute(sql, params).fetchall()


def names(info: Any) -> list[str]:
    return [c.original_name for c in info.columns]


def assert_nothing_written(pack: Pack) -> None:
    assert pack.datasets() == []
    assert query(pack, "SELECT name FROM sqlite_master WHERE name LIKE 'ds_%'") == []


def feature_collection(*features: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)})


def point(x: float, y: float, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [x, y]}}


def test_baltimore_neighbourhoods(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("samples/baltimore/neighborhoods.geojson"))
    assert info.format == "geojson"
    assert info.row_count == 278
    assert names(info) == ["name", "cartodb_id", "created_at", "updated_at", "geometry",
                           "latitude", "longitude"]
    assert (info.crs, info.geometry_column, info.latitude_column, info.longitude_column) == \
        ("EPSG:4326", "geometry", "latitude", "longitude")
    assert info.warnings == []
    table = quote(info.table_name)
    canton = query(new_pack, f"SELECT latitude, longitude, geometry FROM {table} "
                             "WHERE name = 'Canton'")
    lat, lon, shape = canton[0]
    assert 39.2 < lat < 39.4
    assert -76.7 < lon < -76.5
    parsed = json.loads(shape)
    assert parsed["type"] == "MultiPolygon"
    x0, y0, x1, y1 = geo.bbox(parsed) or (0, 0, 0, 0)
    assert x0 <= lon <= x1
    assert y0 <= lat <= y1
    outside = query(new_pack, f"SELECT count(*) FROM {table} WHERE latitude NOT BETWEEN 39.19 "
                              "AND 39.38 OR longitude NOT BETWEEN -76.72 AND -76.52")
    assert outside == [(0,)]


def test_los_angeles_councils(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("samples/los_angeles/neighborhood_councils_2019.geojson"))
    assert info.row_count == 99
    assert names(info)[:7] == ["name", "waddress", "certified", "objectid", "service_re",
                               "nc_id", "dwebsite"]
    table = quote(info.table_name)
    assert query(new_pack, f"SELECT count(DISTINCT nc_id) FROM {table}") == [(99,)]
    lincoln = query(new_pack, f"SELECT latitude, longitude FROM {table} "
                              "WHERE name = 'LINCOLN HEIGHTS NC'")
    assert 34.0 < lincoln[0][0] < 34.15
    assert -118.3 < lincoln[0][1] < -118.15


def test_nyc_state_plane_is_reprojected(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/nyc_nta_2020_boundaries_epsg2263.geojson"))
    assert info.row_count == 262
    assert names(info) == ["nta2020", "nta", "ntaname", "geometry", "latitude", "longitude"]
    assert info.crs == "EPSG:4326"
    assert info.import_options["source_crs"] == "EPSG:2263"
    assert any("EPSG:2263" in w and "converted" in w for w in info.warnings)
    table = quote(info.table_name)
    bounds = query(new_pack, f"SELECT min(latitude), max(latitude), min(longitude), "
                             f"max(longitude), count(latitude) FROM {table}")[0]
    assert 40.4 < bounds[0] <= bounds[1] < 41.0
    assert -74.3 < bounds[2] <= bounds[3] < -73.6
    assert bounds[4] == 262
    shape = json.loads(query(new_pack, f"SELECT geometry FROM {table} "
                                       "WHERE ntaname = 'Greenpoint'")[0][0])
    x0, y0, x1, y1 = geo.bbox(shape) or (0, 0, 0, 0)
    assert -74.0 < x0 < x1 < -73.9
    assert 40.7 < y0 < y1 < 40.75


def test_unknown_crs_imports_without_a_map_position(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "odd.geojson"
    path.write_text(feature_collection(
        point(1_000_000, 200_000, n=1),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}))
    info = import_file(new_pack, path)
    assert info.row_count == 1
    assert any("EPSG:999999" in w and "cannot be put on a map" in w for w in info.warnings)
    assert (info.latitude_column, info.longitude_column) == ("", "")
    assert query(new_pack, f"SELECT latitude FROM {quote(info.table_name)}") == [(None,)]


def test_projected_coordinates_without_crs_are_flagged(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "feet.geojson"
    path.write_text(feature_collection(point(1_003_059, 204_572, n=1), point(-73.9, 40.7, n=2)))
    info = import_file(new_pack, path)
    assert any("1 of 2 features" in w for w in info.warnings)
    assert info.crs == ""
    assert query(new_pack, f"SELECT count(latitude) FROM {quote(info.table_name)}") == [(0,)]


def test_points_null_geometry_and_name_clashes(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "places.geojson"
    empty = {"type": "Feature", "properties": {"name": "nowhere"}, "geometry": None}
    path.write_text(feature_collection(point(-76.6, 39.3, name="library", latitude="n/a"),
                                       empty))
    info = import_file(new_pack, path)
    assert names(info) == ["name", "latitude", "geometry", "feature latitude", "longitude"]
    assert info.latitude_column == "feature_latitude"
    got = query(new_pack, f"SELECT name, feature_latitude, longitude, geometry FROM "
                          f"{quote(info.table_name)} ORDER BY rowid")
    assert got[0][:3] == ("library", 39.3, -76.6)
    assert got[1] == ("nowhere", None, None, None)


@pytest.mark.parametrize(("content", "message"), [
    (bytes(range(256)) * 20, "not a valid JSON file"),
    (b'{"type": "Feature", "geometry": null, "properties": {}}', "not a GeoJSON Feature"),
    (b"[1, 2, 3]", "not a GeoJSON file"),
    (b'{"type": "FeatureCollection", "features": [' + b"[" * 10_000, "nested too deeply"),
])
def test_bad_geojson_fails_cleanly(new_pack: Pack, tmp_path: Path, content: bytes,
                                   message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


def test_cancel_halfway_leaves_nothing(new_pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "FIRST_CHUNK_CELLS", 300)
    monkeypatch.setattr(writer, "CHUNK_CELLS", 300)
    calls: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        import_file(new_pack, shared("samples/los_angeles/neighborhood_councils_2019.geojson"),
                    progress=progress)
    assert_nothing_written(new_pack)


def test_representative_point_of_a_concave_shape_is_inside() -> None:
    # a "U": the centroid falls in the gap between the arms
    u_shape = {"type": "Polygon", "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1],
                                                   [1, 1], [1, 3], [0, 3], [0, 0]]]}
    x, y = geo.representative_point(u_shape) or (9, 9)
    assert not (1 < x < 2 and y > 1)  # not in the gap
    assert 0 <= x <= 3
    assert 0 <= y <= 3
    assert geo._inside((x, y), u_shape["coordinates"])


def test_representative_point_picks_the_largest_polygon() -> None:
    islands = {"type": "MultiPolygon", "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[10, 10], [20, 10], [20, 20], [10, 20], [10, 10]]],
    ]}
    assert geo.representative_point(islands) == pytest.approx((15, 15))
    assert geo.representative_point({"type": "Point", "coordinates": [3, 4]}) == (3, 4)
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1], [2, 2]]}
    assert geo.representative_point(line) == (1, 1)
    assert geo.representative_point({"type": "Polygon", "coordinates": []}) is None


@pytest.mark.parametrize(("member", "name"), [
    ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2263"}}, "EPSG:2263"),
    ({"type": "name", "properties": {"name": "EPSG:26918"}}, "EPSG:26918"),
    ({"type": "EPSG", "properties": {"code": 3857}}, "EPSG:3857"),
    ({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
     "urn:ogc:def:crs:OGC:1.3:CRS84"),
    (None, ""),
])
def test_crs_names(member: Any, name: str) -> None:
    assert geo.crs_name(member) == name


def test_wgs84_names_need_no_reprojection() -> None:
    assert geo.is_wgs84("urn:ogc:def:crs:OGC:1.3:CRS84")
    assert geo.is_wgs84("EPSG:4326")
    assert not geo.is_wgs84("EPSG:2263")
    assert geo.reprojector("EPSG:999999") is None
