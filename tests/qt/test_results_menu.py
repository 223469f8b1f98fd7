"""Results to city hall from the menus: workbook, PDF, CSV, merge, results-only; closing packs."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.results import results_actions
from tests.qt.conftest import (
    accept_options,
    answered_workshop,
    make_workshop,
    save_as,
    wait_idle,
)


def test_close_pack_closes_the_workshop_windows_first(make_main_window: Any,
                                                      baltimore_pack: Path, qtbot: Any) -> None:
    window = make_main_window(baltimore_pack)
    workshop = make_workshop(window.pack)
    menu = window.workshop_menu
    console = menu.open_console_unlocked(workshop.id)
    kiosk = menu.open_kiosk(workshop.id, full_screen=False)
    projector = menu.ask_projector(workshop.id)
    console.open_kiosk(full_screen=False)
    console.edit_agenda()
    assert len(menu.open_windows()) == 5
    window.close_pack()
    assert window.pack is None
    assert menu.open_windows() == []
    assert not kiosk.isVisible()
    assert not projector.isVisible()
    qtbot.wait(1300)  # the console and projector timers (1 s) would read a closed pack
    assert window.stack.currentWidget() is window.welcome


def test_export_menu_writes_a_workbook(make_main_window: Any, baltimore_pack: Path, qtbot: Any,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_main_window(baltimore_pack)
    answered_workshop(window.pack, ["Too many boarded houses", "The corner store closed"])
    target = tmp_path / "results.xlsx"
    accept_options(monkeypatch, threshold=3)
    save_as(monkeypatch, target)
    window.export_workbook_action.trigger()
    wait_idle(qtbot)
    book = openpyxl.load_workbook(target)
    assert {"About", "Participants", "Responses", "Codebook"} <= set(book.sheetnames)
    answers = {str(c.value) for row in book["Responses"].iter_rows() for c in row}
    assert "(awaiting approval)" in answers  # free text leaves only once approved
    assert "The corner store closed" not in answers
    assert "results.xlsx" in window.statusBar().currentMessage()
    assert not list(tmp_path.glob("*.partial*"))  # the core wrote a temp file and renamed it


def test_csv_and_pdf_exports(make_main_window: Any, baltimore_pack: Path, qtbot: Any,
                             tmp_path: Path) -> None:
    window = make_main_window(baltimore_pack)
    workshop = answered_workshop(window.pack, ["Fix the alley lights"])
    window.results.export_csv(workshop.id, tmp_path)
    wait_idle(qtbot)
    files = {p.name.split(" - ")[-1] for p in tmp_path.glob("*.csv")}
    assert {"About.csv", "Responses.csv", "Codebook.csv"} <= files
    [responses_csv] = tmp_path.glob("* - Responses.csv")
    with responses_csv.open(encoding="utf-8-sig", newline="") as f:
        cells = {cell for row in csv.reader(f) for cell in row}
    assert "(awaiting approval)" in cells  # moderated like the workbook
    assert "Fix the alley lights" not in cells
    pdf = tmp_path / "heard.pdf"
    window.results.export_pdf(workshop.id, pdf)
    wait_idle(qtbot)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_merge_via_the_menu_on_two_copies(make_main_window: Any, baltimore_pack: Path,
                                          qtbot: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with Pack.open(baltimore_pack) as pack:
        make_workshop(pack)
    other = tmp_path / "laptop2.tdepack"
    shutil.copyfile(baltimore_pack, other)
    with Pack.open(other) as pack:
        answered_workshop(pack, ["From the second laptop", "Another note"], device="laptop-2")
    window = make_main_window(baltimore_pack)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *_a, **_k: ([str(other)], "")))
    window.merge_action.trigger()
    wait_idle(qtbot)
    report = results_actions.last_report
    assert report is not None
    assert "laptop2.tdepack" in report.text()
    assert "2 participants" in report.text()
    [workshop] = ws.list_workshops(window.pack)
    assert len(ws.list_participants(window.pack, workshop.id)) == 2


def test_merge_of_different_datasets_offers_merge_anyway(make_main_window: Any,
                                                         baltimore_pack: Path, qtbot: Any,
                                                         tmp_path: Path) -> None:
    with Pack.open(baltimore_pack) as pack:
        make_workshop(pack)
    other = tmp_path / "elsewhere.tdepack"
    Pack.create(other, title="Another city").close()
    window = make_main_window(baltimore_pack)
    window.results.merge(other)
    wait_idle(qtbot)
    box = window.results.refusal
    assert "different datasets" in box.text()
    anyway = next(b for b in box.buttons() if b.text() == "Merge anyway")
    anyway.click()
    wait_idle(qtbot)
    assert "different datasets" in results_actions.last_report.text()


def test_save_results_only(make_main_window: Any, baltimore_pack: Path, qtbot: Any,
                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.core.results.results_only import is_results_only

    window = make_main_window(baltimore_pack)
    answered_workshop(window.pack, ["Small file for the stick"])
    target = tmp_path / "stick"
    save_as(monkeypatch, target)
    window.results_only_action.trigger()
    wait_idle(qtbot)
    written = tmp_path / "stick.tdepack"
    with Pack.open(written, read_only=True) as pack:
        assert is_results_only(pack)
        assert len(ws.list_workshops(pack)) == 1
    assert written.stat().st_size < baltimore_pack.stat().st_size / 4


def test_the_workbook_is_exported_in_the_language_chosen(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The export options offer every language found, start at the workshop's first one,
    and the workbook is written in the one chosen, whatever the app's language."""
    from tde_desktop.core import i18n
    from tde_desktop.qt.results.results_actions import ExportOptionsDialog

    window = make_main_window(baltimore_pack)
    workshop = answered_workshop(window.pack, ["Too many boarded houses"])
    offered: list[list[str]] = []
    first: list[str] = []

    def choose(lang: str) -> Any:
        def exec_(dialog: ExportOptionsDialog) -> int:
            combo = dialog.language
            offered.append([combo.itemData(i) for i in range(combo.count())])
            first.append(combo.currentData())
            combo.setCurrentIndex(combo.findData(lang))
            return 1
        return exec_

    monkeypatch.setattr(ExportOptionsDialog, "exec", choose("es"))
    target = tmp_path / "resultados.xlsx"
    save_as(monkeypatch, target)
    window.export_workbook_action.trigger()
    wait_idle(qtbot)
    assert offered[0] == list(i18n.SUPPORTED_LANGUAGES)
    assert {"en", "es"} <= set(offered[0])
    assert first == [workshop.languages[0]]
    names = set(openpyxl.load_workbook(target).sheetnames)
    assert {"Participantes", "Respuestas", "Libro de códigos"} <= names
    assert "Responses" not in names
    # A workshop run first in Spanish starts the choice at Spanish.
    ws.update_workshop(window.pack, workshop.id, languages=["es", "en"])
    monkeypatch.setattr(ExportOptionsDialog, "exec", choose("en"))
    english = tmp_path / "results.xlsx"
    save_as(monkeypatch, english)
    window.export_workbook_action.trigger()
    wait_idle(qtbot)
    assert first[-1] == "es"
    assert "Responses" in openpyxl.load_workbook(english).sheetnames
