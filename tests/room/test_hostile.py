"""Hostile input: each gets a clear refusal, and nothing is stored or shown as markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.room.conftest import Phone, open_only


def _stored(path: Path, workshop_id: str) -> list[Any]:
    with Pack.open(path, read_only=True) as pack:
        return responses.list_responses(pack, workshop_id, include_deleted=True)


@pytest.fixture
def phone(room: RoomServer, room_pack: tuple[Path, Any]) -> Phone:
    path, info = room_pack
    open_only(path, info["exercises"]["open_text"])
    joined = Phone(room)
    joined.join()
    return joined


def test_missing_or_wrong_csrf_token(phone: Phone, room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    action, rid = phone.form_action(), phone.hidden("rid")
    for token in ("", "0" * 40, "not-a-token"):
        phone.post(action, {"rid": rid, "text": "sneaky"}, csrf=token)
        assert phone.status == 403
        assert "This form has expired" in phone.html
    other = Phone(phone_server(phone))
    other.join()
    phone.post(action, {"rid": rid, "text": "sneaky"}, csrf=other.hidden("csrf"))
    assert phone.status == 403
    # a cross-site form post has no cookie at all
    reply = requests.post(phone.base + action, data={"rid": rid, "text": "x", "csrf": "1"},
                          timeout=10)
    assert reply.status_code == 403
    assert _stored(path, info["workshop"]) == []


def phone_server(phone: Phone) -> Any:
    class _Server:
        port = int(phone.base.rsplit(":", 1)[1])
        join_url = phone.join_url
    return _Server()


def test_oversized_bodies_are_refused(phone: Phone, room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    action, rid = phone.form_action(), phone.hidden("rid")
    phone.post(action, {"rid": rid, "text": "x" * 200_000})
    assert phone.status == 413
    assert "too large" in phone.html
    open_only(path, info["exercises"]["single_choice"])
    phone.get("/q")
    phone.answer({"choice": "x" * 20_000})
    assert phone.status == 413
    # a long story is fine (10,000 characters, the core's limit), one over is refused
    open_only(path, info["exercises"]["open_text"])
    phone.get("/q")
    phone.answer({"text": "é" * 10_001})
    assert phone.status == 422
    assert "too long" in phone.html
    assert _stored(path, info["workshop"]) == []
    phone.answer({"text": "é" * 10_000})
    assert phone.status == 200
    assert len(_stored(path, info["workshop"])) == 1


def test_unknown_or_unopened_exercises(phone: Phone, room_pack: tuple[Path, Any],
                                       tmp_path: Path) -> None:
    path, info = room_pack
    rid, csrf = phone.hidden("rid"), phone.hidden("csrf")
    waiting = info["exercises"]["budget"]  # never opened
    for action in ("/a/nope/answer", f"/a/{info['exercises']['open_text']}/nope",
                   f"/a/{waiting}/allocation", "/a/../../answer"):
        phone.post(action, {"rid": rid, "text": "x", "n_a": "1"}, csrf=csrf)
        assert phone.status == 404, action
        assert "<script" not in phone.html.replace('<script src="/static/room.js" defer>', "")
    with Pack.open(path) as pack:  # an exercise of another workshop of the same pack
        other = w.create_workshop(pack, "Another night")
        foreign = w.add_exercise(pack, other.id, type="open_text", title="Other",
                                 config={"questions": [{"key": "answer",
                                                        "kind": "open_text"}]})
        w.open_exercise(pack, foreign.id)
    phone.post(f"/a/{foreign.id}/answer", {"rid": rid, "text": "x"}, csrf=csrf)
    assert phone.status == 404
    phone.post("/q", {"rid": rid}, csrf=csrf)
    assert phone.status == 404
    assert _stored(path, info["workshop"]) == []


def test_another_phones_cookie_or_answer_id(room: RoomServer, phone: Phone,
                                            room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    action, rid = phone.form_action(), phone.hidden("rid")
    phone.answer({"text": "mine"})
    assert phone.status == 200
    thief = Phone(room)
    thief.join()
    thief.get("/q")
    thief.post(action, {"rid": rid, "text": "overwritten"})
    assert thief.status == 422
    assert "already sent for another question" in thief.html
    # a made-up device cookie is a stranger: not signed in, nothing stored
    stranger = Phone(room)
    stranger.http.cookies.set("tde_device", "A" * 43)
    stranger.get("/q")
    assert "consent" in stranger.html
    from tde_desktop.room.guard import csrf_token
    stranger.post(action, {"rid": "6f1c2a4e-1111-4222-8333-944455556666", "text": "x"},
                  csrf=csrf_token("A" * 43))
    assert stranger.status == 403
    assert "join the workshop first" in stranger.html
    assert [r.answer_text for r in _stored(path, info["workshop"])] == ["mine"]
    # a response id that is not a UUID is refused
    phone.get("/q?k=answer")
    phone.answer({"text": "again"}, rid="' OR 1=1 --")
    assert phone.status == 400


FACILITATOR_GUESSES = ("/admin", "/console", "/facilitator", "/open", "/close", "/reveal",
                       "/api/reveal", "/end", "/export", "/export.xlsx", "/moderate",
                       "/approve", "/pin", "/kiosk", "/projector", "/pack", "/room.tdepack",
                       "/download", "/datasets", "/dataset/1", "/data.csv", "/static/../app.py",
                       "/static/..%2fapp.py", "/j/ZZZZ", "/q/../admin", "/.env", "/chart/x.png")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_guessed_facilitator_urls(phone: Phone, room_pack: tuple[Path, Any],
                                  method: str) -> None:
    path, info = room_pack
    with Pack.open(path, read_only=True) as pack:
        before = (w.get_workshop(pack, info["workshop"]), w.list_exercises(pack,
                                                                           info["workshop"]))
    for guess in FACILITATOR_GUESSES:
        if method == "GET":
            phone.get(guess)
        else:
            phone.post(guess, {"rid": phone.hidden("rid") if "rid" in phone.html else "",
                               "pin": "1234", "exercise": info["exercises"]["budget"]},
                       csrf="")
        assert phone.status in (403, 404), guess
        phone.get("/q")
    with Pack.open(path, read_only=True) as pack:
        after = (w.get_workshop(pack, info["workshop"]), w.list_exercises(pack,
                                                                          info["workshop"]))
    assert after == before


def test_chart_and_records_only_for_the_open_exercise(phone: Phone,
                                                      room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    station = info["exercises"]["data_walk_station"]
    phone.get(f"/chart/{station}.png")
    assert phone.status == 404  # not open yet
    open_only(path, info["exercises"]["check_data"])
    phone.get("/q?k=flag&find=")
    assert len(re.findall(r'class="record"', phone.html)) == 10  # a few, never the dataset


def test_every_page_is_small_strict_and_has_no_inline_script(
        phone: Phone, room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["data_walk_station"])
    pages = ["/", "/q", "/mine", "/results", "/withdraw", "/nowhere", "/static/room.js",
             "/static/room.css", f"/chart/{info['exercises']['data_walk_station']}.png"]
    for page in pages:
        reply = phone.http.get(phone.base + page, timeout=10)
        assert len(reply.content) < 100_000, page
        csp = reply.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        if reply.headers["Content-Type"].startswith("text/html"):
            scripts = re.findall(r"<script[^>]*>", reply.text)
            assert scripts == ['<script src="/static/room.js" defer>'], page
            assert not re.search(r"\son[a-z]+=", reply.text), page
            assert not re.search(r"https?://", reply.text), page


def test_requests_for_another_host_name_are_refused(phone: Phone) -> None:
    reply = phone.http.get(phone.base + "/q", headers={"Host": "evil.example:80"},
                           timeout=10)
    assert reply.status_code == 400


def test_a_flood_from_one_phone_is_slowed_down(phone: Phone) -> None:
    statuses = [phone.http.get(phone.base + "/state.json", timeout=10).status_code
                for _i in range(150)]
    assert 429 in statuses
    assert statuses[0] == 200
    other = requests.get(phone.base + "/", timeout=10)  # other phones are not affected
    assert other.status_code == 200
