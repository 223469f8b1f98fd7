"""Offline maps: points over boundary polygons, and choropleths, with no map tiles.

Workshops run without internet, so a map is drawn from the pack alone: points
from a dataset's coordinates, areas from a GeoJSON-derived dataset (its
geometry column holds GeoJSON geometry text in WGS84). Counts per area come
either from a join column (``neighborhood`` -> ``name``, compared without case)
or from point-in-polygon tests in plain Python (ray casting with a bounding-box
pre-check, fine for tens of thousands of points).

Maps do not rely on colour alone: each count class also has its own hatch
pattern and a legend entry saying the range of counts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import figure_look
from tde_desktop.core.explore.filters import Filter, describe_filters, is_number_sql, where_for
from tde_desktop.core.explore.paging import count_rows
from tde_desktop.core.explore.tidied import column_sql
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import LocalNumber, format_number
from tde_desktop.core.pack import DatasetInfo, Pack, quote

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_POINTS = 20_000
#: point-in-polygon counts use at most this many points (all of them below it)
MAX_PIP_POINTS = 200_000
LAT_NAMES = ("latitude", "lat", "y_lat")
LON_NAMES = ("longitude", "long", "lon", "lng", "x_long")
_PAIR = re.compile(r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$")
CLASS_COLOURS = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
CLASS_HATCHES = ("", "..", "//", "xx", "++")

Ring = list[tuple[float, float]]


@dataclass
class Area:
    """One boundary feature: its name and polygons (each a list of rings, outer first)."""

    name: str
    polygons: list[list[Ring]]
    count: int | None = None
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


@dataclass
class MapData:
    """Everything :func:`draw_map` needs; also useful on its own (counts per area)."""

    title: str
    caption: str
    lons: list[float] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    #: (low, high, label) count classes of the choropleth, lowest first
    classes: list[tuple[int, int, str]] = field(default_factory=list)
    points_total: int = 0
    unmatched: int = 0

    def counts(self) -> dict[str, int]:
        """Area name -> count, for areas that have one."""
        return {a.name: a.count for a in self.areas if a.count is not None}


def coordinate_columns(dataset: DatasetInfo) -> tuple[str, str] | tuple[str]:
    """``(lat, lon)`` column names, or ``(pair,)`` for a "(lat, lon)" text column.

    Raises TdeError when the dataset has no usable coordinates.
    """
    names = {c.name.lower(): c.name for c in dataset.columns}
    if dataset.latitude_column and dataset.longitude_column:
        return dataset.latitude_column, dataset.longitude_column
    lat = next((names[n] for n in LAT_NAMES if n in names), None)
    lon = next((names[n] for n in LON_NAMES if n in names), None)
    if lat and lon:
        return lat, lon
    for col in sorted(dataset.columns, key=lambda c: c.name.lower() not in ("location", "geom")):
        if col.type == "text" and col.name.lower() in ("location", "coordinates", "latlon",
                                                       "lat_lon", "geocode", "point"):
            return (col.name,)
    raise TdeError(_("{title} has no latitude and longitude columns, so it cannot be shown "
                     "on a map.").format(title=dataset.title))


def parse_pair(text: object) -> tuple[float, float] | None:
    """``"(39.3, -76.6)"`` -> ``(39.3, -76.6)``; None for anything else."""
    if not isinstance(text, str):
        return None
    m = _PAIR.match(text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def _usable(lat: float, lon: float) -> bool:
    # (0, 0) is the classic placeholder for "no location" in city exports.
    return -90 <= lat <= 90 and -180 <= lon <= 180 and not (lat == 0 and lon == 0)


def _points(pack: Pack, dataset: DatasetInfo, filters: Sequence[Filter], limit: int
            ) -> list[tuple[float, float]]:
    """Up to ``limit`` usable (lat, lon) pairs, a fixed pseudo-random sample when more."""
    cols = coordinate_columns(dataset)
    table = dataset.table_name
    if len(cols) == 2:
        lat, lon = quote(cols[0]), quote(cols[1])
        extra = [is_number_sql(cols[0]), is_number_sql(cols[1]), f"NOT ({lat} = 0 AND {lon} = 0)"]
        select = f"{lat}, {lon}"
    else:
        extra = [f"{quote(cols[0])} LIKE '%,%'"]
        select = quote(cols[0])
    where, params = where_for(pack.conn, table, filters, extra)
    rows = pack.conn.execute(
        f"SELECT {select} FROM {quote(table)} {where} "
        f"ORDER BY (rowid * 1103515245 + 12345) % 2147483648 LIMIT ?", [*params, limit])
    points: list[tuple[float, float]] = []
    for row in rows:
        pair = (float(row[0]), float(row[1])) if len(cols) == 2 else parse_pair(row[0])
        if pair and _usable(*pair):
            points.append(pair)
    return points


def _located_count(pack: Pack, dataset: DatasetInfo, filters: Sequence[Filter]) -> int:
    cols = coordinate_columns(dataset)
    if len(cols) == 2:
        lat, lon = quote(cols[0]), quote(cols[1])
        extra = [is_number_sql(cols[0]), is_number_sql(cols[1]),
                 f"NOT ({lat} = 0 AND {lon} = 0)", f"{lat} BETWEEN -90 AND 90",
                 f"{lon} BETWEEN -180 AND 180"]
    else:
        extra = [f"{quote(cols[0])} LIKE '%,%'"]
    where, params = where_for(pack.conn, dataset.table_name, filters, extra)
    sql = f"SELECT count(*) FROM {quote(dataset.table_name)} {where}"
    return int(pack.conn.execute(sql, params).fetchone()[0])


def _rings_of(geometry: dict[str, Any]) -> list[list[Ring]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polys = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in polys]


def load_areas(pack: Pack, boundary: DatasetInfo, name_column: str | None = None) -> list[Area]:
    """The polygons of a boundary dataset, named by ``name_column`` (default ``name``)."""
    geom = boundary.geometry_column or "geometry"
    names = {c.name for c in boundary.columns}
    if geom not in names:
        raise TdeError(_("{title} has no shapes to draw as areas.").format(title=boundary.title))
    label = name_column or next((n for n in ("name", "title", "label") if n in names), None)
    label_sql = quote(label) if label else "rowid"
    areas = []
    for name, text in pack.conn.execute(
            f"SELECT {label_sql}, {quote(geom)} FROM {quote(boundary.table_name)}"):
        try:
            polygons = _rings_of(json.loads(text)) if text else []
        except (ValueError, TypeError, IndexError, AttributeError):
            continue
        xs = [x for poly in polygons for ring in poly for x, _y in ring]
        ys = [y for poly in polygons for ring in poly for _x, y in ring]
        if not xs:
            continue
        areas.append(Area("" if name is None else str(name), polygons,
                          bbox=(min(xs), min(ys), max(xs), max(ys))))
    if not areas:
        raise TdeError(_("{title} has no shapes to draw as areas.").format(title=boundary.title))
    if max(abs(a.bbox[2]) for a in areas) > 180 or max(abs(a.bbox[3]) for a in areas) > 90:
        raise TdeError(_("The shapes in {title} are not in longitude and latitude, so they "
                         "cannot be drawn.").format(title=boundary.title))
    return areas


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_area(lon: float, lat: float, area: Area) -> bool:
    """True when (lon, lat) lies inside the area (holes excluded)."""
    x0, y0, x1, y1 = area.bbox
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    for poly in area.polygons:
        if poly and _in_ring(lon, lat, poly[0]) and not any(
                _in_ring(lon, lat, hole) for hole in poly[1:]):
            return True
    return False


def _classes(counts: list[int]) -> list[tuple[int, int, str]]:
    """Up to 5 count classes: "0" (if any area has none) and quantile ranges of the rest."""
    positive = sorted(c for c in counts if c > 0)
    classes: list[tuple[int, int, str]] = []
    if any(c == 0 for c in counts):
        classes.append((0, 0, "0"))
    if not positive:
        return classes
    k = 5 - len(classes)
    bounds: list[int] = []
    for i in range(1, k + 1):
        b = positive[min(len(positive) - 1, math.ceil(i * len(positive) / k) - 1)]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    low = positive[0]
    for b in bounds:
        label = (format_number(low) if low == b
                 else f"{format_number(low)}–{format_number(b)}")
        classes.append((low, b, label))
        low = b + 1
    return classes


def map_layers(pack: Pack, dataset: DatasetInfo, filters: Sequence[Filter] = (),
               boundary: DatasetInfo | None = None,
               choropleth_join: tuple[str, str] | None = None) -> MapData:
    """Points of ``dataset`` (sampled to 20,000) and, with ``boundary``, counts per area.

    With ``choropleth_join=(dataset column, boundary column)`` an area's count is
    the number of matching rows whose column equals the area's name ignoring
    case and surrounding spaces; without it, points are counted by
    point-in-polygon. Raises TdeError when ``dataset`` has no usable coordinates
    and no join is given.
    """
    rows = count_rows(pack.conn, dataset.table_name, filters)
    from tde_desktop.core.explore.labels import column_labels

    labels = column_labels(pack.conn, dataset.table_name)  # plain words, as in the grid
    described = describe_filters(filters, labels)
    title = dataset.title[:1].upper() + dataset.title[1:]
    data = MapData(title=title, caption="")
    try:
        points = _points(pack, dataset, filters, MAX_POINTS)
    except TdeError:
        if choropleth_join is None or boundary is None:
            raise
        points = []
    if not points and choropleth_join is None and rows:
        raise TdeError(_("No row of {title} has a usable location, so there is nothing to "
                         "show on a map.").format(title=dataset.title))
    data.lats = [p[0] for p in points]
    data.lons = [p[1] for p in points]
    data.points_total = rows
    if boundary is not None:
        data.areas = load_areas(pack, boundary, choropleth_join[1] if choropleth_join else None)
        if choropleth_join is not None:
            _count_by_join(pack, dataset, filters, data, choropleth_join[0])
        else:
            pip = points if rows <= MAX_POINTS else _points(pack, dataset, filters,
                                                            MAX_PIP_POINTS)
            _count_by_pip(pip, data)
        data.classes = _classes([a.count or 0 for a in data.areas])
    parts = [ngettext("{n:,} row", "{n:,} rows", rows).format(n=LocalNumber(rows))]
    located = _located_count(pack, dataset, filters) if points else 0
    if located < rows and points:
        parts.append(_("{n:,} without a usable location").format(
            n=LocalNumber(rows - located)))
    if len(points) < located:
        parts.append(ngettext("{n:,} sampled point shown", "{n:,} sampled points shown",
                              len(points)).format(n=LocalNumber(len(points))))
    if data.unmatched:
        parts.append(_("{n:,} not in any area").format(n=LocalNumber(data.unmatched)))
    parts.append(_("filters: {filters}").format(filters=described) if described
                 else _("no filters"))
    data.caption = "; ".join(parts)
    return data


def _count_by_join(pack: Pack, dataset: DatasetInfo, filters: Sequence[Filter],
                   data: MapData, column: str) -> None:
    key = f"upper(trim({column_sql(pack.conn, dataset.table_name, column)}))"
    where, params = where_for(pack.conn, dataset.table_name, filters)
    counts = dict(pack.conn.execute(
        f"SELECT {key}, count(*) FROM {quote(dataset.table_name)} {where} GROUP BY 1",
        params).fetchall())
    matched = 0
    for area in data.areas:
        area.count = int(counts.get(area.name.strip().upper(), 0))
        matched += area.count
    data.unmatched = sum(int(v) for v in counts.values()) - matched


def _count_by_pip(points: list[tuple[float, float]], data: MapData) -> None:
    for area in data.areas:
        area.count = 0
    for lat, lon in points:
        for area in data.areas:
            if point_in_area(lon, lat, area):
                area.count = (area.count or 0) + 1
                break
        else:
            data.unmatched += 1


def draw_map(figure: Figure, map_data: MapData, show_points: bool | None = None) -> None:
    """Clear ``figure`` and draw areas (shaded and hatched by count class) and points.

    ``show_points`` defaults to True unless the areas are shaded by count (a
    choropleth reads better without thousands of dots over it).
    """
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path
    from matplotlib.ticker import MaxNLocator

    if show_points is None:
        show_points = not map_data.classes
    figure.clear()
    ax = figure.add_subplot(1, 1, 1)
    xs = [x for a in map_data.areas for x in (a.bbox[0], a.bbox[2])]
    ys = [y for a in map_data.areas for y in (a.bbox[1], a.bbox[3])]
    if show_points or not xs:
        xs += map_data.lons
        ys += map_data.lats
    # One collection per count class: adding hundreds of single patches makes
    # matplotlib walk every vertex to update limits, which took seconds.
    groups: dict[int | None, list[Any]] = {}
    for area in map_data.areas:
        vertices: list[tuple[float, float]] = []
        codes: list[Any] = []
        for poly in area.polygons:
            for ring in poly:
                if len(ring) >= 3:
                    vertices.extend(ring)
                    codes.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 1))
        if vertices:
            cls = _class_index(map_data.classes, area.count)
            groups.setdefault(cls, []).append(Path(vertices, codes))
    for cls, paths in groups.items():
        face = CLASS_COLOURS[cls] if cls is not None else "#f2f2f2"
        ax.add_collection(PathCollection(
            paths, facecolors=face, edgecolors="#555555", linewidths=0.4,
            hatch=CLASS_HATCHES[cls] if cls else None), autolim=False)
    if show_points and map_data.lons:
        size = 4 if len(map_data.lons) > 2000 else 10
        ax.scatter(map_data.lons, map_data.lats, s=size, color="#d62728", edgecolors="black",
                   linewidths=0.2, alpha=0.6, zorder=3, gid=figure_look.POINTS_GID)
    if xs:
        pad_x, pad_y = (max(xs) - min(xs)) * 0.03 or 0.01, (max(ys) - min(ys)) * 0.03 or 0.01
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        # Degrees of longitude shrink with cos(latitude); this keeps shapes true.
        mid_lat = (min(ys) + max(ys)) / 2
        ax.set_aspect(1 / max(0.01, math.cos(math.radians(mid_lat))))
    # Few ticks on a narrow figure, so that longitudes like -76.62 never run together.
    width_in = figure.get_figwidth()
    ax.xaxis.set_major_locator(MaxNLocator(3 if width_in < 5 else 4))
    ax.yaxis.set_major_locator(MaxNLocator(4 if figure.get_figheight() < 5 else 5))
    ax.set_xlabel(_("longitude"), fontsize=11)
    ax.set_ylabel(_("latitude"), fontsize=11)
    ax.tick_params(labelsize=10)
    ax.tick_params(axis="x", labelrotation=30)
    top = figure_look.put_title(figure, map_data.title, 15)
    bottom = figure_look.put_caption(figure, map_data.caption, 11)
    legend = _draw_legend(figure, map_data, bottom)
    right = 0.0
    if legend is not None:
        box = legend.get_window_extent()
        if _legend_beside(figure):
            right = min(0.5, box.width / (figure.get_figwidth() * figure.dpi) + 0.01)
        else:
            bottom += min(0.4, box.height / (figure.get_figheight() * figure.dpi) + 0.01)
    figure_look.literal_text(figure)  # pack text is never mathtext
    figure_look.finish_layout(figure, top, bottom, right)


def _legend_beside(figure: Figure) -> bool:
    """A wide or short figure keeps its legend beside the map rather than below it."""
    return figure.get_figheight() * 72 < 300 or figure.get_figwidth() > 1.3 * figure.get_figheight()


def _draw_legend(figure: Figure, map_data: MapData, bottom: float) -> Any:
    """The count classes below the map, just above the caption (which takes ``bottom`` of
    the figure's height), in as many columns as the width holds; or in one column to its
    right on a wide or short figure. None without classes."""
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=CLASS_COLOURS[i], edgecolor="#555555", hatch=CLASS_HATCHES[i],
              label=label) for i, (_lo, _hi, label) in enumerate(map_data.classes)]
    if not handles:
        return None
    # Never over the map: "best" placement is slow with many points and may still
    # cover areas people want to read.
    common = {"handles": handles, "title": _("rows per area"), "fontsize": 11,
              "title_fontsize": 11, "framealpha": 0.9}
    if _legend_beside(figure):
        return figure.legend(loc="center right", bbox_to_anchor=(1, 0.5), ncols=1, **common)
    # An entry is a patch, gaps and its label: about nine characters besides the label.
    longest = max(len(str(h.get_label())) for h in handles)
    per_row = figure_look.chars_across(figure, 11, share=0.95) // (longest + 9)
    return figure.legend(loc="lower center", bbox_to_anchor=(0.5, bottom),
                         ncols=max(1, min(len(handles), per_row)), **common)


def _class_index(classes: list[tuple[int, int, str]], count: int | None) -> int | None:
    if count is None:
        return None
    for i, (low, high, _label) in enumerate(classes):
        if low <= count <= high:
            return i
    return None
