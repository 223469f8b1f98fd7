"""Workshops and exercises as stored in the pack, and the reads every screen needs.

The tables are ``_tde_workshops`` and ``_tde_exercises`` (see
:mod:`tde_desktop.core.pack.schema`); the functions that change them are in
:mod:`tde_desktop.core.workshop.workshops`, which also re-exports these names.
:func:`fetch_dicts` is the row reader the workshop modules share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.exercises import Question, questions_from_config

#: Workshop columns stored as JSON text.
WORKSHOP_JSON_FIELDS = ("partners", "facilitators", "languages", "next_steps")


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


def fetch_dicts(pack: Pack, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The rows of a query, each as a dict keyed by column name."""
    cur = pack.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _workshop(record: dict[str, Any]) -> Workshop:
    for key in WORKSHOP_JSON_FIELDS:
        record[key] = json.loads(record[key])
    return Workshop(**record)


def _exercise(record: dict[str, Any]) -> Exercise:
    record["config"] = json.loads(record["config"])
    record["revealed"] = bool(record["revealed"])
    return Exercise(**record)


def list_workshops(pack: Pack) -> list[Workshop]:
    """Every workshop, newest first."""
    return [_workshop(r) for r in fetch_dicts(
        pack, "SELECT * FROM _tde_workshops ORDER BY created_at DESC, rowid DESC", ())]


def get_workshop(pack: Pack, workshop_id: str) -> Workshop:
    """One workshop; :class:`TdeError` if it does not exist."""
    rows = fetch_dicts(pack, "SELECT * FROM _tde_workshops WHERE id = ?", (workshop_id,))
    if not rows:
        raise TdeError(_("This workshop no longer exists."))
    return _workshop(rows[0])


def list_exercises(pack: Pack, workshop_id: str) -> list[Exercise]:
    """The workshop's exercises in agenda order."""
    return [_exercise(r) for r in fetch_dicts(
        pack, "SELECT * FROM _tde_exercises WHERE workshop_id = ? ORDER BY position",
        (workshop_id,))]


def get_exercise(pack: Pack, exercise_id: str) -> Exercise:
    """One exercise; :class:`TdeError` if it does not exist."""
    rows = fetch_dicts(pack, "SELECT * FROM _tde_exercises WHERE id = ?", (exercise_id,))
    if not rows:
        raise TdeError(_("This exercise no longer exists."))
    return _exercise(rows[0])

