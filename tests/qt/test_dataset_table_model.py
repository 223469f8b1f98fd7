"""The paged table model: qtmodeltester, paging, wide, empty and all-missing datasets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tde_desktop.core.explore import paging
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.explorer.dataset_table_model import PAGE_SIZE, DatasetTableModel
from tests.conftest import shared
from tests.qt.conftest import wait_idle


@pytest.fixture
def notices(baltimore_pack: Path):
    pack = Pack.open(baltimore_pack)
    yield pack, pack.dataset("Vacant building notices")
    pack.close()


def test_model_passes_qtmodeltester(qtmodeltester, notices):
    pack, _info = notices
    model = DatasetTableModel(pack.conn, pack.dataset("Demolition list"))
    qtmodeltester.check(model, force_py=False)
    assert model.rowCount() == 1_850
    assert model.columnCount() == 8


def test_model_passes_qtmodeltester_with_filters_and_sort(qtmodeltester, notices):
    pack, info = notices
    filters = [Filter("councildistrict", "is", 7),
               Filter("neighborhood", "starts_with", "S")]
    model = DatasetTableModel(pack.conn, info, filters)
    expected = pack.conn.execute(
        "SELECT count(*) FROM ds_vacant_building_notices WHERE councildistrict = 7 "
        "AND neighborhood LIKE 'S%'").fetchone()[0]
    assert model.rowCount() == expected > 0
    model.sort(5, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=False)
    names = [model.index(r, 5).data() for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    assert all(n.startswith("S") for n in names)


def test_paging_reads_only_what_is_shown_and_keeps_an_lru(notices):
    pack, info = notices
    model = DatasetTableModel(pack.conn, info)
    last = model.index(16_746, 0).data()
    expected = pack.conn.execute(
        "SELECT block FROM ds_vacant_building_notices ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert last == expected
    assert model.pages_fetched == 1
    for page in range(60):
        model.row(page * PAGE_SIZE)
    assert len(model._pages) <= 40
    assert model.rowid(0) == 1
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"


def test_wide_table_with_the_column_finder(make_main_window, tmp_path, qtbot, qtmodeltester):
    path = tmp_path / "wide.tdepack"
    with Pack.create(path, title="Wide") as pack:
        import_file(pack, shared("messy/nyc_nta_acs_2023_wide_973_columns.csv"), title="ACS")
    with Pack.open(path) as pack:
        # Checked under a filter leaving a few rows: 973 columns x 262 rows is slow to walk.
        alone = DatasetTableModel(pack.conn, pack.dataset("ACS"),
                                  [Filter("nta_code", "starts_with", "BK01")])
        assert 0 < alone.rowCount() < 262
        qtmodeltester.check(alone, force_py=False)
        assert alone.columnCount() == 973
    window = make_main_window(path)
    model = window.explorer.model
    assert model.columnCount() == 973
    finder = window.explorer.column_finder
    view = window.explorer.view
    assert finder.visible_count() == 973
    qtbot.keyClicks(finder.search, "B01001_001")
    listed = [i.text() for i in finder.matching_items()]
    assert listed
    assert all("B01001_001" in name for name in listed)
    qtbot.mouseClick(finder.show_only, Qt.MouseButton.LeftButton)
    assert finder.visible_count() == len(listed)
    shown = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(973)
             if not view.isColumnHidden(c)]
    assert shown == listed
    assert view.first_column() == next(c for c in range(973) if not view.isColumnHidden(c))
    assert not view.frozen.isColumnHidden(view.first_column())
    # Untick one in the list: that column disappears from the grid.
    finder.matching_items()[0].setCheckState(Qt.CheckState.Unchecked)
    assert finder.visible_count() == len(listed) - 1
    assert f"{len(listed) - 1} of 973 columns shown" in finder.summary.text()


def test_empty_dataset_and_all_missing_column(make_main_window, tmp_path, qtbot,
                                              qtmodeltester):
    empty_csv = tmp_path / "no_rows.csv"
    empty_csv.write_text("ward,name\n", encoding="utf-8")
    blank_csv = tmp_path / "blank_column.csv"
    blank_csv.write_text("ward,comment\n1,\n2,\n3,\n", encoding="utf-8")
    path = tmp_path / "odd.tdepack"
    with Pack.create(path, title="Odd") as pack:
        import_file(pack, empty_csv, title="No rows")
        import_file(pack, blank_csv, title="Blank comments")
    window = make_main_window(path)
    explorer = window.explorer
    assert explorer.model.rowCount() == 0
    with Pack.open(path) as pack:
        for info in pack.datasets():
            qtmodeltester.check(DatasetTableModel(pack.conn, info), force_py=False)
    assert explorer.filter_bar.count_label.text() == "0 rows"
    facets = explorer.show_panel("FacetPanel")
    wait_idle(qtbot)
    assert facets.note.text() == "No rows match these filters."
    card = explorer.show_panel("ColumnCardView")
    wait_idle(qtbot)
    assert "There are no rows to describe." in card.text.text()

    window.dataset_list.setCurrentRow(1)
    assert explorer.model.rowCount() == 3
    assert explorer.model.index(0, 1).data() == ""
    assert explorer.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "(missing)"
    card.set_column("comment")
    wait_idle(qtbot)
    assert "No row has a value in this column." in card.text.text()
    chart = explorer.show_panel("ChartView")
    wait_idle(qtbot)
    chart.x_box.setCurrentIndex(chart.x_box.findData("comment"))
    wait_idle(qtbot)
    assert chart.data is not None
    explorer.apply_filters([Filter("comment", "not_empty")])
    wait_idle(qtbot)
    assert explorer.model.rowCount() == 0
    assert explorer.filter_bar.count_label.text() == "0 of 3 rows match"


@pytest.fixture(scope="module")
def big_filtered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack whose one dataset has 220,000 rows, 200,000 of them of kind A."""
    folder = tmp_path_factory.mktemp("big")
    csv_path = folder / "big.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write("n,kind,label\n")
        out.writelines(f"{i},{'B' if i % 11 == 0 else 'A'},row {i}\n" for i in range(220_000))
    path = folder / "big.tdepack"
    with Pack.create(path, title="Big") as pack:
        import_file(pack, csv_path, title="Big")
    return path


