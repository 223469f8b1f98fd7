"""The kiosk in a real room: dots with a hard cap, exercises opened later, the
participant's language, a window nobody leaves by accident, answers beside a
station's chart on laptop and projector screens, and text shown literally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton, QWidget

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.qt.common import theme
from tde_desktop.qt.workshop import kiosk_widgets as kw
from tde_desktop.qt.workshop.kiosk import Kiosk
from tests.qt.conftest import make_workshop
from tests.qt.kiosk_driver import click, fill, make_kiosk, radios, type_into


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


@pytest.fixture
def text_scale() -> Iterator[Any]:
    """Set View > Text size for one test; 100% again afterwards."""
    app = QApplication.instance()

    def use(scale: float) -> None:
        theme.apply_theme(app, scale=scale)

    yield use
    theme.apply_theme(app, scale=1.0)


def test_dot_vote_has_plus_minus_and_a_hard_cap(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("dot_vote",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    widget = kiosk.widget
    assert isinstance(widget, kw.DotVote)
    first, second = list(widget.spins.values())[:2]
    assert first.plus.height() >= 48
    assert first.plus.width() >= 48
    assert widget.left.text() == "Dots left: 3 of 3"
    assert not first.minus.isEnabled()
    for _i in range(2):
        click(qtbot, first.plus)
    click(qtbot, second.plus)
    assert widget.left.text() == "Dots left: 0 of 3"
    assert all(not c.plus.isEnabled() for c in widget.spins.values())  # the cap
    click(qtbot, second.plus)  # a disabled button: nothing happens, never "4 of 3"
    assert widget.used() == 3
    click(qtbot, first.minus)
    assert widget.left.text() == "Dots left: 1 of 3"
    assert second.plus.isEnabled()
    click(qtbot, kiosk.next_button)
    assert not kiosk.error.isVisible(), kiosk.error.text()
    [stored] = responses.list_responses(pack, workshop.id)
    assert stored.question_key == "priorities"
    kiosk.allow_close = True


def test_exercises_opened_later_reach_a_participant(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    assert kiosk.progress.text() == "1 of 8"
    for _i in range(3):
        fill(qtbot, kiosk, 0)
        click(qtbot, kiosk.next_button)
    # The facilitator opens the four stations and the dot vote while this person answers.
    later = [e for e in ws.list_exercises(pack, workshop.id)
             if e.type in ("data_walk", "dot_vote")]
    for exercise in later:
        ws.open_exercise(pack, exercise.id)
    fill(qtbot, kiosk, 0)
    click(qtbot, kiosk.next_button)
    added = sum(len(e.questions) for e in later)
    assert kiosk.progress.text() == f"5 of {8 + added}"
    seen = 5
    while kiosk.stack.currentIndex() == 1:
        fill(qtbot, kiosk, 0)
        click(qtbot, kiosk.next_button)
        assert not kiosk.error.isVisible(), kiosk.error.text()
        seen += 1
    assert seen - 1 == 8 + added
    answered = {r.exercise_id for r in responses.list_responses(pack, workshop.id)}
    assert {e.id for e in later} <= answered
    kiosk.allow_close = True


def test_participant_chooses_the_language_on_the_first_screen(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    assert workshop.languages[0] == "en"
    kiosk = make_kiosk(qtbot, pack, workshop)
    spanish = kiosk.language_buttons["es"]
    assert spanish.text() == "Español"
    assert spanish.height() >= 80  # large
    click(qtbot, spanish)
    assert kiosk.start_button.text() == "Empezar"
    click(qtbot, kiosk.start_button)
    question = kiosk.steps[0].question
    assert kiosk.question_label.text() == label_text(question.text, "es")
    assert kiosk.next_button.text().startswith("Siguiente")
    first = radios(kiosk.widget)[0]
    assert first.text() == question.all_options()[0].text("es")
    click(qtbot, first)
    click(qtbot, kiosk.next_button)
    assert len(responses.list_responses(pack, workshop.id)) == 1
    kiosk.show_done()
    click(qtbot, kiosk.pass_button)
    # The next person starts in the workshop's language again.
    assert kiosk.lang == "en"
    assert kiosk.start_button.text() == "Start"
    assert kiosk.language_buttons["en"].isChecked()
    kiosk.allow_close = True


def test_a_spanish_workshop_runs_its_kiosk_in_spanish(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    ws.update_workshop(pack, workshop.id, languages=["es", "en"])
    kiosk = make_kiosk(qtbot, pack, workshop)
    assert kiosk.lang == "es"
    assert kiosk.start_button.text() == "Empezar"
    kiosk.allow_close = True


def test_kiosk_window_locks_down_and_tells_the_console(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = Kiosk(pack, workshop.id, device_id="locked")
    qtbot.addWidget(kiosk)
    with qtbot.waitSignal(kiosk.opened, timeout=2000):
        kiosk.showFullScreen()
    qtbot.waitExposed(kiosk)
    assert kiosk.is_open
    assert kiosk.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert kiosk.isFullScreen()
    kiosk.showNormal()  # a window manager's un-maximise, say
    qtbot.waitUntil(kiosk.isFullScreen, timeout=2000)
    kiosk.close()  # refused: the PIN dialog opens instead
    assert kiosk.isVisible()
    dialog = kiosk.pin_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.edit, "2468")
    with qtbot.waitSignal(kiosk.closed, timeout=2000):
        click(qtbot, dialog.ok_button)
    assert not kiosk.is_open
    assert not kiosk.isVisible()


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


SCREENS = [(1366, 768), (1280, 720)]


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_station_answers_show_with_the_chart(qtbot: Any, pack: Pack, text_scale: Any,
                                             width: int, height: int, scale: float) -> None:
    text_scale(scale)
    workshop = make_workshop(pack, open_types=("data_walk",))
    kiosk = Kiosk(pack, workshop.id, device_id="fit")
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    kiosk.resize(width, height)  # after show: offscreen, a first show is capped at 800 px
    qtbot.waitUntil(lambda: kiosk.size() == QSize(width, height))
    click(qtbot, kiosk.start_button)
    chart = kiosk.station_chart
    assert chart is not None
    qtbot.waitUntil(lambda: chart.shown is not None, timeout=10_000)
    qtbot.wait(50)
    window = QRect(0, 0, width, height)
    assert kiosk.width() == width
    assert kiosk.height() == height  # the kiosk needs no more than the screen
    assert chart.canvas.height() >= 150
    viewport = _rect(kiosk.scroll.viewport(), kiosk)
    widget = kiosk.widget
    assert isinstance(widget, kw.StickyNote)
    controls = [*radios(widget), widget.text]
    for control in controls:
        where = _rect(control, kiosk)
        assert viewport.contains(where), (control.accessibleName(), where, viewport)
        assert not where.intersects(_rect(chart, kiosk))
    for button in (kiosk.next_button, kiosk.back_button, kiosk.undo_button):
        assert window.contains(_rect(button, kiosk)), button.text()
    assert kiosk.scroll.verticalScrollBar().maximum() == 0  # nothing to scroll to
    # An empty note is refused with the box in sight.
    click(qtbot, kiosk.next_button)
    assert kiosk.error.isVisible()
    qtbot.wait(20)  # the layout makes room for the sentence, then the box is scrolled to
    viewport = _rect(kiosk.scroll.viewport(), kiosk)
    assert viewport.contains(_rect(widget.text, kiosk))
    assert window.contains(_rect(kiosk.error, kiosk))
    kiosk.allow_close = True


def test_pack_and_participant_text_is_shown_literally(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    ws.update_workshop(pack, workshop.id, title="<b>Bold</b> & <i>co</i>")
    first = next(e for e in ws.list_exercises(pack, workshop.id) if e.status == "open")
    ws.update_exercise(pack, first.id, title="<h1>Big</h1>")
    kiosk = make_kiosk(qtbot, pack, workshop)
    assert kiosk.title_label.text() == "<b>Bold</b> & <i>co</i>"
    click(qtbot, kiosk.start_button)
    assert kiosk.exercise_title.text() == "<h1>Big</h1>"
    labels = [w for w in kiosk.findChildren(QLabel) if w.text()]
    assert labels
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.accessibleName()
    kiosk.allow_close = True


def test_choice_labels_keep_their_ampersand(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    button = kiosk.widget.findChildren(QRadioButton)[0]
    assert "&&" not in button.accessibleName()
    type_into(qtbot, kiosk.widget.findChildren(QRadioButton)[0], "")
    kiosk.allow_close = True


def test_the_participant_code_stays_on_one_line(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("dot_vote",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    assert kiosk.participant is not None
    code = kiosk.participant.code
    assert "-" in code
    kiosk.show_done()
    # the hyphen does not break: "P-" and the rest never end up on two lines
    assert code.replace("-", "\u2011") in kiosk.done_label.text()
    assert code not in kiosk.done_label.text()
    kiosk.allow_close = True
