"""The Flask application of the room: request checks, the phone's identity and language.

:func:`create_app` builds the app for one workshop of one pack. Each server
worker thread opens its own pack connection on its first request (SQLite
connections belong to one thread) and keeps it. Before any page runs:

* the Host header must be the address the room listens on (a page elsewhere
  cannot reach the room through a name it controls);
* the device is rate-limited (:class:`~tde_desktop.room.guard.RateLimiter`);
* a POST must carry this phone's CSRF token;
* ``_()`` answers in the phone's language for the whole request.

Writes from the workers take turns on :data:`~tde_desktop.room.replies.WRITER`, the
room's single writer.
The pages themselves are in :mod:`tde_desktop.room.pages`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, _, thread_language
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import records
from tde_desktop.room import guard, pages, questions
from tde_desktop.room.forms import BODY_LIMIT, LONG_BODY_LIMIT, body_limit
from tde_desktop.room.replies import refuse, texts
from tde_desktop.room.snapshot import SnapshotCache
from tde_desktop.room.texts import texts_in


def resolve_workshop(pack_path: Path, workshop_id: str | None) -> str:
    """The id of the workshop to serve: ``workshop_id`` (an id or a title), else the one
    running, else the newest. Raises :class:`TdeError` if the pack has none."""
    with Pack.open(pack_path, read_only=True) as pack:
        found = records.list_workshops(pack)
    if not found:
        raise TdeError(_("This pack has no workshop yet; create one in the app first."))
    if workshop_id:
        for workshop in found:
            if workshop_id in (workshop.id, workshop.title):
                return workshop.id
        raise TdeError(_("This pack has no workshop {name}.").format(name=workshop_id))
    running = [w for w in found if w.status == "running"]
    return (running or found)[0].id


class PackPerThread:
    """One read-write pack connection per thread, opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Pack] = []
        self._lock = threading.Lock()

    def get(self) -> Pack:
        pack: Pack | None = getattr(self._local, "pack", None)
        if pack is None:
            pack = Pack.open(self.path)
            pack.conn.execute("PRAGMA busy_timeout = 10000")
            self._local.pack = pack
            with self._lock:
                self._all.append(pack)
        return pack

    def close_all(self) -> None:
        """Close every connection (best effort: a thread's connection may be in use)."""
        with self._lock:
            packs, self._all = self._all, []
        for pack in packs:
            with contextlib.suppress(Exception):
                pack.conn.close()


def phone_language(accept: str, cookie: str | None) -> str:
    """The phone's choice (cookie), else the best of its Accept-Language header, else
    English."""
    if cookie in SUPPORTED_LANGUAGES:
        return str(cookie)
    return _best_language(accept, tuple(SUPPORTED_LANGUAGES)) if accept else "en"


@functools.lru_cache(maxsize=256)
def _best_language(accept: str, languages: tuple[str, ...]) -> str:
    """The best of ``languages`` for an Accept-Language header (a phone sends the same
    header on every request: it is read once)."""
    best = parse_accept_header(accept, LanguageAccept).best_match(list(languages))
    return str(best or "en")


def _warm(app: Flask) -> None:
    """Compile every page template and make the page texts of every language when the
    room starts, so that no phone's request waits for them."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    for lang in list(SUPPORTED_LANGUAGES):
        with thread_language(lang):
            texts_in(lang)


def create_app(pack_path: Path, workshop_id: str, code: str) -> Flask:
    """The room's Flask app for ``workshop_id`` of the pack at ``pack_path``."""
    app = Flask("tde_desktop.room", static_folder="static", static_url_path="/static")
    packs = PackPerThread(Path(pack_path))
    limiter = guard.RateLimiter()
    # Before a phone has its cookie it is known by its address only; on a hotspot each
    # phone has its own, but a room scanning the QR code at once must all get in.
    strangers = guard.RateLimiter(rate=100.0, burst=300.0)
    app.config.update(MAX_CONTENT_LENGTH=BODY_LIMIT, MAX_FORM_MEMORY_SIZE=LONG_BODY_LIMIT,
                      SEND_FILE_MAX_AGE_DEFAULT=300, ROOM_WORKSHOP=workshop_id,
                      ROOM_CODE=code, ROOM_PACKS=packs, ROOM_HOSTS=set(),
                      ROOM_CLOSE=packs.close_all, ROOM_LIMITER=limiter, ROOM_SEEN={},
                      ROOM_SNAPSHOTS=SnapshotCache(workshop_id), ROOM_PEOPLE={})
    app.jinja_env.autoescape = True  # participant text is text, on every template
    # Amounts in the phone's language: 1.000 in Spanish, 1,000 in English.
    app.jinja_env.filters["number"] = lambda value: format_number(value, 0, lang=g.lang)

    @app.before_request
    def _checks() -> Any:
        token = request.cookies.get(guard.DEVICE_COOKIE)
        g.token = token if guard.valid_token(token) else None
        if g.token:  # when each phone was last heard from, for the console's count
            seen = app.config["ROOM_SEEN"]
            now = seen[g.token] = time.monotonic()
            if len(seen) > 5000:  # made-up cookies must not grow it without end
                for old in [k for k, at in list(seen.items()) if now - at > 60]:
                    seen.pop(old, None)
        g.lang = phone_language(request.headers.get("Accept-Language", ""),
                                request.cookies.get(guard.LANG_COOKIE))
        g.lang_scope = thread_language(g.lang)
        g.lang_scope.__enter__()
        g.t = texts_in(g.lang)
        hosts = app.config["ROOM_HOSTS"]
        if hosts and request.host not in hosts:
            return refuse(400, g.t["bad_address"])
        if not (limiter.allow(g.token) if g.token else strangers.allow(
                request.remote_addr or "?")):
            response = refuse(429, g.t["too_fast"])
            response.headers["Retry-After"] = "1"
            return response
        g.pack = packs.get()
        if request.endpoint == "answer" and request.view_args:
            question = pages.snapshot().question(str(request.view_args.get("exercise_id")),
                                                 str(request.view_args.get("key")))
            request.max_content_length = body_limit(question) if question else BODY_LIMIT
        if request.method == "POST" and not guard.csrf_ok(g.token, request.form.get("csrf")):
            return refuse(403, g.t["bad_token"])
        return None

    @app.teardown_request
    def _language_back(_exc: BaseException | None) -> None:
        scope = g.pop("lang_scope", None)
        if scope is not None:
            scope.__exit__(None, None, None)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.extend(guard.SECURITY_HEADER_ITEMS)  # no route sets them
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(404)
    @app.errorhandler(405)
    def _not_found(_exc: Exception) -> Response:
        return refuse(404, texts()["not_found"])

    @app.errorhandler(413)
    def _too_big(_exc: Exception) -> Response:
        return refuse(413, texts()["too_big"])

    pages.register(app)
    questions.register(app)
    _warm(app)
    return app
