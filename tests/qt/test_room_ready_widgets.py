"""Widgets for the room: at 200% text on a laptop or a projector, check boxes and radio
buttons grow with the words beside them (in the calm theme too), the grid writes whole
numbers as a spreadsheet does, and combo boxes holding long names end them with "…"
instead of cutting them off."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QHelpEvent, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore.record_search import key_columns, search_records
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.elided_combo import ELLIPSIS, ElidedComboBox
from tde_desktop.qt.common.text_direction import plain
from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel
from tde_desktop.qt.explorer.dataset_view import DatasetView
from tests.conftest import shared
from tests.qt.conftest import wait_idle


@pytest.fixture
def text_scale() -> Iterator[Any]:
    """Set View > Text size (and contrast) for one test; 100%, calm, afterwards."""
    app = QApplication.instance()

    def use(scale: float, high_contrast: bool = False) -> None:
        theme.apply_theme(app, scale=scale, high_contrast=high_contrast)

    yield use
    theme.apply_theme(app, scale=1.0, high_contrast=False)


def painted(image: QImage) -> QRect:
    """The bounding box of what differs clearly from the top-left pixel (the background)."""
    background = image.pixelColor(0, 0)
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if (abs(c.red() - background.red()) + abs(c.green() - background.green())
                    + abs(c.blue() - background.blue())) > 60:
                xs.append(x)
                ys.append(y)
    assert xs, "nothing painted"
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


def shown_buttons(qtbot: Any) -> tuple[QWidget, QCheckBox, QRadioButton]:
    """A window with a check box and a radio button without words: what is painted is
    the indicator alone."""
    window = QWidget()
    layout = QVBoxLayout(window)
    box, radio = QCheckBox(), QRadioButton()
    layout.addWidget(box)
    layout.addWidget(radio)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, box, radio


def indicator_rect(button: QAbstractButton) -> QRect:
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(button, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    return button.style().subElementRect(element, option, button)


def test_check_boxes_and_radio_buttons_grow_with_the_text_in_the_calm_theme(
        qtbot: Any, text_scale: Any) -> None:
    sizes: dict[float, list[QRect]] = {}
    for scale in (1.0, 2.0):
        text_scale(scale)
        _window, box, radio = shown_buttons(qtbot)
        sizes[scale] = [painted(box.grab().toImage()), painted(radio.grab().toImage()),
                        indicator_rect(box), indicator_rect(radio)]
    for small, large in zip(sizes[1.0], sizes[2.0], strict=True):
        assert large.width() >= 2 * small.width() - 2, (small, large)
        assert large.height() >= 2 * small.height() - 2, (small, large)
    # still the calm look: a white box with Fusion's grey outline, no high-contrast ink
    sheet = QApplication.instance().styleSheet()
    assert theme.HIGH_CONTRAST["accent"] not in sheet
    _window, box, _radio = shown_buttons(qtbot)
    image = box.grab().toImage()
    inside = painted(image).center()
    assert image.pixelColor(inside).name() == theme.CALM["base"]
    assert QColor(image.pixelColor(painted(image).topLeft())).lightness() < 230  # an outline


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_check_box_and_radio_outlines_stand_out_from_the_window(
        qtbot: Any, text_scale: Any, scale: float) -> None:
    """The edge of an empty box or circle is at least 3:1 against the window and against
    the white inside (WCAG non-text contrast); Fusion's own outline was about 2:1."""
    text_scale(scale)
    window = QColor(theme.CALM["window"])
    _window, box, radio = shown_buttons(qtbot)
    for button in (box, radio):
        image = button.grab().toImage()
        edge = painted(image)
        y = edge.center().y()
        darkest = min((image.pixelColor(x, y) for x in range(edge.left(), edge.center().x())),
                      key=_luminance)
        assert contrast(darkest, window) >= 3.0, (type(button).__name__, darkest.name())
        assert contrast(darkest, QColor(theme.CALM["base"])) >= 3.0


def test_large_check_box_still_toggles_by_click_and_space(qtbot: Any, text_scale: Any) -> None:
    text_scale(2.0)
    window, box, radio = shown_buttons(qtbot)
    box.setText("Show the QR codes on the projector")
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=indicator_rect(box).center())
    assert box.isChecked()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=indicator_rect(radio).center())
    assert radio.isChecked()


def test_high_contrast_boxes_still_grow(qtbot: Any, text_scale: Any) -> None:
    text_scale(1.0, high_contrast=True)
    _window, box, _radio = shown_buttons(qtbot)
    small = painted(box.grab().toImage())
    text_scale(2.0, high_contrast=True)
    _window, box, _radio = shown_buttons(qtbot)
    large = painted(box.grab().toImage())
    assert large.width() >= 1.5 * small.width()
    assert "#ffffff" in QApplication.instance().styleSheet()  # the thick white box


