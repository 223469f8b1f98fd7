"""Each worker thread keeps the workshop it serves; what the facilitator changes reaches
every phone on its next request, and answers never make a thread read it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.room.conftest import Phone, open_only

#: more requests than worker threads, so every thread's own copy is asked
ROUNDS = 12


def _states(phone: Phone) -> set[str]:
    seen = set()
    for _i in range(ROUNDS):
        reply = phone.http.get(phone.base + "/state.json", timeout=10)
        assert reply.status_code == 200
        seen.add(reply.json()["exercise"])
    return seen


def test_the_facilitators_changes_reach_every_thread_at_once(
        room: RoomServer, room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    first, second = info["exercises"]["rating"], info["exercises"]["open_text"]
    phone = Phone(room)
    phone.join()
    open_only(path, first)
    assert _states(phone) == {first}  # every thread now holds the workshop with `first`
    # Within the same second (updated_at is to the second): open, close, open another.
    with Pack.open(path) as pack:
        w.close_exercise(pack, first)
        w.open_exercise(pack, second)
    assert _states(phone) == {second}
    phone.get("/q")
    assert f"/a/{second}/" in phone.html
    with Pack.open(path) as pack:
        w.close_exercise(pack, second)
    assert _states(phone) == {""}
    phone.get("/q")
    assert f"/a/{second}/" not in phone.html
    # An edited question shows on the next page, in the same second as the reopening.
    with Pack.open(path) as pack:
        w.open_exercise(pack, second)
        config = w.get_exercise(pack, second).config
        config["questions"][0]["text"] = {"en": "Edited while open", "es": "Editada"}
        w.update_exercise(pack, second, config=config)
    for _i in range(ROUNDS):
        phone.get("/q")
        assert "Edited while open" in phone.html


def test_answers_do_not_make_threads_read_the_workshop_again(
        room: RoomServer, room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    exercise = info["exercises"]["evaluation"]
    open_only(path, exercise)
    phones = [Phone(room) for _i in range(3)]
    for phone in phones:
        phone.join()
        _states(phone)
    cache = room.app.config["ROOM_SNAPSHOTS"]
    built = cache.rebuilds
    assert built <= room.threads
    sent = 0
    for n, phone in enumerate(phones):
        phone.get("/q")
        for _step in range(3):
            choice = phone.html.split('name="choice" value="')[1].split('"')[0] \
                if 'name="choice"' in phone.html else None
            fields = {"choice": choice} if choice else {"text": f"Phone {n}"}
            phone.answer(fields)
            assert phone.status == 200, phone.html
            sent += 1
    with Pack.open(path, read_only=True) as pack:
        stored = pack.conn.execute("SELECT count(*) FROM _tde_responses WHERE exercise_id = ?",
                                   (exercise,)).fetchone()[0]
    assert stored == sent
    assert cache.rebuilds == built
