"""SIGKILL the `tde room` process in the middle of a load run: every answer a phone was
told is saved is in the pack afterwards, and the pack passes integrity_check."""

from __future__ import annotations

import re
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from tde_desktop.core.pack import Pack
from tests.room.conftest import open_only, start_cli

PHONES = 12


def _phone(url: str, acked: list[str], refused: list[int], stop: threading.Event) -> None:
    http = requests.Session()
    base = url.split("/j/")[0]
    try:
        http.get(url, timeout=10)
        html = http.get(base + "/", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', html)
        assert csrf
        html = http.post(base + "/start", data={"csrf": csrf.group(1), "consent": "yes"},
                         timeout=10).text
        action = re.search(r'action="(/a/[^"]+)"', html)
        assert action
        n = 0
        while not stop.is_set():
            rid = str(uuid.uuid4())
            reply = http.post(base + action.group(1), timeout=10,
                              headers={"X-Requested-With": "tde-room"},
                              data={"csrf": csrf.group(1), "rid": rid,
                                    "text": f"note {n} from a phone"})
            if reply.status_code == 200 and reply.json().get("saved"):
                acked.append(rid)
            else:
                refused.append(reply.status_code)
            n += 1
    except (requests.ConnectionError, requests.Timeout):
        return  # the server is gone


def test_sigkill_during_a_load_run_loses_nothing_acknowledged(
        room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["data_walk_station"])
    proc, url = start_cli(path)
    acked: list[str] = []
    refused: list[int] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_phone, args=(url, acked, refused, stop))
               for _i in range(PHONES)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(acked) < 150 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        stop.set()
        proc.kill()
        for thread in threads:
            thread.join(timeout=20)
    assert len(acked) >= 150, refused[:10]
    assert refused.count(429) == len(refused)  # only ever slowed down, never refused
    with Pack.open(path) as pack:
        assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in pack.conn.execute("SELECT id FROM _tde_responses")}
    assert set(acked) <= stored
    assert len(set(acked)) == len(acked)
