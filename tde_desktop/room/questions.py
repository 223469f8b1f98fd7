"""The question pages: the open exercise, one question at a time, and sending an answer.

``GET /q`` shows the first question of the open exercise this phone has not
answered (``?k=KEY`` a given one); ``POST /a/<exercise>/<key>`` sends the answer
through :func:`~tde_desktop.core.workshop.responses.submit_answer`, which returns
only after the commit: the phone is told "saved" (a 303 to the next question, or
JSON for our script) only then. The form carries a response id made when the
page was drawn, so a double tap or a retry after a dropped connection stores
the answer once.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, make_response, redirect, request
from werkzeug.wrappers import Response as WResponse

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.record_search import key_columns, record_by_rowid, search_records
from tde_desktop.core.workshop import participants, records, responses
from tde_desktop.core.workshop.answer_checks import AnswerRejected
from tde_desktop.core.workshop.exercises import Question, label_text
from tde_desktop.room import forms, guard
from tde_desktop.room.pages import (
    current_participant,
    page,
    shared_page,
    snapshot,
    workshop_id,
)
from tde_desktop.room.replies import WRITER, refuse, wants_json
from tde_desktop.room.texts import dots_hint, field_labels

#: sign-in answers also kept on the participant record (as the kiosk does)
SIGNIN_KEYS = ("neighbourhood", "age_band", "affiliation", "first_time", "consent_quote",
               "consent_contact")
#: how many matching records the check-the-data search lists
SHOWN_RECORDS = 10


@dataclass
class Shown:
    """One question as the page shows it."""

    question: Question
    text: str
    options: list[tuple[str, str]]


def _answers(person_id: str, exercise_id: str) -> dict[str, Any]:
    rows = g.pack.conn.execute(
        "SELECT question_key, answer FROM _tde_responses WHERE participant_id = ? AND "
        "exercise_id = ? AND deleted = 0 ORDER BY seq", (person_id, exercise_id)).fetchall()
    return {str(k): json.loads(a) for k, a in rows}


def _questions(exercise: records.Exercise, given: dict[str, Any]) -> list[Question]:
    """The exercise's questions for this phone; the contact question only after consent."""
    shown = []
    for question in snapshot().questions.get(exercise.id, ()):
        if exercise.type == "sign_in" and question.key == "contact" \
                and given.get("consent_contact") != "yes":
            continue
        shown.append(question)
    return shown


def _options(question: Question) -> list[tuple[str, str]]:
    if question.kind == "rating":
        labels = {o.code: o.text(g.lang) for o in question.options}
        return [(str(v), labels.get(str(v), str(v)))
                for v in range(question.scale_min, question.scale_max + 1)]
    return [(o.code, o.text(g.lang)) for o in question.all_options()]


def question_page() -> WResponse:
    person = current_participant()
    if person is None:
        return redirect("/", 303)
    snap = snapshot()
    workshop, exercise = snap.workshop, snap.open_exercise()
    if exercise is None:
        return page("wait.html", workshop=workshop, person=person, ended=workshop.status ==
                    "ended")
    key = request.args.get("k")
    asked = snap.question(exercise.id, key) if key else None
    if asked is not None and exercise.type != "sign_in":
        # The page names its question: only this question's answer is read (a sign-in
        # needs them all, to know whether the contact question is asked).
        answered, stored = _answer(person.id, exercise.id, asked)
        return _render_question(workshop, person, exercise, list(snap.questions[exercise.id]),
                                asked, _filled(asked, stored), shared=not answered)
    given = _answers(person.id, exercise.id)
    questions = _questions(exercise, given)
    if key is None:
        key = next((q.key for q in questions if q.key not in given), "")
    question = next((q for q in questions if q.key == key), None)
    if question is None:
        return page("done.html", workshop=workshop, person=person, exercise=exercise,
                    given=given, questions=[_shown(q) for q in questions],
                    title=exercise.text("title", g.lang))
    return _render_question(workshop, person, exercise, questions, question,
                            _filled(question, given.get(question.key)),
                            shared=question.key not in given)


def _answer(person_id: str, exercise_id: str, question: Question) -> tuple[bool, Any]:
    """(whether the phone answered ``question``, its latest answer) where the page shows
    it again (single-answer kinds); a kind that takes many answers starts empty."""
    if not question.single_answer:
        return False, None
    row = g.pack.conn.execute(
        "SELECT answer FROM _tde_responses WHERE participant_id = ? AND exercise_id = ? "
        "AND question_key = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1",
        (person_id, exercise_id, question.key)).fetchone()
    return (True, json.loads(row[0])) if row is not None else (False, None)


def _filled(question: Question, answer: Any) -> dict[str, list[str]]:
    return forms.form_fields(question, answer) if question.single_answer else {}


def _shown(question: Question) -> Shown:
    return Shown(question, label_text(question.text, g.lang), _options(question))


