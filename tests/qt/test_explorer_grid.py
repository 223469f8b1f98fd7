"""The grid at large text: the frozen first column stays level with its rows, and column
headers wrap onto two lines instead of being cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyleOptionHeader

from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops
from tde_desktop.qt.explorer.grid_header import MAX_CHARS, wrap_two_lines
from tests.qt.test_explorer_markup_messages import tooltip_shown

LONG = "Block number of the property on the city's tax map"


def settle(qtbot) -> None:
    ops.wait_for_all()
    qtbot.wait(30)
    ops.wait_for_all()


def row_top(view, table, row: int, column: int) -> QPoint:
    """Where ``row`` starts, in the grid's own coordinates (both views share them)."""
    index = table.model().index(row, column)
    return table.viewport().mapTo(view, table.visualRect(index).topLeft())


@pytest.fixture
def described_pack(baltimore_pack: Path) -> Path:
    with Pack.open(baltimore_pack) as pack:
        pack.describe_column("Vacant building notices", "block", text=LONG)
    return baltimore_pack


@pytest.mark.parametrize("scale", [2.0, 1.5])
def test_frozen_column_stays_level_with_its_rows_at_large_text(make_main_window,
                                                               baltimore_pack, qtbot, scale):
    window = make_main_window(baltimore_pack)
    view = window.explorer.view
    try:
        window.set_text_scale(scale)
        settle(qtbot)
        first = view.first_column()
        assert view.frozen.isVisible()
        assert view.frozen.horizontalHeader().height() == view.horizontalHeader().height()
        assert view.frozen.rowHeight(5) == view.rowHeight(5)
        assert view.rowHeight(5) >= view.fontMetrics().height()  # the text is not clipped
        assert row_top(view, view.frozen, 5, first) == row_top(view, view, 5, first)
        view.verticalScrollBar().setValue(view.rowHeight(0) * 7 + 5)  # part-way into a row
        settle(qtbot)
        assert view.frozen.verticalScrollBar().value() == view.verticalScrollBar().value()
        assert row_top(view, view.frozen, 9, first) == row_top(view, view, 9, first)
    finally:
        window.set_text_scale(1.0)
    settle(qtbot)
    assert view.rowHeight(5) == 24
    assert row_top(view, view.frozen, 5, first) == row_top(view, view, 5, first)


def test_long_headers_wrap_on_two_lines_with_the_description_in_the_tooltip(
        make_main_window, described_pack, qtbot):
    window = make_main_window(described_pack)
    view = window.explorer.view
    settle(qtbot)
    model = view.model()
    column = next(i for i, c in enumerate(model.columns) if c.name == "block")
    label = model.headerData(column, Qt.Orientation.Horizontal)
    header = view.horizontalHeader()
    option = QStyleOptionHeader()
    header.initStyleOptionForIndex(option, column)
    lines = option.text.split("\n")
    assert len(lines) == 2  # wrapped, not cut: every word of the label is shown
    assert " ".join(lines) == label
    assert all(header.fontMetrics().horizontalAdvance(x) <= header.sectionSize(column)
               for x in lines)
    # As the tooltip shows it: the markup escapes the apostrophe, the reader sees "city's".
    assert LONG in tooltip_shown(model.headerData(column, Qt.Orientation.Horizontal,
                                                  Qt.ItemDataRole.ToolTipRole))
    # Two lines tall, in the frozen copy too; widths follow the labels within bounds.
    assert header.height() >= 2 * header.fontMetrics().lineSpacing()
    char = header.fontMetrics().averageCharWidth()
    widths = [view.columnWidth(c) for c in range(model.columnCount())]
    assert all(w <= (MAX_CHARS + 6) * char for w in widths)
    short = next(i for i, c in enumerate(model.columns) if c.name == "noticedate")
    assert view.columnWidth(short) < view.columnWidth(column)


def test_a_word_too_long_for_the_column_is_elided_not_clipped(qapp):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    metrics = QFontMetrics(QApplication.font())
    lines = wrap_two_lines("buildingaddressandmore of the place", metrics, 60)
    assert len(lines) == 2
    assert lines[0].endswith("\u2026")
    assert all(metrics.horizontalAdvance(x) <= 60 for x in lines)
    assert wrap_two_lines("block", metrics, 200) == ["block"]
