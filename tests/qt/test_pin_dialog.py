"""The PIN dialog backs off after five wrong PINs with a live countdown, and a damaged
stored PIN shows one sentence; the clock is a fake one the test moves."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.i18n import thread_language
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.pin import PinGuard
from tde_desktop.qt.workshop.pin_dialog import PinDialog

PIN = "2468"


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "pin.tdepack"
    with Pack.create(path, title="PIN") as pack:
        workshop = ws.create_workshop(pack, "Walk", pin=PIN)
    return path, workshop.id


def dialog_on(qtbot: Any, pack: Pack, wid: str, guard: PinGuard) -> PinDialog:
    dialog = PinDialog(pack, wid, guard=guard)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_pin(qtbot: Any, dialog: PinDialog, pin: str) -> None:
    qtbot.keyClicks(dialog.edit, pin)
    dialog.ok_button.click()


def test_five_wrong_pins_lock_unlock_with_a_countdown(qtbot: Any, made: tuple[Path, str]
                                                      ) -> None:
    path, wid = made
    clock = Clock()
    guard = PinGuard(clock=clock)
    with Pack.open(path) as pack:
        dialog = dialog_on(qtbot, pack, wid, guard)
        for _ in range(4):
            type_pin(qtbot, dialog, "1111")
            assert dialog.ok_button.isEnabled()
            assert dialog.error.text() == "That PIN is not right. Please try again."
        type_pin(qtbot, dialog, "1111")
        assert not dialog.ok_button.isEnabled()
        assert dialog.countdown.isActive()
        assert dialog.error.text() == ("Too many wrong PINs. Please wait 30 seconds, "
                                       "then try again.")
        clock.now += 29
        dialog.countdown.timeout.emit()
        assert dialog.error.text() == ("Too many wrong PINs. Please wait 1 second, "
                                       "then try again.")
        assert not dialog.ok_button.isEnabled()
        clock.now += 1
        dialog.countdown.timeout.emit()
        assert dialog.ok_button.isEnabled()
        assert not dialog.countdown.isActive()
        assert dialog.error.text() == ""
        # Another wrong PIN doubles the pause; a fresh dialog shows the pause already running.
        type_pin(qtbot, dialog, "1111")
        assert "60 seconds" in dialog.error.text()
        dialog.close()
        clock.now += 15
        again = dialog_on(qtbot, pack, wid, guard)
        assert not again.ok_button.isEnabled()
        assert "45 seconds" in again.error.text()
        clock.now += 45
        again.countdown.timeout.emit()
        unlocked: list[bool] = []
        again.unlocked.connect(lambda: unlocked.append(True))
        type_pin(qtbot, again, PIN)
        assert unlocked == [True]


def test_the_countdown_reads_in_spanish(qtbot: Any, made: tuple[Path, str]) -> None:
    path, wid = made
    guard = PinGuard(clock=Clock())
    with Pack.open(path) as pack, thread_language("es"):
        dialog = dialog_on(qtbot, pack, wid, guard)
        for _ in range(5):
            type_pin(qtbot, dialog, "1111")
        assert "30 segundos" in dialog.error.text()


def test_a_damaged_pin_shows_one_sentence(qtbot: Any, made: tuple[Path, str]) -> None:
    path, wid = made
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE _tde_workshops SET pin_hash = 'nonsense'")
    conn.close()
    with Pack.open(path) as pack:
        dialog = dialog_on(qtbot, pack, wid, PinGuard(clock=Clock()))
        unlocked: list[bool] = []
        dialog.unlocked.connect(lambda: unlocked.append(True))
        type_pin(qtbot, dialog, PIN)
        text = dialog.error.text()
        assert unlocked == []
        assert "damaged" in text
        assert "\n" not in text
        assert dialog.isVisible()
