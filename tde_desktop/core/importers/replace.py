"""Re-import a newer file in a dataset's place, keeping what still fits.

The newer file is first imported as a dataset of its own (the fast readers work
only outside a transaction), titled "<title> (newer file)". Then one transaction
swaps it in: the old table goes, the new one takes the old table name and the old
catalogue id, so saved views and exercises keep pointing at the dataset. A kill
during the import or the swap leaves the old dataset whole; at worst the newer file
is left as a dataset of its own, under that recognisable title.

Answers on one record (flags) follow it to the newer file (:mod:`.record_refs`).
The older version waits in the pack's trash (:mod:`tde_desktop.core.pack.datasets`),
so :func:`undo_replace` puts it back, in one transaction, until the pack is closed.
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
from tde_desktop.core.importers.record_refs import refind_records, restore_references
from tde_desktop.core.pack import DatasetInfo, Pack, quote, utc_now
from tde_desktop.core.pack.datasets import REPLACED_KEY, TRASH, ensure_trash, has_table

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
    answers_on_records: int = 0  # answers on one record (flags): found + gone
    records_found: int = 0  # ...whose record is in the newer file, and now point at it
    records_gone: int = 0  # ...whose record is not, marked "no longer in the data"


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
    trash_table = f"_tde_trash_{REPLACED_KEY + old.id}"
    with pack.atomic():
        ensure_trash(pack)
        undo: dict[str, Any] = {
            "kind": "replaced",
            "dataset": _rows(pack, "SELECT * FROM _tde_datasets WHERE id = ?", (old.id,))[0],
            "columns": _rows(pack, "SELECT * FROM _tde_columns WHERE dataset_id = ?",
                             (old.id,)),
            "views": [], "exercises": []}
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
                undo["views"] += _rows(pack, "SELECT * FROM _tde_views WHERE id = ?",
                                       (view_id,))
                undo["exercises"] += _rows(pack, "SELECT id, view_id FROM _tde_exercises "
                                           "WHERE view_id = ?", (view_id,))
                conn.execute("DELETE FROM _tde_views WHERE id = ?", (view_id,))
        described = {c.name: c for c in old.columns if c.name in report.kept_descriptions}
        conn.execute("DELETE FROM _tde_columns WHERE dataset_id = ?", (old.id,))
        refound = refind_records(pack, old, new)
        undo["responses"] = refound.before
        report.records_found, report.records_gone = refound.found, refound.gone
        report.answers_on_records = refound.found + refound.gone
        conn.execute(f"DROP TABLE IF EXISTS {quote(old.table_name + '_fts')}")
        # The older version waits in the trash, for undo_replace, until the pack closes.
        conn.execute(f"DELETE FROM {TRASH} WHERE dataset_id = ?", (REPLACED_KEY + old.id,))
        conn.execute(f"DROP TABLE IF EXISTS {quote(trash_table)}")
        conn.execute(f"ALTER TABLE {quote(old.table_name)} RENAME TO {quote(trash_table)}")
        conn.execute(f"INSERT INTO {TRASH} VALUES (?, ?, ?, ?)",
                     (REPLACED_KEY + old.id, trash_table,
                      json.dumps(undo, ensure_ascii=False), utc_now()))
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
        pack.touch()
    report.dataset = pack.dataset(old.id)
    return report


def _rows(pack: Pack, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = pack.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def can_undo_replace(pack: Pack, dataset_id: int) -> bool:
    """Whether the older version of ``dataset_id`` still waits for :func:`undo_replace`."""
    return has_table(pack, TRASH) and pack.conn.execute(
        f"SELECT 1 FROM {TRASH} WHERE dataset_id = ?",
        (REPLACED_KEY + dataset_id,)).fetchone() is not None


def undo_replace(pack: Pack, dataset_id: int) -> DatasetInfo:
    """Put back the version of ``dataset_id`` that the last replace took out.

    Guarantees: one transaction (a kill leaves the newer or the older version whole,
    never half of each); the dataset keeps its id and table name; its rows, catalogue
    entry, dictionary, saved views and the answers on its records are as before the
    replace; the newer file's rows are gone. Raises :class:`ImportFailed` (one
    sentence, nothing changed) when the older version is no longer kept: the pack was
    closed since, or the dataset was removed.
    """
    gone = ImportFailed(_("The older version of this dataset is no longer kept; the "
                          "replacement cannot be undone."))
    if pack.read_only:
        raise ImportFailed(_("This pack is open read-only; nothing can be changed in it."))
    key = REPLACED_KEY + dataset_id
    found = pack.conn.execute(f"SELECT table_name, record FROM {TRASH} WHERE dataset_id = ?",
                              (key,)).fetchone() if has_table(pack, TRASH) else None
    if found is None or found[0] != f"_tde_trash_{key}" or not has_table(pack, found[0]):
        raise gone
    try:
        current = pack.dataset(dataset_id)
        record = json.loads(found[1])
        row = dict(record["dataset"])
    except (KeyError, ValueError, TypeError):
        raise gone from None
    conn = pack.conn
    with pack.atomic():
        conn.execute(f"DROP TABLE IF EXISTS {quote(current.table_name + '_fts')}")
        conn.execute(f"DROP TABLE {quote(current.table_name)}")
        conn.execute(f"ALTER TABLE {quote(found[0])} RENAME TO {quote(current.table_name)}")
        row.update(id=dataset_id, table_name=current.table_name, has_fts=0)
        sets = ", ".join(f"{quote(k)} = ?" for k in row)
        conn.execute(f"UPDATE _tde_datasets SET {sets} WHERE id = ?", (*row.values(), dataset_id))
        conn.execute("DELETE FROM _tde_columns WHERE dataset_id = ?", (dataset_id,))
        for column in record["columns"]:
            _insert(pack, "_tde_columns", {**column, "dataset_id": dataset_id})
        for view in record["views"]:
            if not conn.execute("SELECT 1 FROM _tde_views WHERE id = ? OR name = ?",
                                (view["id"], view["name"])).fetchone():
                _insert(pack, "_tde_views", {**view, "dataset_id": dataset_id})
        for exercise in record["exercises"]:
            conn.execute("UPDATE _tde_exercises SET view_id = coalesce(view_id, ?) WHERE id = ? "
                         "AND EXISTS (SELECT 1 FROM _tde_views WHERE id = ?)",
                         (exercise["view_id"], exercise["id"], exercise["view_id"]))
        restore_references(pack, record.get("responses") or [])
        conn.execute(f"DELETE FROM {TRASH} WHERE dataset_id = ?", (key,))
        pack.touch()
    return pack.dataset(dataset_id)


def _insert(pack: Pack, table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(quote(k) for k in row)
    pack.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({','.join('?' * len(row))})",
                      tuple(row.values()))
