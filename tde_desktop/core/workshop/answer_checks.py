"""What a raw answer looks like for each question kind, and how it is checked.

=================  ==========================================================
kind               raw answer (JSON-able)
=================  ==========================================================
single_choice      ``"code"``
multiple_choice    ``["code", ...]`` (at most ``max_choices`` if set)
rating             a number on ``scale_min..scale_max``, or ``None`` to skip
                   (only when ``allow_skip``)
open_text          ``"text"``
sticky_note        ``{"text": str, "prompt": code}`` or plain ``"text"``
ranking            ``["first", "second", ...]`` or ``{"code": rank}``; no ties
dot_vote           ``{"code": dots}``; total <= ``dots``; 1 per option unless
                   ``stacking``
budget             ``{"code": amount}``; total <= ``total``; each <= its cost
flag_record        ``{"flag": code, "comment", "correction", "column",
                   "dataset_id", "record_rowid"}``
story              ``{"text", "tags": [code], "consent_quote": bool,
                   "place", "dataset_id", "record_rowid", "view_id"}``
data_request       ``{"who", "what", "format", "department", "why",
                   "urgency": code}``
question_asked     ``{"question", "other_data", "source"}``
plan_feedback      ``{"category": code, "text"}``
asset              ``{"name", "category": code, "location", "grade": 1..5,
                   "note"}``
=================  ==========================================================

:func:`validate_answer` returns a :class:`NormalisedAnswer` (the reporting
columns of a response row) or raises :class:`AnswerRejected` with one plain
sentence. Text is stored exactly as typed (emoji, right-to-left text, a leading
``=``) except control characters, which are removed (newline and tab are kept).
Making text safe for Excel is the export's job, not the store's.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, current_language, ngettext, thread_language
from tde_desktop.core.workshop.exercises import Option, Question

MAX_TEXT = 10_000


@dataclass
class AnswerItem:
    """One option inside a many-valued answer (ranking, dots, budget, multiple choice)."""

    code: str
    label: str
    rank: int | None = None
    amount: float | None = None


@dataclass
class NormalisedAnswer:
    """A checked answer: the cleaned raw answer plus the reporting columns."""

    answer: Any
    answer_text: str = ""
    answer_label: str = ""
    answer_code: str = ""
    rating: float | None = None
    tags: list[str] = field(default_factory=list)
    items: list[AnswerItem] = field(default_factory=list)
    dataset_id: int | None = None
    record_rowid: int | None = None
    amount: float | None = None
    rank: int | None = None


class AnswerRejected(TdeError):
    """An answer that does not fit its question; nothing was stored."""


# -- text ------------------------------------------------------------------------


def clean_text(value: Any, *, what: str = "", required: bool = False) -> str:
    """Text with control characters removed (newline and tab kept), else exactly as given.

    Refuses text over :data:`MAX_TEXT` characters and, if ``required``, empty text.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerRejected(_("This answer should be text."))
    # Cc are control characters; Cs are lone surrogates, which cannot be stored as UTF-8.
    text = "".join(
        ch for ch in value
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    if len(text) > MAX_TEXT:
        raise AnswerRejected(
            ngettext("This answer is too long: please keep it under {n} character.",
                     "This answer is too long: please keep it under {n} characters.",
                     MAX_TEXT).format(n=f"{MAX_TEXT:,}"))
    if required and not text.strip():
        if what:
            raise AnswerRejected(_("Please fill in: {what}.").format(what=what))
        raise AnswerRejected(_("Please write something before sending."))
    return text


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(str(value).strip())
        except ValueError:
            raise AnswerRejected(_("Please enter a number.")) from None
    number = float(value)
    if not math.isfinite(number):
        raise AnswerRejected(_("Please enter a number."))
    return number


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    number = _number(value)
    if number != int(number):
        raise AnswerRejected(_("Please enter a whole number."))
    return int(number)


def _choice(question: Question, code: Any, lang: str) -> Option:
    option = question.option(str(code)) if code is not None else None
    if option is None:
        raise AnswerRejected(_("Please pick one of the choices offered."))
    return option


def _mapping(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise AnswerRejected(_("This answer is not in the expected form."))
    return answer


def _amounts(question: Question, answer: Any, lang: str) -> dict[str, tuple[Option, float]]:
    result: dict[str, tuple[Option, float]] = {}
    for code, value in _mapping(answer).items():
        option = _choice(question, code, lang)
        amount = _number(value)
        if amount < 0:
            raise AnswerRejected(_("Amounts cannot be negative."))
        if amount:
            result[option.code] = (option, amount)
    return result


# -- one checker per kind ---------------------------------------------------------


def _single_choice(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    if answer is None and q.allow_skip:
        return NormalisedAnswer(None, answer_code="skip", answer_label=_("Skipped"))
    option = _choice(q, answer, lang)
    return NormalisedAnswer(option.code, answer_label=option.text(lang), answer_code=option.code)


def _multiple_choice(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    if not isinstance(answer, list):
        raise AnswerRejected(_("This answer is not in the expected form."))
    options = [_choice(q, code, lang) for code in answer]
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise AnswerRejected(_("Each choice can be picked only once."))
    if q.max_choices and len(codes) > q.max_choices:
        raise AnswerRejected(ngettext("Please pick at most {n} choice.",
                                      "Please pick at most {n} choices.",
                                      q.max_choices).format(n=q.max_choices))
    if not codes and q.required:
        raise AnswerRejected(_("Please pick at least one choice."))
    return NormalisedAnswer(
        codes, answer_label="; ".join(o.text(lang) for o in options),
        answer_code=";".join(codes), tags=codes,
        items=[AnswerItem(o.code, o.text(lang)) for o in options])


def _rating(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    if answer is None or answer == "skip":
        if not q.allow_skip:
            raise AnswerRejected(_("Please choose a point on the scale."))
        return NormalisedAnswer(None, answer_code="skip", answer_label=_("Skipped"))
    value = _number(answer)
    if not q.scale_min <= value <= q.scale_max:
        raise AnswerRejected(_("Please choose a number from {lo} to {hi}.").format(
            lo=q.scale_min, hi=q.scale_max))
    code = str(int(value)) if value == int(value) else str(value)
    option = q.option(code)
    label = option.text(lang) if option else code
    stored: float | int = int(value) if value == int(value) else value
    return NormalisedAnswer(stored, rating=value, answer_code=code, answer_label=label)


def _open_text(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    text = clean_text(answer, required=q.required)
    return NormalisedAnswer(text, answer_text=text)


def _sticky_note(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = {"text": answer} if isinstance(answer, str) else dict(_mapping(answer))
    text = clean_text(raw.get("text"), required=True)
    prompt = raw.get("prompt") or ""
    label = ""
    if prompt:
        label = _choice(q, prompt, lang).text(lang)
    return NormalisedAnswer({"text": text, "prompt": prompt}, answer_text=text,
                            answer_code=str(prompt), answer_label=label)


def _ranking(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    if isinstance(answer, list):
        if len(set(map(str, answer))) != len(answer):
            raise AnswerRejected(_("Each choice can have only one place in the ranking."))
        ranks = {str(code): i + 1 for i, code in enumerate(answer)}
    else:
        ranks = {str(k): _optional_int(v) or 0 for k, v in _mapping(answer).items()}
        if any(r < 1 for r in ranks.values()):
            raise AnswerRejected(_("Ranks start at 1."))
        if len(set(ranks.values())) != len(ranks):
            raise AnswerRejected(_("Two choices have the same rank; please give each its own "
                                   "place."))
    if not ranks:
        raise AnswerRejected(_("Please rank at least one choice."))
    ordered = sorted(ranks.items(), key=lambda kv: kv[1])
    items = [AnswerItem(o.code, o.text(lang), rank=r)
             for o, r in ((_choice(q, c, lang), r) for c, r in ordered)]
    # Store the dense order (1, 2, 3...) so that reports never see gaps.
    for i, item in enumerate(items):
        item.rank = i + 1
    codes = [i.code for i in items]
    return NormalisedAnswer(codes, answer_code=";".join(codes),
                            answer_label="; ".join(i.label for i in items), items=items)


def _dot_vote(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    if isinstance(answer, list):  # one entry per dot
        counts: dict[str, int] = {}
        for code in answer:
            counts[str(code)] = counts.get(str(code), 0) + 1
        answer = counts
    amounts = _amounts(q, answer, lang)
    if any(v != int(v) for _o, v in amounts.values()):
        raise AnswerRejected(_("Dots are whole: please place whole dots."))
    total = sum(v for _o, v in amounts.values())
    if total > q.dots:
        raise AnswerRejected(ngettext("You have {n} dot; please remove some.",
                                      "You have {n} dots; please remove some.",
                                      q.dots).format(n=q.dots))
    if not q.stacking and any(v > 1 for _o, v in amounts.values()):
        raise AnswerRejected(_("Only one dot per choice in this vote."))
    if total == 0:
        raise AnswerRejected(_("Please place at least one dot."))
    items = [AnswerItem(o.code, o.text(lang), amount=v) for o, v in amounts.values()]
    return NormalisedAnswer({i.code: int(i.amount or 0) for i in items}, amount=total,
                            answer_code=";".join(i.code for i in items),
                            answer_label="; ".join(i.label for i in items), items=items)


def _budget(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    amounts = _amounts(q, answer, lang)
    total = sum(v for _o, v in amounts.values())
    if q.total and total > q.total + 1e-9:
        raise AnswerRejected(_("This spends {spent:,.0f} but the budget is {total:,.0f}.").format(
            spent=total, total=q.total))
    for option, amount in amounts.values():
        if option.cost is not None and amount > option.cost + 1e-9:
            raise AnswerRejected(_("{name} needs at most {cost:,.0f}.").format(
                name=option.text(lang), cost=option.cost))
    items = [AnswerItem(o.code, o.text(lang), amount=v) for o, v in amounts.values()]
    return NormalisedAnswer({i.code: i.amount for i in items}, amount=total,
                            answer_code=";".join(i.code for i in items),
                            answer_label="; ".join(i.label for i in items), items=items)


def _texts(raw: dict[str, Any], keys: tuple[str, ...]) -> dict[str, str]:
    return {k: clean_text(raw.get(k)) for k in keys}


def _flag_record(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = _mapping(answer)
    option = _choice(q, raw.get("flag"), lang)
    clean: dict[str, Any] = {"flag": option.code,
                             **_texts(raw, ("comment", "correction", "column"))}
    clean["dataset_id"] = _optional_int(raw.get("dataset_id"))
    clean["record_rowid"] = _optional_int(raw.get("record_rowid"))
    return NormalisedAnswer(clean, answer_text=clean["comment"], answer_code=option.code,
                            answer_label=option.text(lang), dataset_id=clean["dataset_id"],
                            record_rowid=clean["record_rowid"])


def _story(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = {"text": answer} if isinstance(answer, str) else _mapping(answer)
    clean: dict[str, Any] = {"text": clean_text(raw.get("text"), required=True),
                             **_texts(raw, ("title", "place"))}
    tags = [_choice(q, t, lang).code if q.options else clean_text(t, required=True)
            for t in raw.get("tags") or []]
    clean["tags"] = list(dict.fromkeys(tags))
    clean["consent_quote"] = bool(raw.get("consent_quote", False))
    for key in ("dataset_id", "record_rowid", "view_id"):
        clean[key] = _optional_int(raw.get(key))
    labels = [(q.option(t).text(lang) if q.option(t) else t) for t in clean["tags"]]  # type: ignore[union-attr]
    return NormalisedAnswer(clean, answer_text=clean["text"], tags=clean["tags"],
                            answer_code="quote" if clean["consent_quote"] else "no_quote",
                            answer_label="; ".join(labels), dataset_id=clean["dataset_id"],
                            record_rowid=clean["record_rowid"])


def _data_request(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = _mapping(answer)
    clean: dict[str, Any] = _texts(raw, ("who", "what", "format", "department", "why"))
    if not clean["what"].strip():
        raise AnswerRejected(_("Please say what data is needed."))
    urgency = raw.get("urgency")
    option = _choice(q, urgency, lang) if urgency else None
    clean["urgency"] = option.code if option else ""
    return NormalisedAnswer(clean, answer_text=clean["what"],
                            answer_code=clean["urgency"],
                            answer_label=option.text(lang) if option else "")


def _question_asked(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = _mapping(answer)
    clean = _texts(raw, ("question", "other_data", "source"))
    if not clean["question"].strip():
        raise AnswerRejected(_("Please write your question."))
    return NormalisedAnswer(clean, answer_text=clean["question"])


def _plan_feedback(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = _mapping(answer)
    option = _choice(q, raw.get("category"), lang)
    text = clean_text(raw.get("text"), required=True)
    return NormalisedAnswer({"category": option.code, "text": text}, answer_text=text,
                            answer_code=option.code, answer_label=option.text(lang))


def _asset(q: Question, answer: Any, lang: str) -> NormalisedAnswer:
    raw = _mapping(answer)
    clean: dict[str, Any] = _texts(raw, ("name", "location", "note"))
    if not clean["name"].strip():
        raise AnswerRejected(_("Please give the place or group a name."))
    category = raw.get("category")
    option = _choice(q, category, lang) if category else None
    clean["category"] = option.code if option else ""
    grade = raw.get("grade")
    clean["grade"] = None
    if grade not in (None, ""):
        value = _number(grade)
        if not q.scale_min <= value <= q.scale_max:
            raise AnswerRejected(_("Please choose a grade from {lo} to {hi}.").format(
                lo=q.scale_min, hi=q.scale_max))
        clean["grade"] = value
    return NormalisedAnswer(clean, answer_text=clean["name"], answer_code=clean["category"],
                            answer_label=option.text(lang) if option else "",
                            rating=clean["grade"])

_CHECKERS = {
    "single_choice": _single_choice, "multiple_choice": _multiple_choice, "rating": _rating,
    "open_text": _open_text, "sticky_note": _sticky_note, "ranking": _ranking,
    "dot_vote": _dot_vote, "budget": _budget, "flag_record": _flag_record, "story": _story,
    "data_request": _data_request, "question_asked": _question_asked,
    "plan_feedback": _plan_feedback, "asset": _asset,
}


def validate_answer(question: Question, answer: Any, lang: str = "en") -> NormalisedAnswer:
    """Check ``answer`` against ``question`` and return what should be stored.

    Guarantees: the returned ``answer`` is JSON-able and holds only cleaned text;
    labels are in ``lang``. Raises :class:`AnswerRejected` (one plain sentence, in
    ``lang``) for an answer that does not fit; nothing else is raised for bad input.
    """
    checker = _CHECKERS.get(question.kind)
    if checker is None:
        raise AnswerRejected(_("Unknown question type: {kind}").format(kind=question.kind))
    try:
        return checker(question, answer, lang)
    except AnswerRejected:
        if lang == current_language():
            raise
    # The refusal is for the participant: said again in their language (the checks
    # write nothing, and what is stored stays as it was).
    with thread_language(lang):
        return checker(question, answer, lang)
