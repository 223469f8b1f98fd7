"""A whole workshop through the real screens: PIN, console, kiosk, projector, paper."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole
from tde_desktop.qt.workshop.projector import format_value
from tde_desktop.qt.workshop.workshop_menu import install_workshop_menu
from tests.qt.conftest import wait_idle
from tests.qt.kiosk_driver import click, run_participant

PIN = "4321"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(widget: Any, name: str) -> None:
    """Screenshots for the docs, only when asked for (TDE_SCREENSHOTS=1)."""
    if os.environ.get("TDE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(SCREENSHOTS / name))


def _menu(window: Any) -> Any:
    if getattr(window, "workshop_menu", None) is None:
        install_workshop_menu(window, window.menuBar())
    return window.workshop_menu


def _expected(pack: Any, exercise: ws.Exercise, key: str) -> list[tuple[str, str]]:
    return [(r.label, format_value(r.value)) for r in ws.tally(pack, exercise.id, key)]


def test_whole_workshop(qtbot: Any, make_main_window: Any, baltimore_pack: Path,
                        tmp_path: Path) -> None:
    window = make_main_window(baltimore_pack)
    pack = window.pack
    menu = _menu(window)
    assert "Workshop" in [a.text().replace("&", "") for a in window.menuBar().actions()]

    # The facilitator creates the workshop from the template agenda, setting the PIN.
    dialog = menu.ask_new_workshop()
    assert dialog.agenda_box.currentText() == "Data walk: vacant buildings in my neighbourhood"
    qtbot.keyClicks(dialog.venue_edit, "Broadway East library")
    qtbot.keyClicks(dialog.pin_edit, PIN)
    qtbot.keyClicks(dialog.pin_again, "1111")
    click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "The two PINs are not the same."
    dialog.pin_again.clear()
    qtbot.keyClicks(dialog.pin_again, PIN)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(menu.consoles()) == 1)
    [workshop] = ws.list_workshops(pack)
    assert workshop.venue == "Broadway East library"
    assert workshop.has_pin
    menu.consoles()[0].close()

    # Reopening the console asks for the PIN; a wrong one opens nothing.
    pin = menu.ask_console(workshop.id)
    qtbot.keyClicks(pin.edit, "9999")
    click(qtbot, pin.ok_button)
    assert len(menu.consoles()) == 1
    assert "not right" in pin.error.text()
    qtbot.keyClicks(pin.edit, PIN)
    click(qtbot, pin.ok_button)
    console: FacilitatorConsole = menu.consoles()[-1]
    qtbot.addWidget(console)
    assert console.table.rowCount() == 9

    # Start workshop opens the first exercise; Next exercise walks the agenda in order
    # (the earlier ones stay open: the data-walk stations run side by side).
    assert console.run_button.text().replace("&", "") == "Start workshop"
    click(qtbot, console.run_button)
    exercises = ws.list_exercises(pack, workshop.id)
    assert ws.get_workshop(pack, workshop.id).current_exercise_id == exercises[0].id
    assert console.run_button.text().replace("&", "").startswith("Next exercise")
    for _step in range(8):
        click(qtbot, console.run_button)
    exercises = ws.list_exercises(pack, workshop.id)
    assert {e.status for e in exercises} == {"open"}
    assert ws.get_workshop(pack, workshop.id).current_exercise_id == exercises[-1].id
    click(qtbot, console.run_button)
    assert "last exercise" in console.message.text()
    assert "left" in console.table.item(0, 3).text()
    console.table.selectRow(0)
    click(qtbot, console.stop_button)
    click(qtbot, console.undo_button)  # undo the stop
    assert ws.get_exercise(pack, exercises[0].id).status == "open"

    # Three participants answer every exercise in the kiosk.
    kiosk = console.open_kiosk(full_screen=False)
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 960)
    qtbot.waitExposed(kiosk)
    assert console.is_locked()  # a participant who reaches the console finds it locked
    people = [run_participant(qtbot, kiosk, person) for person in range(3)]
    _shot(kiosk, "kiosk_welcome.png")
    click(qtbot, console.lock_page.unlock_button)
    qtbot.keyClicks(console.lock_page.pin_dialog.edit, PIN)
    click(qtbot, console.lock_page.pin_dialog.ok_button)
    assert not console.is_locked()
    per_person = {pid: len([r for r in responses.list_responses(pack, workshop.id)
                            if r.participant_id == pid]) for pid in people}
    # 26 screens, minus the contact question (no consent given by the first choice "yes"
    # only for person 0, whose contact goes to the participant record, not a response).
    assert all(n == 25 for n in per_person.values()), per_person
    counts = ws.live_counts(pack, workshop.id)
    assert set(counts.values()) == {3}
    # The kiosk's answers reach the console through the pack's change probe.
    qtbot.waitUntil(lambda: [console.table.item(r, 5).text() for r in range(9)] == ["3"] * 9,
                    timeout=3000)

    # Approve the sticky notes of station 1 and reveal its results on the projector.
    station = exercises[1]
    console.select(station.id)
    assert console.notes_list.count() == 3
    projector = console.open_projector(full_screen=False)
    qtbot.addWidget(projector)
    click(qtbot, console.reveal_button)
    assert projector.title.text() == station.title  # reveal shows the selected exercise
    assert projector.displayed_notes() == []  # free text waits for approval
    item = console.notes_list.item(0)
    item.setCheckState(Qt.CheckState.Checked)
    console.approve_all()
    assert sorted(projector.displayed_notes()) == sorted(
        ["Too many on my street", "¡Más de lo que pensaba!", "No schools shown"])
    assert projector.displayed_tallies()["match_experience"] == _expected(
        pack, station, "match_experience")

    # The dot vote: the projector's numbers are the core's tally.
    vote = next(e for e in exercises if e.type == "dot_vote")
    console.select(vote.id)
    click(qtbot, console.reveal_button)
    before = projector.displayed_tallies()["priorities"]
    assert before == _expected(pack, vote, "priorities")
    assert dict(before)["Secure empty buildings faster"] == "6"  # 3 + 2 + 1 dots
    projector.resize(1400, 900)
    _shot(projector, "projector_dot_vote.png")
    _shot(console, "facilitator_console.png")

    # One participant withdraws: a confirmation names the answers, and every count updates.
    click(qtbot, console.withdraw_button)
    picker = console.withdraw_dialog
    code = ws.get_participant(pack, people[0]).code
    assert picker.table.rowCount() == 3
    assert picker.select_code(code)
    assert picker.table.item(picker.table.currentRow(), 2).text() == "25"
    click(qtbot, picker.withdraw_button)
    box = picker.confirm_box
    assert box is not None
    assert "25 answers" in box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert set(ws.live_counts(pack, workshop.id).values()) == {2}
    # Reported by the withdrawal itself: console and projector redraw without a wait.
    assert [console.table.item(r, 5).text() for r in range(9)] == ["2"] * 9
    after = projector.displayed_tallies()["priorities"]
    assert after == _expected(pack, vote, "priorities") != before
    assert dict(after)["Secure empty buildings faster"] == "3"
    assert not picker.select_code(code)
    assert picker.table.rowCount() == 2
    picker.close()

    # Paper fallback: a PDF handout, then one paper sheet typed in.
    pdf = console.print_handout(str(tmp_path / "station.pdf"))
    assert Path(pdf).read_bytes()[:4] == b"%PDF"
    console.select(vote.id)
    entry = console.paper_answers()
    qtbot.addWidget(entry)
    entry.table.item(0, 0).setText("4=2, 5=1")
    assert entry.save() == 1
    code = entry.table.item(0, entry.code_col).text()
    assert code.startswith("P-")
    assert entry.table.item(0, entry.code_col + 1).text() == "Saved"
    tallied = dict(_expected(pack, vote, "priorities"))
    assert tallied["Turn lots into gardens and parks"] == "2"  # nobody else gave it dots
    assert tallied["Tell neighbours what is planned"] == "1"  # the paper sheet only

    # The end: next steps written in the console's editor.
    box = console.end()
    assert ws.get_workshop(pack, workshop.id).status == "running"  # asked first
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    editor = console.dialogs[-1]
    qtbot.addWidget(editor)
    editor.table.item(0, 0).setText("Vacant houses are not boarded up fast enough")
    editor.table.item(0, 1).setText("Publish a boarding-up schedule")
    editor.table.item(0, 2).setText("Housing department")
    assert editor.save()
    finished = ws.get_workshop(pack, workshop.id)
    assert finished.status == "ended"
    assert finished.next_steps[0]["action"] == "Publish a boarding-up schedule"
    kiosk.allow_close = True
    console.timer.stop()


def test_agenda_editor_changes_and_preview(qtbot: Any, make_main_window: Any,
                                           baltimore_pack: Path) -> None:
    window = make_main_window(baltimore_pack)
    pack = window.pack
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings", pin=PIN)
    console = _menu(window).open_console_unlocked(workshop.id)
    qtbot.addWidget(console)
    vote = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "dot_vote")
    console.select(vote.id)
    editor = console.edit_agenda()
    qtbot.addWidget(editor)
    assert editor.exercise.id == vote.id
    click(qtbot, [b for b in editor.findChildren(type(editor.save_button))
                  if b.text() == "Add &option"][0])
    last = editor.options.rowCount() - 1
    editor.options.item(last, 0).setText("library")
    editor.options.item(last, 1).setText("Open a library branch")
    editor.move_option(-1)
    editor.time_spin.setValue(12)
    preview = editor.show_preview()
    qtbot.addWidget(preview)
    assert "Open a library branch" in [s.accessibleName() for s in preview.widget.spins.values()]
    assert editor.save()
    saved = ws.get_exercise(pack, vote.id)
    codes = [o.code for o in saved.question("priorities").options]
    assert codes[-2] == "library"
    assert saved.time_box_minutes == 12
    assert responses.list_responses(pack, workshop.id) == []  # the preview stored nothing
    editor.add_exercise()  # from the first template in the list, after the dot vote
    assert len(ws.list_exercises(pack, workshop.id)) == 10
    assert console.table.rowCount() == 10
    console.timer.stop()
