"""Between a phone's HTML form and a raw answer, for every question kind.

The phone pages are plain forms (they work with JavaScript off), so each kind has
field names of its own; :func:`raw_answer` turns the posted fields into the raw
answer :func:`~tde_desktop.core.workshop.answer_checks.validate_answer` expects,
exactly as the kiosk's widgets would give it, and :func:`form_fields` does the
reverse to show a stored answer again. Nothing here decides whether an answer is
acceptable: that is the core's job, with one plain sentence when it is not.

=================  ===============================================================
kind               form fields
=================  ===============================================================
single_choice      ``choice`` (an option code, or ``__skip``)
rating             ``choice`` (a scale point, or ``__skip``)
multiple_choice    ``choice`` repeated
open_text          ``text``
sticky_note        ``prompt``, ``text``
ranking            ``rank_<code>`` (1..n or empty)
dot_vote, budget   ``n_<code>`` (a number or empty)
flag_record        ``flag``, ``comment``, ``correction``, ``record_rowid``
story              ``text``, ``title``, ``place``, ``tag`` repeated, ``consent_quote``
data_request       ``what``, ``who``, ``why``, ``format``, ``department``, ``urgency``
question_asked     ``question``, ``other_data``, ``source``
plan_feedback      ``category``, ``text``
asset              ``name``, ``location``, ``note``, ``category``, ``grade``
=================  ===============================================================
"""

from __future__ import annotations

import functools
import json
from typing import Any

from tde_desktop.core.workshop.exercises import Question, questions_from_config

SKIP = "__skip"
#: bytes a form may carry: 16 KB, more for the kinds where people write at length
#: (10,000 characters, percent-encoded, can take several bytes each)
BODY_LIMIT = 16 * 1024
LONG_BODY_LIMIT = 128 * 1024
LONG_TEXT_KINDS = frozenset({"open_text", "sticky_note", "story", "plan_feedback",
                             "data_request", "question_asked", "asset", "flag_record"})
_FIELDS = {
    "data_request": ("what", "who", "why", "format", "department"),
    "question_asked": ("question", "other_data", "source"),
    "asset": ("name", "location", "note"),
    "story": ("text", "title", "place"),
    "flag_record": ("comment", "correction"),
}
_CHOICE_KEY = {"data_request": "urgency", "plan_feedback": "category", "asset": "category",
               "flag_record": "flag"}


#: a posted form: werkzeug's MultiDict (``get`` and ``getlist``)
Form = Any

@functools.lru_cache(maxsize=128)
def parsed_questions(config_text: str) -> tuple[Question, ...]:
    """The questions of an exercise's stored config text, parsed once per text (every
    phone asks for the same few exercises; read them, never change them)."""
    return tuple(questions_from_config(json.loads(config_text)))


def body_limit(question: Question) -> int:
    """The largest request body an answer to ``question`` may have, in bytes."""
    return LONG_BODY_LIMIT if question.kind in LONG_TEXT_KINDS else BODY_LIMIT


def _amounts(question: Question, form: Form) -> dict[str, str]:
    result = {}
    for option in question.all_options():
        value = str(form.get(f"n_{option.code}", "") or "").strip()
        if value and value != "0":
            result[option.code] = value
    return result


def raw_answer(question: Question, form: Form) -> tuple[Any, bool]:
    """The raw answer the form holds, and whether it is empty (nothing chosen or typed).

    An empty answer to a question that allows skipping is ``None`` (a skip); the
    caller decides whether an empty answer is sent at all.
    """
    kind = question.kind
    text = str(form.get("text", "") or "")
    if kind in ("single_choice", "rating"):
        choice = str(form.get("choice", "") or "")
        if choice in ("", SKIP):
            return None, True
        return choice, False
    if kind == "multiple_choice":
        codes = [str(c) for c in form.getlist("choice")]
        return codes, not codes
    if kind == "open_text":
        return text, not text.strip()
    if kind == "sticky_note":
        return {"text": text, "prompt": str(form.get("prompt", "") or "")}, not text.strip()
    if kind == "ranking":
        ranks = {o.code: str(form.get(f"rank_{o.code}", "") or "").strip()
                 for o in question.all_options()}
        filled = {code: rank for code, rank in ranks.items() if rank}
        return filled, not filled
    if kind in ("dot_vote", "budget"):
        amounts = _amounts(question, form)
        return amounts, not amounts
    answer: dict[str, Any] = {k: str(form.get(k, "") or "") for k in _FIELDS.get(kind, ())}
    if kind == "plan_feedback":
        answer["text"] = text
    if kind in _CHOICE_KEY:
        answer[_CHOICE_KEY[kind]] = str(form.get(_CHOICE_KEY[kind], "") or "")
    if kind == "story":
        answer["tags"] = [str(t) for t in form.getlist("tag")]
        answer["consent_quote"] = form.get("consent_quote") == "yes"
    if kind == "asset":
        grade = str(form.get("grade", "") or "")
        if grade:
            answer["grade"] = grade
    if kind == "flag_record":
        rowid = str(form.get("record_rowid", "") or "")
        answer["record_rowid"] = rowid or None
    empty = not any(v for k, v in answer.items() if k not in ("consent_quote", "record_rowid"))
    return answer, empty


def form_fields(question: Question, answer: Any) -> dict[str, list[str]]:
    """The form fields (name -> values) that show a stored raw ``answer`` again."""
    kind = question.kind
    if answer is None:
        return {"choice": [SKIP]} if kind in ("single_choice", "rating") else {}
    if kind in ("single_choice", "rating"):
        return {"choice": [str(answer)]}
    if kind == "multiple_choice":
        return {"choice": [str(c) for c in answer]}
    if kind == "open_text":
        return {"text": [str(answer)]}
    if kind == "ranking":
        codes = list(answer) if isinstance(answer, list) else sorted(answer, key=answer.get)
        return {f"rank_{code}": [str(i + 1)] for i, code in enumerate(codes)}
    if kind in ("dot_vote", "budget") and isinstance(answer, dict):
        return {f"n_{code}": [_number(v)] for code, v in answer.items()}
    if not isinstance(answer, dict):
        return {"text": [str(answer)]}
    fields: dict[str, list[str]] = {}
    for key, value in answer.items():
        if key == "tags":
            fields["tag"] = [str(t) for t in value or []]
        elif key == "consent_quote":
            fields[key] = ["yes"] if value else []
        elif value is not None:
            fields[key] = [_number(value) if isinstance(value, float) else str(value)]
    return fields


def _number(value: Any) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)
