"""A real room on 127.0.0.1 (a free port), real pack files, real HTTP (requests)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.conftest import REPO
from tests.room.workshop_pack import build_pack

_INPUT = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
_ACTION = re.compile(r'<form method="post" action="([^"]+)" class="answer"')


class Phone:
    """One phone: its own cookies, the last page it was shown, and what it sent."""

    def __init__(self, server: RoomServer, lang: str = "en") -> None:
        self.base = f"http://127.0.0.1:{server.port}"
        self.join_url = server.join_url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = lang
        self.html = ""
        self.status = 0

    def _send(self, method: str, url: str, **kwargs: Any) -> str:
        # A phone told "too many requests, please wait a moment" waits and sends again,
        # as room.js does; a test phone sends far faster than a person taps.
        for _try in range(10):
            reply = self.http.request(method, url, timeout=10, **kwargs)
            if reply.status_code != 429:
                break
            time.sleep(0.5)
        self.status, self.html = reply.status_code, reply.text
        return self.html

    def get(self, path: str) -> str:
        return self._send("GET", self.base + path if path.startswith("/") else path)

    def join(self) -> str:
        self.get(self.join_url)
        assert self.status == 200, self.html
        return self.post("/start", {"consent": "yes"})

    def hidden(self, name: str) -> str:
        found = dict(_INPUT.findall(self.html))
        return unescape(found[name])

    def post(self, path: str, fields: dict[str, Any], *, csrf: str | None = None,
             **kwargs: Any) -> str:
        data = {"csrf": self.hidden("csrf") if csrf is None else csrf, **fields}
        return self._send("POST", self.base + path, data=data, **kwargs)

    def form_action(self) -> str:
        match = _ACTION.search(self.html)
        assert match, self.html
        return unescape(match.group(1))

    def answer(self, fields: dict[str, Any], *, rid: str | None = None) -> str:
        """Send the form of the page now shown with ``fields``; returns the next page."""
        action = self.form_action()
        return self.post(action, {"rid": rid or self.hidden("rid"), **fields})


def open_only(pack_path: Path, exercise_id: str) -> None:
    """The facilitator opens ``exercise_id`` (as the console does, in the app)."""
    with Pack.open(pack_path) as pack:
        w.open_exercise(pack, exercise_id)


@pytest.fixture
def room_pack(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "room.tdepack"
    return path, build_pack(path)


@pytest.fixture
def room(room_pack: tuple[Path, dict[str, Any]]) -> Iterator[RoomServer]:
    path, info = room_pack
    server = RoomServer(path, str(info["workshop"]), host="127.0.0.1", port=0).start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_cli(path: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`tde room` as a real process; returns it and the join address it printed."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tde_desktop.cli.main", "room", str(path), "--host",
         "127.0.0.1", "--port", str(port), *extra], cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/j/\w{4})", line)
    assert match, line + proc.stderr.read() if proc.stderr else line
    return proc, match.group(1)
