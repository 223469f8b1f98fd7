"""A workshop as a room runs it: created with the Spanish interface, a participant who
switches to English on the first screen, and an exercise opened after people started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.workshop.workshop_menu import install_workshop_menu
from tests.qt.conftest import wait_idle
from tests.qt.kiosk_driver import click, fill

PIN = "4321"


def _menu(window: Any) -> Any:
    if getattr(window, "workshop_menu", None) is None:
        install_workshop_menu(window, window.menuBar())
    return window.workshop_menu


def _answer_until(qtbot: Any, kiosk: Any, person: int, stop: Any) -> None:
    """Answer screens until ``stop(kiosk)`` is true or the thank-you page shows."""
    while kiosk.stack.currentIndex() == 1 and not stop(kiosk):
        fill(qtbot, kiosk, person)
        click(qtbot, kiosk.next_button)
        assert not kiosk.error.isVisible(), kiosk.error.text()


def test_room_languages_and_a_late_exercise(qtbot: Any, make_main_window: Any,
                                            baltimore_pack: Path) -> None:
    window = make_main_window(baltimore_pack)
    pack = window.pack
    menu = _menu(window)

    # The facilitator works with the Spanish interface: the new workshop runs in Spanish.
    window.set_language("es")
    dialog = menu.ask_new_workshop()
    assert dialog.language_box.currentData() == ["es", "en"]
    qtbot.keyClicks(dialog.pin_edit, PIN)
    qtbot.keyClicks(dialog.pin_again, PIN)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot)
    [workshop] = ws.list_workshops(pack)
    assert workshop.languages[0] == "es"
    # The interface stays in Spanish: the kiosk's English must not depend on it.
    qtbot.waitUntil(lambda: len(menu.consoles()) == 1)
    console = menu.consoles()[0]
    qtbot.addWidget(console)
    exercises = ws.list_exercises(pack, workshop.id)
    evaluation = next(e for e in exercises if e.type == "evaluation")
    station = next(e for e in exercises if e.type == "data_walk" and e.view_id is not None)
    ws.open_exercise(pack, evaluation.id)

    kiosk = console.open_kiosk(full_screen=False)
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 960)
    qtbot.waitExposed(kiosk)
    assert kiosk.lang == "es"
    assert kiosk.start_button.text() == "Empezar"

    # The first participant switches to English on the first screen.
    click(qtbot, kiosk.language_buttons["en"])
    assert kiosk.start_button.text() == "Start"
    click(qtbot, kiosk.start_button)
    first = kiosk.participant.id
    assert kiosk.progress.text() == "1 of 8"
    _answer_until(qtbot, kiosk, 0, lambda k: k.index == 2)
    # The facilitator opens a station while this person is answering.
    ws.open_exercise(pack, station.id)
    _answer_until(qtbot, kiosk, 0, lambda k: k.steps[k.index].exercise.id == station.id)
    assert kiosk.stack.currentIndex() == 1, "the station opened later was never offered"
    total = 8 + len(station.questions)
    assert kiosk.progress.text() == f"4 of {total}"
    chart = kiosk.station_chart
    qtbot.waitUntil(lambda: chart.shown is not None, timeout=10_000)
    assert chart.shown.lang == "en"
    assert "rows" in chart.caption.text()
    _answer_until(qtbot, kiosk, 0, lambda k: False)
    assert kiosk.stack.currentIndex() == 2
    mine = [r for r in responses.list_responses(pack, workshop.id) if r.participant_id == first]
    assert len(mine) == total
    click(qtbot, kiosk.pass_button)

    # The next participant starts in the workshop's language and meets the station in it.
    assert kiosk.lang == "es"
    assert kiosk.start_button.text() == "Empezar"
    click(qtbot, kiosk.start_button)
    assert kiosk.progress.text() == f"1 de {total}"
    _answer_until(qtbot, kiosk, 1, lambda k: k.steps[k.index].exercise.id == station.id)
    assert kiosk.exercise_title.text() == station.text("title", "es")
    qtbot.waitUntil(lambda: chart.shown is not None and chart.shown.lang == "es",
                    timeout=10_000)
    assert chart.shown.data.title == "Avisos de edificios vacíos por barrio"
    assert "filas" in chart.caption.text()
    _answer_until(qtbot, kiosk, 1, lambda k: False)
    assert kiosk.stack.currentIndex() == 2
    kiosk.allow_close = True
    kiosk.close()
    console.timer.stop()
