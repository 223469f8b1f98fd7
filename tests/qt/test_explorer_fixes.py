"""Explorer and dialog fixes: an empty pack, exports in the grid's order, plurals and
Qt's own buttons in the interface language."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tde_desktop.core import i18n
from tde_desktop.core.explore.filters import Filter
from tde_desktop.qt.common import ops


def wait_idle(qtbot: Any) -> None:
    ops.wait_for_all()
    qtbot.wait(20)
    ops.wait_for_all()


def test_new_empty_pack_does_not_count_forever(make_main_window, tmp_path, qtbot):
    window = make_main_window()
    assert window.new_pack(tmp_path / "empty.tdepack", "Empty")
    wait_idle(qtbot)
    assert window.explorer.filter_bar.count_label.text() == ""
    assert "import" in window.count_label.text()


def test_export_this_view_keeps_the_sort(make_main_window, baltimore_pack: Path, tmp_path,
                                         qtbot):
    from tde_desktop.qt.explorer.view_actions import export_view

    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    explorer.apply_filters([Filter("councildistrict", "is", 7)])
    wait_idle(qtbot)
    column = next(i for i, c in enumerate(explorer.model.columns) if c.name == "noticedate")
    explorer.view.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot)
    assert explorer.model.order_by == "noticedate"
    assert explorer.model.descending
    target = tmp_path / "sorted.csv"
    export_view(explorer, target)
    wait_idle(qtbot)
    with target.open(encoding="utf-8-sig", newline="") as f:
        dates = [r["noticedate"] for r in csv.DictReader(f)]
    with sqlite3.connect(baltimore_pack) as conn:
        newest = conn.execute("SELECT max(noticedate) FROM ds_vacant_building_notices "
                              "WHERE councildistrict = 7").fetchone()[0]
    assert len(dates) == explorer.count > 100
    assert dates == sorted(dates, reverse=True)
    assert dates[0][:10] == str(newest)[:10]


def test_one_value_is_singular_in_both_languages():
    assert i18n.ngettext("{n} different value", "{n} different values", 1).format(n=1) == \
        "1 different value"
    assert i18n.ngettext("{n} different value", "{n} different values", 3).format(n=3) == \
        "3 different values"
    i18n.set_language("es")
    try:
        assert i18n.ngettext("{n} different value", "{n} different values",
                             1).format(n=1) == "1 valor distinto"
        assert i18n.ngettext("{n} row", "{n} rows", 1).format(n=1) == "1 fila"
        assert i18n.ngettext("{n} row", "{n} rows", 2).format(n=2) == "2 filas"
    finally:
        i18n.set_language("en")


def test_facet_note_for_one_value(make_main_window, baltimore_pack: Path, qtbot):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    explorer.apply_filters([Filter("councildistrict", "is", 7)])
    wait_idle(qtbot)
    facets = explorer.show_panel("FacetPanel")
    facets.set_column("councildistrict")
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: "value" in facets.note.text())
    assert facets.note.text() == "1 different value"


def test_standard_buttons_follow_the_language(make_main_window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from tde_desktop.qt.workshop.workshop_menu import NewWorkshopDialog

    window = make_main_window()
    window.set_language("es")
    try:
        dialog = NewWorkshopDialog(window)
        qtbot.addWidget(dialog)
        box = dialog.findChild(QDialogButtonBox)
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel.text().replace("&", "") == "Cancelar"
    finally:
        window.set_language("en")
    dialog = NewWorkshopDialog(window)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == \
        "Cancel"
