"""Managing datasets after import: edit their details, remove them, and undo a removal.

A removal is one transaction: the dataset's table is renamed to ``_tde_trash_<id>``,
its catalogue row, dictionary rows, saved views, tidy steps and the exercises that
pointed at them are written as one JSON record into the ``_tde_trash`` table, and the catalogue
rows are deleted. A kill before the commit leaves the dataset whole; a kill after it
leaves a pack without the dataset and with a trash that :func:`purge_trash` empties
(the app does so when a pack is closed or opened). :func:`restore_dataset` puts a
dataset back, also in one transaction, as long as the trash holds it.

A replaced dataset's older version waits in the same trash, under the key
``REPLACED_KEY + id`` (:func:`.importers.replace.undo_replace` puts it back).

The trash is scratch space, not part of the catalogue: :mod:`.validate` checks only
the table names in it, and a pack that arrives with one is emptied when the app opens it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack.pack_file import DatasetInfo, Pack, quote, utc_now
from tde_desktop.core.pack.validate import TABLE_NAME

#: where the records of removed datasets wait until the pack is closed
TRASH = "_tde_trash"
#: the trash key of a replaced dataset's older version is this plus the dataset's id
#: (a removed dataset's key is its id), so both can wait at once
REPLACED_KEY = 10**15
_TRASH_TABLE = re.compile(r"_tde_trash_[0-9]{1,18}")
#: the catalogue text a person can change after import
EDITABLE = ("title", "description", "source_url", "publisher", "licence", "retrieved_at")
#: licences offered in lists (the GUI adds "Other..."); any other text is allowed too
LICENCES = ("CC BY 4.0", "CC0 1.0", "ODbL 1.0", "PDDL 1.0", "Public domain")


@dataclass
class Removal:
    """What :func:`remove_dataset` took out of the catalogue (and can put back)."""

    dataset_id: int
    title: str
    views: list[str] = field(default_factory=list)
    exercises: int = 0
    described_columns: int = 0
    answers_on_records: int = 0


def edit_dataset(pack: Pack, dataset: str | int, **fields: str) -> DatasetInfo:
    """Change a dataset's title, description or provenance; returns the updated entry.

    Guarantees: only :data:`EDITABLE` fields change, all in one transaction; text is
    trimmed; the title is not empty and names no other dataset; ``retrieved_at`` is
    empty or a real calendar date written YYYY-MM-DD. Raises :class:`TdeError` (one
    sentence) otherwise, with the pack unchanged.
    """
    if pack.read_only:
        raise TdeError(_("This pack is open read-only; nothing can be changed in it."))
    info = pack.dataset(dataset)
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise TdeError(_("Unknown dataset field: {name}").format(name=", ".join(unknown)))
    values = {key: str(value).strip() for key, value in fields.items()}
    if "title" in values:
        values["title"] = " ".join(values["title"].split())
        if not values["title"]:
            raise TdeError(_("Give the dataset a title."))
        for other in pack.datasets():
            if other.id != info.id and other.title.casefold() == values["title"].casefold():
                raise TdeError(_("Another dataset is already called {title}.").format(
                    title=values["title"]))
    when = values.get("retrieved_at", "")
    if when:
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            raise TdeError(_("{value} is not a date; write it as YYYY-MM-DD, for example "
                             "2019-02-07.").format(value=when)) from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
            raise TdeError(_("{value} is not a date; write it as YYYY-MM-DD, for example "
                             "2019-02-07.").format(value=when))
    changed = {k: v for k, v in values.items() if getattr(info, k) != v}
    if changed:
        pack.update_dataset(info.id, **changed)
    return pack.dataset(info.id)


def _rows(pack: Pack, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = pack.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def has_table(pack: Pack, name: str) -> bool:
    """Whether the pack has a table called ``name``."""
    return pack.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (name,)).fetchone() is not None


def ensure_trash(pack: Pack) -> None:
    """Create the trash table if the pack has none (inside the caller's transaction)."""
    pack.conn.execute(f"CREATE TABLE IF NOT EXISTS {TRASH} (dataset_id INTEGER PRIMARY KEY, "
                      "table_name TEXT NOT NULL, record TEXT NOT NULL, removed_at TEXT NOT NULL)")


def remove_dataset(pack: Pack, dataset: str | int) -> Removal:
    """Remove a dataset: its table, catalogue row, dictionary and the saved views on it.

    Guarantees: everything happens in one transaction, so the pack never holds half a
    removed dataset, even if the process is killed. Exercises that used the dataset or
    one of its views lose that link; answers are never deleted (flags on its records
    keep their record number). Until :func:`purge_trash` runs, :func:`restore_dataset`
    puts everything back. The search index (rebuilt on request) is dropped.
    """
    if pack.read_only:
        raise TdeError(_("This pack is open read-only; nothing can be changed in it."))
    info = pack.dataset(dataset)
    conn = pack.conn
    with pack.atomic():
        ensure_trash(pack)
        row = _rows(pack, "SELECT * FROM _tde_datasets WHERE id = ?", (info.id,))[0]
        columns = _rows(pack, "SELECT * FROM _tde_columns WHERE dataset_id = ?", (info.id,))
        views = _rows(pack, "SELECT * FROM _tde_views WHERE dataset_id = ?", (info.id,))
        view_ids = [v["id"] for v in views]
        marks = ",".join("?" * len(view_ids)) or "NULL"
        exercises = _rows(
            pack, "SELECT id, dataset_id, view_id FROM _tde_exercises WHERE dataset_id = ? "
            f"OR view_id IN ({marks})", (info.id, *view_ids)) if has_table(
                pack, "_tde_exercises") else []
        tidy = _rows(pack, "SELECT * FROM _tde_tidy WHERE dataset_id = ? ORDER BY id",
                     (info.id,)) if has_table(pack, "_tde_tidy") else []
        answers = conn.execute(
            "SELECT count(*) FROM _tde_responses WHERE dataset_id = ? AND record_rowid IS NOT "
            "NULL", (info.id,)).fetchone()[0] if has_table(pack, "_tde_responses") else 0
        trash_table = f"_tde_trash_{info.id}"
        conn.execute(f"DROP TABLE IF EXISTS {quote(trash_table)}")
        conn.execute(f"DELETE FROM {TRASH} WHERE dataset_id = ?", (info.id,))
        conn.execute(f"DROP TABLE IF EXISTS {quote(info.table_name + '_fts')}")
        conn.execute(f"ALTER TABLE {quote(info.table_name)} RENAME TO {quote(trash_table)}")
        row["has_fts"] = 0
        record = {"dataset": row, "columns": columns, "views": views, "exercises": exercises,
                  "tidy": tidy}  # the foreign key's cascade deletes the steps with the row
        conn.execute(f"INSERT INTO {TRASH} VALUES (?, ?, ?, ?)",
                     (info.id, trash_table, json.dumps(record, ensure_ascii=False), utc_now()))
        conn.execute("DELETE FROM _tde_datasets WHERE id = ?", (info.id,))
        pack.touch()
    described = sum(1 for c in columns if c["description_en"] or c["description_es"])
    return Removal(info.id, info.title, [str(v["name"]) for v in views], len(exercises),
                   described, int(answers))


def trashed(pack: Pack) -> list[tuple[int, str]]:
    """(id, title) of each removed dataset that can still be restored, latest first."""
    if not has_table(pack, TRASH):
        return []
    result = []
    for dataset_id, record in pack.conn.execute(
            f"SELECT dataset_id, record FROM {TRASH} WHERE dataset_id < ? "
            "ORDER BY removed_at DESC, rowid DESC", (REPLACED_KEY,)):
        try:
            result.append((int(dataset_id), str(json.loads(record)["dataset"]["title"])))
        except (ValueError, KeyError, TypeError):
            continue
    return result


def _insert(pack: Pack, table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(quote(k) for k in row)
    pack.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({','.join('?' * len(row))})",
                      tuple(row.values()))


def _free_table_name(pack: Pack, wanted: str) -> str:
    existing = pack.table_names()
    name, k = wanted, 2
    while name in existing or f"{name}_fts" in existing:
        name = f"{wanted[:110]}_{k}"
        k += 1
    return name


def restore_dataset(pack: Pack, dataset_id: int) -> DatasetInfo:
    """Put back a removed dataset with its dictionary, saved views, exercise links and
    tidy steps.

    Guarantees: one transaction; the dataset keeps its id, table name and view names
    when they are still free (otherwise it gets new ones, and its views and exercises
    follow it). Raises :class:`TdeError` when the trash no longer holds it.
    """
    if pack.read_only:
        raise TdeError(_("This pack is open read-only; nothing can be changed in it."))
    found = pack.conn.execute(f"SELECT table_name, record FROM {TRASH} WHERE dataset_id = ?",
                              (dataset_id,)).fetchone() if has_table(pack, TRASH) else None
    gone = TdeError(_("That dataset can no longer be put back."))
    if found is None or not _TRASH_TABLE.fullmatch(str(found[0])) \
            or not has_table(pack, str(found[0])):
        raise gone
    try:
        record = json.loads(found[1])
        row = dict(record["dataset"])
        wanted = str(row["table_name"])
    except (ValueError, KeyError, TypeError):
        raise gone from None
    if not TABLE_NAME.fullmatch(wanted):
        raise gone
    with pack.atomic():
        new_id = dataset_id
        if pack.conn.execute("SELECT 1 FROM _tde_datasets WHERE id = ?",
                             (dataset_id,)).fetchone():
            new_id = int(pack.conn.execute(
                "SELECT coalesce(max(id), 0) + 1 FROM _tde_datasets").fetchone()[0])
        table = _free_table_name(pack, wanted)
        pack.conn.execute(f"ALTER TABLE {quote(str(found[0]))} RENAME TO {quote(table)}")
        _insert(pack, "_tde_datasets", {**row, "id": new_id, "table_name": table})
        for column in record["columns"]:
            _insert(pack, "_tde_columns", {**column, "dataset_id": new_id})
        _restore_views(pack, record, new_id)
        _restore_tidy(pack, record, new_id)
        pack.conn.execute(f"DELETE FROM {TRASH} WHERE dataset_id = ?", (dataset_id,))
        pack.touch()
    return pack.dataset(new_id)


def _restore_views(pack: Pack, record: dict[str, Any], new_id: int) -> None:
    view_ids: dict[int, int] = {}
    for view in record["views"]:
        name, k = str(view["name"]), 2
        while pack.conn.execute("SELECT 1 FROM _tde_views WHERE name = ?", (name,)).fetchone():
            name = f"{view['name']} ({k})"
            k += 1
        taken = pack.conn.execute("SELECT 1 FROM _tde_views WHERE id = ?",
                                  (view["id"],)).fetchone()
        values = {**view, "name": name, "dataset_id": new_id}
        if taken:
            values.pop("id")
        _insert(pack, "_tde_views", values)
        view_ids[int(view["id"])] = int(pack.conn.execute(
            "SELECT id FROM _tde_views WHERE name = ?", (name,)).fetchone()[0])
    for exercise in record["exercises"]:
        dataset = new_id if exercise["dataset_id"] is not None else None
        view = view_ids.get(int(exercise["view_id"])) if exercise["view_id"] is not None \
            else None
        pack.conn.execute(
            "UPDATE _tde_exercises SET dataset_id = coalesce(dataset_id, ?), "
            "view_id = coalesce(view_id, ?) WHERE id = ?", (dataset, view, exercise["id"]))


#: the columns of a tidy step put back, whatever else a record holds
_TIDY_COLUMNS = ("id", "column", "from_value", "to_value", "created_at", "undone_at")


def _restore_tidy(pack: Pack, record: dict[str, Any], new_id: int) -> None:
    """The dataset's tidy steps (undone ones too), in their order; a step keeps its id
    unless another step took it meanwhile (then it is added at the end)."""
    steps = record.get("tidy") or []  # a record written before steps travelled has none
    if not steps or not has_table(pack, "_tde_tidy"):
        return
    for step in steps:
        values = {k: step[k] for k in _TIDY_COLUMNS}
        if pack.conn.execute("SELECT 1 FROM _tde_tidy WHERE id = ?", (values["id"],)).fetchone():
            values.pop("id")
        _insert(pack, "_tde_tidy", {**values, "dataset_id": new_id})


def purge_trash(pack: Pack) -> int:
    """Drop every removed dataset for good (no undo after this); returns how many.

    Safe on any pack: tables are dropped only when their name is ``_tde_trash_<n>``.
    """
    if pack.read_only:
        return 0
    stray = [r[0] for r in pack.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_tde\\_trash%' "
        "ESCAPE '\\'")]
    if not stray:
        return 0
    count = 0
    with pack.atomic():
        for name in stray:
            if _TRASH_TABLE.fullmatch(name):
                pack.conn.execute(f"DROP TABLE {quote(name)}")
                count += 1
        pack.conn.execute(f"DROP TABLE IF EXISTS {TRASH}")
    return count
