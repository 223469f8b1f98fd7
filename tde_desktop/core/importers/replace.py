"""Re-import a newer file in a dataset's place, keeping what still fits.

The newer file is first imported as a dataset of its own (the fast readers work
only outside a transaction), titled "<title> (newer file)". Then one transaction
swaps it in: the old table goes, the new one takes the old table name and the old
catalogue id, so saved views and exercises keep pointing at the dataset. A kill
during the import or the swap leaves the old dataset whole; at worst the newer file
is left as a dataset of its own, under that recognisable title.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import DatasetInfo, Pack, quote

#: catalogue fields that come from the newer file; title, description, source,
#: publisher and licence stay as the person wrote them
_FROM_FILE = ("original_filename", "format", "sha256", "row_count", "column_count",
              "import_options", "warnings", "imported_at", "crs", "geometry_column",
              "latitude_column", "longitude_column", "retrieved_at")


@dataclass
class Replacement:
    """What :func:`replace_dataset` kept and what it had to drop."""

    dataset: DatasetInfo
    kept_descriptions: list[str] = field(default_factory=list)
    dropped_descriptions: list[str] = field(default_factory=list)
    kept_views: list[str] = field(default_factory=list)
    dropped_views: list[str] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)
    gone_columns: list[str] = field(default_factory=list)
    answers_on_records: int = 0


def view_columns(filters_json: str, chart_json: str) -> set[str]:
    """The column names a saved view's filters and chart use (``*`` is any column)."""
    used: set[str] = set()
    try:
        filters = json.loads(filters_json or "[]")
        chart = json.loads(chart_json or "{}")
    except ValueError:
        return {"\0damaged"}
    for item in filters if isinstance(filters, list) else []:
        if isinstance(item, dict) and item.get("column") not in (None, "*"):
            used.add(str(item["column"]))
    if isinstance(chart, dict):
        for key in ("x", "y"):
            if chart.get(key):
                used.add(str(chart[key]))
    return used


def replace_dataset(pack: Pack, dataset: str | int, path: str | Path, *,
                    retrieved_at: str | None = None,
                    progress: ProgressCallback | None = None,
                    **options: Any) -> Replacement:
    """Import ``path`` in place of ``dataset``; returns what was kept and dropped.

    Guarantees: the dataset keeps its id, table name, title, description and
    provenance text (``retrieved_at`` becomes the given date, or today); a column
    description is kept when a column of the same name is in the newer file; a saved
    view is kept when every column it uses is there, and removed otherwise. If the
    import fails or is cancelled the pack is unchanged. ``options`` go to
    :func:`import_file` (sheet, encoding, delimiter, header_row...).
    """
    if pack.read_only:
        raise ImportFailed(_("This pack is open read-only; nothing can be added to it."))
    old = pack.dataset(dataset)
    new = import_file(
        pack, path, title=_("{title} (newer file)").format(title=old.title),
        description=old.description, source_url=old.source_url, publisher=old.publisher,
        licence=old.licence, retrieved_at=retrieved_at or dt.date.today().isoformat(),
        progress=progress, **options)
    try:
        return _swap(pack, old, new)
    except BaseException:
        # The swap rolled back: take the newer file out again so nothing changed.
        pack.remove_dataset(new.id)
        raise


def _swap(pack: Pack, old: DatasetInfo, new: DatasetInfo) -> Replacement:
    conn = pack.conn
    report = Replacement(dataset=old)
    new_names = {c.name for c in new.columns}
    old_names = {c.name for c in old.columns}
    report.new_columns = [c.name for c in new.columns if c.name not in old_names]
    report.gone_columns = [c.name for c in old.columns if c.name not in new_names]
    with pack.atomic():
        for c in old.columns:
            if not (c.description_en or c.description_es or c.unit):
                continue
            if c.name in new_names:
                report.kept_descriptions.append(c.name)
            else:
                report.dropped_descriptions.append(c.name)
        for view_id, name, filters, chart in conn.execute(
                "SELECT id, name, filters, chart FROM _tde_views WHERE dataset_id = ? "
                "ORDER BY name", (old.id,)).fetchall():
            if view_columns(filters, chart) <= new_names:
                report.kept_views.append(str(name))
            else:
                report.dropped_views.append(str(name))
                conn.execute("DELETE FROM _tde_views WHERE id = ?", (view_id,))
        described = {c.name: c for c in old.columns if c.name in report.kept_descriptions}
        conn.execute("DELETE FROM _tde_columns WHERE dataset_id = ?", (old.id,))
        conn.execute(f"DROP TABLE IF EXISTS {quote(old.table_name + '_fts')}")
        conn.execute(f"DROP TABLE {quote(old.table_name)}")
        conn.execute("UPDATE _tde_columns SET dataset_id = ? WHERE dataset_id = ?",
                     (old.id, new.id))
        for name, c in described.items():
            conn.execute("UPDATE _tde_columns SET description_en = ?, description_es = ?, "
                         "unit = ? WHERE dataset_id = ? AND name = ?",
                         (c.description_en, c.description_es, c.unit, old.id, name))
        row = conn.execute(f"SELECT {', '.join(_FROM_FILE)} FROM _tde_datasets WHERE id = ?",
                           (new.id,)).fetchone()
        conn.execute("DELETE FROM _tde_datasets WHERE id = ?", (new.id,))
        conn.execute(f"ALTER TABLE {quote(new.table_name)} RENAME TO {quote(old.table_name)}")
        sets = ", ".join(f"{name} = ?" for name in _FROM_FILE)
        conn.execute(f"UPDATE _tde_datasets SET {sets}, has_fts = 0 WHERE id = ?",
                     (*row, old.id))
        report.answers_on_records = int(conn.execute(
            "SELECT count(*) FROM _tde_responses WHERE dataset_id = ? AND record_rowid IS NOT "
            "NULL", (old.id,)).fetchone()[0])
        pack.touch()
    report.dataset = pack.dataset(old.id)
    return report
