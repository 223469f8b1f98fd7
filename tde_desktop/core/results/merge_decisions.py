"""Merging a facilitator's decisions: moderation of free text, and tidy steps.

Both follow the rules of :mod:`.merge` (idempotent, order-independent, conflicts kept
whole in ``_tde_merge_conflicts`` and listed in the report):

* **Moderation** (``_tde_moderation``, one row per answer, keyed by the answer's
  UUID) comes along when the target has the answer. Equal decisions are already
  here; different ones (a correction on one laptop, a rejection or another correction
  on the other) are a conflict: the later ``updated_at`` stays live (equal times: the
  larger content hash). Approval itself lives on the answer and is merged with it
  (approved in either pack stays approved).
* **Tidy steps** (``_tde_tidy``) have ids local to a pack: a step is the same step when
  its dataset (translated), column, original value, new value and creation time are
  equal. An undo in either pack wins. Two live steps reading one value of a column as
  two different values are a conflict: the later step stays live (equal times: the
  larger content hash), the other is kept as an undone step and set aside for review.
  Steps of a dataset or column the target does not have are skipped.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tde_desktop.core.results.merge_report import TABLE_NAMES, Conflict
from tde_desktop.core.results.merge_rows import content_hash

if TYPE_CHECKING:
    from tde_desktop.core.results.merge import Merger

MODERATION, TIDY = "_tde_moderation", "_tde_tidy"
_STEP_KEY = ('SELECT * FROM _tde_tidy WHERE dataset_id = ? AND "column" = ? '
             "AND from_value = ? AND to_value = ? AND created_at = ?")


def merge_moderation(m: Merger, rows: list[dict[str, Any]]) -> None:
    """Bring the other pack's moderation rows in (see the module docstring)."""
    counts = m.report.tables[MODERATION]
    for incoming in rows:
        answer = m.row("_tde_responses", "id", incoming["response_id"])
        if answer is None:
            continue  # its answer stayed out (withdrawn participant) or was never merged
        existing = m.row(MODERATION, "response_id", incoming["response_id"])
        if existing is None:
            m.insert(MODERATION, incoming)
            counts.added += 1
        else:
            m.compare(MODERATION, "response_id", existing, incoming, counts)


def merge_tidy(m: Merger, rows: list[dict[str, Any]]) -> None:
    """Bring the other pack's tidy steps in, oldest first (see the module docstring)."""
    counts = m.report.tables[TIDY]
    for raw in rows:
        step = m.translate(TIDY, raw)
        dataset = step["dataset_id"]
        if dataset is None or m.conn.execute(
                "SELECT 1 FROM _tde_columns WHERE dataset_id = ? AND name = ?",
                (dataset, step["column"])).fetchone() is None:
            m.report.skipped_steps += 1
            continue
        key = (dataset, step["column"], step["from_value"], step["to_value"],
               step["created_at"])
        same = m.conn.execute(_STEP_KEY, key).fetchone()
        if same is not None:
            if step["undone_at"] is not None and same[6] is None:
                m.conn.execute("UPDATE _tde_tidy SET undone_at = ? WHERE id = ?",
                               (step["undone_at"], same[0]))
                counts.updated += 1
            else:
                counts.already += 1
            continue
        step.pop("id")
        rival = None if step["undone_at"] is not None else _live_rival(m, step)
        if rival is None:
            m.insert(TIDY, step)
            counts.added += 1
            continue
        mine, theirs = content_hash(TIDY, rival), content_hash(TIDY, step)
        incoming_wins = (str(step["created_at"]), theirs) > (str(rival["created_at"]), mine)
        if incoming_wins:
            m.conn.execute("UPDATE _tde_tidy SET undone_at = ? WHERE id = ?",
                           (m.now, rival["id"]))
        m.insert(TIDY, step if incoming_wins else {**step, "undone_at": m.now})
        title = m.conn.execute("SELECT title FROM _tde_datasets WHERE id = ?",
                               (dataset,)).fetchone()[0]
        _set_aside(m, f"{title} / {step['column']} / {step['from_value']}",
                   kept=theirs if incoming_wins else mine,
                   aside=(mine, rival) if incoming_wins else (theirs, step),
                   incoming_wins=incoming_wins)
        counts.conflicts += 1


def _live_rival(m: Merger, step: dict[str, Any]) -> dict[str, Any] | None:
    """The target's live step reading the same value of the column as another value."""
    cur = m.conn.execute(
        'SELECT * FROM _tde_tidy WHERE dataset_id = ? AND "column" = ? AND from_value = ? '
        "AND to_value != ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        (step["dataset_id"], step["column"], step["from_value"], step["to_value"]))
    found = cur.fetchone()
    return None if found is None else dict(zip([d[0] for d in cur.description], found,
                                               strict=True))


def _set_aside(m: Merger, row_id: str, *, kept: str, aside: tuple[str, dict[str, Any]],
               incoming_wins: bool) -> None:
    m.conn.execute(
        "INSERT OR IGNORE INTO _tde_merge_conflicts (table_name, row_id, kept_hash, "
        "set_aside_hash, set_aside_row, source, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (TIDY, row_id, kept, aside[0], json.dumps(aside[1], ensure_ascii=False, default=str),
         m.report.source.name, m.now))
    m.report.conflicts.append(Conflict(TABLE_NAMES[TIDY], row_id,
                                       "other" if incoming_wins else "this pack"))
