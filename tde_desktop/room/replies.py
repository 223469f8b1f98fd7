"""What every page shares: the room's single writer and the plain refusal.

Kept apart from :mod:`tde_desktop.room.app` so that the pages can use them without
importing the app that registers them.
"""

from __future__ import annotations

import json
import threading

from flask import Response, g, render_template, request

from tde_desktop.core.i18n import SUPPORTED_LANGUAGES
from tde_desktop.room.texts import page_texts

#: one writer at a time: a worker waiting for the pack's write lock is woken the moment
#: it is free, where SQLite's own busy handler would sleep for up to 100 ms between tries
WRITER = threading.Lock()


def texts() -> dict[str, str]:
    """This request's page texts (made once per request in the phone's language)."""
    return g.t if "t" in g else page_texts()


def refuse(status: int, message: str) -> Response:
    """A plain page (or, for our script, JSON) that says why, with ``status``."""
    if wants_json():
        response = Response(f'{{"error": {_json(message)}}}', status=status,
                            mimetype="application/json")
        return response
    html = render_template("message.html", t=texts(), lang=g.get("lang", "en"),
                           message=message, status=status, languages=SUPPORTED_LANGUAGES)
    return Response(html, status=status, mimetype="text/html")


def wants_json() -> bool:
    """True when our own script sent the request and reads the answer as JSON."""
    return request.headers.get("X-Requested-With") == "tde-room"


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
