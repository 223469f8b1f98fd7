"""Filters, chips, facets, search, the dictionary editor and the panels, by clicking widgets."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.text_direction import plain
from tests.qt.conftest import wait_idle


def sql_count(path, where: str, params=()) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            f"SELECT count(*) FROM ds_vacant_building_notices WHERE {where}", params).fetchone()[0]


def add_filter_by_typing(qtbot, bar, column: str, op_words: str, value: str = "") -> None:
    bar.column_box.setCurrentIndex(bar.column_box.findText(column))
    bar.op_box.setCurrentIndex(bar.op_box.findText(op_words))
    if value:
        qtbot.keyClicks(bar.value_edit, value)
    qtbot.mouseClick(bar.add_button, Qt.MouseButton.LeftButton)


def test_filter_updates_count_grid_and_chip(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    bar = explorer.filter_bar
    add_filter_by_typing(qtbot, bar, "neighborhood", "is", "BROADWAY EAST")
    wait_idle(qtbot)
    expected = sql_count(baltimore_pack, "neighborhood = ?", ("BROADWAY EAST",))
    assert expected > 100
    assert explorer.model.rowCount() == expected
    assert bar.count_label.text() == f"{expected:,} of 16,747 rows match"
    assert window.count_label.text() == f"{expected:,} of 16,747 rows match"
    column = next(i for i, c in enumerate(explorer.model.columns) if c.name == "neighborhood")
    assert {explorer.model.index(r, column).data() for r in range(50)} == {"BROADWAY EAST"}
    chips = bar.chip_buttons()
    assert [c.accessibleName() for c in chips] == [
        "Remove filter: neighborhood is BROADWAY EAST"]

    add_filter_by_typing(qtbot, bar, "councildistrict", "is more than", "12")
    wait_idle(qtbot)
    both = sql_count(baltimore_pack, "neighborhood = ? AND councildistrict > 12",
                     ("BROADWAY EAST",))
    assert explorer.model.rowCount() == both
    assert len(bar.chip_buttons()) == 2

    qtbot.mouseClick(bar.chip_buttons()[0], Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert explorer.model.rowCount() == sql_count(baltimore_pack, "councildistrict > 12")
    assert [c.accessibleName() for c in bar.chip_buttons()] == [
        "Remove filter: councildistrict is more than 12"]
    qtbot.mouseClick(bar.chip_buttons()[0], Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert explorer.model.rowCount() == 16_747
    assert bar.count_label.text() == "16,747 rows"


def test_between_dates_filter(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    bar = window.explorer.filter_bar
    bar.column_box.setCurrentIndex(bar.column_box.findText("noticedate"))
    bar.op_box.setCurrentIndex(bar.op_box.findText("is between"))
    assert bar.value2_edit.isVisibleTo(bar)
    qtbot.keyClicks(bar.value_edit, "2018-01-01")
    qtbot.keyClicks(bar.value2_edit, "2018-12-31")
    qtbot.keyClick(bar.value2_edit, Qt.Key.Key_Return)
    wait_idle(qtbot)
    expected = sql_count(baltimore_pack, "noticedate >= '2018-01-01' AND noticedate < '2019-01-01'")
    assert window.explorer.model.rowCount() == expected > 0


def test_search_box_finds_text_and_offers_an_index(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    qtbot.keyClicks(explorer.filter_bar.search_edit, "HARLEM")
    qtbot.keyClick(explorer.filter_bar.search_edit, Qt.Key.Key_Return)
    wait_idle(qtbot)
    like = explorer.model.rowCount()
    assert like > 0
    assert explorer.index_button.isVisibleTo(explorer)
    qtbot.mouseClick(explorer.index_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert not explorer.index_button.isVisibleTo(explorer)
    with Pack.open(baltimore_pack) as pack:
        assert pack.dataset(explorer.dataset.id).has_fts
    # The word index matches whole words (and prefixes of the last word), so it finds
    # the rows a person means: every one of them mentions HARLEM.
    assert explorer.model.rowCount() > 0
    row = explorer.model.row(0)
    assert any("HARLEM" in str(v).upper() for v in row[1:])


def test_facet_click_adds_an_is_filter(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    panel = explorer.show_panel("FacetPanel")
    panel.set_column("policedistrict")
    wait_idle(qtbot)
    with sqlite3.connect(baltimore_pack) as conn:
        top, n = conn.execute(
            "SELECT policedistrict, count(*) c FROM ds_vacant_building_notices "
            "GROUP BY 1 ORDER BY c DESC LIMIT 1").fetchone()
    first = panel.list.item(0)
    assert plain(first.text()) == f"{top}  \u2014  {n:,}"
    rect = panel.list.visualItemRect(first)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot)
    assert explorer.filters == [Filter("policedistrict", "is", top)]
    assert explorer.model.rowCount() == n
    # The panel recounts under the new filter: a single value is left.
    wait_idle(qtbot)
    assert panel.list.count() == 1


def test_facet_numbers_come_in_ranges(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    panel = window.explorer.show_panel("FacetPanel")
    panel.set_column("councildistrict")
    wait_idle(qtbot)
    # councildistrict holds whole numbers 1..14: one entry per value, each an 'is' filter.
    filters = [panel.list.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(panel.list.count())]
    assert all(f.op == "is" for f in filters)
    total = sum(e[1] for e in panel.entries)
    assert total == sql_count(baltimore_pack, "typeof(councildistrict) = 'integer'")
    panel.set_column("noticedate")
    wait_idle(qtbot)
    assert panel.entries[0][2].op == "between"
    assert panel.entries[0][0] == "1993"


def test_dictionary_edit_is_saved_in_the_pack(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    assert window.panel_actions[1].shortcut().toString() == "Alt+2"
    window.panel_actions[1].trigger()  # Data > Dictionary
    editor = window.explorer.dictionary
    assert window.explorer.tabs.currentWidget() is editor
    row = next(r for r in range(editor.table.rowCount())
               if editor.table.item(r, 0).text() == "noticedate")
    editor.table.setCurrentCell(row, 3)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.keyClicks(editor.table.focusWidget(), "Date the city sent the notice")
    qtbot.keyClick(editor.table.focusWidget(), Qt.Key.Key_Return)
    # The delegate commits the edit on the next turn of the event loop.
    qtbot.waitUntil(lambda: editor.table.item(row, 3).text() != "")
    model = window.explorer.model
    column = next(i for i, c in enumerate(model.columns) if c.name == "noticedate")
    assert "Date the city sent the notice" in model.headerData(
        column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    window.close()
    with Pack.open(baltimore_pack) as pack:
        info = pack.dataset("Vacant building notices")
        described = {c.name: c.description_en for c in info.columns}
    assert described["noticedate"] == "Date the city sent the notice"
    again = make_main_window(baltimore_pack)
    cell = again.explorer.dictionary.table.item(row, 3)
    assert cell.text() == "Date the city sent the notice"


def test_dataset_card_shows_provenance(make_main_window, baltimore_pack):
    window = make_main_window(baltimore_pack)
    text = window.explorer.card.label.text()
    assert "Vacant building notices" in text
    assert "City of Baltimore" in text
    assert "CC BY 4.0" in text
    with Pack.open(baltimore_pack) as pack:
        sha = pack.dataset(1).sha256
    assert " ".join(sha[i:i + 8] for i in range(0, 64, 8)) in text  # grouped to wrap


def test_column_card_follows_the_current_column(make_main_window, baltimore_pack, qtbot):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    card_view = explorer.show_panel("ColumnCardView")
    column = next(i for i, c in enumerate(explorer.model.columns) if c.name == "councildistrict")
    explorer.view.setCurrentIndex(explorer.model.index(0, column))
    wait_idle(qtbot)
    assert card_view.card is not None
    assert card_view.card.name == "councildistrict"
    with sqlite3.connect(baltimore_pack) as conn:
        lo, hi = conn.execute("SELECT min(councildistrict), max(councildistrict) "
                              "FROM ds_vacant_building_notices").fetchone()
    assert f"Ranges from {lo} to {hi}" in plain(card_view.text.text())
    assert card_view.histogram.counts
    assert sum(card_view.histogram.counts) > 16_000


def test_chart_follows_filters_and_saves(make_main_window, baltimore_pack, qtbot, tmp_path):
    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    chart = explorer.show_panel("ChartView")
    chart.x_box.setCurrentIndex(chart.x_box.findData("policedistrict"))
    wait_idle(qtbot)
    with sqlite3.connect(baltimore_pack) as conn:
        top, n = conn.execute("SELECT policedistrict, count(*) c FROM ds_vacant_building_notices"
                              " GROUP BY 1 ORDER BY c DESC LIMIT 1").fetchone()
    assert chart.data.labels[0] == top
    assert chart.data.values[0] == n
    explorer.add_filter(Filter("councildistrict", "is", 7))
    wait_idle(qtbot)
    assert chart.data.rows == sql_count(baltimore_pack, "councildistrict = 7")
    png = chart.save_image(tmp_path / "chart.png")
    assert png is not None
    assert png.read_bytes()[:4] == b"\x89PNG"
    view_id = chart.save_view("Notices by district, ward 7")
    from tde_desktop.core.explore import views

    with Pack.open(baltimore_pack) as pack:
        saved = views.load_view(pack, view_id)
    assert saved.filters == [Filter("councildistrict", "is", 7)]
    assert saved.chart.x == "policedistrict"


def test_map_counts_by_neighbourhood(make_main_window, baltimore_pack, qtbot):
    from tde_desktop.core.importers import import_file
    from tests.conftest import shared

    with Pack.open(baltimore_pack) as pack:
        import_file(pack, shared("samples/baltimore/neighborhoods.geojson"),
                    title="Neighbourhoods")
    window = make_main_window(baltimore_pack)
    map_view = window.explorer.show_panel("MapView")
    wait_idle(qtbot)
    assert map_view.boundary_box.currentText() == "Neighbourhoods"
    assert map_view.join_box.currentData() == "neighborhood"
    data = map_view.map_data
    assert data is not None
    assert data.areas
    with sqlite3.connect(baltimore_pack) as conn:
        n = conn.execute("SELECT count(*) FROM ds_vacant_building_notices "
                         "WHERE upper(neighborhood) = 'BROADWAY EAST'").fetchone()[0]
    assert data.counts()["Broadway East"] == n
    assert data.unmatched == 0
