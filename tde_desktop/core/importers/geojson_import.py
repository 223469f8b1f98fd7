"""GeoJSON FeatureCollections: one row per feature, properties as columns.

Each row also gets ``geometry`` (the feature's geometry as GeoJSON text, in WGS84)
and ``latitude``/``longitude`` of a representative point, so the app can put a
marker or a shape on a map without a GIS library. Features are streamed with the
same depth-guarded parser as :mod:`json_import`.

A legacy ``crs`` member naming a projected system (NYC's files in EPSG:2263 State
Plane feet, say) is reprojected to WGS84 with pyproj; a CRS pyproj does not know is
imported as it is, with a warning and no latitude/longitude.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers import geometry as geo
from tde_desktop.core.importers.json_import import (
    ITEM,
    StreamedFileSource,
    _events,
    _open_json,
    parse_guard,
    to_text,
    walk,
)
from tde_desktop.core.importers.writer import GeoColumns, Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack

_TARGETS = {"type": ("type",), "crs": ("crs",), "feature": ("features", ITEM)}


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``feature name`` etc. when a property already uses it."""
    candidate, k = name, 1
    while candidate.casefold() in taken:
        candidate = f"feature {name}" if k == 1 else f"feature {name} {k}"
        k += 1
    taken.add(candidate.casefold())
    return candidate


class GeoJsonSource(StreamedFileSource):
    """The features of a GeoJSON file as rows of text."""

    def __init__(self, path: Path, limit: int | None = None) -> None:
        super().__init__(path)
        self.limit = limit  # a preview: properties from the first features only
        self.cut_short = False
        self.crs = ""
        self.kind = ""
        self.features = 0
        self.not_lonlat = 0
        self.reproject: geo.Reprojector | None = None
        self.failed_points = 0
        self.properties: list[str] = []
        parse_guard(path, self._scan)
        taken = {p.casefold() for p in self.properties}
        self.geometry_name = _unique("geometry", taken)
        self.latitude_name = _unique("latitude", taken)
        self.longitude_name = _unique("longitude", taken)
        self.headers = [*self.properties, self.geometry_name, self.latitude_name,
                        self.longitude_name]

    def _stream(self) -> Iterator[tuple[str, Any]]:
        with _open_json(self.path) as f:
            self._file = f
            events = _events(f)
            first = next(events, ("", None))
            if first[0] != "start_map":
                raise ImportFailed(_("{name} is not a GeoJSON file.").format(
                    name=self.path.name))
            # put the opening event back so walk() sees the whole document
            yield from walk(itertools.chain([first], events), _TARGETS)

    def _scan(self) -> None:
        """First pass: property names, the CRS, and whether positions look like lon/lat."""
        keys: dict[str, None] = {}
        for name, value in self._stream():
            if name == "type":
                self.kind = str(value)
            elif name == "crs":
                self.crs = geo.crs_name(value)
            elif isinstance(value, dict):
                if self.features == self.limit and self.kind:
                    self.cut_short = True
                    break
                self.features += 1
                props = value.get("properties")
                if isinstance(props, dict):
                    keys.update(dict.fromkeys(str(k) for k in props))
                if not geo.looks_like_lonlat(geo.first_position(value.get("geometry"))):
                    self.not_lonlat += 1
        if self.kind != "FeatureCollection":
            raise ImportFailed(_("{name} is not a GeoJSON FeatureCollection.").format(
                name=self.path.name))
        self.properties = list(keys)

    def rows(self) -> Iterator[list[str]]:
        stream = self._stream()
        self.failed_points = 0  # the writer may read the rows twice
        while True:
            item = parse_guard(self.path, lambda: next(stream, None))
            if item is None:
                return
            name, feature = item
            if name == "feature" and isinstance(feature, dict):
                yield self._row(feature)

    def _row(self, feature: dict[str, Any]) -> list[str]:
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        cells = [to_text(props.get(k)) for k in self.properties]
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict):
            return [*cells, "", "", ""]
        point: geo.Point | None = None
        if self.reproject is not None:
            try:
                geometry = self.reproject(geometry)
                point = geo.representative_point(geometry)
            except (ValueError, TypeError, ArithmeticError):
                self.failed_points += 1
        elif self.mappable:
            point = geo.representative_point(geometry)
        text = json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))
        if point is None:
            return [*cells, text, "", ""]
        return [*cells, text, repr(round(point[1], 7)), repr(round(point[0], 7))]

    @property
    def mappable(self) -> bool:
        return self.reproject is not None or (geo.is_wgs84(self.crs) and not self.not_lonlat)


def import_geojson(
    pack: Pack,
    path: Path,
    provenance: Provenance,
    *,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import a GeoJSON FeatureCollection, one row per feature, geometry in WGS84.

    Adds ``geometry``, ``latitude`` and ``longitude`` columns (renamed if a property
    already uses the name) and records them in the catalogue. Raises
    :class:`ImportFailed` (nothing written) for a file that is not GeoJSON.
    """
    source, geo_columns, warnings = geojson_source(path)
    provenance.format = "geojson"
    provenance.import_options = {**provenance.import_options, "source_crs": source.crs,
                                 "types": dict(type_overrides or {})}
    info = write_dataset(pack, source, provenance, type_overrides=type_overrides,
                         geo=geo_columns, warnings=warnings, progress=progress)
    if source.failed_points:
        # Only known once the rows are written: add the warning to the catalogue entry.
        info.warnings.append(ngettext(
            "{n:,} feature could not be converted to longitude/latitude and has no map "
            "position.",
            "{n:,} features could not be converted to longitude/latitude and have no map "
            "position.", source.failed_points).format(n=source.failed_points))
        with pack.atomic():
            pack.conn.execute("UPDATE _tde_datasets SET warnings = ? WHERE id = ?",
                              (json.dumps(info.warnings, ensure_ascii=False), info.id))
    return info


def geojson_source(path: Path, limit: int | None = None
                   ) -> tuple[GeoJsonSource, GeoColumns, list[str]]:
    """The features of a GeoJSON file as the import reads them (reprojected when the
    file names a coordinate system), its map columns and the import's notes; for the
    import and its preview. ``limit`` learns the properties from the first features.
    """
    source = GeoJsonSource(path, limit)
    warnings: list[str] = []
    crs = geo.WGS84
    if source.crs and not geo.is_wgs84(source.crs):
        source.reproject = geo.reprojector(source.crs)
        if source.reproject is None:
            crs = source.crs
            warnings.append(_("The coordinates are in {crs}, a coordinate system this app "
                              "does not know, so the shapes cannot be put on a map; "
                              "latitude and longitude are left empty.").format(crs=source.crs))
        else:
            warnings.append(_("The coordinates were in {crs} and were converted to "
                              "longitude/latitude (WGS84).").format(crs=source.crs))
    elif source.not_lonlat:
        crs = ""
        warnings.append(ngettext(
            "Coordinates in {n:,} of {total:,} feature are not longitude/latitude and the "
            "file does not say which coordinate system it uses, so the shapes cannot be put "
            "on a map; latitude and longitude are left empty.",
            "Coordinates in {n:,} of {total:,} features are not longitude/latitude and the "
            "file does not say which coordinate system it uses, so the shapes cannot be put "
            "on a map; latitude and longitude are left empty.", source.features,
        ).format(n=source.not_lonlat, total=source.features))
    return source, GeoColumns(
        crs=crs, geometry=source.geometry_name,
        latitude=source.latitude_name if source.mappable else "",
        longitude=source.longitude_name if source.mappable else ""), warnings
