"""Every Alt+letter of the facilitator's console and of the main window does one thing,
in every language.

Two buttons showing the same underlined letter at once make Qt move the focus between
them instead of pressing either: Alt+N for "Next exercise" landed on "End workshop...",
Alt+W for "Start workshop" on "Withdraw a participant...". Each tab is checked with
what shows beside it (the tab names and the buttons under the tabs), before and after
the workshop starts, in each language the app speaks. In the main window each data
panel is checked beside the menu bar: Spanish "&Agregar filtro" took Alt+A from the
File menu ("&Archivo") on every panel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTabBar,
    QWidget,
)

from tde_desktop.core.i18n import set_language
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tests.qt.conftest import AGENDA, PIN, wait_idle

LANGUAGES = ("en", "es", "zh_CN", "ar")


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" in ``text`` (lower case), or None ("&&" is an "&")."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return None


def owners(window: QWidget) -> dict[str, list[str]]:
    """Underlined letter -> the texts that show it, among what is visible in ``window``."""
    found: dict[str, list[str]] = defaultdict(list)
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and (key := mnemonic(button.text())):
            found[key].append(button.text())
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None and (key := mnemonic(label.text())):
            found[key].append(label.text())
    for menus in window.findChildren(QMenuBar):
        if menus.isVisible():
            for action in menus.actions():
                if action.isVisible() and (key := mnemonic(action.text())):
                    found[key].append(action.text())
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            for i in range(bar.count()):
                if key := mnemonic(bar.tabText(i)):
                    found[key].append(bar.tabText(i))
    return found


def clashes(window: QWidget, where: str) -> list[str]:
    return [f"{where}: Alt+{key.upper()} is {' and '.join(repr(t) for t in texts)}"
            for key, texts in owners(window).items() if len(texts) > 1]


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def test_no_two_console_buttons_share_a_letter(qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    draft = create_from_agenda(pack, AGENDA, pin=PIN)
    started = create_from_agenda(pack, AGENDA, pin=PIN)
    ws.open_exercise(pack, ws.list_exercises(pack, started.id)[0].id)
    problems: list[str] = []
    try:
        for lang in LANGUAGES:
            set_language(lang)
            for workshop, state in ((draft, "draft"), (started, "started")):
                console = FacilitatorConsole(pack, workshop.id)
                console.timer.stop()
                qtbot.addWidget(console)
                console.show()
                qtbot.waitExposed(console)
                # the big button says which state the console is in
                assert (mnemonic(console.run_button.text()) ==
                        mnemonic(_in(lang, "&Next exercise \u2192" if state == "started"
                                     else "Start &workshop"))), console.run_button.text()
                for tab in range(console.tabs.count()):
                    console.tabs.setCurrentIndex(tab)
                    QApplication.processEvents()
                    problems += clashes(console, f"{lang}, {state}, tab "
                                                 f"{console.tabs.tabText(tab)!r}")
                console.close()
    finally:
        set_language("en")
    assert not problems, "\n".join(problems)


def _in(lang: str, text: str) -> str:
    from tde_desktop.core.i18n import translate

    return translate(text, lang)


def test_mnemonic_reads_the_letter_qt_underlines() -> None:
    assert mnemonic("Start &workshop") == "w"
    assert mnemonic("Save && &quit") == "q"
    assert mnemonic("Tom && Jerry") is None
    assert mnemonic("开始(&S)") == "s"


def test_alt_n_runs_the_next_exercise_and_alt_w_starts_the_workshop(
        qtbot: Any, console: Any) -> None:
    """The facilitator's two most used keys press their buttons (before, each moved the
    focus to another button with the same letter)."""
    console.activateWindow()
    qtbot.waitActive(console)
    first, second = (e.id for e in ws.list_exercises(console.pack, console.workshop_id)[:2])
    qtbot.keyClick(console, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: ws.get_exercise(console.pack, first).status == "open")
    assert not console.findChildren(QMessageBox)  # no withdraw dialog opened
    qtbot.keyClick(console, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: ws.get_exercise(console.pack, second).status == "open")
    assert console.end_button is not QApplication.focusWidget()
    assert ws.get_workshop(console.pack, console.workshop_id).status == "running"


def in_every_language(qtbot: Any, make_main_window: Any, pack_path: Path,
                      check: Callable[[Any, str], list[str]]) -> list[str]:
    """What ``check(window, lang)`` finds in a main window on ``pack_path`` opened in each
    language the app speaks."""
    problems: list[str] = []
    try:
        for lang in LANGUAGES:
            set_language(lang)
            window = make_main_window(pack_path)
            wait_idle(qtbot)
            problems += check(window, lang)
            window.close()
    finally:
        set_language("en")
    return problems


def test_no_two_main_window_controls_share_a_letter(qtbot: Any, make_main_window: Any,
                                                     baltimore_pack: Path) -> None:
    def each_panel(window: Any, lang: str) -> list[str]:
        found: list[str] = []
        tabs = window.explorer.tabs
        for panel in range(tabs.count()):
            tabs.setCurrentIndex(panel)
            wait_idle(qtbot)
            QApplication.processEvents()
            found += clashes(window, f"{lang}, panel {tabs.tabText(panel)!r}")
        return found

    problems = in_every_language(qtbot, make_main_window, baltimore_pack, each_panel)
    assert not problems, "\n".join(problems)


def menu_clashes(menu: QMenu, where: str) -> list[str]:
    """Letters two visible entries of ``menu`` (or of a menu under it) share: pressing
    one there highlights the entries in turn instead of choosing one."""
    menu.aboutToShow.emit()  # menus that fill themselves when opened
    found: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        if key := mnemonic(action.text()):
            found[key].append(action.text())
        if action.menu() is not None:
            problems += menu_clashes(action.menu(), f"{where} > {action.text()}")
    return problems + [f"{where}: {key.upper()} is {' and '.join(map(repr, texts))}"
                       for key, texts in found.items() if len(texts) > 1]


def test_no_two_entries_of_a_menu_share_a_letter(qtbot: Any, make_main_window: Any,
                                                 baltimore_pack: Path) -> None:
    def each_menu(window: Any, lang: str) -> list[str]:
        return [problem for action in window.menuBar().actions() if action.menu() is not None
                for problem in menu_clashes(action.menu(), f"{lang}, {action.text()}")]

    problems = in_every_language(qtbot, make_main_window, baltimore_pack, each_menu)
    assert not problems, "\n".join(problems)
