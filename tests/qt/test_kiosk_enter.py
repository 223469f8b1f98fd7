"""Enter means Next on the dot-voting screen, as the kiosk's "Next (Enter)" says.

Walked on a real screen: a participant clicked + once, pressed Enter to go on, and
got a second dot on the same idea instead (the + kept the keyboard).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda


@pytest.fixture
def kiosk_on_dots(qtbot: Any, baltimore_pack: Path) -> Iterator[Any]:
    from tde_desktop.qt.workshop.kiosk import Kiosk

    with Pack.open(baltimore_pack) as pack:
        made = create_from_agenda(pack, "data_walk_vacant_buildings", pin="2468")
        for exercise in ws.list_exercises(pack, made.id):
            ws.open_exercise(pack, exercise.id)
        kiosk = Kiosk(pack, made.id, device_id="enter-test")
        kiosk.allow_close = True
        qtbot.addWidget(kiosk)
        kiosk.show()
        qtbot.waitExposed(kiosk)
        kiosk.start()
        dots = next(i for i, s in enumerate(kiosk.steps) if s.question.kind == "dot_vote")
        kiosk.show_step(dots)
        yield kiosk


def test_enter_after_clicking_plus_goes_to_the_next_screen(qtbot: Any,
                                                           kiosk_on_dots: Any) -> None:
    kiosk = kiosk_on_dots
    at = kiosk.index
    counter = next(iter(kiosk.widget.spins.values()))
    qtbot.mouseClick(counter.plus, Qt.MouseButton.LeftButton)
    assert counter.value() == 1
    qtbot.keyClick(kiosk.focusWidget() or kiosk, Qt.Key.Key_Return)
    assert kiosk.index > at or kiosk.stack.currentIndex() == 2  # moved on
    first = kiosk.steps[at].question.all_options()[0].code
    assert kiosk.given[kiosk.steps[at].key] == {first: 1}  # one dot sent, not two


def test_space_still_presses_the_plus_that_tab_reached(qtbot: Any, kiosk_on_dots: Any) -> None:
    kiosk = kiosk_on_dots
    counter = next(iter(kiosk.widget.spins.values()))
    counter.plus.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(counter.plus, Qt.Key.Key_Space)
    assert counter.value() == 1
