"""Counts of answers for the projector and the results: per exercise, per option.

:func:`live_counts` says how many participants answered each exercise;
:func:`tally` gives one question's result chart; :func:`options_from_answers` turns
earlier free-text answers into the options of a later vote.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.exercises import Option
from tde_desktop.core.workshop.records import fetch_dicts
from tde_desktop.core.workshop.responses import exercise_question


class TallyRow(NamedTuple):
    """One bar of a result chart: ``value`` is a count, a sum of dots or money, or points."""

    label: str
    code: str
    value: float


def live_counts(pack: Pack, workshop_id: str) -> dict[str, int]:
    """For every exercise of the workshop, how many participants have answered it."""
    counts = {r[0]: 0 for r in pack.conn.execute(
        "SELECT id FROM _tde_exercises WHERE workshop_id = ?", (workshop_id,))}
    for exercise_id, n in pack.conn.execute(
            "SELECT exercise_id, count(DISTINCT participant_id) FROM _tde_responses "
            "WHERE workshop_id = ? AND deleted = 0 GROUP BY exercise_id", (workshop_id,)):
        counts[exercise_id] = n
    return counts


def tally(pack: Pack, exercise_id: str, question_key: str,
          lang: str = "en") -> list[TallyRow]:
    """Results of one question, one row per option in the question's order.

    The value is: a count of answers (choices, ratings, categories such as flags
    or feedback sorts, story tags), the sum of dots (dot vote), the sum of money
    (budget), or Borda points for a ranking (first of n options earns n points).
    Rating rows are the scale points; a "skip" row is added when skipping is
    allowed. Free-text kinds with no options give an empty list.
    """
    row = pack.conn.execute("SELECT workshop_id FROM _tde_exercises WHERE id = ?",
                            (exercise_id,)).fetchone()
    if row is None:
        raise TdeError(_("This exercise no longer exists."))
    question = exercise_question(pack, row[0], exercise_id, question_key)
    answers = fetch_dicts(pack, "SELECT answer_code, tags, items FROM _tde_responses WHERE "
                    "exercise_id = ? AND question_key = ? AND deleted = 0",
                    (exercise_id, question_key))
    options = [(o.text(lang), o.code) for o in question.all_options()]
    if question.kind == "rating":
        labels = {o.code: o.text(lang) for o in question.options}
        options = [(labels.get(str(v), str(v)), str(v))
                   for v in range(question.scale_min, question.scale_max + 1)]
    if question.allow_skip and question.kind in ("rating", "single_choice"):
        options.append((_("Skipped"), "skip"))
    totals: dict[str, float] = {code: 0.0 for _label, code in options}
    size = len(options)
    for answer in answers:
        if question.kind in ("multiple_choice", "dot_vote", "budget", "ranking"):
            for item in json.loads(answer["items"]):
                if question.kind == "multiple_choice":
                    value = 1.0
                elif question.kind == "ranking":
                    value = float(size - item["rank"] + 1)
                else:
                    value = float(item["amount"] or 0)
                totals[item["code"]] = totals.get(item["code"], 0.0) + value
        elif question.kind == "story":
            for tag in json.loads(answer["tags"]):
                totals[tag] = totals.get(tag, 0.0) + 1
        elif answer["answer_code"]:
            totals[answer["answer_code"]] = totals.get(answer["answer_code"], 0.0) + 1
    known = {code for _label, code in options}
    # Codes no longer offered (an option removed after answers came in) still count.
    options += [(code, code) for code in totals if code not in known]
    return [TallyRow(label, code, totals[code]) for label, code in options]


def options_from_answers(pack: Pack, exercise_id: str, question_key: str | None = None, *,
                         approved_only: bool = False) -> list[Option]:
    """Free-text answers of an exercise as options for a later vote ("dot voting on
    what we heard"). Answers that differ only in case or spacing become one option;
    each code is derived from the text, so it is the same every time it is asked for."""
    sql = ("SELECT answer_text FROM _tde_responses WHERE exercise_id = ? AND deleted = 0 "
           "AND answer_text != ''")
    args: list[Any] = [exercise_id]
    if question_key:
        sql += " AND question_key = ?"
        args.append(question_key)
    if approved_only:
        sql += " AND approved = 1"
    options: dict[str, Option] = {}
    for (text,) in pack.conn.execute(sql + " ORDER BY seq", tuple(args)):
        label = " ".join(str(text).split())
        key = label.casefold()
        if key and key not in options:
            code = "t-" + hashlib.sha256(key.encode()).hexdigest()[:8]
            options[key] = Option(code, {"en": label, "es": label})
    return list(options.values())
