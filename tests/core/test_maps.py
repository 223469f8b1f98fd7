"""Offline maps: points, boundaries and choropleth counts checked against the CSV."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.maps import (
    Area,
    coordinate_columns,
    draw_map,
    map_layers,
    parse_pair,
    point_in_area,
)
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311


def _figure():  # type: ignore[no-untyped-def]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 6))
    FigureCanvasAgg(figure)
    return figure


def test_points_from_a_lat_lon_text_column(explorer_pack: Pack, tmp_path: Path) -> None:
    info = explorer_pack.dataset("vacant building notices")
    assert coordinate_columns(info) == ("location",)
    data = map_layers(explorer_pack, info, [Filter("councildistrict", "is", 7)])
    assert len(data.lats) == len(data.lons) == 2213
    assert all(39.1 < y < 39.4 for y in data.lats)
    assert all(-76.8 < x < -76.5 for x in data.lons)
    assert data.areas == []
    figure = _figure()
    draw_map(figure, data)
    ax = figure.axes[0]
    assert ax.get_aspect() == pytest.approx(1 / 0.7738, rel=0.01)  # 1 / cos(39.3 degrees)
    figure.savefig(tmp_path / "points.png")
    assert (tmp_path / "points.png").stat().st_size > 10_000


@pytest.mark.shared_data(LA311)
def test_separate_columns_and_missing_coordinates(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("LA 311")
    assert coordinate_columns(info) == ("latitude", "longitude")
    data = map_layers(explorer_pack, info)
    assert len(data.lats) == 9999 - 1753
    assert "1,753 without a usable location" in data.caption
    with pytest.raises(TdeError, match="has a usable location"):
        map_layers(explorer_pack, info, [Filter("latitude", "empty")])


def test_choropleth_by_join_matches_the_csv(explorer_pack: Pack,
                                            vacants: list[dict[str, str]]) -> None:
    info = explorer_pack.dataset("vacant building notices")
    boundary = explorer_pack.dataset("neighborhoods")
    data = map_layers(explorer_pack, info, boundary=boundary,
                      choropleth_join=("neighborhood", "name"))
    expected = Counter(r["neighborhood"].strip().upper() for r in vacants)
    counts = data.counts()
    assert len(counts) == 278
    for name, n in counts.items():
        assert n == expected.get(name.upper(), 0), name
    assert counts["Broadway East"] == expected["BROADWAY EAST"] == 1166
    assert data.unmatched == 0
    assert sum(counts.values()) == 16_747
    assert data.classes[0] == (0, 0, "0")  # some areas have no notice at all
    assert data.classes[-1][1] == max(counts.values())
    figure = _figure()
    draw_map(figure, data)
    legend = figure.legends[0]  # across the figure, below the map
    assert [t.get_text() for t in legend.get_texts()] == [c[2] for c in data.classes]
    hatches = [p.get_hatch() for p in legend.get_patches()]
    assert len(set(hatches)) == len(hatches)  # classes differ by pattern, not colour alone


def test_choropleth_by_point_in_polygon(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("vacant building notices")
    boundary = explorer_pack.dataset("neighborhoods")
    f = [Filter("councildistrict", "in", (12, 13))]
    by_join = map_layers(explorer_pack, info, f, boundary, ("neighborhood", "name")).counts()
    by_point = map_layers(explorer_pack, info, f, boundary)
    pip = by_point.counts()
    assert sum(pip.values()) + by_point.unmatched == len(by_point.lats) == 4387
    # Notices are recorded with their neighbourhood, so both ways agree closely.
    for name in ("Broadway East", "Oliver", "Johnston Square"):
        assert abs(pip[name] - by_join[name]) <= max(3, by_join[name] * 0.03), name


def test_ray_casting_with_holes_and_pairs() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    hole = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)]
    area = Area("a", [[square, hole]], bbox=(0, 0, 4, 4))
    assert point_in_area(0.5, 0.5, area)
    assert not point_in_area(2.0, 2.0, area)
    assert not point_in_area(5.0, 2.0, area)
    assert parse_pair("(39.30941765, -76.65104057)") == (39.30941765, -76.65104057)
    assert parse_pair("somewhere") is None
    assert parse_pair(None) is None


def test_no_coordinates_is_a_plain_error(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "wards.csv"
    path.write_text("ward,notes\n1,a\n2,b\n", encoding="utf-8")
    info = import_file(new_pack, path)
    with pytest.raises(TdeError, match="cannot be shown on a map"):
        map_layers(new_pack, info)
