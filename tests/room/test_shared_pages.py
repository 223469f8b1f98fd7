"""A question page is drawn once for every phone that has not answered it: each phone
still gets its own CSRF token, response id and code, sees its own earlier answer, and
the facilitator's edits reach the very next page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import records, responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tde_desktop.room.pages import MARK_CODE, MARK_CSRF, MARK_RID
from tests.room.conftest import Phone, open_only

MARKUP = '<script>alert(1)</script><b>"bold" & more</b>'
_CODE = re.compile(r'<p class="code">[^<]*?(P-\w{4})')


def _key(html: str) -> str:
    found = re.search(r'action="/a/[^/"]+/(\w+)"', html)
    assert found, html
    return found.group(1)


def test_two_phones_share_a_page_but_not_its_tokens(
        room: RoomServer, room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["rating"])
    first, second = Phone(room), Phone(room)
    first.join()
    second.join()
    key = _key(first.html)
    pages = [phone.get(f"/q?k={key}") for phone in (first, second, first)]
    for page in pages:
        assert all(mark not in page for mark in (MARK_CSRF, MARK_RID, MARK_CODE))
    assert first.hidden("csrf") != second.hidden("csrf")
    assert len({re.search(r'name="rid" value="([^"]+)"', p).group(1)  # type: ignore[union-attr]
                for p in pages}) == 3  # a new response id each time the page is drawn
    codes = [_CODE.search(p) for p in pages]
    assert all(codes)
    assert codes[0].group(1) != codes[1].group(1)  # type: ignore[union-attr]
    assert codes[0].group(1) == codes[2].group(1)  # type: ignore[union-attr]
    # The same page but for those three: the shared drawing is the one both saw.
    def plain(page: str) -> str:
        return re.sub(r'value="[^"]+"|P-\w{4}', "", page)
    assert plain(pages[0]) == plain(pages[1])
    # Each phone sends its own form; its answer is stored under its response id.
    choice = re.findall(r'name="choice" value="(\w+)"', pages[1])[0]
    rid = second.hidden("rid")
    second.answer({"choice": choice})
    assert second.status == 200
    with Pack.open(path, read_only=True) as pack:
        stored = responses.get_response(pack, rid)
    assert str(stored.answer) == choice


def test_an_answered_question_shows_the_phones_own_answer(
        room: RoomServer, room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["single_choice"])
    mine, other = Phone(room), Phone(room)
    mine.join()
    other.join()
    key = _key(mine.html)
    choice = re.findall(r'name="choice" value="(\w+)"', mine.html)[0]
    mine.answer({"choice": choice})
    assert mine.get(f"/q?k={key}").count(" checked") == 1
    assert f'value="{choice}" checked' in mine.html
    assert " checked" not in other.get(f"/q?k={key}")  # not another phone's answer


def test_the_facilitators_edit_reaches_the_next_page_escaped(
        room: RoomServer, room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    exercise_id = info["exercises"]["open_text"]
    open_only(path, exercise_id)
    phone = Phone(room)
    phone.join()
    key = _key(phone.html)
    for _round in range(6):  # every worker thread draws and keeps its page
        phone.get(f"/q?k={key}")
    with Pack.open(path) as pack:
        exercise = records.get_exercise(pack, exercise_id)
        config = dict(exercise.config)
        config["questions"] = [dict(q, text={"en": MARKUP, "es": MARKUP})
                               for q in config["questions"]]
        w.update_exercise(pack, exercise_id, config=config)
    for _round in range(6):
        html = phone.get(f"/q?k={key}")
        assert MARKUP not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;&#34;bold&#34; &amp; more" in html
