"""The dataset list's right-click menu: edit details, replace, remove and Edit > Undo; the
import dialog's licence list, date picker and remembered publisher."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.views import save_view
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops, settings
from tests.qt.conftest import wait_idle


@pytest.fixture
def small_pack(tmp_path: Path) -> Path:
    path = tmp_path / "walk.tdepack"
    trees = tmp_path / "trees.csv"
    trees.write_text("ward,species,height\n1,oak,12\n2,elm,9\n", encoding="utf-8")
    bins = tmp_path / "bins.csv"
    bins.write_text("street,count\nMain,3\n", encoding="utf-8")
    with Pack.create(path, title="Walk") as pack:
        info = import_file(pack, trees, title="Trees", publisher="City")
        import_file(pack, bins, title="Bins")
        pack.describe_column("Trees", "species", text="Kind of tree")
        save_view(pack, "Oaks", info.id, [Filter("species", "is", "oak")], None)
    return path


def titles(window: Any) -> list[str]:
    lst = window.dataset_list
    return [lst.item(i).text().split("\n")[0] for i in range(lst.count())]


def menu_action(window: Any, title: str, text: str) -> Any:
    """The action called ``text`` (without '&') in the right-click menu of ``title``."""
    lst = window.dataset_list
    item = next(lst.item(i) for i in range(lst.count())
                if lst.item(i).text().startswith(title))
    menu = lst.menu_for(item)
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_edit_details_from_the_menu(qtbot: Any, make_main_window: Callable[..., Any],
                                    small_pack: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    menu_action(window, "Trees", "Edit details...").trigger()
    dialog = window.dataset_actions.details_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.title_edit.text() == "Trees"
    assert dialog.publisher_edit.text() == "City"
    dialog.title_edit.setText("Street trees")
    dialog.description_edit.setPlainText("Every street tree the city looks after.")
    box = dialog.licence_box
    box.setCurrentIndex(box.findText("ODbL 1.0"))
    dialog.retrieved_edit.setDate(QDate(2024, 2, 29))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: "Street trees" in titles(window))
    with Pack.open(small_pack, read_only=True) as pack:
        info = pack.dataset("Street trees")
        assert (info.licence, info.retrieved_at, info.description) == (
            "ODbL 1.0", "2024-02-29", "Every street tree the city looks after.")
    assert window.explorer.dataset.title == "Street trees"
    assert settings.last_provenance() == ("City", "ODbL 1.0")


def test_remove_then_undo(qtbot: Any, make_main_window: Callable[..., Any],
                          small_pack: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    undo = window.dataset_actions.undo_action
    assert not undo.isEnabled()
    menu_action(window, "Trees", "Remove...").trigger()
    box = window.dataset_actions.confirm_box
    assert box is not None
    assert box.isVisible()
    assert "Oaks" in box.text()
    assert "undo" in box.text().lower()
    remove = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    remove.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: titles(window) == ["Bins"])
    assert window.explorer.dataset.title == "Bins"
    assert undo.isEnabled()
    assert undo.text().replace("&", "") == "Undo remove Trees"
    edit_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "Edit")
    assert undo in edit_menu.actions()
    undo.trigger()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: titles(window) == ["Trees", "Bins"])
    assert not undo.isEnabled()
    assert window.explorer.dataset.title == "Trees"
    species = next(c for c in window.explorer.dataset.columns if c.name == "species")
    assert species.description_en == "Kind of tree"


def test_cancel_keeps_the_dataset_and_closing_makes_removal_final(
        qtbot: Any, make_main_window: Callable[..., Any], small_pack: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    menu_action(window, "Bins", "Remove...").trigger()
    window.dataset_actions.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    wait_idle(qtbot)
    assert titles(window) == ["Trees", "Bins"]
    menu_action(window, "Bins", "Remove...").trigger()
    box = window.dataset_actions.confirm_box
    next(b for b in box.buttons()
         if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: titles(window) == ["Trees"])
    window.close_pack()
    assert not window.dataset_actions.undo_action.isEnabled()
    with Pack.open(small_pack, read_only=True) as pack:
        assert not [t for t in pack.table_names() if t.startswith("_tde_trash")]


def test_replace_from_the_menu(qtbot: Any, make_main_window: Callable[..., Any],
                               small_pack: Path, tmp_path: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    newer = tmp_path / "trees-2024.csv"
    newer.write_text("ward,species\n1,oak\n3,yew\n4,fir\n", encoding="utf-8")
    trees = window.pack.dataset("Trees").id
    window.dataset_actions.ask_replace(trees, newer)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: ops.last_message is not None
                    and "trees-2024.csv" in ops.last_message.text())
    assert "Oaks" in ops.last_message.text()
    assert titles(window) == ["Trees", "Bins"]
    assert window.explorer.dataset.row_count == 3
    assert window.explorer.model.rowCount() == 3


def test_read_only_pack_offers_no_changes(qtbot: Any, make_main_window: Callable[..., Any],
                                          small_pack: Path) -> None:
    window = make_main_window(small_pack)
    wait_idle(qtbot)
    window.dataset_list.read_only = True
    action = menu_action(window, "Trees", "Remove...")
    assert not action.isEnabled()


def test_import_dialog_licence_list_date_picker_and_memory(qtbot: Any) -> None:
    from tde_desktop.qt.explorer.import_dialog import ImportDialog

    dialog = ImportDialog(None, Path("/tmp/vacants.csv"))
    qtbot.addWidget(dialog)
    labels = {label.text(): label.buddy() for label in dialog.findChildren(QLabel)}
    assert labels["&File:"] is dialog.path_edit  # a mnemonic, not a literal "&"
    box = dialog.licence_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "CC BY 4.0", "CC0 1.0", "ODbL 1.0", "PDDL 1.0", "Public domain", "Other..."]
    other = box.findText("Other...")
    box.setCurrentIndex(other)
    box.activated.emit(other)
    assert box.licence() == ""
    box.lineEdit().setText("City open licence v2")
    picker = dialog.retrieved_edit
    assert picker.calendarPopup()
    assert picker.date() == QDate.currentDate()
    picker.setDate(QDate(2019, 2, 7))
    dialog.publisher_edit.setText("City of Baltimore")
    options = dialog.options()
    assert (options["licence"], options["retrieved_at"], options["publisher"]) == (
        "City open licence v2", "2019-02-07", "City of Baltimore")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    again = ImportDialog(None, None)
    qtbot.addWidget(again)
    assert again.publisher_edit.text() == "City of Baltimore"
    assert again.licence_box.licence() == "City open licence v2"
    assert again.options()["licence"] == "City open licence v2"


def test_details_dialog_keeps_an_unknown_date_unknown(qtbot: Any, small_pack: Path) -> None:
    from tde_desktop.qt.explorer.dataset_details_dialog import DatasetDetailsDialog

    with Pack.open(small_pack) as pack:
        info = pack.dataset("Bins")
    info.retrieved_at = ""
    dialog = DatasetDetailsDialog(info)
    qtbot.addWidget(dialog)
    assert dialog.retrieved_edit.text() == "not known"
    assert dialog.values()["retrieved_at"] == ""
    assert dialog.title_edit.text() == "Bins"
    file_line = next(label for label in dialog.findChildren(QLabel)
                     if "bins.csv" in label.text())
    assert file_line.textFormat() == Qt.TextFormat.PlainText  # file names are pack words


def test_a_real_right_click_opens_the_menu(qtbot: Any, make_main_window: Callable[..., Any],
                                           small_pack: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    window = make_main_window(small_pack)
    wait_idle(qtbot)
    lst = window.dataset_list
    seen: list[str] = []

    def pick_edit() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.extend(a.text() for a in menu.actions())
        next(a for a in menu.actions() if a.text().startswith("&Edit")).trigger()
        menu.close()

    QTimer.singleShot(200, pick_edit)
    bins = lst.visualItemRect(lst.item(1)).center()
    lst.customContextMenuRequested.emit(bins)
    assert seen == ["&Edit details...", "Re&place with a newer file...", "&Remove..."]
    assert lst.current_id() == window.pack.dataset("Bins").id  # the clicked one is chosen
    dialog = window.dataset_actions.details_dialog
    assert dialog is not None
    assert dialog.title_edit.text() == "Bins"
    dialog.reject()
