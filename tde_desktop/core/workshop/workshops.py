"""Workshops: their agenda of exercises, the live state, participants and next steps.

Everything is stored in the pack (tables ``_tde_workshops``, ``_tde_exercises``,
``_tde_participants``; answers are in ``_tde_responses``, see
:mod:`tde_desktop.core.workshop.responses`). Every function that writes does so in one
transaction and leaves the pack unchanged if it raises. Because the live state
(workshop status, open exercises, timestamps, ``current_exercise_id``) is stored
too, closing the app and reopening the pack resumes exactly where it was.

API (all take an open :class:`~tde_desktop.core.pack.Pack` first):

* workshops: :func:`create_workshop`, :func:`create_from_agenda`,
  :func:`update_workshop`, :func:`list_workshops`, :func:`get_workshop`,
  :func:`delete_workshop`, :func:`set_pin`, :func:`check_pin`,
  :func:`set_next_steps`;
* exercises: :func:`list_exercises`, :func:`get_exercise`, :func:`add_exercise`,
  :func:`add_exercise_from_template`, :func:`update_exercise`,
  :func:`remove_exercise`, :func:`move_exercise`;
* live state: :func:`start_workshop`, :func:`open_exercise`,
  :func:`close_exercise`, :func:`reveal`, :func:`end_workshop`;
* participants (from :mod:`tde_desktop.core.workshop.responses`, re-exported here):
  :func:`add_participant`, :func:`update_participant`, :func:`get_participant`,
  :func:`list_participants`, :func:`withdraw_participant`;
* for the projector (from :mod:`tde_desktop.core.workshop.responses`): :func:`live_counts`,
  :func:`tally`, :func:`sticky_notes`, :func:`approve`, :func:`options_from_answers`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.exercises import (
    EXERCISE_TYPES,
    MODES,
    Question,
    label_text,
    questions_from_config,
)
from tde_desktop.core.workshop.responses import (
    Participant,
    add_participant,
    approve,
    get_participant,
    list_participants,
    live_counts,
    options_from_answers,
    sticky_notes,
    tally,
    update_participant,
    withdraw_participant,
)

__all__ = [
    "Exercise", "Participant", "Workshop", "add_exercise", "add_exercise_from_template",
    "add_participant", "approve", "check_pin", "close_exercise", "create_from_agenda",
    "create_workshop", "delete_workshop", "end_workshop", "get_exercise", "get_participant",
    "get_workshop", "list_exercises", "list_participants", "list_workshops", "live_counts",
    "move_exercise", "open_exercise", "options_from_answers", "remove_exercise", "reveal",
    "set_next_steps", "set_pin", "start_workshop", "sticky_notes", "tally",
    "update_exercise", "update_participant", "update_workshop", "withdraw_participant",
]

PIN_ITERATIONS = 120_000
_JSON_FIELDS = ("partners", "facilitators", "languages", "next_steps")
_WORKSHOP_FIELDS = ("title", "date", "venue", "neighbourhood", "host_department", "partners",
                    "facilitators", "languages", "tde_step", "focus_area")
_EXERCISE_FIELDS = ("type", "title", "tde_step", "instructions_facilitator",
                    "instructions_participant", "time_box_minutes", "mode", "language",
                    "view_id", "dataset_id", "config")
NEXT_STEP_KEYS = ("heard", "action", "owner", "due", "how_told")


@dataclass
class Workshop:
    """One workshop as stored. ``status`` is ``draft``, ``running`` or ``ended``."""

    id: str
    title: str
    date: str = ""
    venue: str = ""
    neighbourhood: str = ""
    host_department: str = ""
    partners: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])
    tde_step: str = ""
    focus_area: str = ""
    pin_hash: str = ""
    status: str = "draft"
    current_exercise_id: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    next_steps: list[dict[str, str]] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)


@dataclass
class Exercise:
    """One exercise of a workshop. Text columns hold the exercise ``language``;
    ``config["translations"][lang][field]`` holds the other languages (see :meth:`text`)."""

    id: str
    workshop_id: str
    position: int
    type: str
    title: str
    tde_step: str = ""
    instructions_facilitator: str = ""
    instructions_participant: str = ""
    time_box_minutes: int = 0
    mode: str = "individual"
    language: str = "en"
    view_id: int | None = None
    dataset_id: int | None = None
    config: dict[str, Any] = field(default_factory=dict)
    status: str = "waiting"
    opened_at: str | None = None
    closed_at: str | None = None
    revealed: bool = False

    @property
    def questions(self) -> list[Question]:
        return questions_from_config(self.config)

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise TdeError(_("This exercise has no question {key}.").format(key=key))

    def text(self, name: str, lang: str | None = None) -> str:
        """``title`` or an instructions field in ``lang``, falling back to the stored text."""
        if lang and lang != self.language:
            translated = self.config.get("translations", {}).get(lang, {}).get(name)
            if translated:
                return str(translated)
        return str(getattr(self, name))


def _row(pack: Pack, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = pack.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _workshop(record: dict[str, Any]) -> Workshop:
    for key in _JSON_FIELDS:
        record[key] = json.loads(record[key])
    return Workshop(**record)


def _exercise(record: dict[str, Any]) -> Exercise:
    record["config"] = json.loads(record["config"])
    record["revealed"] = bool(record["revealed"])
    return Exercise(**record)


# -- workshops -----------------------------------------------------------------------


def _hash_pin(pin: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ITERATIONS)
    return f"{salt}${digest.hex()}"


def _workshop_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(_WORKSHOP_FIELDS)
    if unknown:
        raise TdeError(_("Unknown workshop field: {name}").format(name=", ".join(sorted(unknown))))
    return {k: json.dumps(v, ensure_ascii=False) if k in _JSON_FIELDS else v
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


def list_workshops(pack: Pack) -> list[Workshop]:
    """Every workshop, newest first."""
    return [_workshop(r) for r in _row(
        pack, "SELECT * FROM _tde_workshops ORDER BY created_at DESC, rowid DESC", ())]


def get_workshop(pack: Pack, workshop_id: str) -> Workshop:
    """One workshop; :class:`TdeError` if it does not exist."""
    rows = _row(pack, "SELECT * FROM _tde_workshops WHERE id = ?", (workshop_id,))
    if not rows:
        raise TdeError(_("This workshop no longer exists."))
    return _workshop(rows[0])


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
    """True if ``pin`` is the facilitator PIN, or if the workshop has none."""
    stored = get_workshop(pack, workshop_id).pin_hash
    if not stored:
        return True
    salt, _sep, expected = stored.partition("$")
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ITERATIONS)
    return hmac.compare_digest(digest.hex(), expected)


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


def list_exercises(pack: Pack, workshop_id: str) -> list[Exercise]:
    """The workshop's exercises in agenda order."""
    return [_exercise(r) for r in _row(
        pack, "SELECT * FROM _tde_exercises WHERE workshop_id = ? ORDER BY position",
        (workshop_id,))]


