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

With ``WORKERS`` above 1 it runs that many server processes on one listening socket
(forked, so Linux or macOS only), each with its own pack connection; their writes take
turns on one cross-process lock, as threads take turns on the room's writer. This asks
whether a second core helps: on the 2-core development machine it does not (the phones,
the kernel's loopback and the disk sync share the same two cores).

    .venv/bin/python benchmarks/_bare_room.py PACK PORT [WORKERS]   # prints the join address
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import socket
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


def make_app(path: Path, writer: Any = None) -> web.Application:
    """The bare app on the pack at ``path``; ``writer`` (a lock) is held around each write."""
    writer = writer if writer is not None else contextlib.nullcontext()
    pack = Pack.open(path)
    pack.conn.execute("PRAGMA busy_timeout = 10000")
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

    def person_of(device: str) -> participants.Participant:
        """The phone's participant (read from the pack if another process signed it in)."""
        person = people.get(device)
        if person is None:
            row = pack.conn.execute("SELECT id FROM _tde_participants WHERE device_id = ?",
                                    (guard.device_id(device),)).fetchone()
            person = people[device] = participants.get_participant(pack, str(row[0]))
        return person

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
        with writer:
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
        key, person = request.match_info["key"], person_of(device)
        value, _empty = forms.raw_answer(questions[key], fields)
        rid = str(fields.get("rid"))
        responses.submit_answer(pack, workshop_id=workshop_id, exercise_id=exercise.id,
                                participant_id=person.id, question_key=key, answer=value,
                                device_id=person.device_id, response_id=rid, writer=writer)
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


async def _serve_on(path: Path, sock: socket.socket, writer: Any = None,
                    ready: Any = None) -> None:
    """Serve on the listening ``sock`` until SIGTERM; ``ready`` is released once it does."""
    runner = web.AppRunner(make_app(path, writer), access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    if ready is None:
        print(f"Phones join at http://127.0.0.1:{sock.getsockname()[1]}/j/BARE", flush=True)
    else:
        ready.release()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()


def _worker(path: Path, sock: socket.socket, writer: Any, ready: Any) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    asyncio.run(_serve_on(path, sock, writer, ready))


def serve(path: Path, port: int, workers: int = 1) -> None:
    """Listen on 127.0.0.1:``port`` with ``workers`` processes; the address is printed once
    every one of them listens. Ends on SIGTERM, with its workers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(256)
    sock.setblocking(False)
    if workers <= 1:
        asyncio.run(_serve_on(path, sock))
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # for sigwait below
    context = multiprocessing.get_context("fork")
    writer, ready = context.Lock(), context.Semaphore(0)
    processes = [context.Process(target=_worker, args=(path, sock, writer, ready))
                 for _i in range(workers)]
    for process in processes:
        process.start()
    for _process in processes:
        ready.acquire()
    print(f"Phones join at http://127.0.0.1:{port}/j/BARE", flush=True)
    signal.sigwait({signal.SIGTERM})
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def main() -> None:
    serve(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)


if __name__ == "__main__":
    main()
