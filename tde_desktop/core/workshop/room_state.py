"""What the room sees, read cheaply: change detection and counts for the live screens.

The facilitator console and the projector must not re-read the pack while
nothing happens. Two things tell them that something did:

* a write made in this app reports the kinds of change it made (:class:`Change`),
  as Anki's ``OpChanges`` do; the Qt layer passes them on (``qt/common/ops.py``);
* a write made by anyone else (a worker's own connection, the phone server, a
  kiosk sharing the pack object) moves :func:`probe`, which costs one
  ``PRAGMA data_version`` statement and reads no table.

When something did change, the screens read counts with ``COUNT`` queries
(:func:`participant_count`, :func:`participant_rows`), never whole lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now

__all__ = ["ALL_CHANGES", "Change", "ParticipantRow", "answer_count", "participant_count",
           "participant_rows", "probe", "show_on_projector"]


class Change(StrEnum):
    """A kind of change a screen may need to redraw for."""

    WORKSHOP = "workshop"  # status, title, languages, the exercise on the projector
    AGENDA = "agenda"  # exercises added, edited, opened, closed, revealed
    PARTICIPANTS = "participants"  # signed in or withdrawn
    ANSWERS = "answers"  # answers given, undone, typed in from paper
    MODERATION = "moderation"  # free text approved, rejected or edited


#: what a change made elsewhere may have touched: everything
ALL_CHANGES: frozenset[Change] = frozenset(Change)


def probe(pack: Pack) -> tuple[int, int]:
    """A pair that differs from the previous call's exactly when the pack was written.

    ``PRAGMA data_version`` moves when another connection commits; the
    connection's own ``total_changes`` counter (no statement) moves when this
    connection writes. The only SQL issued is the one pragma.
    """
    version = pack.conn.execute("PRAGMA data_version").fetchone()[0]
    return int(version), int(pack.conn.total_changes)


def participant_count(pack: Pack, workshop_id: str) -> int:
    """How many participants (not withdrawn) have signed in to the workshop."""
    row = pack.conn.execute(
        "SELECT count(*) FROM _tde_participants WHERE workshop_id = ? AND withdrawn_at IS NULL",
        (workshop_id,)).fetchone()
    return int(row[0])


def answer_count(pack: Pack, participant_id: str) -> int:
    """How many answers (not undone) a participant has given."""
    row = pack.conn.execute(
        "SELECT count(*) FROM _tde_responses WHERE participant_id = ? AND deleted = 0",
        (participant_id,)).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class ParticipantRow:
    """One participant as the facilitator picks them: code, time joined, answers given."""

    id: str
    code: str
    joined_at: str
    answers: int
    is_group: bool


def participant_rows(pack: Pack, workshop_id: str) -> list[ParticipantRow]:
    """Participants not withdrawn, newest first, each with the number of their answers
    (one query; the answers are counted, not loaded)."""
    rows = pack.conn.execute(
        "SELECT p.id, p.code, p.created_at, p.is_group, "
        "  (SELECT count(*) FROM _tde_responses r WHERE r.participant_id = p.id "
        "   AND r.deleted = 0) "
        "FROM _tde_participants p WHERE p.workshop_id = ? AND p.withdrawn_at IS NULL "
        "ORDER BY p.created_at DESC, p.rowid DESC", (workshop_id,)).fetchall()
    return [ParticipantRow(str(i), str(code), str(joined), int(n), bool(group))
            for i, code, joined, group, n in rows]


def show_on_projector(pack: Pack, workshop_id: str, exercise_id: str | None) -> str | None:
    """Make ``exercise_id`` the one every projector of the workshop shows (None: the
    welcome screen); returns the exercise shown before, so the step can be undone."""
    with pack.atomic():
        row = pack.conn.execute("SELECT current_exercise_id FROM _tde_workshops WHERE id = ?",
                                (workshop_id,)).fetchone()
        if row is None:
            raise TdeError(_("This workshop no longer exists."))
        if exercise_id is not None and pack.conn.execute(
                "SELECT 1 FROM _tde_exercises WHERE id = ? AND workshop_id = ?",
                (exercise_id, workshop_id)).fetchone() is None:
            raise TdeError(_("This exercise no longer exists."))
        pack.conn.execute("UPDATE _tde_workshops SET current_exercise_id = ?, updated_at = ? "
                          "WHERE id = ?", (exercise_id, utc_now(), workshop_id))
    return None if row[0] is None else str(row[0])
