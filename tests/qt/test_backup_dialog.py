"""The restore dialog and the read-only question, clicked as a person would."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.backup import make_backup
from tde_desktop.core.pack.lock import PackInUse, acquire
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import list_responses, submit_answer
from tde_desktop.qt.shell.backup_dialog import RestoreDialog, show_restore_dialog
from tde_desktop.qt.shell.lock_dialog import ReadOnlyQuestion, ask_read_only

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def _pack_with_backups(path: Path) -> str:
    with Pack.create(path, title="Dialog") as pack:
        w = ws.create_workshop(pack, "W")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        person = ws.add_participant(pack, w.id)
        for i, reason in enumerate(("start", "auto", "end")):
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                          question_key="note", answer=f"note {i}")
            make_backup(pack, reason, now=T0 + dt.timedelta(hours=i))
        submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                      question_key="note", answer="after the last backup")
    return w.id


def test_restore_the_chosen_backup(qtbot: QtBot, pack_path: Path) -> None:
    workshop_id = _pack_with_backups(pack_path)
    closed: list[bool] = []
    dialog = RestoreDialog(pack_path, before_restore=lambda: closed.append(True))
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 3
    assert "end of the workshop" in dialog.list.item(0).text()  # newest first
    assert "start of the workshop" in dialog.list.item(2).text()
    dialog.list.setCurrentRow(1)  # the automatic one: two answers
    dialog.restore_button.click()
    assert closed == [True]
    assert dialog.restored is not None
    assert "_auto.tdepack" in dialog.restored.name
    with Pack.open(pack_path) as pack:
        assert [r.answer_text for r in list_responses(pack, workshop_id)] == ["note 0",
                                                                              "note 1"]
    assert dialog.kept is not None
    with Pack.open(dialog.kept) as kept:
        assert len(list_responses(kept, workshop_id)) == 4


def test_a_bad_backup_is_explained_and_the_pack_kept(qtbot: QtBot, pack_path: Path) -> None:
    _pack_with_backups(pack_path)
    dialog = RestoreDialog(pack_path)
    qtbot.addWidget(dialog)
    chosen = dialog.selected()
    assert chosen is not None
    chosen.write_bytes(b"not a pack at all")
    before = pack_path.read_bytes()
    dialog.restore_button.click()
    assert dialog.restored is None
    assert "cannot be restored" in dialog.message.text()
    assert pack_path.read_bytes() == before


def test_no_backups_yet(qtbot: QtBot, new_pack: Pack) -> None:
    dialog = RestoreDialog(new_pack.path)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert "no backups" in dialog.message.text()


def _click_when_shown(name: str) -> None:
    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            button = getattr(widget, name, None)
            if widget.isVisible() and button is not None:
                button.click()
                return
        QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)


def test_show_restore_dialog_cancel_returns_none(qtbot: QtBot, pack_path: Path) -> None:
    _pack_with_backups(pack_path)
    before = pack_path.read_bytes()
    QTimer.singleShot(50, lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    assert show_restore_dialog(None, pack_path) is None
    assert pack_path.read_bytes() == before


def test_ask_read_only_names_the_other_process(qtbot: QtBot, pack_path: Path) -> None:
    pack_path.touch()
    held = acquire(pack_path)
    try:
        acquire(pack_path)
    except PackInUse as exc:
        in_use = exc
    held.release()
    box = ReadOnlyQuestion(in_use)
    qtbot.addWidget(box)
    assert str(os.getpid()) in box.text()
    _click_when_shown("read_only_button")
    assert ask_read_only(None, in_use) is True
    _click_when_shown("cancel_button")
    assert ask_read_only(None, in_use.info) is False
