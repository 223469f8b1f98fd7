"""Exercise templates and agendas, read from ``resources/templates/*.json``.

An **exercise template** (``"kind": "exercise"``) is what a facilitator starts
an exercise from: a type (one of :data:`~tde_desktop.core.workshop.exercises.EXERCISE_TYPES`),
a bilingual title and bilingual instructions for facilitator and participants, a
time box, a mode, a TDE step, the questions, and type-specific ``config``
(``needs_view`` says the exercise shows a saved chart view).

An **agenda** (``"kind": "agenda"``) is a whole workshop: bilingual title, TDE
step, focus area, the datasets it uses (by catalogue *title*, so it can be
instantiated on any pack that has them), saved views to create, and an ordered
list of exercises, each ``{"template": name, ...overrides}``. An override may
name ``"view"`` (a key of the agenda's ``views``) and ``"dataset"`` (a key of
its ``datasets``). This module only reads and describes them;
:mod:`tde_desktop.core.workshop.agenda` turns a template into an exercise and an agenda
into a workshop.

API: :func:`load_templates`, :func:`template`, :func:`load_agendas`, :func:`agenda`,
:func:`reload`. Results are cached; the files are validated when read, so a broken
template is reported with its file name rather than failing mid-workshop.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.workshop.exercises import (
    EXERCISE_TYPES,
    MODES,
    TDE_STEPS,
    Label,
    Question,
    label_text,
)
from tde_desktop.paths import resources_dir


@dataclass
class ExerciseTemplate:
    """A ready-made exercise; every text is ``{"en": ..., "es": ...}``."""

    name: str
    type: str
    title: Label
    tde_step: str
    mode: str
    time_box_minutes: int
    instructions_facilitator: Label
    instructions_participant: Label
    questions: list[Question]
    config: dict[str, Any] = field(default_factory=dict)
    needs_view: bool = False

    def text(self, name: str, lang: str = "en") -> str:
        """``title`` or an instructions field in ``lang`` (English if missing)."""
        value: Label = getattr(self, name)
        return label_text(value, lang)


@dataclass
class Agenda:
    """A ready-made workshop: exercises in order plus the data they need."""

    name: str
    title: Label
    tde_step: str
    focus_area: Label
    languages: list[str]
    datasets: dict[str, str]
    views: list[dict[str, Any]]
    exercises: list[dict[str, Any]]
    description: Label = field(default_factory=dict)


def templates_dir() -> Path:
    """The folder the templates and agendas are read from."""
    return resources_dir() / "templates"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TdeError(_("The template {name} cannot be read: {reason}").format(
            name=path.name, reason=exc)) from None
    if not isinstance(data, dict):
        raise TdeError(_("The template {name} is not valid.").format(name=path.name))
    return data


def _bilingual(data: dict[str, Any], key: str, path: Path) -> Label:
    value = data.get(key) or {}
    if not isinstance(value, dict) or not value.get("en") or not value.get("es"):
        raise TdeError(_("The template {name} needs {field} in English and Spanish.").format(
            name=path.name, field=key))
    return {str(k): str(v) for k, v in value.items()}


def _exercise_template(data: dict[str, Any], path: Path) -> ExerciseTemplate:
    if data.get("type") not in EXERCISE_TYPES:
        raise TdeError(_("The template {name} has an unknown type.").format(name=path.name))
    if data.get("mode", "individual") not in MODES or data.get("tde_step") not in TDE_STEPS:
        raise TdeError(_("The template {name} has an unknown mode or step.").format(
            name=path.name))
    questions = [Question.from_dict(q) for q in data.get("questions", [])]
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise TdeError(_("The template {name} repeats a question key.").format(name=path.name))
    for q in questions:
        _bilingual({"text": q.text}, "text", path)
        for option in q.options:
            _bilingual({"label": option.label}, "label", path)
    return ExerciseTemplate(
        name=str(data["name"]), type=str(data["type"]),
        title=_bilingual(data, "title", path), tde_step=str(data["tde_step"]),
        mode=str(data.get("mode", "individual")),
        time_box_minutes=int(data.get("time_box_minutes", 10)),
        instructions_facilitator=_bilingual(data, "instructions_facilitator", path),
        instructions_participant=_bilingual(data, "instructions_participant", path),
        questions=questions, config=dict(data.get("config", {})),
        needs_view=bool(data.get("needs_view", False)),
    )


@functools.cache
def _load_all() -> tuple[dict[str, ExerciseTemplate], dict[str, Agenda]]:
    templates: dict[str, ExerciseTemplate] = {}
    agendas: dict[str, Agenda] = {}
    for path in sorted(templates_dir().glob("*.json")):
        data = _read(path)
        if data.get("kind") == "agenda":
            agendas[str(data["name"])] = Agenda(
                name=str(data["name"]), title=_bilingual(data, "title", path),
                tde_step=str(data.get("tde_step", "")),
                focus_area=_bilingual(data, "focus_area", path),
                languages=list(data.get("languages", ["en", "es"])),
                datasets=dict(data.get("datasets", {})), views=list(data.get("views", [])),
                exercises=list(data["exercises"]),
                description=dict(data.get("description", {})),
            )
        else:
            tpl = _exercise_template(data, path)
            templates[tpl.name] = tpl
    for ag in agendas.values():
        for item in ag.exercises:
            if item.get("template") not in templates:
                raise TdeError(_("The agenda {name} uses a template that does not exist: "
                                 "{template}").format(name=ag.name, template=item.get("template")))
    return templates, agendas


def load_templates() -> dict[str, ExerciseTemplate]:
    """Every exercise template by name (a fresh dict; the templates themselves are shared)."""
    return dict(_load_all()[0])


def template(name: str) -> ExerciseTemplate:
    """One exercise template; a :class:`TdeError` names it if it does not exist."""
    try:
        return _load_all()[0][name]
    except KeyError:
        raise TdeError(_("There is no exercise template called {name}.").format(
            name=name)) from None


def load_agendas() -> dict[str, Agenda]:
    """Every agenda by name."""
    return dict(_load_all()[1])


def agenda(name: str) -> Agenda:
    """One agenda by name, or by its title in any language (case-insensitive);
    a :class:`TdeError` names it if it does not exist."""
    agendas = _load_all()[1]
    if name in agendas:
        return agendas[name]
    wanted = " ".join(name.split()).casefold()
    for candidate in agendas.values():
        if wanted in (t.casefold() for t in candidate.title.values()):
            return candidate
    raise TdeError(_("There is no agenda called {name}.").format(name=name))


def reload() -> None:
    """Forget the cached templates, so the next call reads the files again."""
    _load_all.cache_clear()
