"""The least a Python web server can do per phone answer: ``room_bench.py --bare``.

A bound, not a product: an aiohttp server (its HTTP parser is C) on one event loop
that does only what every answer must do and nothing a real room also does. It sets
the device cookie, signs a phone in, draws a fixed question page with the phone's CSRF
token and a new response id, and for each answer checks the CSRF token, turns the
form into the raw answer (:func:`tde_desktop.room.forms.raw_answer`) and stores it
with :func:`~tde_desktop.core.workshop.responses.submit_answer`, synced, before it
replies. There is no rate limit, Host check, language, snapshot freshness, earlier
answer, template or security header. What it costs per answer is what any Python
server would add to the floor at least; ``tde room`` does all of those too.

    .venv/bin/python benchmarks/_bare_room.py PACK PORT   # prints the join address
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from tde_desktop.core.pack import Pack  # noqa: E402
from tde_desktop.core.workshop import participants, records, responses  # noqa: E402
from tde_desktop.room import forms, guard  # noqa: E402
from tde_desktop.room.snapshot import SnapshotCache  # noqa: E402

_PAGE = ('<!doctype html><html><body><form method="post" action="/a/{exercise}/{key}" '
         'class="answer"><input type="hidden" name="csrf" value="{csrf}">'
         '<input type="hidden" name="rid" value="{rid}">{filler}</form></body></html>')
_FILLER = "<p>" + "x" * 1500 + "</p>"  # about the size of a real question page


class _Form(dict[str, list[str]]):
    """A parsed form as :func:`forms.raw_answer` reads one (``get``, ``getlist``)."""

    def get(self, key: str, default: Any = None) -> Any:
        values = dict.get(self, key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        return dict.get(self, key, [])


def make_app(path: Path) -> web.Application:
    pack = Pack.open(path)
    workshop_id = records.list_workshops(pack)[0].id
    snapshot = SnapshotCache(workshop_id).get(pack.conn)
    exercise = snapshot.open_exercise()
    assert exercise is not None, "the bench pack has an open exercise"
    questions = {q.key: q for q in snapshot.questions[exercise.id]}
    keys = list(questions)
    people: dict[str, participants.Participant] = {}

    def token(request: web.Request) -> str:
        found = request.cookies.get(guard.DEVICE_COOKIE, "")
        return found if guard.valid_token(found) else ""

    async def form(request: web.Request) -> _Form:
        return _Form(parse_qs((await request.read()).decode()))

    async def join(_request: web.Request) -> web.Response:
        reply = web.Response(status=303, headers={"Location": "/"})
        reply.set_cookie(guard.DEVICE_COOKIE, guard.new_device_token(), httponly=True,
                         samesite="Strict")
        return reply

    async def home(request: web.Request) -> web.Response:
        return web.Response(text=f'<input type="hidden" name="csrf" value="'
                            f'{guard.csrf_token(token(request))}">', content_type="text/html")

    async def start(request: web.Request) -> web.Response:
        device, fields = token(request), await form(request)
        if not guard.csrf_ok(device, fields.get("csrf")):
            return web.Response(status=403)
        people[device] = participants.add_participant(pack, workshop_id,
                                                      device_id=guard.device_id(device))
        return web.Response(status=303, headers={"Location": "/q"})

    async def question(request: web.Request) -> web.Response:
        device = token(request)
        key = request.query.get("k") or keys[0]
        return web.Response(text=_PAGE.format(exercise=exercise.id, key=key,
                                              csrf=guard.csrf_token(device),
                                              rid=uuid.uuid4(), filler=_FILLER),
                            content_type="text/html")

    async def answer(request: web.Request) -> web.Response:
        device, fields = token(request), await form(request)
        if not guard.csrf_ok(device, fields.get("csrf")):
            return web.Response(status=403)
        key, person = request.match_info["key"], people[device]
        value, _empty = forms.raw_answer(questions[key], fields)
        rid = str(fields.get("rid"))
        responses.submit_answer(pack, workshop_id=workshop_id, exercise_id=exercise.id,
                                participant_id=person.id, question_key=key, answer=value,
                                device_id=person.device_id, response_id=rid)
        after = keys[keys.index(key) + 1:]
        return web.json_response({"saved": True, "id": rid,
                                  "next": f"/q?k={after[0] if after else ''}"})

    app = web.Application()
    app.router.add_get("/j/{code}", join)
    app.router.add_get("/", home)
    app.router.add_post("/start", start)
    app.router.add_get("/q", question)
    app.router.add_post("/a/{exercise}/{key}", answer)
    app.router.add_static("/static", ROOT / "tde_desktop" / "room" / "static")
    return app


async def serve(path: Path, port: int) -> None:
    """Listen on 127.0.0.1:``port``; the address is printed once the socket listens."""
    runner = web.AppRunner(make_app(path), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"Phones join at http://127.0.0.1:{port}/j/BARE", flush=True)
    await asyncio.Event().wait()  # until the bench ends the process


def main() -> None:
    asyncio.run(serve(Path(sys.argv[1]), int(sys.argv[2])))


if __name__ == "__main__":
    main()
