"""The filter bar's column box shows a long English column name by its beginning in an
Arabic (right-to-left) window: "Number of the pro…", not the end of the name cut off on
the left ("er of the property"), as in a left-to-right window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tde_desktop.core.pack import ColumnInfo
from tde_desktop.qt.common.text_direction import isolate, plain
from tde_desktop.qt.explorer.filter_bar import FilterBar

NOTICE = "Number of the property on the notice"
DEEDS = "Number of the property in the register of deeds"
STREET = "Street of the property on the notice"


def _box_image(qtbot: QtBot, name: str, direction: Qt.LayoutDirection) -> tuple[QImage, str]:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.setLayoutDirection(direction)
    bar.set_columns([ColumnInfo("prop", name, "text")])
    box = bar.column_box
    box.setFixedWidth(box.fontMetrics().horizontalAdvance("Number of the pro") + 60)
    bar.show()
    qtbot.waitExposed(bar)
    assert box.currentText() == name  # the item, and what a screen reader hears, stay whole
    return box.grab().toImage(), box.shown_text()


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.RightToLeft,
                                       Qt.LayoutDirection.LeftToRight])
def test_a_long_column_name_shows_its_beginning(qtbot: QtBot,
                                                direction: Qt.LayoutDirection) -> None:
    notice, shown = _box_image(qtbot, NOTICE, direction)
    assert shown.startswith(isolate("Number of")[:-1])  # drawn in its own direction
    assert plain(shown).startswith("Number of the")
    assert plain(shown).endswith("\u2026")
    assert len(plain(shown)) < len(NOTICE)
    # Two names that differ only past what fits look the same: the box shows their
    # beginning (clipped at the left it showed their different ends) ...
    deeds, _shown = _box_image(qtbot, DEEDS, direction)
    assert deeds == notice
    # ... and one that begins differently does not (the text is really drawn).
    street, _shown = _box_image(qtbot, STREET, direction)
    assert street != notice


def test_a_short_name_is_shown_whole(qtbot: QtBot) -> None:
    _image, shown = _box_image(qtbot, "Ward", Qt.LayoutDirection.RightToLeft)
    assert shown == isolate("Ward")
