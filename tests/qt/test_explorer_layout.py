"""The main window fits 1366x768 and 1280x720 screens; the filter bar and side panel keep
usable widths; F11 toggles full screen; a smaller text size shrinks the window back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize

from tde_desktop.core.explore.filters import Filter
from tde_desktop.qt.common import ops, theme
from tde_desktop.qt.shell import window_fit


def settle(qtbot) -> None:
    ops.wait_for_all()
    qtbot.wait(30)
    ops.wait_for_all()


def test_default_size_fits_laptop_and_projector_screens(make_main_window, baltimore_pack,
                                                        monkeypatch):
    window = make_main_window(baltimore_pack)
    for width, height in ((1366, 768), (1280, 720)):
        # The offscreen test screen is 800x800; the window is asked to fit these instead.
        room = QRect(0, 0, width, height)
        monkeypatch.setattr(window_fit, "available", lambda _w, r=room: r)
        window.fit_to_screen()
        extra = window_fit.frame_extra(window)
        assert window.width() + extra.width() <= width
        assert window.height() + extra.height() <= height
        assert window.height() >= 600  # not squeezed either


def test_minimum_sizes_fit_a_projector_at_200_percent(make_main_window, baltimore_pack: Path,
                                                      qtbot, qapp):
    window = make_main_window(baltimore_pack)
    window.set_text_scale(2.0)
    try:
        explorer = window.explorer
        window.resize(1280 - 12, 720 - 40)  # a projector, less the window frame
        settle(qtbot)
        widths = []
        for position in range(explorer.tabs.count()):
            explorer.tabs.setCurrentIndex(position)
            settle(qtbot)
            hint = window.minimumSizeHint()
            assert hint.width() <= 1280 - 12, explorer.tabs.tabText(position)
            assert hint.height() <= 720 - 40, explorer.tabs.tabText(position)
            widths.append(explorer.tabs.width())
        assert len(set(widths)) == 1  # the side panel keeps one width
    finally:
        window.set_text_scale(1.0)


def test_back_to_100_percent_shrinks_the_window(make_main_window, baltimore_pack: Path, qtbot):
    window = make_main_window(baltimore_pack)
    window.set_text_scale(2.0)
    settle(qtbot)
    window.resize(window.minimumSizeHint().expandedTo(QSize(1300, 760)))
    big = window.size()
    window.set_text_scale(1.0)
    settle(qtbot)
    assert theme.text_scale() == 1.0
    assert window.width() < big.width()
    assert window.height() < big.height()
    assert window.minimumSizeHint().width() <= 1280 - 12


def test_f11_toggles_full_screen(make_main_window, qtbot):
    window = make_main_window()
    assert window.full_screen_action.shortcut().toString() == "F11"
    window.full_screen_action.trigger()
    qtbot.waitUntil(window.isFullScreen)
    assert window.full_screen_action.isChecked()
    window.full_screen_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.full_screen_action.isChecked()


def test_search_box_keeps_its_width_with_chips(make_main_window, baltimore_pack: Path, qtbot):
    window = make_main_window(baltimore_pack)
    bar = window.explorer.filter_bar
    window.explorer.apply_filters([Filter("councildistrict", "is", 7),
                                   Filter("neighborhood", "is", "Broadway East"),
                                   Filter("policedistrict", "is", "Eastern"),
                                   Filter("buildingaddress", "contains", "NORTH AVENUE")])
    settle(qtbot)
    assert len(bar.chip_buttons()) == 4
    readable = bar.search_edit.fontMetrics().horizontalAdvance("Search all text...")
    assert bar.search_edit.width() >= readable
    assert window.explorer.minimumSizeHint().width() < window.width()