def get_exercise(pack: Pack, exercise_id: str) -> Exercise:
    """One exercise; :class:`TdeError` if it does not exist."""
    rows = _row(pack, "SELECT * FROM _tde_exercises WHERE id = ?", (exercise_id,))
    if not rows:
        raise TdeError(_("This exercise no longer exists."))
    return _exercise(rows[0])


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


def add_exercise_from_template(pack: Pack, workshop_id: str, template_name: str, *,
                               position: int | None = None, **overrides: Any) -> Exercise:
    """Add an exercise made from a template (see :mod:`tde_desktop.core.workshop.templates`),
    in the workshop's first language with the other languages kept as translations."""
    from tde_desktop.core.workshop.templates import template

    tpl = template(template_name)
    lang = overrides.pop("language", None) or (get_workshop(pack, workshop_id).languages
                                                or ["en"])[0]
    texts = ("title", "instructions_facilitator", "instructions_participant")
    config = {**tpl.config, "template": tpl.name,
              "questions": [q.to_dict() for q in tpl.questions],
              "translations": {other: {t: tpl.text(t, other) for t in texts}
                               for other in tpl.title if other != lang}}
    config.update(overrides.pop("config", {}))
    fields: dict[str, Any] = {t: tpl.text(t, lang) for t in texts}
    for t in texts:  # a bilingual override (from an agenda) feeds the translations too
        if isinstance(overrides.get(t), dict):
            label = overrides.pop(t)
            fields[t] = label_text(label, lang)
            for other, text in label.items():
                if other != lang:
                    config["translations"].setdefault(other, {})[t] = text
    fields.update(type=tpl.type, tde_step=tpl.tde_step, time_box_minutes=tpl.time_box_minutes,
                  mode=tpl.mode, language=lang, config=config)
    fields.update(overrides)
    return add_exercise(pack, workshop_id, position=position, **fields)


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
        raise TdeError(_("This exercise already has {n} answers; it cannot be removed.").format(
            n=answered))
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


def create_from_agenda(pack: Pack, agenda_name: str, *, title: str | None = None,
                       pin: str = "", **fields: Any) -> Workshop:
    """Create a workshop from an agenda, with its saved views and exercises, in one go.

    See :func:`tde_desktop.core.workshop.templates.instantiate_agenda` for what is guaranteed.
    """
    from tde_desktop.core.workshop.templates import instantiate_agenda

    return instantiate_agenda(pack, agenda_name, title=title, pin=pin, **fields)