# -- whole numbers in the grid ---------------------------------------------------------------

@pytest.fixture
def grants(tmp_path: Path) -> Iterator[Pack]:
    """A pack whose amounts are stored as numbers with a fraction (REAL), some whole."""
    source = tmp_path / "grants.csv"
    source.write_text("address,amount\n1200 N Monroe St,2500000\n14 Oak St,2.5\n"
                      "3 Elm St,-3\n9 Ash St,0\n", encoding="utf-8")
    path = tmp_path / "grants.tdepack"
    with Pack.create(path, title="Grants") as pack:
        import_file(pack, source, title="Grants")
    with Pack.open(path) as opened:
        yield opened


def test_the_grid_writes_whole_numbers_as_a_spreadsheet_does(qtbot: Any, grants: Pack) -> None:
    info = grants.dataset("Grants")
    stored = [r[0] for r in grants.conn.execute(
        f"SELECT amount FROM {info.table_name} ORDER BY rowid")]
    assert stored == [2500000.0, 2.5, -3.0, 0.0]
    assert all(type(v) is float for v in stored)  # the pack keeps numbers with a fraction
    model = DatasetTableModel(grants.conn, info)
    amount = [c.name for c in model.columns].index("amount")
    cells = [model.index(r, amount) for r in range(model.rowCount())]
    assert [c.data() for c in cells] == ["2500000", "2.5", "-3", "0"]
    assert cells[0].data(Qt.ItemDataRole.ToolTipRole) == "<qt>2500000</qt>"
    assert cells[0].data(Qt.ItemDataRole.AccessibleTextRole).endswith(": 2500000")
    view = DatasetView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectionModel().select(cells[0], QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.selected_tsv() == "2500000"  # a copied cell is the cell as seen
    # "Check the data" finds the record by the number as read, and shows it the same way
    columns = key_columns(info.columns)
    found = search_records(grants.conn, info.table_name, columns, "2500000")
    assert [r.rowid for r in found] == [1]
    assert "2500000.0" not in [v for _label, v in found[0].fields]
    assert "2500000" in [v for _label, v in found[0].fields]


# -- long entries in combo boxes -------------------------------------------------------------

LONG_TITLE = ("Neighbourhood statistical areas as drawn by the planning department in 2010, "
              "with the community statistical area names used in the Vital Signs reports "
              "and the council district of each area, as revised in 2020")[:200]


def whole_text_reachable(box: ElidedComboBox, text: str) -> None:
    """``box`` draws ``text`` cut with "…" and keeps it whole everywhere else."""
    assert len(text) == 200
    assert box.currentText() == text
    shown = plain(box.shown_text())
    assert shown.endswith(ELLIPSIS)
    assert text.startswith(shown[:-1])
    assert len(shown) < len(text)
    assert box.is_elided()
    assert text in html.unescape(box.tooltip_text())
    assert text in html.unescape(box.itemData(box.currentIndex(), Qt.ItemDataRole.ToolTipRole))
    access = QAccessible.queryAccessibleInterface(box)
    assert access is not None
    assert access.text(QAccessible.Text.Value) == text  # what a screen reader reads
    # (the name is the box's accessible name, or on Linux its entry, as Qt gives it)
    assert access.text(QAccessible.Text.Name) in (box.accessibleName(), text)


def test_a_long_dataset_name_is_cut_with_an_ellipsis_and_kept_whole(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, text_scale: Any) -> None:
    with Pack.open(baltimore_pack) as pack:
        import_file(pack, shared("samples/baltimore/neighborhoods.geojson"), title=LONG_TITLE)
    text_scale(2.0)
    window = make_main_window(baltimore_pack)
    window.resize(1280, 720)
    map_view = window.explorer.show_panel("MapView")
    wait_idle(qtbot)
    box = map_view.boundary_box
    assert isinstance(box, ElidedComboBox)
    assert box.width() < window.width()  # the name did not widen the panel or the window
    whole_text_reachable(box, LONG_TITLE)
    # hovering the box shows the whole name, above the box's own tooltip if it has one
    box.setToolTip("Areas the points are counted in")
    QApplication.sendEvent(box, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5),
                                           box.mapToGlobal(QPoint(5, 5))))
    assert QToolTip.isVisible()
    shown_tip = html.unescape(QToolTip.text())
    assert LONG_TITLE[:60] in shown_tip.replace("<br>", " ")
    assert "Areas the points are counted in" in shown_tip
    QToolTip.hideText()


