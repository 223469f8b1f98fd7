"""Edit > Undo after a replacement puts the earlier file back, in the grid too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops
from tests.qt.conftest import wait_idle
from tests.qt.test_dataset_actions import small_pack, titles

__all__ = ["small_pack"]  # the fixture, used by name


def test_undo_a_replacement_from_the_edit_menu(qtbot: Any,
                                               make_main_window: Callable[..., Any],
                                               small_pack: Path, tmp_path: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    newer = tmp_path / "trees-2024.csv"
    newer.write_text("ward,species,diameter\n1,oak,4\n3,yew,2\n4,fir,3\n", encoding="utf-8")
    undo = window.dataset_actions.undo_action
    trees = window.pack.dataset("Trees").id
    window.dataset_actions.ask_replace(trees, newer)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: ops.last_message is not None
                    and "trees-2024.csv" in ops.last_message.text())
    assert "Edit > Undo" in ops.last_message.text()
    qtbot.waitUntil(lambda: window.explorer.dataset is not None
                    and window.explorer.dataset.row_count == 3)
    assert undo.isEnabled()
    assert undo.text().replace("&", "") == "Undo replace Trees"
    edit_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "Edit")
    assert undo in edit_menu.actions()
    undo.trigger()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: window.explorer.dataset is not None
                    and window.explorer.dataset.original_filename == "trees.csv")
    assert not undo.isEnabled()
    assert titles(window) == ["Trees", "Bins"]
    assert [c.name for c in window.explorer.dataset.columns] == ["ward", "species", "height"]
    assert window.explorer.model.rowCount() == 2
    window.close_pack()
    with Pack.open(small_pack, read_only=True) as pack:
        assert pack.dataset("Trees").row_count == 2
        assert not [t for t in pack.table_names() if t.startswith("_tde_trash_")]
