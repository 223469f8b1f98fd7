"""A lean simulated phone for ``room_bench.py``: asyncio streams over keep-alive
connections with pre-built request bytes, so that a hundred phones cost the shared
CPU as little as possible and the server gets the cores.

The phone behaves as a real one with our script: it opens the join address (which
sets the device cookie and redirects), signs in with consent, then for each question
loads the question page, reads the form's action, response id and CSRF token from it,
and POSTs the answer form-encoded with ``X-Requested-With: tde-room`` exactly as
``room.js`` does, sending the same answer again (same response id) after a 429.
Redirects (303) are followed on the same connection, as a browser would.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

_ACTION = re.compile(rb'action="(/a/[^"]+)"')
_RID = re.compile(rb'name="rid" value="([^"]+)"')
_CSRF = re.compile(rb'name="csrf" value="([^"]+)"')
_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+)=([^;\r\n]*)", re.I | re.M)
_LENGTH = re.compile(rb"^content-length:\s*(\d+)", re.I | re.M)
_LOCATION = re.compile(rb"^location:\s*(\S+)", re.I | re.M)
_CLOSE = re.compile(rb"^connection:\s*close", re.I | re.M)
_CHUNKED = re.compile(rb"^transfer-encoding:\s*chunked", re.I | re.M)


@dataclass
class PhoneRun:
    """What one simulated phone saw."""

    latencies: list[float] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    too_fast: int = 0


class HttpError(Exception):
    """The server answered in a way no phone expects."""


class Connection:
    """One keep-alive HTTP/1.1 connection with the phone's cookies and language."""

    def __init__(self, host: str, port: int, lang: str, run: PhoneRun) -> None:
        self.host, self.port, self.run = host, port, run
        self.cookies: dict[str, str] = {}
        self._fixed = (f"Host: {host}:{port}\r\nAccept-Language: {lang}\r\n"
                       "Accept: text/html\r\n").encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    def _head(self, method: str, path: str, extra: bytes) -> bytes:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return (f"{method} {path} HTTP/1.1\r\n".encode() + self._fixed
                + (f"Cookie: {cookie}\r\n".encode() if cookie else b"") + extra)

    async def request(self, method: str, path: str, body: bytes = b"",
                      extra: bytes = b"") -> tuple[int, bytes, bytes]:
        """(status, headers, body) of one request; reconnects once if the server had
        closed the kept-alive connection."""
        if body:
            extra += (b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: %d\r\n" % len(body))
        data = self._head(method, path, extra) + b"\r\n" + body
        for attempt in (0, 1):
            if self._writer is None:
                await self._open()
            assert self._reader is not None
            assert self._writer is not None
            try:
                self._writer.write(data)
                head = await self._reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
                continue
            break
        self.run.requests += 1
        reader = self._reader
        assert reader is not None
        status = int(head[9:12])
        length = _LENGTH.search(head)
        if length is not None:
            content = await reader.readexactly(int(length.group(1)))
        elif _CHUNKED.search(head):
            content = await self._chunks()
        else:
            raise HttpError(f"no length: {head[:80]!r}")
        for name, value in _COOKIE.findall(head):
            self.cookies[name.decode()] = value.decode()
        if _CLOSE.search(head):
            self.close()
        return status, head, content

    async def _chunks(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self._reader.readexactly(size + 2)
            if not size:
                return b"".join(parts)
            parts.append(chunk[:-2])

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``, following redirects; waits and asks again after a 429."""
        for _hop in range(5):
            status, head, content = await self._patient("GET", path)
            if status not in (301, 302, 303):
                return status, content
            path = _path(head)
        raise HttpError("too many redirects")

    async def _patient(self, method: str, path: str, body: bytes = b"",
                       extra: bytes = b"") -> tuple[int, bytes, bytes]:
        for _attempt in range(50):
            status, head, content = await self.request(method, path, body, extra)
            if status != 429:
                return status, head, content
            self.run.too_fast += 1
            await asyncio.sleep(0.2)  # slowed down: room.js sends the same form again
        return status, head, content


def _path(head: bytes) -> str:
    found = _LOCATION.search(head)
    if found is None:
        raise HttpError("redirect without Location")
    parts = urlsplit(found.group(1).decode())
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def phone(n: int, url: str, questions: list[tuple[str, str]], start: asyncio.Event,
                run: PhoneRun, deadline: float, think: float,
                answer_fields: Any) -> None:
    """One phone through the workshop (see the module docstring)."""
    parts = urlsplit(url)
    http = Connection(parts.hostname or "127.0.0.1", parts.port or 80,
                      "es" if n % 2 else "en", run)
    pace = random.Random(n)
    try:
        status, page = await http.get(parts.path)
        run.pages["welcome"] = len(page)
        csrf = _CSRF.search(page)
        if status != 200 or csrf is None:
            raise HttpError(f"welcome {status}")
        token = csrf.group(1)
        await start.wait()
        body = urlencode({"csrf": token.decode(), "consent": "yes"}).encode()
        status, head, page = await http._patient("POST", "/start", body)
        status, page = await http.get(_path(head))
        for i, (key, kind) in enumerate(questions):
            if time.monotonic() > deadline:
                run.errors.append("out of time")
                return
            if i:
                status, page = await http.get(f"/q?k={key}")
            run.pages[kind] = len(page)
            action, rid = _ACTION.search(page), _RID.search(page)
            if status != 200 or action is None or rid is None:
                raise HttpError(f"question {status} {page[:80]!r}")
            fields, _raw = answer_fields(kind, n)
            if think:  # a person reads and taps: think/2 to 3*think/2 seconds
                await asyncio.sleep(think * (0.5 + pace.random()))
            body = urlencode({"csrf": token.decode(), "rid": rid.group(1).decode(), **fields},
                             doseq=True).encode()
            sent = time.perf_counter()
            status, _head, reply = await http._patient(
                "POST", action.group(1).decode(), body,
                b"X-Requested-With: tde-room\r\nAccept: application/json\r\n")
            if status == 200 and b'"saved":true' in reply.replace(b" ", b""):
                run.latencies.append(time.perf_counter() - sent)
                run.acked.append(rid.group(1).decode())
            else:
                run.errors.append(f"{status} {reply[:80]!r}")
    except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as exc:
        run.errors.append(f"{type(exc).__name__}: {exc}"[:120])
    finally:
        http.close()


async def room_load(url: str, questions: list[tuple[str, str]], phones: int, limit_s: float,
                    think: float, answer_fields: Any, on_start: Any) -> tuple[list[PhoneRun],
                                                                               float]:
    """Run ``phones`` phones at once; returns what each saw and the seconds from the
    moment they all start answering to the last one done. ``on_start()`` is called
    just before (to take the CPU readings)."""
    start = asyncio.Event()
    runs = [PhoneRun() for _i in range(phones)]
    deadline = time.monotonic() + limit_s
    tasks = [asyncio.create_task(phone(n, url, questions, start, runs[n], deadline, think,
                                       answer_fields)) for n in range(phones)]
    while sum(1 for r in runs if "welcome" in r.pages or r.errors) < phones:
        await asyncio.sleep(0.05)  # every phone has loaded the welcome page
    on_start()
    began = time.perf_counter()
    start.set()
    await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic() + 30))
    return runs, time.perf_counter() - began
