"""The workbook export dialog says how many notes await approval and offers, clearly worded
and off by default, an internal copy with every answer as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.workshop import moderation
from tde_desktop.qt.results.results_actions import ExportOptionsDialog
from tests.qt.conftest import answered_workshop, save_as, wait_idle

NOTES = ["Too many boarded houses", "The corner store closed", "<b>Fix</b> the alley"]


def _cells(path: Path, sheet: str = "Responses") -> list[str]:
    return [str(c.value) for row in openpyxl.load_workbook(path)[sheet].iter_rows()
            for c in row if c.value is not None]


@pytest.mark.parametrize("internal", [False, True])
def test_export_dialog_counts_waiting_notes_and_offers_an_internal_copy(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, internal: bool) -> None:
    window = make_main_window(baltimore_pack)
    workshop = answered_workshop(window.pack, NOTES)
    first = moderation.notes(window.pack, workshop.id)[0]
    moderation.edit_text(window.pack, first.id, "Too many boarded-up houses")
    moderation.set_status(window.pack, first.id, moderation.APPROVED)
    seen: dict[str, Any] = {}

    def exec_(dialog: ExportOptionsDialog) -> int:
        seen["line"] = dialog.awaiting.text()
        seen["default"] = dialog.unmoderated.isChecked()
        seen["offered"] = not dialog.unmoderated.isHidden()
        seen["format"] = dialog.awaiting.textFormat()
        dialog.unmoderated.setChecked(internal)
        seen["after"] = dialog.awaiting.text()
        return 1

    monkeypatch.setattr(ExportOptionsDialog, "exec", exec_)
    target = tmp_path / "results.xlsx"
    save_as(monkeypatch, target)
    window.export_workbook_action.trigger()
    wait_idle(qtbot)
    assert seen["line"] == ('2 notes await your approval; the workbook shows them as '
                            '"(awaiting approval)" until you approve them in the console.')
    assert seen["default"] is False
    assert seen["offered"]
    from PySide6.QtCore import Qt

    assert seen["format"] == Qt.TextFormat.PlainText
    cells = _cells(target)
    about = " ".join(_cells(target, "About"))
    if internal:
        assert "Too many boarded houses" in cells  # the participant's words as written
        assert seen["after"] == ("2 notes await your approval; this internal copy "
                                 "includes them as written.")
        assert {"The corner store closed", "<b>Fix</b> the alley"} <= set(cells)
        assert "Internal copy, not to be forwarded" in about
    else:
        assert "Too many boarded-up houses" in cells  # approved, as corrected
        assert seen["after"] == seen["line"]
        assert cells.count("(awaiting approval)") == 2
        assert "The corner store closed" not in cells
        assert "Internal copy" not in about


def test_pdf_dialog_offers_no_internal_copy(qtbot: Any) -> None:
    dialog = ExportOptionsDialog(None, contacts=False)
    qtbot.addWidget(dialog)
    assert dialog.unmoderated.isHidden()
    assert dialog.awaiting.isHidden()
    assert "include_unmoderated" not in dialog.options()
