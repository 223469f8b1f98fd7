"""Three phones in a real browser (Chromium, 360x740) go through a whole workshop against
the room on 127.0.0.1: one in Spanish, one with JavaScript off, one that reloads mid-way.
The workbook then holds exactly their answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.room import RoomServer
from tests.conftest import on_ci
from tests.room.browser_phone import BrowserPhone, available
from tests.room.conftest import open_only
from tests.room.workshop_pack import TEMPLATES

pytestmark = pytest.mark.slow

DONE = ("every question of this exercise", "todas las preguntas de este ejercicio")


@pytest.fixture
def phones() -> Any:
    if not available():
        if on_ci():
            pytest.fail("chromium, chromium-driver and selenium are needed on CI")
        pytest.skip("needs chromium, chromium-driver and selenium")
    made = [BrowserPhone("es"), BrowserPhone("en", javascript=False), BrowserPhone("en")]
    yield made
    for phone in made:
        phone.quit()


def _finish_exercise(phone: BrowserPhone, n: int, reload_after: int | None) -> int:
    answered = 0
    for _step in range(20):
        if any(d in phone.text() for d in DONE):
            return answered
        assert phone.on_question(), phone.text()[:400]
        key = phone.answer(n, f"Phone {n}: <b>bold</b> & <script>x()</script>")
        answered += key != "contact"
        if reload_after is not None and answered == reload_after:
            before = phone.question_key()
            phone.driver.refresh()
            assert phone.question_key() == before  # the cookie brings it back
    raise AssertionError("the exercise never ended")


def test_three_browser_phones_run_a_whole_workshop(phones: list[BrowserPhone],
                                                   room: RoomServer,
                                                   room_pack: tuple[Path, Any],
                                                   tmp_path: Path) -> None:
    path, info = room_pack
    spanish, no_js, reloader = phones
    for phone in phones:
        phone.join(room.join_url)
    assert "Actualizar" in spanish.text()
    assert '<html lang="es"' in spanish.html
    counts = [0, 0, 0]
    for name in TEMPLATES:
        exercise_id = info["exercises"][name]
        open_only(path, exercise_id)
        for n, phone in enumerate(phones):
            if phone.javascript:  # the page follows the facilitator by itself
                phone.wait_for(lambda p=phone, e=exercise_id: p.find(
                    f'body[data-exercise="{e}"]') and p.on_question())
            else:  # without JavaScript: the Refresh link
                phone.tap(phone.find('main a[href="/q"]')[0])
            counts[n] += _finish_exercise(phone, n, 1 if (phone is reloader and
                                                          name == "evaluation") else None)
    spanish.open(spanish.driver.current_url.split("/q")[0] + "/mine")
    assert "<script>x()</script>" in spanish.text()
    assert not spanish.find("main b")  # the typed <b> is text, not bold
    with Pack.open(path) as pack:
        stored = responses.list_responses(pack, info["workshop"])
        people = w.list_participants(pack, info["workshop"])
        assert len(people) == 3
        per_person = sorted(sum(r.participant_id == p.id for r in stored) for p in people)
        assert per_person == sorted(counts)
        out = tmp_path / "results.xlsx"
        export_workbook(pack, info["workshop"], out)
    rows = list(openpyxl.load_workbook(out, read_only=True)["Responses"].iter_rows(
        min_row=2, values_only=True))
    assert len(rows) == len(stored)
    assert {row[4] for row in rows} == {p.code for p in people}


def test_a_phone_places_dots_with_plus_and_minus(room: RoomServer,
                                                 room_pack: tuple[Path, Any]) -> None:
    """With our script, a dot vote has + and - buttons named for their choice, says what
    is left, and stops + once every dot is placed; what is sent is what the screen said."""
    if not available():
        if on_ci():
            pytest.fail("chromium, chromium-driver and selenium are needed on CI")
        pytest.skip("needs chromium, chromium-driver and selenium")
    path, info = room_pack
    open_only(path, info["exercises"]["dot_vote"])
    phone = BrowserPhone("en")
    try:
        phone.join(room.join_url)
        phone.wait_for(lambda: bool(phone.find("fieldset.dots .dotrow")))
        more = phone.find("fieldset.dots button.more")
        less = phone.find("fieldset.dots button.less")
        assert len(more) == len(less) == len(phone.find("fieldset.dots input")) >= 2
        label = phone.find("fieldset.dots label")[0].text
        assert more[0].get_attribute("aria-label") == f"One dot more on {label}"
        assert "Dots left: 3 of 3" in phone.text()
        assert not less[0].is_enabled()  # nothing to take back yet
        for _tap in range(3):
            phone.tap(more[0])
        assert "Dots left: 0 of 3" in phone.text()
        assert not any(b.is_enabled() for b in more)  # every dot is placed
        phone.tap(less[0])
        phone.tap(more[1])
        assert "Dots left: 0 of 3" in phone.text()
        rect = more[0].rect
        assert rect["width"] >= 48
        assert rect["height"] >= 48
        phone.tap(phone.find("form.answer button[type=submit]")[0])
        phone.wait_for(lambda: not phone.find("fieldset.dots"))
    finally:
        phone.quit()
    with Pack.open(path) as pack:
        stored = [r for r in responses.list_responses(pack, info["workshop"])
                  if r.question_key == "priorities"]
    assert [r.answer for r in stored] == [{"parks": 2, "lights": 1}]
