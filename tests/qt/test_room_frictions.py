"""Frictions a facilitator meets in the room: which station a note came from,
sign-in answers kept out of notes, flag labels in the console's language, the
hidden-count threshold remembered, consent never assumed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.responses import submit_answer


@pytest.fixture
def room(console: Any) -> tuple[Pack, ws.Workshop, Any]:
    """The pack, the workshop and the console of ``console`` (tests/qt/conftest.py)."""
    return console.pack, ws.get_workshop(console.pack, console.workshop_id), console


def note(pack: Pack, workshop: ws.Workshop, exercise: ws.Exercise, text: str) -> None:
    person = ws.add_participant(pack, workshop.id)
    submit_answer(pack, workshop_id=workshop.id, exercise_id=exercise.id,
                  participant_id=person.id, question_key="note",
                  answer={"text": text, "prompt": "notice"})


def test_all_exercises_names_the_station_of_each_note(qtbot: Any, room: Any) -> None:
    pack, workshop, console = room
    exercises = ws.list_exercises(pack, workshop.id)
    first, second = exercises[1], exercises[2]
    note(pack, workshop, first, "p3 note")
    note(pack, workshop, second, "p3 note")
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    panel.show_exercise(None)
    assert panel.filter_box.currentText() == "All exercises"
    texts = [panel.notes_list.item(i).text() for i in range(panel.notes_list.count())]
    assert len(texts) == 2
    assert texts[0] != texts[1]  # two identical notes no longer look the same
    assert texts[0].splitlines()[0] == f"2. {first.title}"
    assert texts[1].splitlines()[0] == f"3. {second.title}"
    panel.show_exercise(first.id)  # one exercise chosen: its title is the filter's
    assert panel.notes_list.item(0).text().splitlines()[0].startswith("What do you notice?")


def test_sign_in_answers_are_not_notes_nor_quotes(qtbot: Any, room: Any,
                                                  tmp_path: Path) -> None:
    import openpyxl

    from tde_desktop.core.results.workbook import export_workbook

    pack, workshop, console = room
    exercises = ws.list_exercises(pack, workshop.id)
    sign_in = next(e for e in exercises if e.type == "sign_in")
    person = ws.add_participant(pack, workshop.id, consent_quote=True)
    submit_answer(pack, workshop_id=workshop.id, exercise_id=sign_in.id,
                  participant_id=person.id, question_key="neighbourhood", answer="Upton")
    submit_answer(pack, workshop_id=workshop.id, exercise_id=exercises[1].id,
                  participant_id=person.id, question_key="note",
                  answer={"text": "Boarded up since 2015", "prompt": "notice"})
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    panel.show_exercise(None)
    shown = [panel.notes_list.item(i).text() for i in range(panel.notes_list.count())]
    assert len(shown) == 1
    assert "Boarded up since 2015" in shown[0]
    assert not any("Upton" in text for text in shown)
    assert panel.filter_box.findData(sign_in.id) > 0  # the exercise is offered, empty
    panel.approve_all()
    # a pack whose sign-in answer was approved before this fix is not quoted either
    pack.conn.execute("UPDATE _tde_responses SET approved = 1 WHERE exercise_id = ?",
                      (sign_in.id,))
    out = tmp_path / "results.xlsx"
    export_workbook(pack, workshop.id, out)
    sheet = openpyxl.load_workbook(out)["Stories and quotes"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Boarded up since 2015" in cells
    assert "Upton" not in cells


def test_flag_kind_in_the_console_language_not_the_participants(qtbot: Any,
                                                                room: Any) -> None:
    pack, workshop, console = room
    check = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "check_data")
    person = ws.add_participant(pack, workshop.id)
    submit_answer(pack, workshop_id=workshop.id, exercise_id=check.id,
                  participant_id=person.id, question_key="flag", lang="es",
                  answer={"flag": "duplicate", "comment": "Está dos veces"})
    stored = pack.conn.execute("SELECT answer_label, answer_code FROM _tde_responses "
                               "WHERE exercise_id = ?", (check.id,)).fetchone()
    assert tuple(stored) == ("Duplicado", "duplicate")  # the participant's words, kept
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    panel.show_exercise(check.id)
    text = panel.notes_list.item(0).text()
    assert text.startswith("Duplicate \u2014 Está dos veces")
    assert "Duplicado" not in text


def test_hide_counts_below_is_remembered_between_exports(qtbot: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from tde_desktop.qt.results.results_actions import ExportOptionsDialog

    workbook = ExportOptionsDialog(title="Export results to Excel", contacts=True)
    qtbot.addWidget(workbook)
    assert workbook.threshold.value() == 5  # the safe default at first
    workbook.show()
    workbook.threshold.setValue(9)
    qtbot.mouseClick(workbook.ok_button, Qt.MouseButton.LeftButton)
    assert workbook.result() == 1
    pdf = ExportOptionsDialog(title="Summary PDF", contacts=False)
    qtbot.addWidget(pdf)
    assert pdf.threshold.value() == 9
    assert pdf.options()["suppress_below"] == 9
    pdf.show()
    pdf.threshold.setValue(2)  # changed, then cancelled: not remembered
    cancel = pdf.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    again = ExportOptionsDialog(contacts=False, lang=None)
    qtbot.addWidget(again)
    assert again.threshold.value() == 9


def _sign_in_with_enter_only(qtbot: Any, pack: Pack, workshop: ws.Workshop) -> list[str]:
    """Press Enter on every sign-in screen without choosing anything; the keys seen."""
    from PySide6.QtCore import Qt

    from tests.qt.kiosk_driver import make_kiosk

    kiosk = make_kiosk(qtbot, pack, workshop)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    seen: list[str] = []
    try:
        while kiosk.stack.currentIndex() == 1 and len(seen) < 10:
            seen.append(kiosk.widget.question.key)
            qtbot.keyClick(kiosk.focusWidget(), Qt.Key.Key_Return)
            assert not kiosk.error.isVisible(), (seen[-1], kiosk.error.text())
        assert kiosk.stack.currentIndex() == 2  # the end: every question was optional
    finally:
        kiosk.allow_close = True
        kiosk.close()  # before its pack closes, even when a check failed
    return seen


@pytest.mark.parametrize("made_before", [False, True])
def test_consent_can_be_skipped_and_is_then_not_given(qtbot: Any, baltimore_pack: Path,
                                                      made_before: bool) -> None:
    import json

    from tests.qt.conftest import make_workshop

    with Pack.open(baltimore_pack) as pack:
        workshop = make_workshop(pack, open_types=("sign_in",))
        sign_in = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "sign_in")
        consent = [q for q in sign_in.questions if q.key.startswith("consent_")]
        assert [q.allow_skip for q in consent] == [True, True]  # "Skip this question"
        if made_before:  # a workshop whose consent questions offered no "Skip"
            config = dict(sign_in.config)
            config["questions"] = [{**q.to_dict(), "allow_skip": False}
                                   if q.key.startswith("consent_") else q.to_dict()
                                   for q in sign_in.questions]
            pack.conn.execute("UPDATE _tde_exercises SET config = ? WHERE id = ?",
                              (json.dumps(config), sign_in.id))
        seen = _sign_in_with_enter_only(qtbot, pack, workshop)
        assert "consent_quote" in seen
        assert "consent_contact" in seen
        assert "contact" not in seen  # no consent to be contacted: never asked
        [person] = ws.list_participants(pack, workshop.id)
        assert not person.consent_quote  # no choice means no consent
        assert not person.consent_contact
