"""Saved explorer views: a dataset, its filters and a chart, kept under a name.

Exercises (a data-walk station, say) point at a saved view so every group sees
the same figure. Views live in the pack's ``_tde_views`` table; a view goes
away with its dataset (ON DELETE CASCADE).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.charts import ChartSpec
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now


@dataclass
class SavedView:
    """One saved view as stored in the pack."""

    id: int
    name: str
    dataset_id: int
    filters: list[Filter] = field(default_factory=list)
    chart: ChartSpec | None = None
    created_at: str = ""


def _row_to_view(row: tuple[Any, ...]) -> SavedView:
    vid, name, dataset_id, filters_json, chart_json, created_at = row
    try:
        filters = [Filter.from_dict(d) for d in json.loads(filters_json or "[]")]
        chart_dict = json.loads(chart_json or "{}")
    except (ValueError, TypeError, AttributeError):
        raise TdeError(_("The saved view {name} is damaged.").format(name=name)) from None
    chart = ChartSpec.from_dict(chart_dict) if chart_dict else None
    return SavedView(int(vid), str(name), int(dataset_id), filters, chart, str(created_at))


_SELECT = "SELECT id, name, dataset_id, filters, chart, created_at FROM _tde_views"


def save_view(pack: Pack, name: str, dataset_id: int, filters: Sequence[Filter],
              chart: ChartSpec | None) -> int:
    """Save (or replace, when the name exists) a view; returns its id.

    The name is trimmed and must not be empty; the dataset must exist. Replacing
    keeps the view's id so exercises that point at it keep working.
    """
    name = " ".join(name.split())
    if not name:
        raise TdeError(_("Give the view a name."))
    if pack.read_only:
        raise TdeError(_("This pack is open read-only; the view cannot be saved."))
    exists = pack.conn.execute("SELECT 1 FROM _tde_datasets WHERE id = ?",
                               (dataset_id,)).fetchone()
    if not exists:
        raise TdeError(_("That dataset is no longer in this pack."))
    filters_json = json.dumps([f.to_dict() for f in filters], ensure_ascii=False)
    chart_json = json.dumps(chart.to_dict() if chart else {}, ensure_ascii=False)
    with pack.atomic():
        pack.conn.execute(
            "INSERT INTO _tde_views (name, dataset_id, filters, chart, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
            "dataset_id = excluded.dataset_id, filters = excluded.filters, "
            "chart = excluded.chart",
            (name, dataset_id, filters_json, chart_json, utc_now()))
        row = pack.conn.execute("SELECT id FROM _tde_views WHERE name = ?", (name,)).fetchone()
        pack.touch()
    return int(row[0])


def list_views(pack: Pack) -> list[SavedView]:
    """Every saved view, by name (case-insensitive)."""
    rows = pack.conn.execute(_SELECT + " ORDER BY name COLLATE NOCASE, id").fetchall()
    return [_row_to_view(r) for r in rows]


def load_view(pack: Pack, name_or_id: str | int) -> SavedView:
    """A view by id or by name (case-insensitive); TdeError if there is none."""
    row: sqlite3.Row | tuple[Any, ...] | None
    if isinstance(name_or_id, int):
        row = pack.conn.execute(_SELECT + " WHERE id = ?", (name_or_id,)).fetchone()
    else:
        row = pack.conn.execute(_SELECT + " WHERE name = ? COLLATE NOCASE",
                                (" ".join(name_or_id.split()),)).fetchone()
    if row is None:
        raise TdeError(_("There is no saved view called {name}.").format(name=name_or_id))
    return _row_to_view(tuple(row))


def delete_view(pack: Pack, id: int) -> None:  # noqa: A002 - the API names it id
    """Remove a saved view; removing one that is gone already is not an error."""
    with pack.atomic():
        pack.conn.execute("DELETE FROM _tde_views WHERE id = ?", (id,))
        pack.touch()
