"""Workshops: create, edit and run them, with their exercises in agenda order.

Everything is stored in the pack (tables ``_tde_workshops``, ``_tde_exercises``,
``_tde_participants``; answers are in ``_tde_responses``, see
:mod:`tde_desktop.core.workshop.responses`). Every function that writes does so in one
transaction and leaves the pack unchanged if it raises. Because the live state
(workshop status, open exercises, timestamps, ``current_exercise_id``) is stored
too, closing the app and reopening the pack resumes exactly where it was.

This module is the one door the screens use. API (all take an open
:class:`~tde_desktop.core.pack.Pack` first):

* workshops: :func:`create_workshop`, :func:`update_workshop`, :func:`list_workshops`,
  :func:`get_workshop`, :func:`delete_workshop`, :func:`set_pin`, :func:`check_pin`,
  :func:`set_next_steps`;
* exercises: :func:`list_exercises`, :func:`get_exercise`, :func:`add_exercise`,
  :func:`update_exercise`, :func:`remove_exercise`, :func:`move_exercise`;
* live state: :func:`start_workshop`, :func:`open_exercise`,
  :func:`close_exercise`, :func:`reveal`, :func:`end_workshop`;
* re-exported from the modules that hold them: :class:`Workshop`, :class:`Exercise` and
  the reads (:mod:`.records`); participants (:mod:`.participants`):
  :func:`add_participant`, :func:`update_participant`, :func:`get_participant`,
  :func:`list_participants`, :func:`withdraw_participant`; for the projector
  (:mod:`.responses`, :mod:`.tallies`): :func:`live_counts`, :func:`tally`,
  :func:`sticky_notes`, :func:`approve`, :func:`options_from_answers`.

A workshop made from a ready-made agenda, and an exercise made from a template, are
in :mod:`tde_desktop.core.workshop.agenda`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.exercises import EXERCISE_TYPES, MODES, questions_from_config
from tde_desktop.core.workshop.participants import (
    Participant,
    add_participant,
    get_participant,
    list_participants,
    update_participant,
    withdraw_participant,
)
from tde_desktop.core.workshop.records import (
    WORKSHOP_JSON_FIELDS,
    Exercise,
    Workshop,
    get_exercise,
    get_workshop,
    list_exercises,
    list_workshops,
)
from tde_desktop.core.workshop.responses import approve, sticky_notes
from tde_desktop.core.workshop.tallies import live_counts, options_from_answers, tally

__all__ = [
    "Exercise", "Participant", "Workshop", "add_exercise", "add_participant", "approve",
    "check_pin", "close_exercise", "create_workshop", "delete_workshop", "end_workshop",
    "get_exercise", "get_participant", "get_workshop", "list_exercises", "list_participants",
    "list_workshops", "live_counts", "move_exercise", "open_exercise", "options_from_answers",
    "remove_exercise", "reveal", "set_next_steps", "set_pin", "start_workshop",
    "sticky_notes", "tally", "update_exercise", "update_participant", "update_workshop",
    "withdraw_participant",
]

PIN_ITERATIONS = 120_000
_WORKSHOP_FIELDS = ("title", "date", "venue", "neighbourhood", "host_department", "partners",
                    "facilitators", "languages", "tde_step", "focus_area")
_EXERCISE_FIELDS = ("type", "title", "tde_step", "instructions_facilitator",
                    "instructions_participant", "time_box_minutes", "mode", "language",
                    "view_id", "dataset_id", "config")
NEXT_STEP_KEYS = ("heard", "action", "owner", "due", "how_told")


# -- workshops -----------------------------------------------------------------------


def _hash_pin(pin: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ITERATIONS)
    return f"{salt}${digest.hex()}"


def _workshop_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(_WORKSHOP_FIELDS)
    if unknown:
        raise TdeError(_("Unknown workshop field: {name}").format(name=", ".join(sorted(unknown))))
    return {k: json.dumps(v, ensure_ascii=False) if k in WORKSHOP_JSON_FIELDS else v
            for k, v in fields.items()}


def create_workshop(pack: Pack, title: str, *, pin: str = "", **fields: Any) -> Workshop:
    """Create a draft workshop. ``fields`` are any of date, venue, neighbourhood,
    host_department, partners (list), facilitators (list), languages (list),
    tde_step, focus_area. The PIN, if any, is stored only as a salted hash."""
    if not title.strip():
        raise TdeError(_("Please give the workshop a title."))
    values = _workshop_values(fields)
    now = utc_now()
    workshop_id = str(uuid.uuid4())
    values.update(id=workshop_id, title=title, pin_hash=_hash_pin(pin) if pin else "",
                  created_at=now, updated_at=now)
    names = ", ".join(values)
    with pack.atomic():
        pack.conn.execute(f"INSERT INTO _tde_workshops ({names}) VALUES "
                          f"({', '.join('?' * len(values))})", tuple(values.values()))
        pack.touch()
    return get_workshop(pack, workshop_id)


def update_workshop(pack: Pack, workshop_id: str, **fields: Any) -> Workshop:
    """Change any of the fields :func:`create_workshop` takes (not the PIN: :func:`set_pin`)."""
    values = _workshop_values(fields)
    get_workshop(pack, workshop_id)
    with pack.atomic():
        for key, value in values.items():
            pack.conn.execute(f"UPDATE _tde_workshops SET {key} = ? WHERE id = ?",
                              (value, workshop_id))
        _touch(pack, workshop_id)
    return get_workshop(pack, workshop_id)


def _touch(pack: Pack, workshop_id: str) -> None:
    pack.conn.execute("UPDATE _tde_workshops SET updated_at = ? WHERE id = ?",
                      (utc_now(), workshop_id))
    pack.touch()


def delete_workshop(pack: Pack, workshop_id: str) -> None:
    """Remove a workshop with its exercises, participants and every answer."""
    with pack.atomic():
        pack.conn.execute("DELETE FROM _tde_workshops WHERE id = ?", (workshop_id,))
        pack.touch()


def set_pin(pack: Pack, workshop_id: str, pin: str) -> None:
    """Set (or, with ``""``, remove) the facilitator PIN."""
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_workshops SET pin_hash = ? WHERE id = ?",
                          (_hash_pin(pin) if pin else "", workshop_id))
        _touch(pack, workshop_id)


def check_pin(pack: Pack, workshop_id: str, pin: str) -> bool:
    """True if ``pin`` is the facilitator PIN, or if the workshop has none.

    A damaged stored hash raises ``PinDamaged`` (one sentence), never ValueError; for
    the back-off after wrong tries use :func:`tde_desktop.core.workshop.pin.try_pin`.
    """
    from tde_desktop.core.workshop.pin import verify_pin

    return verify_pin(get_workshop(pack, workshop_id).pin_hash, pin)


def set_next_steps(pack: Pack, workshop_id: str, rows: list[dict[str, str]]) -> Workshop:
    """Replace the "close the loop" table. Each row may hold heard, action, owner, due
    and how_told (all text); other keys are refused."""
    clean = []
    for row in rows:
        unknown = set(row) - set(NEXT_STEP_KEYS)
        if unknown:
            raise TdeError(_("Unknown next-step field: {name}").format(
                name=", ".join(sorted(unknown))))
        clean.append({k: str(row.get(k, "")) for k in NEXT_STEP_KEYS})
    get_workshop(pack, workshop_id)
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_workshops SET next_steps = ? WHERE id = ?",
                          (json.dumps(clean, ensure_ascii=False), workshop_id))
        _touch(pack, workshop_id)
    return get_workshop(pack, workshop_id)


# -- exercises ------------------------------------------------------------------------


def _exercise_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(_EXERCISE_FIELDS)
    if unknown:
        raise TdeError(_("Unknown exercise field: {name}").format(name=", ".join(sorted(unknown))))
    if "type" in fields and fields["type"] not in EXERCISE_TYPES:
        raise TdeError(_("Unknown exercise type: {kind}").format(kind=fields["type"]))
    if "mode" in fields and fields["mode"] not in MODES:
        raise TdeError(_("An exercise is done alone, in pairs or in groups."))
    values = dict(fields)
    if "config" in values:
        questions_from_config(values["config"])  # refuses a broken question list now
        values["config"] = json.dumps(values["config"], ensure_ascii=False)
    return values


def add_exercise(pack: Pack, workshop_id: str, *, type: str, title: str,
                 position: int | None = None, **fields: Any) -> Exercise:
    """Add an exercise at ``position`` (0-based; default: the end). ``fields`` are any of
    tde_step, instructions_facilitator, instructions_participant, time_box_minutes,
    mode, language, view_id, dataset_id, config (with ``questions``)."""
    workshop = get_workshop(pack, workshop_id)
    fields.setdefault("language", workshop.languages[0] if workshop.languages else "en")
    values = _exercise_values({"type": type, "title": title, **fields})
    exercise_id = str(uuid.uuid4())
    with pack.atomic():
        count = pack.conn.execute("SELECT count(*) FROM _tde_exercises WHERE workshop_id = ?",
                                  (workshop_id,)).fetchone()[0]
        pos = count if position is None else max(0, min(position, count))
        pack.conn.execute("UPDATE _tde_exercises SET position = position + 1 "
                          "WHERE workshop_id = ? AND position >= ?", (workshop_id, pos))
        values.update(id=exercise_id, workshop_id=workshop_id, position=pos)
        pack.conn.execute(f"INSERT INTO _tde_exercises ({', '.join(values)}) VALUES "
                          f"({', '.join('?' * len(values))})", tuple(values.values()))
        _touch(pack, workshop_id)
    return get_exercise(pack, exercise_id)


def update_exercise(pack: Pack, exercise_id: str, **fields: Any) -> Exercise:
    """Change any field :func:`add_exercise` takes (not the position: :func:`move_exercise`)."""
    values = _exercise_values(fields)
    exercise = get_exercise(pack, exercise_id)
    with pack.atomic():
        for key, value in values.items():
            pack.conn.execute(f"UPDATE _tde_exercises SET {key} = ? WHERE id = ?",
                              (value, exercise_id))
        _touch(pack, exercise.workshop_id)
    return get_exercise(pack, exercise_id)


def remove_exercise(pack: Pack, exercise_id: str, *, discard_answers: bool = False) -> None:
    """Remove an exercise. Refused if it has answers, unless ``discard_answers``:
    answers are never lost by accident."""
    exercise = get_exercise(pack, exercise_id)
    answered = pack.conn.execute(
        "SELECT count(*) FROM _tde_responses WHERE exercise_id = ? AND deleted = 0",
        (exercise_id,)).fetchone()[0]
    if answered and not discard_answers:
        raise TdeError(ngettext("This exercise already has {n} answer; it cannot be removed.",
                                "This exercise already has {n} answers; it cannot be removed.",
                                answered).format(n=answered))
    with pack.atomic():
        pack.conn.execute("DELETE FROM _tde_exercises WHERE id = ?", (exercise_id,))
        pack.conn.execute("UPDATE _tde_exercises SET position = position - 1 "
                          "WHERE workshop_id = ? AND position > ?",
                          (exercise.workshop_id, exercise.position))
        pack.conn.execute("UPDATE _tde_workshops SET current_exercise_id = NULL "
                          "WHERE current_exercise_id = ?", (exercise_id,))
        _touch(pack, exercise.workshop_id)


def move_exercise(pack: Pack, exercise_id: str, new_position: int) -> list[Exercise]:
    """Move an exercise to ``new_position`` (0-based, clamped); returns the new order."""
    exercise = get_exercise(pack, exercise_id)
    order = [e.id for e in list_exercises(pack, exercise.workshop_id)]
    order.remove(exercise_id)
    order.insert(max(0, min(new_position, len(order))), exercise_id)
    with pack.atomic():
        for pos, eid in enumerate(order):
            pack.conn.execute("UPDATE _tde_exercises SET position = ? WHERE id = ?", (pos, eid))
        _touch(pack, exercise.workshop_id)
    return list_exercises(pack, exercise.workshop_id)


# -- live state ------------------------------------------------------------------------


def start_workshop(pack: Pack, workshop_id: str) -> Workshop:
    """Mark the workshop running; the first start time is kept if it is started again."""
    workshop = get_workshop(pack, workshop_id)
    if workshop.status == "ended":
        raise TdeError(_("This workshop has ended."))
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_workshops SET status = 'running', "
                          "started_at = coalesce(started_at, ?) WHERE id = ?",
                          (utc_now(), workshop_id))
        _touch(pack, workshop_id)
    return get_workshop(pack, workshop_id)


def open_exercise(pack: Pack, exercise_id: str) -> Exercise:
    """Open an exercise for answers (starting the workshop if needed) and make it current.
    Other open exercises stay open: data-walk stations run side by side."""
    exercise = get_exercise(pack, exercise_id)
    start_workshop(pack, exercise.workshop_id)
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_exercises SET status = 'open', closed_at = NULL, "
                          "opened_at = coalesce(opened_at, ?) WHERE id = ?",
                          (utc_now(), exercise_id))
        pack.conn.execute("UPDATE _tde_workshops SET current_exercise_id = ? WHERE id = ?",
                          (exercise_id, exercise.workshop_id))
        _touch(pack, exercise.workshop_id)
    return get_exercise(pack, exercise_id)


def close_exercise(pack: Pack, exercise_id: str) -> Exercise:
    """Close an exercise. Answers already sent are kept; late ones are still accepted
    (the kiosk stops offering the exercise), so nothing in flight is lost."""
    exercise = get_exercise(pack, exercise_id)
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_exercises SET status = 'closed', closed_at = ? "
                          "WHERE id = ?", (utc_now(), exercise_id))
        _touch(pack, exercise.workshop_id)
    return get_exercise(pack, exercise_id)


def reveal(pack: Pack, exercise_id: str, revealed: bool = True) -> Exercise:
    """Show (or hide) the exercise's results on the projector."""
    exercise = get_exercise(pack, exercise_id)
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_exercises SET revealed = ? WHERE id = ?",
                          (int(revealed), exercise_id))
        _touch(pack, exercise.workshop_id)
    return get_exercise(pack, exercise_id)


def end_workshop(pack: Pack, workshop_id: str) -> Workshop:
    """End the workshop: every open exercise is closed and the end time recorded."""
    get_workshop(pack, workshop_id)
    now = utc_now()
    with pack.atomic():
        pack.conn.execute("UPDATE _tde_exercises SET status = 'closed', closed_at = ? "
                          "WHERE workshop_id = ? AND status = 'open'", (now, workshop_id))
        pack.conn.execute("UPDATE _tde_workshops SET status = 'ended', ended_at = ?, "
                          "started_at = coalesce(started_at, ?) WHERE id = ?",
                          (now, now, workshop_id))
        _touch(pack, workshop_id)
    return get_workshop(pack, workshop_id)
