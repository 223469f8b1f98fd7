"""Moderating free text before the room sees it: approve, reject, fix a typo.

A participant's words are never overwritten. ``_tde_responses.answer_text``
keeps what they wrote; a facilitator's correction goes to ``_tde_moderation``
(one row per answer, deleted with the answer, so withdrawing a participant
removes the edits too), together with a "rejected" mark. Approval stays in
``_tde_responses.approved``, which the projector, the workbook and merging
already read.

Sign-in answers (a neighbourhood typed at sign-in) are demographics, not notes:
they are never moderated, shown on the projector or quoted.

A note's status is ``approved`` when approved, else ``rejected`` when rejected,
else ``pending``. The projector shows approved notes only, with the corrected
text when there is one (:func:`approved_notes`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, current_language
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.answer_checks import clean_text
from tde_desktop.core.workshop.exercises import Question, questions_from_config

__all__ = ["APPROVED", "PENDING", "REJECTED", "STATUSES", "Note", "approved_notes",
           "edit_text", "get_note", "notes", "set_status"]

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)

_SELECT = (
    "SELECT r.id, r.exercise_id, e.title, r.question_key, r.answer_label, r.answer_text, "
    "  coalesce(m.edited_text, ''), r.approved, coalesce(m.rejected, 0), r.answer_code, "
    "  e.config "
    "FROM _tde_responses r JOIN _tde_exercises e ON e.id = r.exercise_id "
    "LEFT JOIN _tde_moderation m ON m.response_id = r.id "
    "WHERE r.deleted = 0 AND r.answer_text != '' AND e.type != 'sign_in' ")


@dataclass(frozen=True)
class Note:
    """One free-text answer as the facilitator moderates it."""

    id: str
    exercise_id: str
    exercise_title: str
    question_key: str
    prompt: str  # the prompt or kind it answers ("Duplicate"), in the interface language, or ''
    original: str  # what the participant wrote, never changed
    edited: str  # the facilitator's correction, or ''
    status: str

    @property
    def text(self) -> str:
        """What the room sees: the correction if there is one, else the original."""
        return self.edited or self.original


@lru_cache(maxsize=64)
def _questions(config: str) -> dict[str, Question]:
    return {q.key: q for q in questions_from_config(json.loads(config))}


def _prompt(config: str, key: str, code: str, stored: str) -> str:
    """The chosen prompt or flag kind in the interface's language, from its stable code;
    the label stored with the answer is in the participant's language ("Duplicado")."""
    try:
        question = _questions(config).get(key)
    except (TdeError, ValueError, TypeError, KeyError, AttributeError):
        question = None  # a damaged config: the stored label is still something
    option = question.option(code) if question is not None and code else None
    return option.text(current_language()) if option is not None else stored


def _note(row: tuple[Any, ...]) -> Note:
    rid, exercise_id, title, key, label, original, edited, approved, rejected, code, config = row
    status = APPROVED if approved else REJECTED if rejected else PENDING
    prompt = _prompt(str(config), str(key), str(code), str(label))
    return Note(str(rid), str(exercise_id), str(title), str(key), prompt, str(original),
                str(edited), status)


def notes(pack: Pack, workshop_id: str, exercise_id: str | None = None, *,
          status: str | None = None) -> list[Note]:
    """Free-text answers of a workshop (or one exercise), in agenda order then oldest
    first, never sign-in answers; ``status`` keeps only pending, approved or rejected ones."""
    sql = _SELECT + "AND r.workshop_id = ?"
    args: list[Any] = [workshop_id]
    if exercise_id is not None:
        sql += " AND r.exercise_id = ?"
        args.append(exercise_id)
    found = [_note(r) for r in pack.conn.execute(sql + " ORDER BY e.position, r.seq", args)]
    return [n for n in found if status is None or n.status == status]


def get_note(pack: Pack, response_id: str) -> Note:
    row = pack.conn.execute(_SELECT + "AND r.id = ?", (response_id,)).fetchone()
    if row is None:
        raise TdeError(_("This answer no longer exists."))
    return _note(row)


def _upsert(pack: Pack, response_id: str, **values: Any) -> None:
    now = utc_now()
    pack.conn.execute("INSERT OR IGNORE INTO _tde_moderation (response_id, updated_at) "
                      "VALUES (?, ?)", (response_id, now))
    for key, value in values.items():  # keys are this module's own column names
        pack.conn.execute(f"UPDATE _tde_moderation SET {key} = ?, updated_at = ? "
                          "WHERE response_id = ?", (value, now, response_id))


def set_status(pack: Pack, response_id: str, status: str) -> Note:
    """Approve (shown on the projector), reject (kept, never shown) or set back to
    pending, in one transaction; returns the note as stored."""
    if status not in STATUSES:
        raise TdeError(_("Unknown moderation status: {status}").format(status=status))
    get_note(pack, response_id)
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_responses SET approved = ? WHERE id = ?",
                          (int(status == APPROVED), response_id))
        _upsert(pack, response_id, rejected=int(status == REJECTED))
    return get_note(pack, response_id)


def edit_text(pack: Pack, response_id: str, text: str) -> Note:
    """Store a correction of a note (typos); the participant's original stays as it was.
    Text equal to the original (or empty) removes the correction."""
    note = get_note(pack, response_id)
    cleaned = clean_text(text).strip()
    edited = "" if cleaned in ("", note.original) else cleaned
    with pack.atomic():
        _upsert(pack, response_id, edited_text=edited, edited_at=utc_now() if edited else None)
    return get_note(pack, response_id)


def approved_notes(pack: Pack, exercise_id: str) -> list[tuple[str, str, str]]:
    """(question key, prompt, text as corrected) of the approved notes of an exercise,
    oldest first: exactly what the projector may show."""
    rows = pack.conn.execute(
        "SELECT r.question_key, r.answer_label, "
        "  CASE WHEN coalesce(m.edited_text, '') != '' THEN m.edited_text ELSE r.answer_text END "
        "FROM _tde_responses r JOIN _tde_exercises e ON e.id = r.exercise_id "
        "LEFT JOIN _tde_moderation m ON m.response_id = r.id "
        "WHERE r.exercise_id = ? AND r.deleted = 0 AND r.answer_text != '' AND r.approved = 1 "
        "  AND e.type != 'sign_in' "
        "ORDER BY r.seq", (exercise_id,)).fetchall()
    return [(str(k), str(p), str(t)) for k, p, t in rows]
