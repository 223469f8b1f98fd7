"""The participant kiosk, driven by mouse and keyboard on a real pack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QRadioButton

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.workshop import kiosk_widgets as kw
from tests.qt.conftest import PIN, make_workshop
from tests.qt.kiosk_driver import click, make_kiosk, radios, type_into


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def test_large_controls_and_names(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    assert kiosk.progress.text() == "1 of 8"
    assert kiosk.question_label.text() == "Overall, how was today?"
    for control in kiosk.findChildren(QPushButton) + radios(kiosk):
        if control.isVisible():
            assert control.height() >= 48, control.text()
            assert control.font().pointSizeF() >= 18
            assert control.accessibleName(), control.text()
    kiosk.allow_close = True


def test_keyboard_only_participant(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    kiosk.start_button.setFocus()
    qtbot.keyClick(kiosk.start_button, Qt.Key.Key_Return)
    assert kiosk.stack.currentIndex() == 1
    steps = 0
    while kiosk.stack.currentIndex() == 1:
        focus = kiosk.focusWidget()
        assert focus is not None
        assert kiosk.widget.isAncestorOf(focus)
        if isinstance(focus, QRadioButton | QCheckBox):
            qtbot.keyClick(focus, Qt.Key.Key_Space)
        else:
            qtbot.keyClicks(focus, "typed with keys")
        if steps == 2:  # Alt+B goes back one screen and Enter comes forward again
            qtbot.keyClick(kiosk.focusWidget(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
            assert kiosk.index == 1
            qtbot.keyClick(kiosk.focusWidget(), Qt.Key.Key_Return)
            assert kiosk.index == 2
        qtbot.keyClick(kiosk.focusWidget(), Qt.Key.Key_Return)
        assert not kiosk.error.isVisible(), kiosk.error.text()
        steps += 1
    assert steps == 8
    assert kiosk.stack.currentIndex() == 2
    stored = responses.list_responses(pack, workshop.id)
    assert len(stored) == 8  # one per question, the revisited one not doubled
    assert {r.question_key for r in stored} >= {"overall", "confidence", "worked", "heard"}
    qtbot.keyClick(kiosk.pass_button, Qt.Key.Key_Return)
    assert kiosk.stack.currentIndex() == 0
    kiosk.allow_close = True


def test_double_click_on_next_stores_one_answer(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    click(qtbot, radios(kiosk.widget)[0])
    qtbot.mouseDClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    # Pressing Next again on the same screen (a retry) reuses the screen's response id.
    kiosk.back()
    click(qtbot, kiosk.next_button)
    stored = responses.list_responses(pack, workshop.id)
    assert [r.question_key for r in stored] == ["overall"]
    assert kiosk.index == 1
    kiosk.allow_close = True


def test_budget_over_total_is_refused_in_a_sentence(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, "budget", open_types=("budget",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    spins = list(kiosk.widget.spins.values())
    type_into(qtbot, spins[0], "60000")
    type_into(qtbot, spins[2], "80000")
    assert "140,000" in kiosk.widget.left.text()
    click(qtbot, kiosk.next_button)
    assert kiosk.error.isVisible()
    assert kiosk.error.text() == "This spends 140,000 but the budget is 100,000."
    assert kiosk.stack.currentIndex() == 1
    assert kiosk.index == 0
    assert responses.list_responses(pack, workshop.id) == []
    type_into(qtbot, spins[2], "40000")
    click(qtbot, kiosk.next_button)
    assert kiosk.stack.currentIndex() == 2
    [stored] = responses.list_responses(pack, workshop.id)
    assert stored.amount == 100000
    kiosk.allow_close = True


def test_undo_my_last_answer(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    click(qtbot, radios(kiosk.widget)[1])
    click(qtbot, kiosk.next_button)
    click(qtbot, radios(kiosk.widget)[0])
    click(qtbot, kiosk.next_button)
    assert len(responses.list_responses(pack, workshop.id)) == 2
    click(qtbot, kiosk.undo_button)
    assert kiosk.index == 1
    assert "taken back" in kiosk.note.text()
    assert [r.question_key for r in responses.list_responses(pack, workshop.id)] == ["overall"]
    click(qtbot, radios(kiosk.widget)[2])
    click(qtbot, kiosk.next_button)
    keys = [r.question_key for r in responses.list_responses(pack, workshop.id)]
    assert keys == ["overall", "learned"]
    kiosk.allow_close = True


def test_flag_record_search_pick_then_flag(qtbot: Any, pack: Pack) -> None:
    notices = pack.dataset("Vacant building notices")
    pack.describe_column(notices.id, "buildingaddress",
                         text="Street address of the vacant building.")
    workshop = make_workshop(pack, open_types=("check_data",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    widget = kiosk.widget
    assert isinstance(widget, kw.FlagRecord)
    assert widget.search.isVisible()
    assert not widget.edits["comment"].isVisible()
    assert widget.matches.parentWidget() is not kiosk.scroll.viewport()
    # Typing part of an address lists the matching records in plain words.
    qtbot.keyClicks(widget.search, "monroe")
    with qtbot.waitSignal(widget.searched, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: widget.matches.count() > 0 and all(
        "MONROE" in widget.matches.item(i).text() for i in range(widget.matches.count())))
    item = widget.matches.item(1)
    assert item.text().splitlines()[0].endswith("MONROE ST")
    assert "buildingaddress" not in item.text()
    assert "buildingaddress" in item.toolTip()  # raw names stay in the tooltip
    address = item.text().splitlines()[0]
    rect = widget.matches.visualItemRect(item)
    qtbot.mouseClick(widget.matches.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert widget.record is not None
    assert not widget.matches.isVisible()
    assert address in widget.chosen.text()
    assert widget.edits["comment"].isVisible()
    click(qtbot, radios(widget)[2])
    type_into(qtbot, widget.edits["comment"], "Boarded up and sold last year")
    click(qtbot, kiosk.next_button)
    assert not kiosk.error.isVisible(), kiosk.error.text()
    [stored] = responses.list_responses(pack, workshop.id)
    assert stored.answer_code == "duplicate"
    table = notices.table_name
    [(stored_address,)] = pack.conn.execute(
        f'SELECT buildingaddress FROM "{table}" WHERE rowid = ?', (stored.record_rowid,))
    assert stored_address == address
    kiosk.allow_close = True


def test_the_record_finder_leaves_with_its_question(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("check_data", "dot_vote"))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    at = next(i for i, step in enumerate(kiosk.steps) if step.question.kind == "flag_record")
    kiosk.show_step(at)
    finder = kiosk.widget
    assert isinstance(finder, kw.FlagRecord)
    qtbot.waitUntil(finder.isVisible)
    later = next(i for i, step in enumerate(kiosk.steps) if step.question.kind == "dot_vote")
    kiosk.show_step(later)
    # At once, before Qt's deferred deletions run: no search box under the next question.
    assert not [w for w in kiosk.findChildren(kw.FlagRecord) if w.isVisible()]
    votes = kiosk.widget
    assert type(votes).__name__ == "DotVote"
    qtbot.waitUntil(votes.isVisible)
    assert not [w for w in kiosk.findChildren(kw.FlagRecord) if w.isVisible()]


def test_record_search_is_quick_on_every_notice(pack: Pack) -> None:
    import time

    from tde_desktop.core.explore.record_search import key_columns, search_records

    notices = pack.dataset("Vacant building notices")
    assert notices.row_count == 16_747
    columns = key_columns(notices.columns)
    assert columns[0].name == "buildingaddress"
    started = time.perf_counter()
    found = search_records(pack.conn, notices.table_name, columns, "no such street anywhere")
    elapsed = time.perf_counter() - started
    assert found == []
    assert elapsed < 0.1, elapsed  # a search that reads every row still takes < 100 ms
    assert len(search_records(pack.conn, notices.table_name, columns, "st")) == 20


def test_escape_asks_for_the_pin(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    dialog = kiosk.pin_dialog
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.edit, "0000")
    click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "That PIN is not right. Please try again."
    kiosk.close()  # closing is refused without the PIN too
    assert kiosk.isVisible()
    qtbot.keyClicks(dialog.edit, PIN)
    with qtbot.waitSignal(kiosk.unlocked, timeout=2000):
        click(qtbot, dialog.ok_button)
    assert not kiosk.isVisible()


def test_sign_in_keeps_contact_only_with_consent(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("sign_in",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    seen = []
    while kiosk.stack.currentIndex() == 1:
        key = kiosk.widget.question.key
        seen.append(key)
        if key == "consent_contact":
            click(qtbot, radios(kiosk.widget)[0])  # yes
        elif key == "contact":
            type_into(qtbot, kiosk.widget.text, "555-0100")
        elif isinstance(kiosk.widget, kw.SingleChoice):
            click(qtbot, radios(kiosk.widget)[0])
        click(qtbot, kiosk.next_button)
    assert seen[-1] == "contact"
    person = ws.list_participants(pack, workshop.id)[0]
    assert person.contact == "555-0100"
    assert person.consent_contact
    assert person.age_band == "under_18"
    assert "contact" not in {r.question_key for r in responses.list_responses(pack, workshop.id)}
    kiosk.allow_close = True


def test_line_edit_enter_means_next(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("data_request",))
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.start_button)
    edit = kiosk.widget.findChildren(QLineEdit)[0]
    qtbot.keyClicks(edit, "Owner of each vacant house")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert kiosk.stack.currentIndex() == 2
    [stored] = responses.list_responses(pack, workshop.id)
    assert stored.answer_text == "Owner of each vacant house"
    kiosk.allow_close = True
