"""Widgets for the room: at 200% text on a laptop or a projector, check boxes and radio
buttons grow with the words beside them (in the calm theme too), the grid writes whole
numbers as a spreadsheet does, and combo boxes holding long names end them with "…"
instead of cutting them off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore.record_search import key_columns, search_records
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import theme
from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel
from tde_desktop.qt.explorer.dataset_view import DatasetView


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
