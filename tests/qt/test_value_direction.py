"""Pack values read in their own direction in a right-to-left (Arabic) window, and a long
value on the column card wraps inside its panel.

Each direction check lays the text out with a real QTextLayout the way Qt's style draws an
item (the option's direction and alignment, as QCommonStyle passes them to QTextOption),
and compares where two characters land: in "2041 W NORTH AVE" the house number must be left
of the street, in an Arabic value the first word right of the last.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QTextDocument, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem

from tde_desktop.core.explore import column_card
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.text_direction import FSI, isolate, plain
from tde_desktop.qt.explorer.column_card_view import card_text
from tde_desktop.qt.explorer.dataset_card import wrappable
from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel
from tde_desktop.qt.explorer.dataset_view import DatasetView
from tests.qt.conftest import wait_idle

RTL = Qt.LayoutDirection.RightToLeft
ADDRESS = "2041 W NORTH AVE"
ARABIC = "شارع الملك فيصل 12"  # "King Faisal Street 12": starts with an Arabic word


def _pack(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    src = tmp_path / "notices.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["address", "neighborhood"])
        w.writerows(rows)
    path = tmp_path / "notices.tdepack"
    with Pack.create(path, title="Notices") as pack:
        import_file(pack, src, title="Notices")
    return path


def _x(text: str, position: int, direction: Qt.LayoutDirection,
       alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> float:
    """Where the cursor before ``position`` stands once ``text`` is laid out as an item
    view draws it with this option direction and alignment (take a position inside a run
    of one direction: at a boundary the cursor has two places)."""
    option = QTextOption()
    option.setTextDirection(direction)
    option.setAlignment(QStyle.visualAlignment(direction, alignment))
    layout = QTextLayout(text, QFont())
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1000)
    layout.endLayout()
    return line.cursorToX(position)[0]


def _drawn(view: QAbstractItemView, index: QModelIndex) -> QStyleOptionViewItem:
    """The style option the view's delegate draws ``index`` with."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    return option


def _reads_left_to_right(option: QStyleOptionViewItem, text: str, first: int,
                         later: int) -> bool:
    return (_x(text, first, option.direction, option.displayAlignment)
            < _x(text, later, option.direction, option.displayAlignment))


def test_grid_lays_out_each_value_in_its_own_direction(qtbot, tmp_path):
    path = _pack(tmp_path, [(ADDRESS, "Sandtown"), (ARABIC, "حي")])
    with Pack.open(path) as pack:
        model = DatasetTableModel(pack.conn, pack.dataset("Notices"), pack_path=path)
        view = DatasetView()
        qtbot.addWidget(view)
        view.setLayoutDirection(RTL)
        view.setModel(model)
        latin, arabic = model.index(0, 0), model.index(1, 0)
        assert latin.data() == ADDRESS  # the model's text is the value, unchanged

        drawn = _drawn(view, latin)
        assert drawn.text == ADDRESS
        # "2041" (position 0) is drawn left of "W" (position 5), as written...
        assert _reads_left_to_right(drawn, ADDRESS, 1, 6)
        # ...where the window's direction alone puts the number on the right.
        plain_option = QStyleOptionViewItem(drawn)
        plain_option.direction = RTL
        assert not _reads_left_to_right(plain_option, ADDRESS, 1, 6)
        # The column still lines up with the window: text on the right in Arabic.
        assert drawn.displayAlignment & Qt.AlignmentFlag.AlignRight
        assert drawn.displayAlignment & Qt.AlignmentFlag.AlignAbsolute

        # An Arabic value reads right to left: its first word right of its last.
        assert not _reads_left_to_right(_drawn(view, arabic), ARABIC, 1, len(ARABIC) - 5)
        # The frozen first column draws the same way.
        assert _reads_left_to_right(_drawn(view.frozen, latin), ADDRESS, 1, 6)

        # Copying and the screen reader get the value as stored.
        view.selectionModel().select(latin, view.selectionModel().SelectionFlag.Select)
        assert view.selected_tsv() == ADDRESS
        assert latin.data(Qt.ItemDataRole.AccessibleTextRole).endswith(ADDRESS)
        model.deleteLater()


