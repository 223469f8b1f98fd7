"""Save dialogs start in the last folder used; a finished export says where it went and
offers "Open folder"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tde_desktop.qt.common import ops, settings
from tde_desktop.qt.results import saved_files


def test_start_folder_is_remembered(tmp_path: Path):
    assert saved_files.start_folder() != Path.cwd()  # never the app's own folder
    target = tmp_path / "exports"
    target.mkdir()
    saved_files.remember(target / "view.xlsx")
    assert settings.last_folder() == target
    assert saved_files.start_folder() == target
    from tde_desktop.qt.results.results_actions import documents_dir

    assert documents_dir() == target


def test_export_view_offers_open_folder(make_main_window, baltimore_pack: Path, tmp_path,
                                        qtbot):
    from tde_desktop.qt.explorer.view_actions import export_view

    window = make_main_window(baltimore_pack)
    target = tmp_path / "all.csv"
    export_view(window.explorer, target)
    ops.wait_for_all()
    qtbot.waitUntil(lambda: saved_files.last_saved_box is not None
                    and saved_files.last_saved_box.isVisible())
    box = saved_files.last_saved_box
    assert str(target) in box.text()
    names = [b.text() for b in box.buttons()]
    assert "Open folder" in names
    assert not box.isModal()
    assert box.textFormat().name == "PlainText"
    assert target.exists()
    box.button(QMessageBox.StandardButton.Close).click()
