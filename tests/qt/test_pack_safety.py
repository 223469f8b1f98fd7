"""The open pack's lock, read-only opening, backups during a workshop and restoring one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from tde_desktop.core.pack import Pack, backup, lock
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda


def test_open_takes_the_lock_and_close_releases_it(make_main_window: Any,
                                                   baltimore_pack: Path) -> None:
    window = make_main_window(baltimore_pack)
    held = lock.read_lock(baltimore_pack)
    assert held is not None
    assert held.token == window.guard.lock.info.token
    assert window.guard.heartbeat.isActive()
    assert window.guard.refresh_lock()
    window.close_pack()
    assert not lock.lock_path(baltimore_pack).exists()
    assert not window.guard.heartbeat.isActive()


def test_pack_held_elsewhere_opens_read_only_when_the_person_agrees(
        make_main_window: Any, baltimore_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.qt.shell import lock_dialog

    asked: list[Any] = []
    monkeypatch.setattr(lock_dialog, "ask_read_only",
                        lambda parent, info: asked.append(info) or True)
    other = lock.acquire(baltimore_pack)  # another copy of the app holds the pack
    try:
        window = make_main_window(baltimore_pack)
        assert len(asked) == 1
        assert isinstance(asked[0], lock.PackInUse)
        assert window.pack.read_only
        assert "read-only" in window.windowTitle()
        assert not window.import_action.isEnabled()
        assert not window.merge_action.isEnabled()
        assert not window.restore_action.isEnabled()
        # the other copy's lock is untouched, and closing here does not remove it
        window.close_pack()
        assert lock.read_lock(baltimore_pack).token == other.info.token
    finally:
        other.release()


def test_pack_held_elsewhere_is_not_opened_when_the_person_declines(
        make_main_window: Any, baltimore_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.qt.shell import lock_dialog

    monkeypatch.setattr(lock_dialog, "ask_read_only", lambda parent, info: False)
    with lock.acquire(baltimore_pack):
        window = make_main_window()
        assert not window.open_pack(baltimore_pack)
        assert window.pack is None
        assert window.stack.currentWidget() is window.welcome


def test_storage_warning_is_shown_once_as_a_bar(make_main_window: Any, baltimore_pack: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.core.pack import storage_check

    monkeypatch.setattr(storage_check, "storage_warning",
                        lambda path: "This pack is on a network drive.")
    window = make_main_window(baltimore_pack)
    assert window.message_bar.text() == "This pack is on a network drive."
    window.message_bar.dismiss.click()
    window.close_pack()
    assert window.open_pack(baltimore_pack)
    assert window.message_bar.text() == ""  # once per pack and session, not on every open


def test_workshop_start_and_new_answers_make_backups(qtbot: Any, make_main_window: Any,
                                                     baltimore_pack: Path) -> None:
    window = make_main_window(baltimore_pack)
    workshop = create_from_agenda(window.pack, "data_walk_vacant_buildings")
    assert backup.list_backups(baltimore_pack) == []
    console = window.workshop_menu.open_console_unlocked(workshop.id, show=False)
    qtbot.addWidget(console)
    console.table.selectRow(0)
    console.start_selected()
    qtbot.waitUntil(lambda: [b.reason for b in backup.list_backups(baltimore_pack)] == ["start"],
                    timeout=10_000)
    qtbot.waitUntil(lambda: not window.guard.backing_up, timeout=10_000)
    # answers arriving: the scheduler backs up once its interval has passed
    exercise = ws.list_exercises(window.pack, workshop.id)[0]
    person = ws.add_participant(window.pack, workshop.id)
    key = exercise.questions[0].key
    responses.submit_answer(window.pack, workshop_id=workshop.id, exercise_id=exercise.id,
                            participant_id=person.id, question_key=key, answer="Eastside")
    window.guard.scheduler.last_time = None  # as if the five minutes were up
    window.guard.maybe_backup()
    qtbot.waitUntil(lambda: "auto" in [b.reason for b in backup.list_backups(baltimore_pack)],
                    timeout=10_000)
    auto = next(b for b in backup.list_backups(baltimore_pack) if b.reason == "auto")
    with Pack.open(auto.path, read_only=True) as copy:
        assert copy.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0] >= 1
    box = console.end()  # asks first
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "end" in [b.reason for b in backup.list_backups(baltimore_pack)],
                    timeout=10_000)


def test_restore_from_a_backup_via_the_menu(qtbot: Any, make_main_window: Any,
                                            baltimore_pack: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.qt.shell import backup_dialog

    window = make_main_window(baltimore_pack)
    names = [d.title for d in window.pack.datasets()]
    assert len(names) == 2
    window.guard.backup_now("start")
    qtbot.waitUntil(lambda: len(backup.list_backups(baltimore_pack)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not window.guard.backing_up, timeout=10_000)
    window.pack.remove_dataset(window.pack.datasets()[0].id)
    window.reload_datasets()
    assert len(window.pack.datasets()) == 1
    token = window.guard.lock.info.token

    def fake_dialog(parent: Any, pack_path: Path, before_restore: Any = None) -> Path:
        chosen = backup.list_backups(pack_path)[0].path
        before_restore()
        assert parent.pack is None  # the pack was closed before its file was replaced
        # ... and the lock kept all along, so no other copy could open it meanwhile
        assert lock.read_lock(pack_path).token == token
        backup.restore_backup(chosen, pack_path)
        return chosen

    monkeypatch.setattr(backup_dialog, "show_restore_dialog", fake_dialog)
    window.restore_action.trigger()
    assert window.pack is not None
    assert [d.title for d in window.pack.datasets()] == names
    assert window.dataset_list.count() == 2
    assert not window.pack.read_only
    assert lock.read_lock(baltimore_pack).token == token
