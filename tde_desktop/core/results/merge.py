"""Merge the workshop results of packs from several laptops into one pack.

:func:`merge_packs` copies workshops, exercises, participants, answers,
moderation decisions, tidy steps and saved views from another pack into an
open target pack, in ONE transaction: if it raises (a :class:`Cancelled`
from ``progress`` included) the target is exactly as it was. The other pack
is opened read-only and checked to be a pack before anything is read from it.

Rules (each makes merging order-independent and idempotent):

* Rows are the same row when their UUIDs are equal (saved views, which have
  integer ids local to a pack, are matched by name). Merging a pack twice adds
  nothing.
* Two versions of one row are compared by a hash of the row with its
  bookkeeping left out (:data:`BOOKKEEPING`: times, sequence numbers, devices,
  the language an answer was given in (a pack older than schema 7 has none), live
  state such as "exercise open", salted PIN hashes, participant codes).
  When the versions differ it is a *conflict*: for answers and workshops the
  version with the later ``updated_at`` stays live (equal times: the larger
  content hash, so the outcome does not depend on merge order); exercises,
  participants and saved views carry no edit time, so the target's version
  stays live (without the common ancestor nothing tells which side edited).
  The other version is kept, whole, as JSON in ``_tde_merge_conflicts`` and
  listed in the report for a person to review.
* Live state is combined, not compared: a workshop or exercise is as far along
  as either pack says (ended beats running beats draft), started at the
  earliest start and ended at the latest end; an answer approved for the
  projector in either pack stays approved.
* Withdrawal wins: a participant withdrawn in either pack is withdrawn in the
  result, with every answer of theirs removed.
* An undone answer (tombstone, ``deleted = 1``) wins over the live answer.
* Two different participants (different UUIDs) with the same code in one
  workshop: the incoming code gets a suffix (``P-7K2Q-2``) so codes stay unique.
* Moderation decisions and tidy steps come along with the rows they belong to
  (see :mod:`.merge_decisions`).
* Dataset ids, saved-view ids and the dataset ids inside answers are local to
  a pack; they are translated through the datasets' checksums and titles. A flag
  stored without its dataset (a phone's, before answers named it) counts as a flag on
  its exercise's dataset (:func:`~tde_desktop.core.workshop.flag_dataset.flag_dataset_id`)
  and arrives with it.
  Packs whose datasets differ are refused unless ``allow_different_data``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ProgressCallback, TdeError, report
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.results.merge_datasets import map_datasets
from tde_desktop.core.results.merge_decisions import merge_moderation, merge_tidy
from tde_desktop.core.results.merge_report import (
    TABLE_NAMES,
    Conflict,
    MergeReport,
    TableCounts,
    table_word,
)
from tde_desktop.core.results.merge_rows import BOOKKEEPING, content_hash
from tde_desktop.core.workshop.flag_dataset import fill_flag_datasets

#: Bookkeeping that still travels with the version kept live.
_FOLLOW_WINNER = frozenset({"updated_at", "content_hash", "device_id", "lang"})
#: Merged row by row, in this order (views first: exercises point at them).
_ROW_TABLES = ("_tde_views", "_tde_workshops", "_tde_exercises", "_tde_participants",
               "_tde_responses")
_STATUS_ORDER = {"draft": 0, "running": 1, "ended": 2, "waiting": 0, "open": 1, "closed": 2}


def merge_packs(target: Pack, other_path: str | Path, *, allow_different_data: bool = False,
                progress: ProgressCallback | None = None) -> MergeReport:
    """Bring every workshop result of the pack at ``other_path`` into ``target``.

    All or nothing: one transaction, rolled back on any exception (``progress``
    may raise :class:`Cancelled`). Idempotent: merging the same pack again adds
    nothing. Raises :class:`TdeError` (target unchanged) for a pack merged into
    itself, a file that is not a pack, a pack made by a newer app, or packs
    with different datasets unless ``allow_different_data``.
    """
    other_path = Path(other_path)
    if target.read_only:
        raise TdeError(_("This pack is open read-only; nothing can be merged into it."))
    if other_path.exists() and os.path.samefile(other_path, target.path):
        raise TdeError(_("A pack cannot be merged into itself."))
    merge_report = MergeReport(source=other_path)
    with Pack.open(other_path, read_only=True) as other:
        dataset_map = map_datasets(target, other, allow_different_data, merge_report)
        rows = {name: _read(other.conn, name) for name in TABLE_NAMES}
    rows["_tde_responses"] = fill_flag_datasets(rows["_tde_responses"], rows["_tde_exercises"])
    merger = Merger(target, merge_report, dataset_map)
    steps = len(_ROW_TABLES) + 1
    target.conn.execute("PRAGMA secure_delete = ON")  # withdrawn answers leave no trace
    try:
        with target.atomic():
            for i, name in enumerate(_ROW_TABLES):
                report(progress, i, steps, _("Merging {what}").format(what=table_word(name)))
                merger.merge(name, rows[name], progress)
            report(progress, steps - 1, steps, _("Checking the merged pack"))
            merge_moderation(merger, rows["_tde_moderation"])
            merge_tidy(merger, rows["_tde_tidy"])
            merger.finish()
            if merge_report.changed:
                target.touch()
            report(progress, steps, steps, _("Merged"))
    finally:
        target.conn.execute("PRAGMA secure_delete = OFF")
    return merge_report


def list_conflicts(pack: Pack) -> list[dict[str, Any]]:
    """Versions set aside by merges, oldest first, each with the row as JSON text."""
    cur = pack.conn.execute("SELECT * FROM _tde_merge_conflicts ORDER BY id")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# -- reading -------------------------------------------------------------------


def _read(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is None:
        return []  # a pack made before workshops existed
    order = "seq" if table == "_tde_responses" else "rowid"
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# -- writing -----------------------------------------------------------------------------


class Merger:
    """Writes one table at a time into the target; must run inside one transaction."""

    def __init__(self, target: Pack, merge_report: MergeReport,
                 dataset_map: dict[int, int]) -> None:
        self.pack = target
        self.conn = target.conn
        self.report = merge_report
        self.datasets = dataset_map
        self.views: dict[int, int] = {}
        self.columns: dict[str, list[str]] = {}
        self.reordered: set[str] = set()
        self.now = utc_now()

    def cols(self, table: str) -> list[str]:
        if table not in self.columns:
            self.columns[table] = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
        return self.columns[table]

    def row(self, table: str, key: str, value: Any) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,))
        found = cur.fetchone()
        return None if found is None else dict(zip([d[0] for d in cur.description], found,
                                                   strict=True))

    def insert(self, table: str, row: dict[str, Any]) -> None:
        values = {k: v for k, v in row.items() if k in self.cols(table)}
        self.conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES "
                          f"({', '.join('?' * len(values))})", tuple(values.values()))

    def update(self, table: str, key: str, key_value: Any, values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if k in self.cols(table) and k != key}
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?",
                              (*values.values(), key_value))

    # -- one table -----------------------------------------------------------------------

    def merge(self, table: str, rows: list[dict[str, Any]],
              progress: ProgressCallback | None) -> None:
        counts = self.report.tables[table]
        for n, incoming in enumerate(rows):
            if n and n % 500 == 0:
                report(progress, n, len(rows), _("Merging {what}").format(
                    what=table_word(table)))
            if table == "_tde_views":
                self._view(incoming, counts)
                continue
            incoming = self.translate(table, incoming)
            if table == "_tde_responses" and self._withdrawn(incoming["participant_id"]):
                continue  # the person withdrew in this pack: their answers stay out
            existing = self.row(table, "id", incoming["id"])
            if existing is not None and table == "_tde_responses":
                existing = self._with_flag_dataset(existing)
            if existing is None:
                self._add(table, incoming)
                counts.added += 1
            elif not self._special(table, existing, incoming, counts):
                self.compare(table, "id", existing, incoming, counts)

    def translate(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Dataset and view ids of the other pack, in this pack's numbering."""
        row = dict(row)
        if "dataset_id" in row and row["dataset_id"] is not None:
            row["dataset_id"] = self.datasets.get(int(row["dataset_id"]))
        if "view_id" in row and row["view_id"] is not None:
            row["view_id"] = self.views.get(int(row["view_id"]))
        if table == "_tde_responses":
            try:
                answer = json.loads(row["answer"])
            except (TypeError, ValueError):
                return row
            if isinstance(answer, dict) and (answer.get("dataset_id") is not None
                                             or answer.get("view_id") is not None):
                if answer.get("dataset_id") is not None:
                    answer["dataset_id"] = self.datasets.get(int(answer["dataset_id"]))
                if answer.get("view_id") is not None:
                    answer["view_id"] = self.views.get(int(answer["view_id"]))
                row["answer"] = json.dumps(answer, ensure_ascii=False, sort_keys=True)
        return row

    def _with_flag_dataset(self, row: dict[str, Any]) -> dict[str, Any]:
        """An answer of the target as the incoming ones are read: a flag stored without
        its dataset is on its exercise's dataset, so the same answer is not a conflict."""
        if row["dataset_id"] is not None:
            return row
        exercise = self.row("_tde_exercises", "id", row["exercise_id"])
        return fill_flag_datasets([row], [exercise] if exercise is not None else [])[0]

    def _withdrawn(self, participant_id: str) -> bool:
        found = self.conn.execute("SELECT withdrawn_at FROM _tde_participants WHERE id = ?",
                                  (participant_id,)).fetchone()
        return found is not None and found[0] is not None

    def _add(self, table: str, row: dict[str, Any]) -> None:
        if table == "_tde_participants":
            code = base = row["code"]
            suffix = 1
            while self.conn.execute("SELECT 1 FROM _tde_participants WHERE workshop_id = ? "
                                    "AND code = ?", (row["workshop_id"], code)).fetchone():
                suffix += 1
                code = f"{base}-{suffix}"
            if code != base:
                self.report.renamed_codes.append((base, code))
                row = {**row, "code": code}
        elif table == "_tde_responses":
            row = {**row, "seq": self.conn.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM _tde_responses").fetchone()[0]}
        elif table == "_tde_exercises":
            self.reordered.add(row["workshop_id"])
        self.insert(table, row)

    def _special(self, table: str, existing: dict[str, Any], incoming: dict[str, Any],
                 counts: TableCounts) -> bool:
        """Apply the rules that are not conflicts; True when the row is fully handled."""
        if table in ("_tde_workshops", "_tde_exercises"):
            live = _combined_live_state(existing, incoming)
            if live:
                self.update(table, "id", existing["id"], live)
                counts.updated += 1
            return False
        if table == "_tde_participants":
            if existing["withdrawn_at"] is not None:
                counts.already += 1
                return True
            if incoming["withdrawn_at"] is not None:
                removed = self.conn.execute("DELETE FROM _tde_responses WHERE participant_id = ?",
                                            (existing["id"],)).rowcount
                self.update(table, "id", existing["id"], {
                    k: incoming[k] for k in ("neighbourhood", "age_band", "affiliation",
                                             "first_time", "consent_quote", "consent_contact",
                                             "contact", "device_id", "group_size",
                                             "withdrawn_at")})
                self.report.withdrawn += 1
                self.report.answers_removed += removed
                counts.updated += 1
                return True
            return False
        if table == "_tde_responses":
            if existing["deleted"]:
                counts.already += 1
                return True
            if incoming["deleted"]:
                self.update(table, "id", existing["id"], {
                    k: v for k, v in incoming.items() if k not in ("seq", "approved")})
                self.report.undone += 1
                counts.updated += 1
                return True
            if incoming["approved"] and not existing["approved"]:
                self.update(table, "id", existing["id"], {"approved": 1})
                existing["approved"] = 1
                counts.updated += 1
            return False
        return False

    def compare(self, table: str, key: str, existing: dict[str, Any],
                 incoming: dict[str, Any], counts: TableCounts) -> None:
        mine, theirs = content_hash(table, existing), content_hash(table, incoming)
        if mine == theirs:
            counts.already += 1
            return
        if "updated_at" not in existing:
            incoming_wins = False  # no edit time to go by: the target's version stays
        elif existing["updated_at"] != incoming["updated_at"]:
            incoming_wins = str(incoming["updated_at"]) > str(existing["updated_at"])
        else:
            incoming_wins = theirs > mine
        set_aside = existing if incoming_wins else incoming
        if incoming_wins:
            skip = BOOKKEEPING.get(table, frozenset()) - _FOLLOW_WINNER
            self.update(table, key, existing[key],
                        {k: v for k, v in incoming.items() if k not in skip})
        added = self.conn.execute(
            "INSERT OR IGNORE INTO _tde_merge_conflicts (table_name, row_id, kept_hash, "
            "set_aside_hash, set_aside_row, source, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (table, str(existing[key]), theirs if incoming_wins else mine,
             mine if incoming_wins else theirs,
             json.dumps(set_aside, ensure_ascii=False, default=str),
             self.report.source.name, self.now)).rowcount
        if added:
            counts.conflicts += 1
            self.report.conflicts.append(Conflict(TABLE_NAMES[table], str(existing[key]),
                                                  "other" if incoming_wins else "this pack"))
        else:
            counts.already += 1  # the same disagreement was recorded by an earlier merge

    def _view(self, incoming: dict[str, Any], counts: TableCounts) -> None:
        dataset = self.datasets.get(int(incoming["dataset_id"]))
        if dataset is None:
            self.report.skipped_views += 1  # its dataset is not in this pack
            return
        row = {**incoming, "dataset_id": dataset}
        existing = self.row("_tde_views", "name", incoming["name"])
        if existing is None:
            del row["id"]
            self.insert("_tde_views", row)
            self.views[int(incoming["id"])] = int(self.conn.execute(
                "SELECT id FROM _tde_views WHERE name = ?", (incoming["name"],)).fetchone()[0])
            counts.added += 1
        else:
            self.views[int(incoming["id"])] = int(existing["id"])
            self.compare("_tde_views", "name", existing, row, counts)

    def finish(self) -> None:
        """Renumber the agenda of each workshop that gained exercises: positions from two
        laptops may collide, and (position, id) gives the same order whatever the merge
        order. An ended workshop has no open exercise (as after ``end_workshop``), even
        when another laptop still had one open."""
        self.conn.execute(
            "UPDATE _tde_exercises SET status = 'closed', closed_at = coalesce(closed_at, "
            "(SELECT ended_at FROM _tde_workshops w WHERE w.id = workshop_id)) "
            "WHERE status = 'open' AND workshop_id IN "
            "(SELECT id FROM _tde_workshops WHERE status = 'ended')")
        for workshop_id in sorted(self.reordered):
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM _tde_exercises WHERE workshop_id = ? ORDER BY position, id",
                (workshop_id,))]
            for pos, exercise_id in enumerate(ids):
                self.conn.execute("UPDATE _tde_exercises SET position = ? WHERE id = ?",
                                  (pos, exercise_id))


def _combined_live_state(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The live-state columns that change when both packs' states are combined."""
    changes: dict[str, Any] = {}
    if _STATUS_ORDER.get(incoming["status"], 0) > _STATUS_ORDER.get(existing["status"], 0):
        changes["status"] = incoming["status"]
    for first in ("started_at", "opened_at"):
        if first in existing and incoming[first] and (
                not existing[first] or incoming[first] < existing[first]):
            changes[first] = incoming[first]
    for last in ("ended_at", "closed_at"):
        if last in existing and incoming[last] and (
                not existing[last] or incoming[last] > existing[last]):
            changes[last] = incoming[last]
    if incoming.get("revealed") and not existing.get("revealed"):
        changes["revealed"] = 1
    if "current_exercise_id" in existing and not existing["current_exercise_id"] and \
            incoming["current_exercise_id"]:
        changes["current_exercise_id"] = incoming["current_exercise_id"]
    return changes
