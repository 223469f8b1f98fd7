"""A button that names its shortcut names one that works, in every language.

"Atrás (Alt+B)" on the Spanish kiosk named a letter that is not in the Spanish
word. Every kiosk, console and projector button whose text ends with a key in
brackets must name a key the window binds, and a letter named must be in the
button's word (otherwise the hint names a key the same in every language:
Enter, Esc, an arrow).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

from tde_desktop.core.pack import Pack
from tests.qt.conftest import make_workshop
from tests.qt.kiosk_driver import make_kiosk

LANGUAGES = ("en", "es", "zh_CN", "ar")
#: a key named in brackets at the end of a button's text: "(Alt+←)", "(Enter)"
HINT = re.compile(r"\((?P<keys>(?:Ctrl|Alt|Shift)\+\S+|Enter|Esc|F\d{1,2})\)\s*$")
#: keys a window handles in keyPressEvent rather than through a QShortcut
HANDLED_KEYS = {"Enter": "Return"}
#: left-to-right isolates and marks, which keep "Alt+←" in that order in Arabic
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))
ARROWS = {"\u2190": "Left", "\u2192": "Right", "\u2191": "Up", "\u2193": "Down"}


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def portable(keys: str) -> str:
    """``keys`` as QKeySequence writes it ("Alt+\u2190" -> "Alt+Left")."""
    for arrow, name in ARROWS.items():
        keys = keys.replace(arrow, name)
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)


def hint_problems(window: QWidget, handled: set[str]) -> list[str]:
    """Buttons of ``window`` whose text names a key that is not bound, or a letter
    that is not in the button's word."""
    bound = {s.key().toString(QKeySequence.SequenceFormat.PortableText)
             for s in window.findChildren(QShortcut)} | handled
    problems = []
    for button in window.findChildren(QAbstractButton):
        text = button.text().translate(BIDI_CONTROLS)
        found = HINT.search(text)
        if found is None:
            continue
        keys = found["keys"]
        word = text[:found.start()].replace("&", "")
        if portable(keys) not in bound and keys not in handled:
            problems.append(f"{text!r} names {keys}, which this window does not bind")
        letter = re.fullmatch(r"(?:Ctrl|Alt|Shift)\+([A-Za-z])", keys)
        if letter and letter[1].lower() not in word.lower():
            problems.append(f"{text!r} names the letter {letter[1]}, not in {word.strip()!r}")
    return problems


def test_kiosk_hints_name_keys_that_work_in_every_language(qtbot: Any, pack: Pack) -> None:
    kiosk = make_kiosk(qtbot, pack, make_workshop(pack, open_types=("evaluation",)))
    problems = []
    for lang in LANGUAGES:
        kiosk.choose_language(lang)
        found = hint_problems(kiosk, set(HANDLED_KEYS))
        problems += [f"{lang}: {p}" for p in found]
    hints = [b.text() for b in kiosk.findChildren(QAbstractButton)
             if HINT.search(b.text().translate(BIDI_CONTROLS))]
    assert len(hints) >= 3  # Back, Next, and Back on the last screen
    assert not problems, "\n".join(problems)
    kiosk.allow_close = True


def test_arabic_hint_keeps_alt_before_the_arrow(qtbot: Any, pack: Pack) -> None:
    """In a right-to-left line "Alt+←" would show as "←+Alt": the Arabic text
    isolates the key name left to right."""
    kiosk = make_kiosk(qtbot, pack, make_workshop(pack, open_types=("evaluation",)))
    kiosk.choose_language("ar")
    assert "\u2066Alt+\u2190\u2069" in kiosk.back_button.text()
    kiosk.allow_close = True


def test_alt_left_goes_back_from_a_text_box(qtbot: Any, pack: Pack) -> None:
    """The key the Back button names works where a participant types, in Spanish too."""
    kiosk = make_kiosk(qtbot, pack, make_workshop(pack, open_types=("evaluation",)))
    kiosk.choose_language("es")
    kiosk.start()
    kiosk.show_step(2)
    focus = kiosk.focusWidget() or kiosk
    qtbot.keyClick(focus, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert kiosk.index == 1
    kiosk.allow_close = True


def test_console_and_projector_hints(qtbot: Any, pack: Pack) -> None:
    """The console and projector name no key in a button (their menus and mnemonics
    follow the translation); if one ever does, it must work in every language."""
    from tde_desktop.core.i18n import set_language
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    workshop = make_workshop(pack, open_types=("evaluation",))
    problems = []
    try:
        for lang in LANGUAGES:
            set_language(lang)
            console = FacilitatorConsole(pack, workshop.id)
            console.timer.stop()
            projector = ProjectorWindow(pack, workshop.id)
            for window in (console, projector):
                qtbot.addWidget(window)
                problems += [f"{lang}: {p}" for p in hint_problems(window, set())]
    finally:
        set_language("en")
    assert not problems, "\n".join(problems)
