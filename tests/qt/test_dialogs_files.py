"""Save dialogs start in the last folder used; a finished export says where it went and
offers "Open folder"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tde_desktop.qt.common import ops, saved_files, settings


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
                                        qtbot, monkeypatch):
    from tde_desktop.qt.explorer.view_actions import export_view

    monkeypatch.setattr(saved_files, "last_saved_box", None)  # not an earlier test's box
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


def test_workshop_exports_offer_open_folder_and_pickers_remember(
        make_main_window, baltimore_pack: Path, tmp_path, qtbot, monkeypatch):
    """Workbook and CSV exports show where they went ("Open folder"); the CSV folder and
    merge pickers remember their folder for the next dialog."""
    from PySide6.QtWidgets import QFileDialog

    from tests.qt.conftest import accept_options, answered_workshop, save_as

    monkeypatch.setattr(saved_files, "last_saved_box", None)
    window = make_main_window(baltimore_pack)
    workshop = answered_workshop(window.pack, ["Fix the alley lights"])
    out = tmp_path / "books"
    out.mkdir()
    accept_options(monkeypatch)
    save_as(monkeypatch, out / "results.xlsx")
    window.export_workbook_action.trigger()
    ops.wait_for_all()
    qtbot.waitUntil(lambda: saved_files.last_saved_box is not None
                    and saved_files.last_saved_box.isVisible())
    box = saved_files.last_saved_box
    assert str(out / "results.xlsx") in box.text()
    assert "Open folder" in [b.text() for b in box.buttons()]
    assert settings.last_folder() == out
    box.button(QMessageBox.StandardButton.Close).click()
    saved_files.last_saved_box = None

    csv_folder = tmp_path / "csv"
    csv_folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_a, **_k: str(csv_folder)))
    monkeypatch.setattr(window.workshop_menu, "_choose", lambda: workshop.id)
    window.results.ask_export_csv()
    ops.wait_for_all()
    assert settings.last_folder() == csv_folder
    qtbot.waitUntil(lambda: saved_files.last_saved_box is not None
                    and saved_files.last_saved_box.isVisible()
                    and str(csv_folder) in saved_files.last_saved_box.text())
    saved_files.last_saved_box.button(QMessageBox.StandardButton.Close).click()

    laptops = tmp_path / "laptops"
    laptops.mkdir()
    seen: list[str] = []

    def pick(_parent, _caption, start, _pattern):
        seen.append(start)
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    window.results.ask_merge()
    assert seen == [str(csv_folder)]  # starts where the last export went


def test_start_folder_exists_even_without_a_documents_folder(tmp_path: Path,
                                                             monkeypatch) -> None:
    settings.settings().remove("files/last_folder")
    monkeypatch.setattr(saved_files.QStandardPaths, "writableLocation",
                        lambda _where: str(tmp_path / "Documents"))  # not created
    start = saved_files.start_folder()
    assert start.is_dir()  # a dialog given a missing folder opens in the app's own
    assert start == Path.home()
