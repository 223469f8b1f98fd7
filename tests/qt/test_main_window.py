"""The main window on real packs: opening, the dataset list, the grid, sorting, copying."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from tests.conftest import shared
from tests.qt.conftest import wait_idle


def first_csv_row(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as f:
        return next(csv.DictReader(f))


def test_open_pack_lists_datasets_with_row_counts(make_main_window, baltimore_pack):
    window = make_main_window(baltimore_pack)
    items = [window.dataset_list.item(i).text() for i in range(window.dataset_list.count())]
    assert items == ["Vacant building notices\n16,747 rows", "Demolition list\n1,850 rows"]
    assert window.count_label.text() == "16,747 rows"
    assert "Baltimore vacants" in window.windowTitle()


def test_grid_shows_first_row_of_the_file(make_main_window, baltimore_pack):
    window = make_main_window(baltimore_pack)
    model = window.explorer.model
    expected = first_csv_row(shared("samples/baltimore/vacant_building_notices.csv"))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(expected)
    shown = {h: model.index(0, c).data() for c, h in enumerate(headers)}
    assert shown["buildingaddress"] == expected["buildingaddress"]
    assert shown["block"] == "0001"  # zero-padded identifiers stay text
    assert model.rowCount() == 16_747


def test_selecting_another_dataset_changes_the_grid(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    window.dataset_list.setCurrentRow(1)
    model = window.explorer.model
    assert model.rowCount() == 1_850
    expected = first_csv_row(shared("samples/baltimore/demolition_list_clean.csv"))
    first_header = model.headerData(0, Qt.Orientation.Horizontal)
    assert model.index(0, 0).data() == expected[first_header]
    assert window.count_label.text() == "1,850 rows"


def test_clicking_a_header_sorts(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    view = window.explorer.view
    model = window.explorer.model
    column = next(i for i, c in enumerate(model.columns) if c.name == "buildingaddress")
    header = view.horizontalHeader()
    view.resize(1000, 500)
    view.scrollTo(model.index(0, column))
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    wait_idle(qtbot)
    with sqlite3.connect(baltimore_pack) as conn:
        lowest = conn.execute("SELECT buildingaddress FROM ds_vacant_building_notices "
                              "ORDER BY buildingaddress, rowid LIMIT 1").fetchone()[0]
        highest = conn.execute("SELECT buildingaddress FROM ds_vacant_building_notices "
                               "ORDER BY buildingaddress DESC, rowid DESC LIMIT 1").fetchone()[0]
    assert model.index(0, column).data() == lowest
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    wait_idle(qtbot)
    assert model.index(0, column).data() == highest


def test_ctrl_c_copies_selected_cells_as_tsv(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    view = window.explorer.view
    model = window.explorer.model
    view.selectionModel().select(
        __import__("PySide6.QtCore", fromlist=["QItemSelection"]).QItemSelection(
            model.index(0, 0), model.index(1, 1)),
        __import__("PySide6.QtCore", fromlist=["QItemSelectionModel"])
        .QItemSelectionModel.SelectionFlag.Select)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    expected = "\n".join(f"{model.index(r, 0).data()}\t{model.index(r, 1).data()}"
                         for r in range(2))
    assert text == expected
    assert text.startswith("0001\t2041 W NORTH AVE")


def test_go_to_row_selects_it(make_main_window, baltimore_pack):
    window = make_main_window(baltimore_pack)
    view = window.explorer.view
    assert view.go_to_row(12_345)
    assert view.currentIndex().row() == 12_344
    assert not view.go_to_row(99_999)


def test_frozen_first_column_follows_moves(make_main_window, baltimore_pack):
    window = make_main_window(baltimore_pack)
    view = window.explorer.view
    assert view.frozen.isVisible()
    assert not view.frozen.isColumnHidden(0)
    assert view.frozen.isColumnHidden(1)
    view.horizontalHeader().moveSection(3, 0)
    assert view.first_column() == 3
    assert not view.frozen.isColumnHidden(3)
    assert view.frozen.isColumnHidden(0)


def test_empty_pack_shows_hint_and_welcome_without_pack(make_main_window, tmp_path):
    window = make_main_window()
    assert window.stack.currentWidget() is window.welcome
    assert not window.import_action.isEnabled()
    assert window.new_pack(tmp_path / "empty.tdepack", "Empty")
    assert window.stack.currentWidget() is window.splitter
    assert window.dataset_list.count() == 0
    assert "no datasets" in window.count_label.text()


def test_opening_a_file_that_is_not_a_pack_says_so(make_main_window, tmp_path):
    from tde_desktop.qt.common import ops

    bogus = tmp_path / "notes.tdepack"
    bogus.write_text("hello")
    window = make_main_window()
    assert not window.open_pack(bogus)
    assert ops.last_message is not None
    assert ops.last_message.text() == "notes.tdepack is not a workshop pack."
    assert window.pack is None


def test_recent_packs_and_geometry_are_remembered(make_main_window, baltimore_pack):
    from tde_desktop.qt.common import settings

    window = make_main_window(baltimore_pack)
    window.resize(1250, 700)
    window.close()
    assert settings.recent_packs() == [baltimore_pack.resolve()]
    again = make_main_window()
    assert again.size().height() == 700  # (the offscreen screen clamps the width)
    from tde_desktop.qt.shell.main_menus import fill_recent_menu

    fill_recent_menu(window)
    assert baltimore_pack.name in window.recent_menu.actions()[0].text()
