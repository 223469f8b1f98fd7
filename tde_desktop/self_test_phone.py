"""The self-test's phone step: one phone answers through room mode, over real HTTP.

Proves that an installed copy can serve the phone pages (the web server, the page
templates, the static files and the answer route all made it into the bundle) by
doing what a participant's phone does: open the join address, sign in with
consent, read the first question and send a note, all on 127.0.0.1. It uses only
the standard library's HTTP client, so it needs nothing the bundle does not ship.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
_ACTION = re.compile(r'<form method="post" action="([^"]+)" class="answer"')


class PhoneStepFailed(Exception):
    """The phone did not get what it should; the message says what it saw."""


def _open_text_exercise(pack_path: Path, workshop_id: str) -> tuple[str, str]:
    """Open (only) the first exercise whose first question takes a written note."""
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import workshops

    with Pack.open(pack_path) as pack:
        exercises = workshops.list_exercises(pack, workshop_id)
        target = next((e for e in exercises if e.questions
                       and e.questions[0].kind in ("open_text", "sticky_note")), None)
        if target is None:
            raise PhoneStepFailed("the demo workshop has no exercise that starts with a note")
        for exercise in exercises:
            if exercise.id != target.id and exercise.status == "open":
                workshops.close_exercise(pack, exercise.id)
        workshops.open_exercise(pack, target.id)
        return target.id, target.questions[0].key


def phone_round_trip(pack_path: Path, workshop_id: str, note: str) -> str:
    """Serve ``workshop_id`` on a free loopback port and send ``note`` from one phone.

    Returns one line for the report once the room said "saved" and the note is in
    the pack; raises :class:`PhoneStepFailed` otherwise. The server is stopped
    before returning either way.
    """
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import responses
    from tde_desktop.room import RoomServer

    exercise_id, _key = _open_text_exercise(pack_path, workshop_id)
    server = RoomServer(pack_path, workshop_id, host="127.0.0.1", port=0).start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def fetch(url: str, fields: dict[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> str:
            data = urllib.parse.urlencode(fields).encode() if fields is not None else None
            request = urllib.request.Request(url, data=data, headers=headers or {})
            with browser.open(request, timeout=20) as reply:
                return str(reply.read().decode("utf-8"))

        welcome = fetch(server.join_url)
        hidden = dict(_HIDDEN.findall(welcome))
        if "csrf" not in hidden:
            raise PhoneStepFailed("the join page has no sign-in form")
        question = fetch(base + "/start", {"csrf": unescape(hidden["csrf"]),
                                                  "consent": "yes"})
        action = _ACTION.search(question)
        hidden = dict(_HIDDEN.findall(question))
        if action is None or "rid" not in hidden:
            raise PhoneStepFailed("after signing in the phone was shown no question")
        reply = fetch(base + unescape(action.group(1)),
                             {"csrf": unescape(hidden["csrf"]), "rid": unescape(hidden["rid"]),
                              "text": note},
                             headers={"X-Requested-With": "tde-room"})
        if not json.loads(reply).get("saved"):
            raise PhoneStepFailed(f"the room did not say saved: {reply[:80]}")
        css = fetch(base + "/static/room.css")
        if not css.strip():
            raise PhoneStepFailed("the phone page's style sheet is empty")
    finally:
        server.stop()
    with Pack.open(pack_path, read_only=True) as pack:
        stored = [r for r in responses.list_responses(pack, workshop_id)
                  if r.exercise_id == exercise_id and r.answer_text == note]
    if len(stored) != 1:
        raise PhoneStepFailed(f"expected the phone's note once in the pack, found {len(stored)}")
    return f"one note sent from a phone over HTTP on port {server.port} and stored once"
