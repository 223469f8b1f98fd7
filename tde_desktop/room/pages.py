"""The phone pages: join, sign in with consent, language, live state, my answers,
revealed results and withdrawal. The question pages are in :mod:`.questions`.

Every page is server-rendered and works with JavaScript off: forms post, the
server answers with a redirect (303) to the next page. There is no route for
anything a facilitator does (opening, revealing, moderating, exporting): those
exist only in the app, so no URL can reach them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, make_response, redirect, render_template, request
from markupsafe import escape
from werkzeug.wrappers import Response as WResponse

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import SUPPORTED_LANGUAGES
from tde_desktop.core.numbers import format_number
from tde_desktop.core.workshop import moderation, participants, records, tallies
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.room import guard
from tde_desktop.room.replies import WRITER, refuse, wants_json
from tde_desktop.room.snapshot import Snapshot

#: a device cookie lasts two days: a workshop, and the morning after
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 2
#: what stands on a shared page for what differs between phones: a random word made
#: when the room starts, which no text in a pack can foresee
_MARK = "tde" + secrets.token_hex(8)
MARK_CSRF, MARK_RID, MARK_CODE = (_MARK + part for part in ("csrf", "rid", "code"))
#: shared pages a thread keeps for one snapshot at most (a bound, not a size a room reaches)
SHARED_PAGES = 2000


class _Someone:
    """The participant a shared page is drawn for: a code to be filled in."""

    code = MARK_CODE


def workshop_id() -> str:
    return str(current_app.config["ROOM_WORKSHOP"])


def snapshot() -> Snapshot:
    """The workshop, its exercises and questions for this request (read once per request,
    rebuilt on this thread only when the facilitator changed them)."""
    snap: Snapshot | None = g.get("snap")
    if snap is None:
        snap = g.snap = current_app.config["ROOM_SNAPSHOTS"].get(g.pack.conn)
    return snap


def current_participant() -> participants.Participant | None:
    """The participant this phone signed in as (not withdrawn), or None.

    One query by primary key once the phone is known (participant ids never change;
    the device's latest one is remembered); a phone not seen yet, or whose participant
    withdrew, is looked up by its device id.
    """
    if not g.token:
        return None
    device = guard.device_id(g.token)
    known: dict[str, str] = current_app.config["ROOM_PEOPLE"]
    person_id = known.get(device)
    if person_id is not None:
        try:
            person = participants.get_participant(g.pack, person_id)
        except TdeError:  # removed meanwhile: look again
            person = None
        if person is not None and not person.withdrawn and person.device_id == device:
            return person
    row = g.pack.conn.execute(
        "SELECT id FROM _tde_participants WHERE workshop_id = ? AND device_id = ? "
        "AND withdrawn_at IS NULL ORDER BY rowid DESC LIMIT 1",
        (workshop_id(), device)).fetchone()
    if row is None:
        known.pop(device, None)
        return None
    known[device] = str(row[0])
    return participants.get_participant(g.pack, str(row[0]))


def page(template: str, status: int = 200, **context: Any) -> WResponse:
    """Render a phone page with what every page needs (texts, language, CSRF token)."""
    workshop = context.pop("workshop", None) or snapshot().workshop
    html = render_template(template, t=g.t, lang=g.lang, languages=SUPPORTED_LANGUAGES,
                           workshop=workshop, csrf=guard.csrf_token(g.token) if g.token
                           else "", path=request.full_path.rstrip("?"), **context)
    return Response(html, status=status, mimetype="text/html")


def shared_page(key: tuple[str, ...], template: str, person: participants.Participant,
                rid: str, context: Callable[[], dict[str, Any]]) -> WResponse:
    """:func:`page` for a page that differs between phones only by its CSRF token, the
    response id and the participant's code: drawn once per ``key`` (which must name
    everything else the page shows, its language included) while the workshop's rows
    stay the same, then filled in for this phone. The filled values are escaped, as
    the template would have done."""
    pages = snapshot().pages
    html = pages.get(key)
    if html is None:
        if len(pages) >= SHARED_PAGES:
            pages.clear()
        html = pages[key] = render_template(
            template, t=g.t, lang=g.lang, languages=SUPPORTED_LANGUAGES,
            workshop=snapshot().workshop, csrf=MARK_CSRF, rid=MARK_RID, person=_Someone(),
            path=request.full_path.rstrip("?"), **context())
    body = html.replace(MARK_CSRF, guard.csrf_token(g.token)).replace(
        MARK_RID, str(escape(rid))).replace(MARK_CODE, str(escape(person.code)))
    return Response(body, status=200, mimetype="text/html")


def open_exercise() -> records.Exercise | None:
    """The exercise phones follow: the one the facilitator opened last, while open."""
    return snapshot().open_exercise()


def join(code: str) -> WResponse:
    if code.upper() != current_app.config["ROOM_CODE"]:
        return refuse(404, g.t["wrong_room"])
    response = redirect("/", 303)
    if not g.token:
        response.set_cookie(guard.DEVICE_COOKIE, guard.new_device_token(), httponly=True,
                            samesite="Strict", max_age=DEVICE_COOKIE_AGE)
    return response


def home() -> WResponse:
    if not g.token:
        return page("join.html")
    if current_participant() is not None:
        return redirect("/q", 303)
    return page("welcome.html")


def start() -> WResponse:
    """Sign in with consent; a second tap finds the participant already made."""
    if current_participant() is None:
        if request.form.get("consent") != "yes":
            return page("welcome.html", 422, error=g.t["consent"])
        with WRITER:  # checked again: a double tap may be served by two threads at once
            if current_participant() is None:
                participants.add_participant(g.pack, workshop_id(),
                                             device_id=guard.device_id(g.token))
    return redirect("/q", 303)


def language(code: str) -> WResponse:
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = redirect(target, 303)
    if code in SUPPORTED_LANGUAGES:
        response.set_cookie(guard.LANG_COOKIE, code, httponly=True, samesite="Strict",
                            max_age=60 * 60 * 24 * 30)
    return response


def state() -> WResponse:
    """What the live-update script polls: the open exercise and the revealed count."""
    snap = snapshot()
    workshop, exercise = snap.workshop, snap.open_exercise()
    revealed = sum(1 for e in snap.exercises.values() if e.revealed)
    body = {"exercise": exercise.id if exercise else "", "status": workshop.status,
            "revealed": int(revealed)}
    response = make_response(body)
    return response


def mine() -> WResponse:
    person = current_participant()
    if person is None:
        return redirect("/", 303)
    rows = g.pack.conn.execute(
        "SELECT e.title, r.question_key, r.answer_label, r.answer_text, r.answer_code, "
        "e.id FROM _tde_responses r JOIN _tde_exercises e ON e.id = r.exercise_id "
        "WHERE r.participant_id = ? AND r.deleted = 0 ORDER BY e.position, r.seq",
        (person.id,)).fetchall()
    answers = []
    snap = snapshot()
    for title, key, label, text, code, exercise_id in rows:
        exercise = snap.exercise(exercise_id)
        question = snap.question(exercise_id, key)
        answers.append({"exercise": (exercise.text("title", g.lang) if exercise else "")
                        or title,
                        "question": label_text(question.text, g.lang) if question else key,
                        "answer": text or label or code})
    return page("mine.html", answers=answers, person=person)


def results() -> WResponse:
    """Only what the facilitator revealed: tallies and approved notes."""
    person = current_participant()
    if person is None:
        return redirect("/", 303)
    shown = []
    snap = snapshot()
    for exercise in snap.exercises.values():  # in agenda order
        if not exercise.revealed:
            continue
        parts = []
        for question in snap.questions[exercise.id]:
            rows = [r for r in tallies.tally(g.pack, exercise.id, question.key, g.lang)]
            if rows:
                top = max((r.value for r in rows), default=0) or 1
                parts.append({"question": label_text(question.text, g.lang), "rows": [
                    {"label": r.label, "value": _number(r.value),
                     "width": round(100 * r.value / top)} for r in rows]})
        notes = [text for _key, _prompt, text in moderation.approved_notes(g.pack, exercise.id)]
        shown.append({"title": exercise.text("title", g.lang), "parts": parts, "notes": notes})
    return page("results.html", shown=shown, person=person)


def withdraw() -> WResponse:
    person = current_participant()
    if person is None:
        return redirect("/", 303)
    if request.method == "GET":
        return page("withdraw.html", person=person)
    if request.form.get("confirm") != "yes":
        return page("withdraw.html", 422, person=person, error=g.t["withdraw_help"])
    with WRITER:
        participants.withdraw_participant(g.pack, person.id)
    if wants_json():
        return make_response({"withdrawn": True})
    return page("message.html", message=g.t["withdrawn"], status=200)


def chart(exercise_id: str) -> WResponse:
    """A station's chart as a PNG, drawn on the laptop, for an open exercise only."""
    from tde_desktop.room.chart import station_png

    exercise = snapshot().exercise(exercise_id)
    if exercise is None:  # unknown id, or another workshop's
        return refuse(404, g.t["not_found"])
    if exercise.status != "open" or exercise.view_id is None:
        return refuse(404, g.t["not_open"])
    png = station_png(g.pack, exercise.view_id, g.lang).png
    response = Response(png, mimetype="image/png")
    return response


def _number(value: float) -> str:
    """A tally in the phone's language: 16.747 in Spanish, 16,747 in English."""
    return format_number(value, None if value == int(value) else 1, lang=g.lang)


def register(app: Flask) -> None:
    """Add these pages to ``app`` (and nothing else: see the module docstring)."""
    app.add_url_rule("/j/<code>", "join", join)
    app.add_url_rule("/", "home", home)
    app.add_url_rule("/start", "start", start, methods=["POST"])
    app.add_url_rule("/lang/<code>", "language", language)
    app.add_url_rule("/state.json", "state", state)
    app.add_url_rule("/mine", "mine", mine)
    app.add_url_rule("/results", "results", results)
    app.add_url_rule("/withdraw", "withdraw", withdraw, methods=["GET", "POST"])
    app.add_url_rule("/chart/<exercise_id>.png", "chart", chart)
