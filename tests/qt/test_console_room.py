"""The console in a real room: lock with the kiosk, confirmations, moderation, PIN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.core.workshop.responses import submit_answer
from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole
from tde_desktop.qt.workshop.pin_dialog import PinDialog
from tde_desktop.qt.workshop.projector import ProjectorWindow

PIN = "2468"


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def room(qtbot: Any, baltimore_pack: Path) -> Any:
    pack = Pack.open(baltimore_pack)
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings", pin=PIN)
    station = ws.list_exercises(pack, workshop.id)[1]
    for text in ("Too many on my stret", "<b>Not</b> my block"):
        person = ws.add_participant(pack, workshop.id)
        submit_answer(pack, workshop_id=workshop.id, exercise_id=station.id,
                      participant_id=person.id, question_key="note",
                      answer={"text": text, "prompt": "notice"})
    console = FacilitatorConsole(pack, workshop.id)
    qtbot.addWidget(console)
    console.show()
    yield pack, workshop, station, console
    console.timer.stop()
    pack.close()


def test_locked_while_the_kiosk_is_open(qtbot: Any, room: Any) -> None:
    _pack, _workshop, _station, console = room
    kiosk = console.open_kiosk(full_screen=False)
    qtbot.addWidget(kiosk)
    assert console.is_locked()
    assert not console.end_button.isVisible()  # nothing a participant could press
    dialog = console.lock_page.ask()
    qtbot.keyClicks(dialog.edit, "0000")
    click(qtbot, dialog.ok_button)
    assert console.is_locked()
    qtbot.keyClicks(dialog.edit, PIN)
    click(qtbot, dialog.ok_button)
    assert not console.is_locked()
    kiosk.allow_close = True
    kiosk.close()


def test_end_asks_first_and_undo_keeps_the_reveal_button_right(qtbot: Any, room: Any) -> None:
    pack, workshop, station, console = room
    console.select(station.id)
    click(qtbot, console.reveal_button)
    assert console.reveal_button.text() == "Hide results"
    click(qtbot, console.undo_button)
    assert not ws.get_exercise(pack, station.id).revealed
    assert console.reveal_button.text().replace("&", "") == "Reveal results"
    box = console.end()
    click(qtbot, box.button(QMessageBox.StandardButton.No))
    assert ws.get_workshop(pack, workshop.id).status != "ended"
    box = console.end()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert ws.get_workshop(pack, workshop.id).status == "ended"
    for dialog in console.dialogs:
        dialog.close()


def test_show_on_projector_follows_the_selection(qtbot: Any, room: Any) -> None:
    pack, workshop, station, console = room
    projector = ProjectorWindow(pack, workshop.id)
    qtbot.addWidget(projector)
    console.select(station.id)
    click(qtbot, console.show_button)
    assert projector.title.text() == station.title
    assert ws.get_workshop(pack, workshop.id).current_exercise_id == station.id


def test_moderation_wraps_filters_rejects_and_corrects(qtbot: Any, room: Any) -> None:
    pack, workshop, station, console = room
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    console.select(station.id)
    assert panel.notes_list.count() == 2
    assert panel.notes_list.wordWrap()
    panel.filter_box.setCurrentIndex(panel.filter_box.findData(ws.list_exercises(
        pack, workshop.id)[0].id))
    assert panel.notes_list.count() == 0  # filtered on an exercise without notes
    panel.show_exercise(station.id)
    panel.notes_list.setCurrentRow(1)
    click(qtbot, panel.reject_button)
    panel.notes_list.setCurrentRow(0)
    editor = panel.edit_selected()
    editor.edit.setPlainText("Too many on my street")
    click(qtbot, editor.save_button)
    click(qtbot, panel.approve_button)
    notes = moderation.notes(pack, workshop.id, station.id)
    assert [n.status for n in notes] == ["approved", "rejected"]
    assert notes[0].original == "Too many on my stret"
    assert "the participant wrote: Too many on my stret" in panel.notes_list.item(0).text()
    ws.reveal(pack, station.id)
    projector = ProjectorWindow(pack, workshop.id)
    projector.exercise_id = station.id
    qtbot.addWidget(projector)
    projector.refresh()
    assert projector.displayed_notes() == ["Too many on my street"]  # corrected, approved


def test_participant_text_is_plain_text_on_projector(qtbot: Any, room: Any) -> None:
    pack, workshop, station, _console = room
    for note in moderation.notes(pack, workshop.id, station.id):
        moderation.set_status(pack, note.id, moderation.APPROVED)
    ws.reveal(pack, station.id)
    projector = ProjectorWindow(pack, workshop.id)
    projector.exercise_id = station.id
    qtbot.addWidget(projector)
    projector.refresh()
    assert "<b>Not</b> my block" in projector.displayed_notes()
    for label in projector.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_wrong_pin_message_is_not_clipped(qtbot: Any, room: Any) -> None:
    pack, workshop, _station, _console = room
    dialog = PinDialog(pack, workshop.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edit, "1111")
    click(qtbot, dialog.ok_button)
    qtbot.wait(10)
    error = dialog.error
    assert error.text()
    assert error.height() >= error.heightForWidth(error.width())
    assert error.width() <= dialog.width()


def test_exercise_titles_wrap_in_full_at_200_percent(qtbot: Any, baltimore_pack: Path) -> None:
    """At 200% text on a 1280x720 screen the title column takes the spare width and each
    title wraps onto as many lines as it needs; the Results note wraps without cutting
    a word."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from tde_desktop.qt.common import theme

    theme.apply_theme(QApplication.instance(), scale=2.0)
    pack = Pack.open(baltimore_pack)
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings", pin=PIN)
    station = ws.list_exercises(pack, workshop.id)[1]
    ws.open_exercise(pack, station.id)
    ws.reveal(pack, station.id)  # "shown (on the projector)" in Results
    console = FacilitatorConsole(pack, workshop.id)
    qtbot.addWidget(console)
    console.timer.stop()
    console.show()
    console.resize(1280, 720)
    qtbot.wait(20)
    table = console.table
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert widths[1] == max(widths)  # the title column is the widest
    metrics = table.fontMetrics()
    wrap = Qt.TextFlag.TextWordWrap
    for column in (1, 6):
        for row in range(table.rowCount()):
            text = table.item(row, column).text()
            room_for = QRect(0, 0, table.columnWidth(column) - 8, 10_000)
            needed = metrics.boundingRect(room_for, wrap, text)
            assert needed.height() <= table.rowHeight(row), text
            assert needed.width() <= room_for.width(), text  # no word cut
    assert table.rowHeight(1) > metrics.height() * 2  # a long title did wrap
    pack.close()


def test_reject_acts_on_the_note_just_ticked(qtbot: Any, room: Any) -> None:
    pack, workshop, station, console = room
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    panel.show_exercise(station.id)
    panel.notes_list.setCurrentRow(0)
    panel.notes_list.item(1).setCheckState(Qt.CheckState.Checked)  # the tick approves
    assert [n.status for n in moderation.notes(pack, workshop.id, station.id)] == [
        "pending", "approved"]
    click(qtbot, panel.reject_button)  # on the ticked note, not the one highlighted before
    assert [n.status for n in moderation.notes(pack, workshop.id, station.id)] == [
        "pending", "rejected"]