def test_facet_value_keeps_its_order_beside_the_count(make_main_window, qtbot, tmp_path):
    window = make_main_window(_pack(tmp_path, [(ADDRESS, "Sandtown")] * 12))
    window.setLayoutDirection(RTL)
    facets = window.explorer.show_panel("FacetPanel")
    facets.set_column("address")
    wait_idle(qtbot)
    item = facets.list.item(0)
    text = item.text()
    assert text.startswith(isolate(ADDRESS))
    start = len(FSI) + 1  # between "2" and "0"
    # In the right-to-left line the isolated address still reads "2041 W NORTH AVE"...
    assert _x(text, start, RTL) < _x(text, start + 5, RTL)
    # ...and stays right of its count (between "1" and "2"), which is read after it.
    assert _x(text, start, RTL) > _x(text, len(text) - 1, RTL)
    assert plain(text) == f"{ADDRESS}  \u2014  12"
    assert FSI not in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert facets.entries[0][0] == ADDRESS  # the filter a click adds is the stored value


def test_tidy_dialog_shows_values_in_their_own_direction(make_main_window, qtbot, tmp_path):
    rows = [("2041 W NORTH AVE", "x")] * 2 + [("2041 w north ave", "y")]
    window = make_main_window(_pack(tmp_path, rows))
    window.setLayoutDirection(RTL)
    facets = window.explorer.show_panel("FacetPanel")
    facets.set_column("address")
    wait_idle(qtbot)
    facets.open_tidy()
    dialog = facets.tidy_dialog
    dialog.setLayoutDirection(RTL)
    wait_idle(qtbot)
    values = dialog.grid.item(0, 1)
    assert values.text().startswith(isolate(ADDRESS))
    assert plain(values.text()) == "2041 W NORTH AVE (2); 2041 w north ave (1)"
    assert FSI not in values.data(Qt.ItemDataRole.AccessibleTextRole)
    into = dialog.grid.model().index(0, 3)
    assert into.data() == ADDRESS  # what a merge reads back is the value itself
    assert _reads_left_to_right(_drawn(dialog.grid, into), ADDRESS, 1, 6)


def _card(value: str) -> column_card.ColumnCard:
    return column_card.ColumnCard(
        name="neighborhood", label="Neighbourhood", type="text", rows=10, missing=0,
        missing_pct=0.0,
        distinct=2, top=[(value, 6, 60.0), ("Hamilton", 4, 40.0)])


def test_long_card_value_wraps_inside_the_panel(make_main_window, qtbot, tmp_path):
    long_value = ("SANDTOWNWINCHESTERUPTON" * 14)[:300]  # a tidied value with no space
    window = make_main_window(_pack(tmp_path, [(ADDRESS, long_value)] * 3
                                    + [(ADDRESS, "Hamilton")]))
    window.resize(1366, 740)
    view = window.explorer.show_panel("ColumnCardView")
    view.set_column("neighborhood")
    wait_idle(qtbot)
    assert view.card is not None
    assert view.card.top[0][0] == long_value
    label = view.text
    assert label.width() <= view.width()
    # The card's text, laid out at the label's width, is no wider than the label.
    document = QTextDocument()
    document.setDefaultFont(label.font())
    wrap = QTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WordWrap)  # as a word-wrapping QLabel lays out
    document.setDefaultTextOption(wrap)
    document.setHtml(label.text())
    document.setTextWidth(label.width())
    assert document.idealWidth() <= label.width()
    # The old text (no break opportunities) could not fit: the check above can fail.
    document.setHtml(label.text().replace("\u200b", ""))
    document.setTextWidth(label.width())
    assert document.idealWidth() > label.width()


def test_right_to_left_card_lists_each_value_on_the_right_of_its_count():
    html = card_text(_card(ADDRESS), rtl=True)
    row = html[html.index("<tr>"):html.index("</tr>")]
    assert row.rindex(ADDRESS) > row.index("6")  # last cell: drawn rightmost
    assert "align='right'" in html
    left_to_right = card_text(_card(ADDRESS))
    row = left_to_right[left_to_right.index("<tr>"):left_to_right.index("</tr>")]
    assert row.index(ADDRESS) < row.index("6")


@pytest.mark.parametrize("text", ["x" * 40, "é" * 30, "e\u0301" * 30, "👩\u200d💻" * 20,
                                  "شارع" * 12, "short words only", ""])
def test_wrappable_only_adds_invisible_breaks(text):
    shown = wrappable(text)
    assert shown.replace("\u200b", "") == text
    for i, ch in enumerate(shown):
        if ch == "\u200b":
            after = shown[i + 1]
            assert not after.isspace()
            assert after not in "\u0301\u200d"
            assert shown[i - 1] != "\u200d"
    if len(text) > 24 and " " not in text:
        assert "\u200b" in shown
