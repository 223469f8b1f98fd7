"""An export onto a workbook that Excel holds open (simulated as Windows refuses it):
the screen says so in one plain message with the new name, and the new file is whole."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.qt.common import ops
from tests.qt.conftest import accept_options, answered_workshop, save_as, wait_idle


def test_a_workbook_open_in_excel_is_saved_under_a_new_name(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_main_window(baltimore_pack)
    answered_workshop(window.pack, ["The corner store closed"])
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"the workbook Excel shows")
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if os.fspath(dst) == str(target):
            raise PermissionError(13, "The process cannot access the file because it is "
                                  "being used by another process", str(target))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    accept_options(monkeypatch, threshold=3)
    save_as(monkeypatch, target)
    monkeypatch.setattr(ops, "last_message", None)
    window.export_workbook_action.trigger()
    wait_idle(qtbot)
    box = ops.last_message
    assert box is not None
    assert box.text() == ("results.xlsx is open in another program, so it was not replaced: "
                          "the new file is saved beside it as results (2).xlsx.")
    assert target.read_bytes() == b"the workbook Excel shows"
    book = openpyxl.load_workbook(tmp_path / "results (2).xlsx", read_only=True)
    assert "Responses" in book.sheetnames
    assert not list(tmp_path.glob("*.partial*"))
