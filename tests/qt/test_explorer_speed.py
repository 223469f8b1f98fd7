"""Explorer speed-ups: sorting on an existing index at once, charts drawn off the UI
thread, integer codes shown value by value, grid cells kept as text."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tde_desktop.core.explore import charts, paging
from tests.qt.conftest import wait_idle

TABLE = "ds_vacant_building_notices"


def test_sort_on_an_existing_index_needs_no_background_job(
        make_main_window: Any, baltimore_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.qt.explorer import explorer as explorer_module

    window = make_main_window(baltimore_pack)
    explorer = window.explorer
    monkeypatch.setattr(explorer_module, "INDEX_IN_BACKGROUND_ROWS", 0)  # "a big table"
    jobs: list[str] = []
    monkeypatch.setattr(explorer_module, "run_op",
                        lambda *args, **kwargs: jobs.append(kwargs.get("label", "")))
    column = [c.name for c in explorer.model.columns].index("neighborhood")
    paging.ensure_index(window.pack.conn, TABLE, "neighborhood")
    explorer.sort(column, Qt.SortOrder.DescendingOrder)
    assert jobs == []
    assert explorer.model.order_by == "neighborhood"
    with sqlite3.connect(baltimore_pack) as conn:
        last = conn.execute(f"SELECT max(neighborhood) FROM {TABLE}").fetchone()[0]
    assert explorer.model.data(explorer.model.index(0, column)) == last
    # without its index, the index is built in the background first
    other = [c.name for c in explorer.model.columns].index("policedistrict")
    explorer.sort(other, Qt.SortOrder.AscendingOrder)
    assert len(jobs) == 1
    assert explorer.model.order_by == "neighborhood"


def test_chart_is_drawn_and_rendered_off_the_ui_thread(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    real = charts.draw_chart

    def spy(figure: Any, data: Any, spec: Any) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        real(figure, data, spec)

    monkeypatch.setattr(charts, "draw_chart", spy)
    window = make_main_window(baltimore_pack)
    chart = window.explorer.show_panel("ChartView")
    chart.x_box.setCurrentIndex(chart.x_box.findData("policedistrict"))
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: chart.data is not None and chart.spec.x == "policedistrict")
    assert threads
    assert not any(threads)  # never drawn on the UI thread
    assert not chart.canvas.pixmap().isNull()
    assert chart.canvas.pixmap().width() > 100
    bars = [p for ax in chart.figure.axes for p in ax.patches]
    assert len(bars) == len(chart.data.values)
    assert chart.data.title in chart.canvas.accessibleDescription()


def test_integer_codes_are_listed_by_value_and_measures_in_ranges(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any) -> None:
    from tde_desktop.qt.explorer import facet_panel

    window = make_main_window(baltimore_pack)
    panel = window.explorer.show_panel("FacetPanel")
    panel.set_column("councildistrict")
    wait_idle(qtbot)
    with sqlite3.connect(baltimore_pack) as conn:
        expected = conn.execute(f"SELECT councildistrict, count(*) FROM {TABLE} "
                                "GROUP BY councildistrict ORDER BY councildistrict").fetchall()
    shown = [(f.value, n) for _label, n, f in panel.entries]
    assert shown == [(v, n) for v, n in expected if v is not None]
    assert "different values" in panel.note.text()
    # a whole-number column with more than the limit of values is a measure: ranges
    with sqlite3.connect(baltimore_pack) as conn:
        conn.execute(f"UPDATE {TABLE} SET councildistrict = rowid")
    window.explorer.model.set_filters([])
    panel.refresh()
    wait_idle(qtbot)
    assert len(panel.entries) <= 20
    assert panel.entries[0][2].op == "between"
    assert panel.note.text() == "Ranges of equal width"
    assert facet_panel.MAX_CODE_VALUES == 100


def test_grid_cells_are_formatted_once_per_page(make_main_window: Any,
                                                baltimore_pack: Path) -> None:
    window = make_main_window(baltimore_pack)
    model = window.explorer.model
    first = model.data(model.index(5, 0))
    fetched = model.pages_fetched
    for _i in range(100):
        assert model.data(model.index(5, 0)) is first  # the same text, not made again
    assert model.pages_fetched == fetched
    with sqlite3.connect(baltimore_pack) as conn:
        row = conn.execute(f"SELECT * FROM {TABLE} ORDER BY rowid LIMIT 1 OFFSET 5").fetchone()
    assert first == ("" if row[0] is None else str(row[0]))
