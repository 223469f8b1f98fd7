"""A whole workshop by three phones through plain HTML forms: every question kind,
answers stored once through submit_answer, and the workbook holds exactly them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.room.answering import answer_page
from tests.room.conftest import Phone, open_only
from tests.room.workshop_pack import TEMPLATES

HOSTILE = '<script>alert(1)</script><b onmouseover="x()">bold</b> & "quotes"'


def _kinds(path: Path, workshop_id: str) -> dict[str, dict[str, str]]:
    with Pack.open(path, read_only=True) as pack:
        return {e.id: {q.key: q.kind for q in e.questions}
                for e in w.list_exercises(pack, workshop_id)}


def run_exercise(phone: Phone, kinds: dict[str, str], n: int) -> list[str]:
    """Answer every question the phone is shown in the open exercise; returns the keys."""
    answered = []
    phone.get("/q")
    for _step in range(20):
        if "every question of this exercise" in phone.html or \
                "todas las preguntas de este ejercicio" in phone.html:
            return answered
        key = re.search(r'action="/a/[^/"]+/(\w+)"', phone.html) or re.search(
            r'name="k" value="(\w+)"', phone.html)
        assert key, phone.html
        kind = kinds[key.group(1)]
        answered.append(answer_page(phone, kind, n, f"Phone {n} says {HOSTILE}"))
    raise AssertionError("the exercise never ended")


def test_three_phones_run_a_whole_workshop(room: RoomServer, room_pack: tuple[Path, Any],
                                           tmp_path: Path) -> None:
    path, info = room_pack
    kinds = _kinds(path, info["workshop"])
    phones = [Phone(room, "en"), Phone(room, "es-MX,es;q=0.9"), Phone(room, "en-GB")]
    for phone in phones:
        phone.join()
        assert "Please wait" in phone.html or "espere" in phone.html
    assert '<html lang="es"' in phones[1].html
    assert "Actualizar" in phones[1].html
    sent: dict[int, set[tuple[str, str]]] = {0: set(), 1: set(), 2: set()}
    for name in TEMPLATES:
        exercise_id = info["exercises"][name]
        open_only(path, exercise_id)
        for n, phone in enumerate(phones):
            for key in run_exercise(phone, kinds[exercise_id], n):
                if key != "contact":  # kept on the participant only, as from the kiosk
                    sent[n].add((exercise_id, key))
            # the page shows the open exercise only
            assert exercise_id in phone.html
        if name == "data_walk_station":
            reply = phones[0].http.get(phones[0].base + f"/chart/{exercise_id}.png",
                                       timeout=10)
            assert reply.headers["Content-Type"] == "image/png"
            assert reply.content.startswith(b"\x89PNG")
            assert len(reply.content) < 100_000

    with Pack.open(path) as pack:
        stored = responses.list_responses(pack, info["workshop"])
        people = {p.device_id: p for p in w.list_participants(pack, info["workshop"])}
        w.end_workshop(pack, info["workshop"])
        assert len(people) == 3
        assert all(d.startswith("phone-") for d in people)
        contacts = [p.contact for p in people.values() if p.consent_contact]
        assert contacts
        assert all(HOSTILE in c for c in contacts)
        by_person: dict[str, set[tuple[str, str]]] = {}
        for r in stored:
            by_person.setdefault(r.participant_id, set()).add((r.exercise_id, r.question_key))
        assert sorted(len(v) for v in by_person.values()) == sorted(len(v) for v in
                                                                   sent.values())
        # one row per answer: nothing stored twice
        assert len(stored) == sum(len(v) for v in sent.values())
        texts = [r.answer_text for r in stored if "Phone" in r.answer_text]
        assert texts
        assert all(HOSTILE in t for t in texts)
        out = tmp_path / "results.xlsx"
        export_workbook(pack, info["workshop"], out)
    sheet = openpyxl.load_workbook(out, read_only=True)["Responses"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(stored)
    codes = {row[4] for row in rows}
    assert len(codes) == 3
    # each phone's flag names the dataset and the record, for the department's log
    flags = list(openpyxl.load_workbook(out, read_only=True)["Data quality flags"].iter_rows(
        min_row=2, values_only=True))
    assert len(flags) == 3
    assert {row[0] for row in flags} == {"Notices"}
    assert [row[2] for row in flags] == [f"notice_id=N000{row[1]}" for row in flags]


def test_markup_is_shown_as_text_everywhere(room: RoomServer, room_pack: tuple[Path, Any]
                                            ) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["open_text"])
    phone = Phone(room)
    phone.join()
    phone.answer({"text": HOSTILE})
    phone.get("/mine")
    assert HOSTILE not in phone.html
    assert "<script>alert" not in phone.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in phone.html
    # a refused answer shows the typed text again, escaped
    open_only(path, info["exercises"]["data_request"])
    phone.get("/q")
    phone.answer({"who": HOSTILE, "what": ""})
    assert phone.status == 422
    assert "Please say what data is needed." in phone.html
    assert "<script>alert" not in phone.html
    assert "&lt;script&gt;" in phone.html


def test_a_double_tap_or_a_retry_is_stored_once(room: RoomServer,
                                                room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["data_walk_station"])
    phone = Phone(room)
    phone.join()
    action, rid = phone.form_action(), phone.hidden("rid")
    csrf = phone.hidden("csrf")
    for _tap in range(3):
        phone.post(action, {"rid": rid, "text": "Empty lots near the school"}, csrf=csrf)
        assert phone.status == 200
    with Pack.open(path, read_only=True) as pack:
        notes = responses.sticky_notes(pack, info["exercises"]["data_walk_station"],
                                       approved_only=False)
    assert [n.answer_text for n in notes] == ["Empty lots near the school"]
    assert notes[0].id == rid


def test_a_phone_comes_back_where_it_was(room_pack: tuple[Path, Any]) -> None:
    """After sleep, reload or a restart of the room, the cookie finds the participant."""
    path, info = room_pack
    open_only(path, info["exercises"]["evaluation"])
    server = RoomServer(path, info["workshop"], host="127.0.0.1", port=0).start()
    phone = Phone(server)
    phone.join()
    code = re.search(r"Your code is (P-\w+)", phone.html)
    assert code
    phone.answer({"choice": "up"} if 'value="up"' in phone.html else {"skip": "1"})
    second = phone.form_action()
    server.stop()
    again = RoomServer(path, info["workshop"], host="127.0.0.1", port=0).start()
    try:
        phone.base = f"http://127.0.0.1:{again.port}"
        phone.get("/q")
        assert code.group(1) in phone.html
        assert phone.form_action() == second
    finally:
        again.stop()


def test_withdraw_from_the_phone(room: RoomServer, room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["open_text"])
    phone = Phone(room)
    phone.join()
    phone.answer({"text": "Remove me later"})
    phone.get("/withdraw")
    phone.post("/withdraw", {"confirm": "yes"})
    assert phone.status == 200
    assert "removed" in phone.html
    with Pack.open(path, read_only=True) as pack:
        assert responses.list_responses(pack, info["workshop"], include_deleted=True) == []
        assert all(p.withdrawn for p in w.list_participants(pack, info["workshop"],
                                                            include_withdrawn=True))
    phone.get("/q")
    assert "consent" in phone.html  # a new start, not the old answers


def test_results_only_when_revealed(room: RoomServer, room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    exercise_id = info["exercises"]["single_choice"]
    open_only(path, exercise_id)
    phone = Phone(room)
    phone.join()
    phone.answer({"choice": re.findall(r'name="choice" value="(\w+)"', phone.html)[0]})
    phone.get("/results")
    assert "has not shown any results" in phone.html
    with Pack.open(path) as pack:
        w.reveal(pack, exercise_id)
    phone.get("/results")
    assert "has not shown any results" not in phone.html
    assert 'class="bars"' in phone.html


def test_status_counts_the_phones_for_the_console(room: RoomServer,
                                                  room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["open_text"])
    assert room.status().joined == 0
    phones = [Phone(room) for _i in range(3)]
    for phone in phones:
        phone.join()
    phones[0].answer({"text": "Lights on Main St"})
    with Pack.open(path) as pack:  # a kiosk participant is not a phone
        w.add_participant(pack, info["workshop"], device_id="kiosk")
    status = room.status()
    assert status.joined == 3
    assert status.connected == 3
    assert status.answered[info["exercises"]["open_text"]] == 1
    phones[1].get("/withdraw")
    phones[1].post("/withdraw", {"confirm": "yes"})
    assert room.status().joined == 2


def test_amounts_are_written_in_the_phones_language(room: RoomServer,
                                                     room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["budget"])
    pages = {}
    for lang in ("en", "es"):
        phone = Phone(room, lang)
        phone.join()
        pages[lang] = phone.get("/q")
    # The budget template's total of 100000: English groups with commas, Spanish with points.
    assert "100,000" in pages["en"]
    assert "100.000" in pages["es"]
    assert "100,000" not in pages["es"]
