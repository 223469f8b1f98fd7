"""Background work through the ops helper: imports with progress, cancel and plain errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tde_desktop.core.errors import TdeError
from tde_desktop.qt.common import ops
from tests.conftest import REPO, shared
from tests.qt.conftest import wait_idle


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_import_runs_in_the_background_and_selects_the_new_dataset(
        make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    op = window.import_file(shared("samples/los_angeles/myla311_service_requests_2017_subset.csv"),
                            title="311 requests")
    assert op is not None
    qtbot.waitUntil(lambda: window.dataset_list.count() == 3, timeout=20_000)
    assert window.dataset_list.currentItem().text() == "311 requests\n9,999 rows"
    assert window.explorer.dataset.title == "311 requests"
    assert window.explorer.model.rowCount() == 9_999
    assert "Imported" in window.statusBar().currentMessage()


def test_cancelling_an_import_half_way_adds_nothing(make_main_window, baltimore_pack, qtbot,
                                                    tmp_path):
    source = shared("samples/baltimore/vacant_building_notices.csv")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    big = tmp_path / "many_notices.csv"
    with big.open("w", encoding="utf-8") as f:
        f.write(lines[0])
        for _ in range(50):  # ~800,000 rows: over a second even on the fast path
            f.writelines(lines[1:])
    before = table_names(baltimore_pack)
    window = make_main_window(baltimore_pack)
    seen: list[tuple[int, int]] = []
    op = window.import_file(big)
    op.signals.progress.connect(lambda done, total, _m: seen.append((done, total)))
    # The dialog appears only after ~600 ms; press its Cancel button once work is under way.
    qtbot.waitUntil(lambda: op.dialog is not None and bool(seen), timeout=20_000)
    assert isinstance(op.dialog, QProgressDialog)
    cancel = op.dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert seen[-1][0] < seen[-1][1]  # stopped before the end of the file
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.dataset_list.count() == 2
    assert table_names(baltimore_pack) == before


def test_a_file_that_cannot_be_imported_gives_one_plain_sentence(
        make_main_window, baltimore_pack, qtbot, tmp_path):
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04 not really")
    window = make_main_window(baltimore_pack)
    window.import_file(odd)
    wait_idle(qtbot)
    box = ops.last_message
    assert box is not None
    assert box.text() == ("notes.docx: files of type .docx cannot be imported; use CSV, Excel, "
                          "JSON or GeoJSON.")
    assert "\n" not in box.text()
    assert window.dataset_list.count() == 2


def test_unexpected_errors_are_logged_and_shown_plainly(qtbot, caplog):
    def broken(_progress):
        raise ZeroDivisionError("division by zero")

    ops.run_op(None, broken)
    wait_idle(qtbot)
    assert ops.last_message.text().startswith("Something went wrong")
    assert "ZeroDivisionError" not in ops.last_message.text()
    assert "ZeroDivisionError" in caplog.text


def test_results_come_back_on_the_ui_thread_with_a_pack_of_their_own(qtbot, baltimore_pack):
    import threading

    results = {}

    def work(pack, progress):
        progress(1, 2, "half")
        results["worker_thread"] = threading.get_ident()
        return pack.dataset(1).row_count

    def done(value):
        results["value"] = value
        results["done_thread"] = threading.get_ident()

    ops.run_op(None, work, pack_path=baltimore_pack, on_done=done)
    qtbot.waitUntil(lambda: "value" in results, timeout=10_000)
    assert results["value"] == 16_747
    assert results["done_thread"] == threading.get_ident()
    assert results["worker_thread"] != threading.get_ident()


def test_tde_errors_go_to_on_error(qtbot):
    got = []

    def fails(_progress):
        raise TdeError("That column does not exist.")

    ops.run_op(None, fails, on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5_000)
    assert ops.error_text(got[0]) == "That column does not exist."


def test_start_up_does_not_import_heavy_modules():
    code = ("import sys, tde_desktop.qt.shell.app as a, tde_desktop.qt.shell.main_window as m; "
            "print(sorted({'pandas', 'matplotlib', 'openpyxl'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                                     "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_dropping_a_data_file_imports_it(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    window.open_dropped([shared("samples/los_angeles/neighborhood_councils_2019.geojson")])
    qtbot.waitUntil(lambda: window.dataset_list.count() == 3, timeout=20_000)
    assert window.explorer.dataset.row_count == 99
