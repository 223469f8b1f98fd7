"""On an Arabic phone (dir="rtl") pack values and participants' words read as written:
each sits in its own <bdi>, so "2041 W NORTH AVE" does not become "W NORTH AVE 2041"
and a Latin note keeps its full stop at its end. The values stay escaped."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import moderation, responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.room.conftest import Phone, open_only

ADDRESS = "2041 W NORTH AVE <b>x</b>"
SHOWN = "2041 W NORTH AVE &lt;b&gt;x&lt;/b&gt;"


def _arabic_phone(room: RoomServer) -> Phone:
    phone = Phone(room, "ar")
    phone.join()
    assert '<html lang="ar" dir="rtl">' in phone.html
    return phone


def test_check_the_data_wraps_each_value_of_a_record(room: RoomServer,
                                                      room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    with Pack.open(path) as pack:
        table = pack.dataset(info["dataset"]).table_name
        pack.conn.execute(f'UPDATE "{table}" SET address = ? WHERE rowid = 1', (ADDRESS,))
    open_only(path, info["exercises"]["check_data"])
    phone = _arabic_phone(room)
    phone.get("/q?k=flag&find=2041")
    [item] = re.findall(r'<a class="record"[^>]*>(.*?)</a>', phone.html)
    assert item.startswith(f"<strong><bdi>{SHOWN}</bdi></strong> <span class=\"details\">")
    # each other key value isolated, and each pair, so a pair reads "status: open" in
    # its label's direction (never "open :status"); no control characters
    assert "<bdi>notice_id: <bdi>N0001</bdi></bdi>" in item
    assert "<bdi>neighborhood: <bdi>South</bdi></bdi>" in item
    assert "<bdi>status: <bdi>open</bdi></bdi>" in item
    assert "\u2068" not in phone.html
    assert "<b>x</b>" not in phone.html

    phone.get("/q?k=flag&rowid=1")
    picked = re.search(r'<p class="picked">(.*?)</p>', phone.html)
    assert picked, phone.html
    assert f"<bdi>{SHOWN}</bdi>" in picked.group(1)
    assert "<bdi>notice_id: <bdi>N0001</bdi></bdi>" in picked.group(1)
    assert "<b>x</b>" not in phone.html
    # the flag's choices are labels in their own direction too
    assert re.search(r'name="flag" value="\w+"> <span><bdi>[^<]+</bdi></span>', phone.html)

    phone.answer({"flag": "wrong", "comment": "Sold in 2021.", "correction": ""})
    assert phone.status == 200, phone.html
    phone.get("/mine")
    assert "<dd><bdi>Sold in 2021.</bdi></dd>" in phone.html
    assert re.search(r"<dt><bdi>[^<]+</bdi>: <bdi>[^<]+</bdi></dt>", phone.html)
    with Pack.open(path, read_only=True) as pack:  # what is stored has no markup
        [stored] = responses.list_responses(pack, info["workshop"])
        assert stored.answer_text == "Sold in 2021."


def test_results_wrap_tally_labels_and_approved_notes(room: RoomServer,
                                                       room_pack: tuple[Path, Any]) -> None:
    path, info = room_pack
    station, choice = info["exercises"]["data_walk_station"], info["exercises"]["single_choice"]
    open_only(path, station)
    phone = _arabic_phone(room)
    rid = phone.hidden("rid")
    phone.answer({"text": "2041 W NORTH AVE: empty lot."})
    assert phone.status == 200, phone.html
    open_only(path, choice)
    phone.get("/q")
    first = re.findall(r'name="choice" value="(\w+)"', phone.html)[0]
    phone.answer({"choice": first})
    with Pack.open(path) as pack:
        moderation.set_status(pack, rid, moderation.APPROVED)
        w.reveal(pack, station)
        w.reveal(pack, choice)
    phone.get("/results")
    assert '<ul class="notes"><li><bdi>2041 W NORTH AVE: empty lot.</bdi></li></ul>' \
        in phone.html
    labels = re.findall(r'<span class="label">(.*?)</span>', phone.html)
    assert labels
    assert all(re.fullmatch(r"<bdi>[^<]+</bdi>", label) for label in labels), labels
