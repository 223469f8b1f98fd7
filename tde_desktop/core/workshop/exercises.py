"""Exercise types and the question model.

An exercise (stored by :mod:`tde_desktop.core.workshop.workshops`) holds a list of
:class:`Question`. Each question has a ``kind`` (one of :data:`QUESTION_KINDS`) that
decides what a raw answer looks like and how it is checked; that is the job of
:mod:`tde_desktop.core.workshop.answer_checks`.

Option and question labels are ``{"en": ..., "es": ...}`` dictionaries; use
:func:`label_text` to pick a language with an English fallback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, translate

Label = dict[str, str]

#: Exercise types a facilitator can start from (DOMAIN.md, "Exercise types").
EXERCISE_TYPES = (
    "sign_in", "explore_question", "data_walk", "check_data", "data_story", "dot_vote",
    "data_request", "budget", "ranking", "rating", "single_choice", "multiple_choice",
    "open_text", "plan_feedback", "asset_map", "evaluation",
)
MODES = ("individual", "pair", "group")
TDE_STEPS = ("find", "refine", "design", "implement")

QUESTION_KINDS = (
    "single_choice", "multiple_choice", "rating", "open_text", "sticky_note", "ranking",
    "dot_vote", "budget", "flag_record", "story", "data_request", "question_asked",
    "plan_feedback", "asset",
)
#: Kinds where a participant gives one answer per question: a second submit replaces it.
SINGLE_ANSWER_KINDS = frozenset(
    {"single_choice", "multiple_choice", "rating", "open_text", "ranking", "dot_vote", "budget"}
)


def _opt(code: str, en: str, es: str) -> dict[str, Any]:
    return {"code": code, "label": {"en": en, "es": es}}


#: Fixed categories used when a question of these kinds lists no options of its own.
DEFAULT_OPTIONS: dict[str, list[dict[str, Any]]] = {
    "flag_record": [
        _opt("wrong", "Wrong", "Incorrecto"), _opt("outdated", "Out of date", "Desactualizado"),
        _opt("duplicate", "Duplicate", "Duplicado"), _opt("missing", "Missing", "Falta"),
    ],
    "plan_feedback": [
        _opt("keep", "Keep", "Mantener"), _opt("change", "Change", "Cambiar"),
        _opt("add", "Add", "Añadir"), _opt("concern", "Concern", "Preocupación"),
        _opt("question", "Question", "Pregunta"),
    ],
    "data_request": [
        _opt("low", "Not urgent", "No urgente"), _opt("medium", "Soon", "Pronto"),
        _opt("high", "Urgent", "Urgente"),
    ],
}


def label_text(label: Label | str, lang: str = "en") -> str:
    """The text of a bilingual label in ``lang``; a language the label does not carry (a
    city's own) gets the English text through its catalogue, then any text there is."""
    if isinstance(label, str):
        return label
    english = label.get("en")
    return label.get(lang) or (translate(english, lang) if english else "") or next(
        iter(label.values()), "")


@dataclass(frozen=True)
class Option:
    """One choice: a stable ``code`` (what reports group by) and a bilingual label."""

    code: str
    label: Label
    cost: float | None = None  # budget: the most an option can receive

    def text(self, lang: str = "en") -> str:
        return label_text(self.label, lang)


@dataclass
class Question:
    """One thing an exercise asks. Unused settings keep their defaults."""

    key: str
    kind: str
    text: Label = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    required: bool = True
    allow_skip: bool = False
    scale_min: int = 1
    scale_max: int = 5
    dots: int = 3
    stacking: bool = True
    total: float = 0.0
    max_choices: int = 0
    repeatable: bool | None = None  # None: decided by the kind (SINGLE_ANSWER_KINDS)

    @property
    def single_answer(self) -> bool:
        """True if a second answer from the same participant replaces the first."""
        if self.repeatable is not None:
            return not self.repeatable
        return self.kind in SINGLE_ANSWER_KINDS

    def all_options(self) -> list[Option]:
        """The question's options, or the kind's fixed categories if it lists none."""
        if self.options:
            return self.options
        return [Option(o["code"], o["label"]) for o in DEFAULT_OPTIONS.get(self.kind, [])]

    def option(self, code: str) -> Option | None:
        return next((o for o in self.all_options() if o.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict that :meth:`from_dict` reads back."""
        data = asdict(self)
        data["options"] = [{k: v for k, v in asdict(o).items() if v is not None}
                           for o in self.options]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Build a question from template or config JSON; unknown kinds are refused."""
        values = dict(data)
        if values.get("kind") not in QUESTION_KINDS:
            raise TdeError(_("Unknown question type: {kind}").format(kind=values.get("kind")))
        if isinstance(values.get("text"), str):
            values["text"] = {"en": values["text"]}
        values["options"] = [
            Option(str(o["code"]), o["label"] if isinstance(o["label"], dict)
                   else {"en": str(o["label"])}, o.get("cost"))
            for o in values.get("options", [])
        ]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


def questions_from_config(config: dict[str, Any]) -> list[Question]:
    """The questions of an exercise ``config`` (its ``"questions"`` list)."""
    questions = config.get("questions", [])
    if not isinstance(questions, list):
        raise TdeError(_("The exercise's questions are not a list."))
    return [q if isinstance(q, Question) else Question.from_dict(q) for q in questions]