def test_elided_box_in_a_narrow_window(qtbot: Any) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    box = ElidedComboBox()
    box.setAccessibleName("Dataset")
    layout.addWidget(box)
    box.addItem("Ward", 1)
    box.addItem(LONG_TITLE, 2)
    box.addItem("Tree", 3)
    box.setItemData(2, "Street trees, from the city", Qt.ItemDataRole.ToolTipRole)
    qtbot.addWidget(window)
    window.resize(300, 60)
    window.show()
    qtbot.waitExposed(window)
    assert not box.is_elided()  # a short entry is drawn whole, with the box's own tooltip
    assert box.tooltip_text() == box.toolTip()
    box.setCurrentIndex(1)
    whole_text_reachable(box, LONG_TITLE)
    # an entry's own tooltip is kept; a renamed entry's tooltip follows its new text
    assert box.itemData(2, Qt.ItemDataRole.ToolTipRole) == "Street trees, from the city"
    box.setItemText(0, "Ward (2023 boundaries)")
    assert "Ward (2023 boundaries)" in box.itemData(0, Qt.ItemDataRole.ToolTipRole)
    # the box's width follows a few characters and the layout, never its longest entry
    assert box.sizeHint().width() < box.fontMetrics().horizontalAdvance(LONG_TITLE) / 3
    image = box.grab().toImage()
    box.setItemText(1, LONG_TITLE[:150] + "something else entirely at the end, never shown")
    assert box.grab().toImage() == image  # the same beginning draws the same


def test_a_window_cascaded_partly_off_the_screen_moves_back_onto_it(qtbot: Any) -> None:
    """A console as tall as the screen, placed by the window manager below another window,
    lost its status line below the screen's edge; it now moves up onto the screen."""
    from PySide6.QtGui import QGuiApplication

    area = QGuiApplication.primaryScreen().availableGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(area.width() // 2, area.height() - 10)
    window.show()
    window.move(area.left() + 20, area.top() + 60)  # where a window manager cascades it
    assert not area.contains(window.frameGeometry())
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()), timeout=3000)
    assert window.frameGeometry().left() == area.left() + 20  # moved up only, not aside


@pytest.mark.parametrize(("scale", "high_contrast"), [(1.0, False), (2.0, False),
                                                       (2.0, True)])
def test_a_focused_tab_keeps_its_size(qtbot: Any, text_scale: Any, scale: float,
                                      high_contrast: bool) -> None:
    """The thick focus border of a tab must not shrink it: the console's Phones tab, once
    it had the focus at 200%, was laid out to its text plus the border and showed "hone"."""
    from PySide6.QtWidgets import QTabWidget

    text_scale(scale, high_contrast)
    tabs = QTabWidget()
    for name in ("&Agenda", "&Free text", "Phones"):
        tabs.addTab(QWidget(), name)
    qtbot.addWidget(tabs)
    tabs.show()
    qtbot.waitExposed(tabs)
    bar = tabs.tabBar()
    unfocused = bar.tabSizeHint(2)
    tabs.setCurrentIndex(2)
    tabs.activateWindow()
    qtbot.waitActive(tabs)
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    focused = bar.tabSizeHint(2)
    assert focused.width() >= unfocused.width(), (unfocused, focused)
    assert focused.height() >= unfocused.height(), (unfocused, focused)
    assert focused.width() > bar.fontMetrics().horizontalAdvance("Phones") + 8


@pytest.mark.parametrize(("scale", "high_contrast"), [(1.0, False), (2.0, False),
                                                       (2.0, True)])
def test_a_list_items_text_starts_after_its_tick_box(qtbot: Any, text_scale: Any,
                                                     scale: float, high_contrast: bool) -> None:
    """The console's Free text list ticks notes to approve them: at 200% the larger tick
    box sat under the note's first letters, as Qt laid the text out for a 14 px box."""
    from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyleOptionViewItem

    text_scale(scale, high_contrast)
    notes = QListWidget()
    qtbot.addWidget(notes)
    item = QListWidgetItem("Phone 1 says the corner of Main St has been empty for years")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    notes.addItem(item)
    notes.show()
    qtbot.waitExposed(notes)
    option = QStyleOptionViewItem()
    notes.initViewItemOption(option)
    option.rect = notes.visualRect(notes.model().index(0, 0))
    option.features |= (QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
                        | QStyleOptionViewItem.ViewItemFeature.HasDisplay)
    option.text = item.text()
    style = notes.style()
    tick = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, notes)
    text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, notes)
    assert tick.width() >= round(theme.INDICATOR_PX * scale)
    assert tick.right() < text.left(), (tick, text)
