"""The import dialog's preview: settings a person changes re-read the preview, off the UI
thread, and the import gets those settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tests.core.test_import_preview import _two_sheet_book


@pytest.fixture
def latin1_csv(tmp_path: Path) -> Path:
    path = tmp_path / "velos.csv"
    text = "Date;Côte-des-Neiges;Rachel\n" + "".join(
        f"{d:02d}/01/2012;{d * 3};{d * 5}\n" for d in range(1, 26))
    path.write_bytes(text.encode("latin-1"))
    return path


def opened(qtbot: Any, path: Path | None) -> Any:
    from tde_desktop.qt.explorer.import_dialog import ImportDialog

    dialog = ImportDialog(None, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.message.text()),
                    timeout=10_000)
    return dialog


def choose(qtbot: Any, dialog: Any, box: QComboBox, value: Any) -> None:
    """Pick ``value`` in ``box`` as a person would, and wait for the new preview."""
    index = box.findData(value)
    assert index >= 0, value
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        box.setCurrentIndex(index)
        box.activated.emit(index)


def headers(dialog: Any) -> list[str]:
    table = dialog.table
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_changing_the_delimiter_changes_the_preview_columns(qtbot: Any,
                                                            latin1_csv: Path) -> None:
    dialog = opened(qtbot, latin1_csv)
    settings = dialog.settings
    assert settings.delimiter_box.currentData() == ";"
    assert settings.encoding_box.currentData() == "cp1252"
    assert headers(dialog) == ["Date\ndate", "Côte-des-Neiges\ninteger", "Rachel\ninteger"]
    assert dialog.table.rowCount() == 20
    assert dialog.table.item(0, 1).text() == "3"
    assert not settings.sheet_box.isVisible()
    assert "not UTF-8" in dialog.message.text()
    choose(qtbot, dialog, settings.delimiter_box, ",")
    assert dialog.table.columnCount() == 1
    assert dialog.options()["delimiter"] == ","
    choose(qtbot, dialog, settings.delimiter_box, ";")
    choose(qtbot, dialog, settings.encoding_box, "utf-8")
    assert "Côte" not in headers(dialog)[1]


def test_choosing_another_sheet_and_table(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "parks.xlsx"
    _two_sheet_book(path)
    dialog = opened(qtbot, path)
    settings = dialog.settings
    assert not settings.delimiter_box.isVisible()
    assert settings.sheet_box.isVisible()
    assert settings.table_box.isVisible()
    assert [settings.sheet_box.itemText(i) for i in range(settings.sheet_box.count())] == [
        "Budget", "Staff"]
    assert dialog.table.item(0, 1).text() == "Spending 0"
    choose(qtbot, dialog, settings.table_box, 2)
    assert dialog.table.item(0, 1).text() == "Revenue 0"
    choose(qtbot, dialog, settings.sheet_box, "Staff")
    assert headers(dialog) == ["name\ntext", "start\ndate", "hours\ninteger"]
    assert not settings.table_box.isVisible()  # one table on this sheet
    assert dialog.options()["sheet"] == "Staff"
    assert "table" not in dialog.options()  # the table number was for the other sheet


def test_the_import_uses_the_chosen_options(qtbot: Any, latin1_csv: Path,
                                            new_pack: Pack) -> None:
    dialog = opened(qtbot, latin1_csv)
    choose(qtbot, dialog, dialog.settings.quote_box, "")
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.settings.header_spin.setValue(2)  # typed: read once the typing pauses
    assert dialog.preview.header_row == 2
    options = dialog.options()
    assert options["quote"] == ""
    assert options["header_row"] == 2
    assert "delimiter" not in options  # not changed: detected by the import as here
    info = import_file(new_pack, latin1_csv, **options)
    assert info.import_options["quote"] == ""
    assert info.import_options["header_row"] == 2
    assert [c.original_name for c in info.columns] == [
        c.name for c in dialog.preview.columns]


def test_a_file_that_cannot_be_previewed_says_why(qtbot: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    dialog = opened(qtbot, empty)
    assert dialog.preview is None
    assert dialog.message.text() == "empty.csv is empty."
    assert dialog.table.columnCount() == 0
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.path_edit.setText(str(tmp_path / "nowhere.csv"))
        dialog.path_edit.textEdited.emit(dialog.path_edit.text())
    assert "does not exist" in dialog.message.text()
