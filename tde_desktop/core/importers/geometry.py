"""Small, pure-Python helpers for GeoJSON geometries: bounding box, a representative
point to put a marker on, CRS names, and a reprojection wrapper around pyproj.

Geometries are plain GeoJSON dicts (``{"type": ..., "coordinates": ...}``). Nothing
here needs shapely or GDAL, which would be heavy to ship on an old laptop.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

Point = tuple[float, float]
Geometry = dict[str, Any]
Reprojector = Callable[[Geometry], Geometry]

WGS84 = "EPSG:4326"
_WGS84_NAMES = {
    "EPSG:4326", "CRS84", "OGC:CRS84", "WGS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84",
    "URN:OGC:DEF:CRS:OGC::CRS84", "URN:OGC:DEF:CRS:EPSG::4326", "URN:OGC:DEF:CRS:EPSG:4326",
    "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84", "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326",
}


def positions(coords: Any) -> Iterator[Point]:
    """Every (x, y) position in a nested GeoJSON coordinates array, in order."""
    if not isinstance(coords, list) or not coords:
        return
    if isinstance(coords[0], int | float) and not isinstance(coords[0], bool):
        if len(coords) >= 2 and isinstance(coords[1], int | float):
            yield float(coords[0]), float(coords[1])
        return
    for part in coords:
        yield from positions(part)


def _members(geometry: Any) -> Iterator[Geometry]:
    """The simple geometries inside ``geometry`` (itself, or a collection's members)."""
    if not isinstance(geometry, dict):
        return
    if geometry.get("type") == "GeometryCollection":
        for member in geometry.get("geometries") or []:
            yield from _members(member)
    else:
        yield geometry


def bbox(geometry: Any) -> tuple[float, float, float, float] | None:
    """(min x, min y, max x, max y) of a geometry, or None if it has no positions."""
    xs: list[float] = []
    ys: list[float] = []
    for member in _members(geometry):
        for x, y in positions(member.get("coordinates")):
            xs.append(x)
            ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def first_position(geometry: Any) -> Point | None:
    """The first position of a geometry (cheap; used to sniff the coordinate system)."""
    for member in _members(geometry):
        for point in positions(member.get("coordinates")):
            return point
    return None


def _ring(ring: Any) -> list[Point]:
    """The positions of a ring (fast path for the usual list of [x, y] pairs)."""
    try:
        return [(float(p[0]), float(p[1])) for p in ring]
    except (TypeError, IndexError, ValueError):
        return list(positions(ring))


def _ring_area_centroid(ring: list[Any]) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace formula)."""
    pts = _ring(ring)
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        return 0.0, 0.0, 0.0
    return area2 / 2, cx / (3 * area2), cy / (3 * area2)


def _polygon_area_centroid(rings: list[Any]) -> tuple[float, Point | None]:
    """Area of a polygon (outer ring minus holes) and its area-weighted centroid."""
    total = mx = my = 0.0
    for i, ring in enumerate(rings):
        area, cx, cy = _ring_area_centroid(ring)
        area = abs(area) if i == 0 else -abs(area)  # holes subtract, whatever their winding
        total += area
        mx += area * cx
        my += area * cy
    if total <= 0:
        return 0.0, None
    return total, (mx / total, my / total)


def _inside(point: Point, rings: list[Any]) -> bool:
    """Even-odd point-in-polygon test over all rings (holes included)."""
    x, y = point
    inside = False
    for ring in rings:
        pts = _ring(ring)
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _scanline_point(rings: list[Any], y: float) -> Point | None:
    """The middle of the widest stretch of the horizontal line at ``y`` inside the polygon."""
    xs: list[float] = []
    for ring in rings:
        pts = _ring(ring)
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y0 > y) != (y1 > y):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    spans = [(xs[i + 1] - xs[i], xs[i]) for i in range(0, len(xs) - 1, 2)]
    if not spans:
        return None
    width, start = max(spans)
    return start + width / 2, y


def representative_point(geometry: Any) -> Point | None:
    """A point that stands for the geometry on a map, or None if it has no positions.

    Points give themselves (several points: their mean); lines give their middle vertex;
    polygons give the area-weighted centroid of their largest polygon, moved onto a
    horizontal line through it when a concave shape leaves the centroid outside, and
    the bounding-box centre when the area is degenerate.
    """
    best_area, best_rings, centroid = -1.0, None, None
    points: list[Point] = []
    line: list[Point] = []
    for member in _members(geometry):
        kind, coords = member.get("type"), member.get("coordinates")
        if kind == "Polygon" and isinstance(coords, list):
            polygons = [coords]
        elif kind == "MultiPolygon" and isinstance(coords, list):
            polygons = coords
        elif kind in ("Point", "MultiPoint"):
            points.extend(positions(coords))
            continue
        elif kind in ("LineString", "MultiLineString"):
            parts = [coords] if kind == "LineString" else (coords or [])
            for part in parts:
                pts = list(positions(part))
                if len(pts) > len(line):
                    line = pts
            continue
        else:
            continue
        for rings in polygons:
            if not isinstance(rings, list) or not rings:
                continue
            area, centre = _polygon_area_centroid(rings)
            if area > best_area:
                best_area, best_rings, centroid = area, rings, centre
    if best_rings is not None:
        if centroid is not None:
            if _inside(centroid, best_rings):
                return centroid
            moved = _scanline_point(best_rings, centroid[1])
            if moved is not None:
                return moved
        box = bbox({"type": "Polygon", "coordinates": best_rings})
        if box is not None:
            return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    if points:
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    if line:
        return line[len(line) // 2]
    return None


def looks_like_lonlat(point: Point | None) -> bool:
    """True when a position can be a longitude/latitude pair at all."""
    return point is None or (abs(point[0]) <= 180 and abs(point[1]) <= 90)


def crs_name(member: Any) -> str:
    """The CRS named by a legacy GeoJSON ``crs`` member, as ``EPSG:nnnn`` when possible."""
    if not isinstance(member, dict):
        return ""
    props = member.get("properties") or {}
    if not isinstance(props, dict):
        return ""
    if member.get("type") == "EPSG" and props.get("code") is not None:
        return f"EPSG:{props['code']}"
    name = str(props.get("name") or props.get("href") or "").strip()
    match = re.search(r"EPSG[:/]+(?:[\d.]*[:/]+)?(\d+)\s*$", name, re.IGNORECASE)
    if match:
        return f"EPSG:{match.group(1)}"
    return name


def is_wgs84(name: str) -> bool:
    """True for the names that mean plain longitude/latitude on WGS84."""
    return not name or name.upper() in _WGS84_NAMES or name.upper().endswith("CRS84")


def reprojector(source_crs: str) -> Reprojector | None:
    """A function that turns a geometry in ``source_crs`` into WGS84 lon/lat, or None
    if pyproj does not know that CRS.

    Why reproject at import: maps, distances and "is it in this neighbourhood" all
    want longitude/latitude, and RFC 7946 GeoJSON is WGS84 only. pyproj ships its
    own PROJ database inside the wheel, so this works offline on a workshop laptop;
    only grid-shift files (not needed at street scale) would need a download.
    """
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        transformer = Transformer.from_crs(CRS.from_user_input(source_crs), WGS84,
                                           always_xy=True)
    except CRSError:
        return None

    def convert(coords: Any) -> Any:
        if not isinstance(coords, list) or not coords:
            return coords
        if isinstance(coords[0], int | float) and not isinstance(coords[0], bool):
            x, y = transformer.transform(coords[0], coords[1])
            return [round(x, 7), round(y, 7)]  # 7 decimals ~ 1 cm: honest precision
        if all(isinstance(c, list) and c and isinstance(c[0], int | float) for c in coords):
            xs, ys = transformer.transform([c[0] for c in coords], [c[1] for c in coords])
            return [[round(x, 7), round(y, 7)] for x, y in zip(xs, ys, strict=True)]
        return [convert(c) for c in coords]

    def project(geometry: Geometry) -> Geometry:
        if geometry.get("type") == "GeometryCollection":
            members = [project(g) for g in geometry.get("geometries") or []
                       if isinstance(g, dict)]
            return {**geometry, "geometries": members}
        result = {**geometry, "coordinates": convert(geometry.get("coordinates"))}
        if any(isinstance(v, float) and not math.isfinite(v)
               for v in positions_flat(result.get("coordinates"))):
            raise ValueError("position outside the area of use of the CRS")
        return result

    return project


def positions_flat(coords: Any) -> Iterator[float]:
    """Every number of every position (x and y), for sanity checks."""
    for x, y in positions(coords):
        yield x
        yield y