def _render_question(workshop: records.Workshop, person: participants.Participant,
                     exercise: records.Exercise, questions: list[Question], question: Question,
                     filled: dict[str, list[str]], error: str = "", status: int = 200,
                     response_id: str | None = None, shared: bool = False) -> WResponse:
    """The question page. ``shared``: the phone has not answered this question, so the
    page is the same for every phone that has not (but for its tokens and code) and is
    drawn once (:func:`~tde_desktop.room.pages.shared_page`); a record search differs
    by what was searched, so it is always drawn."""
    def context() -> dict[str, Any]:
        found: dict[str, Any] = {}
        if question.kind == "flag_record":
            found = _record_picker(exercise, filled)
        if exercise.view_id is not None:
            from tde_desktop.room.chart import station_png

            try:
                found["chart"] = station_png(g.pack, exercise.view_id, g.lang)
            except TdeError:
                found["chart"] = None
        return dict(exercise=exercise, q=_shown(question),
                    index=questions.index(question) + 1, total=len(questions),
                    title=exercise.text("title", g.lang),
                    instructions=exercise.text("instructions_participant", g.lang),
                    fields=field_labels(question.kind), dots_hint=dots_hint, filled=filled,
                    error=error, skip=forms.SKIP, **found)

    rid = response_id or str(uuid.uuid4())
    if shared and not error and status == 200 and question.kind != "flag_record" \
            and set(request.args) <= {"k"} and exercise.view_id is None:
        key = (exercise.id, question.key, g.lang, request.full_path, str(len(questions)))
        return shared_page(key, "question.html", person, rid, context)
    return page("question.html", status, workshop=workshop, person=person, rid=rid,
                **context())


def _record_picker(exercise: records.Exercise, filled: dict[str, list[str]]) -> dict[str, Any]:
    """The check-the-data search: matches for ``?find=``, or the record picked."""
    if exercise.dataset_id is None:
        return {"records": [], "picked": None}
    info = g.pack.dataset(exercise.dataset_id)
    columns = key_columns(info.columns)
    rowid = request.args.get("rowid") or (filled.get("record_rowid") or [""])[0]
    if rowid and rowid.isdigit():
        picked = record_by_rowid(g.pack.conn, info.table_name, columns, int(rowid),
                                 lang=g.lang)
        if picked is not None:
            return {"records": [], "picked": picked}
    text = request.args.get("find", "")[:200]
    found = search_records(g.pack.conn, info.table_name, columns, text, lang=g.lang,
                           limit=SHOWN_RECORDS)
    return {"records": found, "picked": None, "find": text}


def answer(exercise_id: str, key: str) -> WResponse:
    person = current_participant()
    if person is None:
        return refuse(403, g.t["sign_in_first"])
    snap = snapshot()
    exercise, question = snap.exercise(exercise_id), snap.question(exercise_id, key)
    # Answers to an exercise closed while they were on their way are kept (as from the
    # kiosk); one never opened, or of another workshop, is not a phone's to answer.
    if exercise is None or question is None or exercise.opened_at is None:
        return refuse(404, g.t["not_open"])
    response_id = request.form.get("rid", "")
    if not guard.valid_response_id(response_id):
        return refuse(400, g.t["bad_token"])
    value, empty = forms.raw_answer(question, request.form)
    send = not ("skip" in request.form or (empty and not question.allow_skip
                                           and not question.required))
    if "skip" in request.form and question.allow_skip:
        value, send = None, True
    try:
        if send:
            _send(person, exercise, question, value, response_id)
    except AnswerRejected as exc:
        if wants_json():
            return make_response({"error": str(exc)}, 422)
        workshop = snap.workshop
        given = _answers(person.id, exercise.id)
        filled = {k: request.form.getlist(k) for k in request.form if k not in ("csrf", "rid")}
        return _render_question(workshop, person, exercise, _questions(exercise, given),
                                question, filled, str(exc), 422, response_id)
    target = _next_url(person, exercise, key)
    if wants_json():
        return make_response({"saved": send, "id": response_id, "next": target})
    return redirect(target, 303)


def _send(person: participants.Participant, exercise: records.Exercise, question: Question,
          value: Any, response_id: str) -> None:
    """Store the answer; the room's writer is held only while it is written (the
    checks before it run beside other phones' writes)."""
    if exercise.type == "sign_in" and question.key == "contact":
        # A contact is kept on the participant record only, and only with consent.
        with WRITER:
            participants.update_participant(g.pack, person.id, contact=value or "")
        return
    responses.submit_answer(
        g.pack, workshop_id=workshop_id(), exercise_id=exercise.id, participant_id=person.id,
        question_key=question.key, answer=value, device_id=person.device_id,
        response_id=response_id, lang=g.lang, writer=WRITER)
    if exercise.type == "sign_in" and question.key in SIGNIN_KEYS:
        with WRITER:
            participants.update_participant(g.pack, person.id,
                                            **{question.key: "" if value is None else value})


def _next_url(person: participants.Participant, exercise: records.Exercise, key: str) -> str:
    """Where the phone goes after answering ``key``: the next question, else the summary.
    Only a sign-in reads the pack (whether contact was consented to)."""
    given: dict[str, Any] = {}
    if exercise.type == "sign_in":
        consent = g.pack.conn.execute(
            "SELECT answer FROM _tde_responses WHERE participant_id = ? AND exercise_id = ? "
            "AND question_key = 'consent_contact' AND deleted = 0",
            (person.id, exercise.id)).fetchone()
        given = {"consent_contact": json.loads(consent[0])} if consent else {}
    questions = _questions(exercise, given)
    keys = [q.key for q in questions]
    after = keys[keys.index(key) + 1:] if key in keys else []
    return f"/q?k={after[0]}" if after else "/q?k="


def register(app: Flask) -> None:
    app.add_url_rule("/q", "question", question_page)
    app.add_url_rule("/a/<exercise_id>/<key>", "answer", answer, methods=["POST"])
