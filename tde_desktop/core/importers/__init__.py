"""Importers: each turns one kind of file into a dataset in a pack, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _
from tde_desktop.core.importers.writer import Provenance
from tde_desktop.core.pack import DatasetInfo, Pack

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".psv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
GEOJSON_SUFFIXES = {".geojson"}


def detect_format(path: Path) -> str:
    """csv, excel, json or geojson, from the name and, for .json, the content."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in GEOJSON_SUFFIXES:
        return "geojson"
    if suffix in JSON_SUFFIXES:
        with path.open("rb") as f:
            head = f.read(4096)
        if b'"FeatureCollection"' in head:
            return "geojson"
        return "json"
    raise ImportFailed(
        _("{name}: files of type {suffix} cannot be imported; use CSV, Excel, JSON or "
          "GeoJSON.").format(name=path.name, suffix=suffix or "?"))


def import_file(
    pack: Pack,
    path: str | Path,
    *,
    title: str | None = None,
    description: str = "",
    source_url: str = "",
    publisher: str = "",
    licence: str = "",
    retrieved_at: str | None = None,
    sheet: str | None = None,
    table: int | None = None,
    header_row: int | None = None,
    header_rows: int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    quote: str | None = None,
    keep_footer: bool = False,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import any supported file as a new dataset; the pack is unchanged if this raises.

    ``header_row`` (1-based) is where the header starts and ``header_rows`` how many
    rows it has; both are detected when not given (CSV and sheets only).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(_("The file {path} does not exist.").format(path=path))
    fmt = detect_format(path)
    provenance = Provenance(
        title=title or path.stem.replace("_", " ").strip() or path.name,
        description=description, source_url=source_url, publisher=publisher,
        licence=licence,
        retrieved_at=retrieved_at or dt.date.today().isoformat(),
        original_filename=path.name,
    )
    options: dict[str, Any] = {"type_overrides": type_overrides, "progress": progress}
    if fmt == "csv":
        from tde_desktop.core.importers.csv_import import import_csv

        return import_csv(pack, path, provenance, encoding=encoding, delimiter=delimiter,
                          quote=quote, keep_footer=keep_footer, header_row=header_row,
                          header_rows=header_rows,
                          **options)
    if fmt == "excel":
        from tde_desktop.core.importers.excel_import import import_excel
        from tde_desktop.core.importers.sheet_onepass import import_streamed

        # (an .xlsx streamed in one pass when that gives the same result, else calamine)
        return import_streamed(pack, path, provenance, sheet=sheet, table=table,
                               header_row=header_row, header_rows=header_rows, **options
                               ) or import_excel(pack, path, provenance, sheet=sheet,
                                                 table=table, header_row=header_row,
                                                 header_rows=header_rows, **options)
    if fmt == "geojson":
        from tde_desktop.core.importers.geojson_import import import_geojson

        return import_geojson(pack, path, provenance, **options)
    from tde_desktop.core.importers.json_import import import_json

    return import_json(pack, path, provenance, **options)
