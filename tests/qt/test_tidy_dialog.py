"""Tidy values from the Values panel: a merge joins two facet entries, undo splits them."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.text_direction import plain
from tests.qt.conftest import wait_idle


def _residents_pack(tmp_path: Path) -> Path:
    src = tmp_path / "residents.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["neighbourhood", "ward"])
        w.writerows([("BROADWAY EAST", "1")] * 3 + [("Broadway East", "2")] * 5
                    + [("Hamilton", "3")] * 2)
    path = tmp_path / "residents.tdepack"
    with Pack.create(path, title="Residents") as pack:
        import_file(pack, src, title="Residents", type_overrides={"ward": "text"})
    return path


def _facet(panel) -> dict[str, int]:
    return {label: n for label, n, _f in panel.entries}


def test_merge_joins_facet_entries_and_undo_splits_them(make_main_window, qtbot, tmp_path):
    window = make_main_window(_residents_pack(tmp_path))
    explorer = window.explorer
    panel = explorer.show_panel("FacetPanel")
    panel.set_column("neighbourhood")
    wait_idle(qtbot)
    assert _facet(panel) == {"Broadway East": 5, "BROADWAY EAST": 3, "Hamilton": 2}
    assert panel.tidy_button.isEnabled()
    qtbot.mouseClick(panel.tidy_button, Qt.MouseButton.LeftButton)
    dialog = panel.tidy_dialog
    wait_idle(qtbot)
    assert dialog.grid.rowCount() == 1
    assert plain(dialog.grid.item(0, 1).text()) == "Broadway East (5); BROADWAY EAST (3)"
    assert dialog.grid.item(0, 3).text() == "Broadway East"
    dialog.grid.item(0, 3).setText("Broadway East (NE)")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert _facet(panel) == {"Broadway East (NE)": 8, "Hamilton": 2}
    assert dialog.grid.rowCount() == 0
    assert [plain(dialog.steps_list.item(i).text()) for i in range(dialog.steps_list.count())] == [
        "Broadway East \u2192 Broadway East (NE)", "BROADWAY EAST \u2192 Broadway East (NE)"]
    card = explorer.card.label.text()
    assert "Tidied values" in card
    assert "neighbourhood: BROADWAY EAST \u2192 Broadway East (NE)" in card
    chart = explorer.show_panel("ChartView")
    chart.x_box.setCurrentIndex(chart.x_box.findData("neighbourhood"))
    wait_idle(qtbot)
    assert dict(zip(chart.data.labels, chart.data.values, strict=True)) == {
        "Broadway East (NE)": 8, "Hamilton": 2}
    # undo only the step for the upper-case spelling: it is counted apart again
    explorer.show_panel("FacetPanel")
    dialog.steps_list.item(1).setSelected(True)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert _facet(panel) == {"Broadway East (NE)": 5, "BROADWAY EAST": 3, "Hamilton": 2}
    assert "BROADWAY EAST \u2192" not in explorer.card.label.text()
    dialog.close()
    # the card shows the steps left when the dataset is shown again
    explorer.set_dataset(explorer.pack, explorer.dataset)
    assert "Broadway East \u2192 Broadway East (NE)" in explorer.card.label.text()


def test_tidy_is_offered_for_text_columns_only(make_main_window, qtbot, tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("name,count\nA,1\nB,2\n", encoding="utf-8")
    pack_path = tmp_path / "n.tdepack"
    with Pack.create(pack_path, title="N") as pack:
        import_file(pack, path, title="N")
    window = make_main_window(pack_path)
    panel = window.explorer.show_panel("FacetPanel")
    panel.set_column("count")
    wait_idle(qtbot)
    assert not panel.tidy_button.isEnabled()
    panel.set_column("name")
    wait_idle(qtbot)
    assert panel.tidy_button.isEnabled()
