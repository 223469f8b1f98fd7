"""Drive the participant kiosk as a person does: click, type, answer, hand the laptop on.

Used by the kiosk, workshop-flow and room tests; every action goes through qtbot's mouse
and keyboard, never by setting values on the widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QRadioButton, QSpinBox

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.workshop import kiosk_widgets as kw
from tde_desktop.qt.workshop.kiosk import Kiosk


def make_kiosk(qtbot: Any, pack: Pack, workshop: ws.Workshop) -> Kiosk:
    kiosk = Kiosk(pack, workshop.id, device_id="test-laptop")
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 960)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    kiosk.activateWindow()
    qtbot.waitUntil(kiosk.isActiveWindow)  # shortcuts (Escape, Alt+Left) need the window active
    return kiosk


def click(qtbot: Any, widget: Any) -> None:
    if isinstance(widget, QRadioButton | QCheckBox):
        # Click on the indicator, where every style accepts a hit.
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(14, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    if isinstance(widget, QSpinBox):
        widget.lineEdit().selectAll()
        qtbot.keyClicks(widget.lineEdit(), text)
    else:
        # QTest types ASCII only; other characters arrive as an input method would send them.
        for ch in text:
            if ch.isascii():
                qtbot.keyClicks(widget, ch)
            elif isinstance(widget, QLineEdit):
                widget.insert(ch)
            else:
                widget.insertPlainText(ch)


def radios(widget: Any) -> list[QRadioButton]:
    return widget.findChildren(QRadioButton)


def fill(qtbot: Any, kiosk: Kiosk, person: int) -> None:
    """Answer the kiosk's current question as participant ``person`` (0, 1, 2) would."""
    w = kiosk.widget
    assert w is not None
    kind = w.question.kind
    if isinstance(w, kw.SingleChoice):  # also Rating
        buttons = radios(w)
        click(qtbot, buttons[person % len(buttons)])
    elif isinstance(w, kw.MultipleChoice):
        for box in w.boxes[: person + 1]:
            click(qtbot, box)
    elif isinstance(w, kw.OpenText):
        type_into(qtbot, w.text, f"Answer from person {person}")
    elif isinstance(w, kw.StickyNote):
        click(qtbot, radios(w)[person % 3])
        type_into(qtbot, w.text, ["Too many on my street", "¡Más de lo que pensaba!",
                                  "No schools shown"][person])
    elif isinstance(w, kw.Ranking):
        w.list.setCurrentRow(0)
        for _i in range(person):
            click(qtbot, w.down)
    elif isinstance(w, kw.DotVote):
        counters = list(w.spins.values())
        plan = [[3], [2, 1], [1, 1, 1]][person]
        for counter, dots in zip(counters, plan, strict=False):
            for _i in range(dots):
                click(qtbot, counter.plus)
    elif isinstance(w, kw.Amounts):
        spins = list(w.spins.values())
        type_into(qtbot, spins[person], "40000")
    elif isinstance(w, kw.FlagRecord):
        qtbot.waitUntil(lambda: w.matches.count() > 0, timeout=10_000)
        item = w.matches.item(person)
        rect = w.matches.visualItemRect(item)
        qtbot.mouseClick(w.matches.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert w.record is not None
        click(qtbot, radios(w)[person % 4])
        type_into(qtbot, w.edits["comment"], f"Record {person} looks wrong")
    elif isinstance(w, kw.Fields):
        for edit in w.edits.values():
            type_into(qtbot, edit, f"{edit.accessibleName()[:12]} {person}")
        if w.group is not None:
            click(qtbot, w.group.buttons()[person % len(w.group.buttons())])
        if w.long is not None:
            type_into(qtbot, w.long, f"A long answer {person}")
    else:  # pragma: no cover - a new kind without a test answer
        raise AssertionError(kind)


def run_participant(qtbot: Any, kiosk: Kiosk, person: int) -> str:
    """Start, answer every screen by clicking and typing, hand the laptop on."""
    click(qtbot, kiosk.start_button)
    assert kiosk.participant is not None
    participant_id = kiosk.participant.id
    while kiosk.stack.currentIndex() == 1:
        index = kiosk.index
        fill(qtbot, kiosk, person)
        click(qtbot, kiosk.next_button)
        assert not kiosk.error.isVisible(), kiosk.error.text()
        assert kiosk.index != index or kiosk.stack.currentIndex() == 2
    assert kiosk.stack.currentIndex() == 2
    click(qtbot, kiosk.pass_button)
    assert kiosk.stack.currentIndex() == 0
    assert kiosk.participant is None
    return participant_id