def test_jump_to_the_end_of_a_filtered_table_reads_in_the_background(big_filtered, qtbot):
    from PySide6.QtWidgets import QApplication

    from tde_desktop.qt.explorer.dataset_table_model import PLACEHOLDER
    from tde_desktop.qt.explorer.dataset_view import DatasetView

    pack = Pack.open(big_filtered)
    try:
        info = pack.dataset("Big")
        model = DatasetTableModel(pack.conn, info, [Filter("kind", "is", "A")],
                                  pack_path=big_filtered)
        assert model.rowCount() == 200_000
        view = DatasetView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(700, 500)
        view.show()
        QApplication.processEvents()
        assert model.index(0, 0).data() == "1"  # the first page is read at once
        fetched = model.pages_fetched
        view.scrollToBottom()  # how long the UI waits: benchmarks/grid_jump_bench.py
        QApplication.processEvents()
        last = model.index(199_999, 0)
        # the deep page is not read on this thread: placeholders, said as "loading"
        assert model.pages_fetched == fetched
        assert last.data() == PLACEHOLDER
        assert last.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "loading"
        qtbot.waitUntil(lambda: last.data() != PLACEHOLDER, timeout=20_000)
        expected = pack.conn.execute(
            f"SELECT n FROM {info.table_name} WHERE kind = 'A' ORDER BY rowid DESC LIMIT 1"
        ).fetchone()[0]
        assert last.data() == str(expected)
        assert model.pages_fetched == fetched  # still nothing read on the UI thread
        assert model.pages_loaded_in_background >= 1
        # the page before the last one continues from a remembered row: read at once
        assert paging.page_is_cheap(pack.conn, info.table_name, model.filters,
                                    offset=199_999 // PAGE_SIZE * PAGE_SIZE + PAGE_SIZE)
        # copying waits for real rows rather than copying placeholders
        view.go_to_row(150_001)
        assert "\u2026" not in view.selected_tsv()
        assert view.selected_tsv() == model.cell_text(150_000, view.currentIndex().column())
    finally:
        pack.close()


def test_rows_read_for_an_older_filter_are_dropped(big_filtered, qtbot):
    from tde_desktop.qt.explorer.dataset_table_model import PLACEHOLDER

    pack = Pack.open(big_filtered)
    try:
        info = pack.dataset("Big")
        model = DatasetTableModel(pack.conn, info, [Filter("kind", "is", "A")],
                                  pack_path=big_filtered)
        assert model.index(150_000, 2).data() == PLACEHOLDER
        model._dispatch()  # the background read starts now, not at the next event loop turn
        assert model.is_loading(150_000)
        # the filter changes before the page arrives: its rows must not be shown
        model.set_filters([Filter("kind", "is", "B")])
        assert model.rowCount() == 20_000
        wait_idle(qtbot)
        assert model.pages_loaded_in_background == 0
        assert model.index(0, 1).data() == "B"
        assert model.index(19_999, 1).data() == PLACEHOLDER
        qtbot.waitUntil(lambda: model.index(19_999, 1).data() != PLACEHOLDER, timeout=20_000)
        assert model.index(19_999, 1).data() == "B"
        assert model.index(19_999, 0).data() == "219989"
    finally:
        pack.close()
