"""Language switch at once, text size, high contrast, saved views and exporting a view."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tde_desktop.core import i18n
from tde_desktop.core.explore import views
from tde_desktop.core.explore.charts import ChartSpec
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.workshop import workshops as ws
from tests.qt.conftest import make_workshop, wait_idle

SPANISH = {"&File": "&Archivo", "&Data": "&Datos", "Welcome": "Bienvenida",
           "Start": "Empezar"}


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known Spanish catalogue, whatever state the real one is in."""
    monkeypatch.setitem(i18n._catalogues, "es", {**i18n.catalogue("es"), **SPANISH})


@pytest.fixture
def restore_theme() -> Any:
    from tde_desktop.qt.common import theme

    yield theme
    theme.apply_theme(QApplication.instance(), scale=1.0, high_contrast=False)


def menu_titles(window: Any) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_language_switch_is_immediate_and_keeps_the_selection(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, spanish: None) -> None:
    from tde_desktop.qt.common import settings

    window = make_main_window(baltimore_pack)
    workshop = make_workshop(window.pack)
    kiosk = window.workshop_menu.open_kiosk(workshop.id, full_screen=False)
    window.dataset_list.setCurrentRow(1)
    filters = [Filter("address", "contains", "AVE")]
    window.explorer.apply_filters(filters)
    wait_idle(qtbot)
    shown = window.explorer.dataset.id
    assert menu_titles(window)[0] == "&File"

    window.set_language("es")
    wait_idle(qtbot)
    assert menu_titles(window)[:3] == ["&Archivo", "&Editar", "&Datos"]
    assert settings.language() == "es"
    assert window.explorer.dataset.id == shown
    assert window.explorer.filters == filters
    assert window.dataset_list.current_id() == shown
    # The kiosk's next participant gets Spanish: the workshop lists it first.
    assert ws.get_workshop(window.pack, workshop.id).languages[0] == "es"
    assert kiosk.lang == "es"
    assert kiosk.start_button.text() == "Empezar"

    window.set_language("en")
    assert menu_titles(window)[0] == "&File"
    assert window.language_actions["en"].isChecked()
    kiosk.allow_close = True


def test_text_size_200_scales_the_font_and_is_remembered(
        make_main_window: Any, baltimore_pack: Path, qtbot: Any, restore_theme: Any) -> None:
    from tde_desktop.qt.common import settings
    from tde_desktop.qt.workshop.kiosk import kiosk_style

    window = make_main_window(baltimore_pack)
    base = restore_theme.base_point_size()
    window.text_size_actions[2.0].trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base * 2)
    assert window.explorer.view.font().pointSizeF() == pytest.approx(base * 2)
    assert settings.text_scale() == 2.0
    assert "font-size: 40pt" in kiosk_style()
    window.text_size_actions[1.5].trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
    window.text_size_actions[1.0].trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    assert settings.text_scale() == 1.0


def test_high_contrast_palette_and_focus(make_main_window: Any, qtbot: Any,
                                         restore_theme: Any) -> None:
    from PySide6.QtGui import QPalette

    from tde_desktop.qt.common import settings

    window = make_main_window()
    window.high_contrast_action.trigger()
    palette = QApplication.palette()
    assert palette.color(QPalette.ColorRole.Window).name() == "#000000"
    assert palette.color(QPalette.ColorRole.WindowText).name() == "#ffffff"
    assert palette.color(QPalette.ColorRole.Highlight).name() == "#ffd400"
    assert "4px solid #ffd400" in QApplication.instance().styleSheet()
    assert settings.high_contrast()
    window.high_contrast_action.trigger()
    assert not settings.high_contrast()
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == "#f4f5f7"


def test_high_contrast_links_check_boxes_and_charts(make_main_window: Any, baltimore_pack: Path,
                                                   qtbot: Any, restore_theme: Any) -> None:
    """Links light on black, check boxes drawn with a white box, charts and maps on black."""
    from matplotlib.colors import to_hex
    from PySide6.QtGui import QColor, QPalette

    window = make_main_window(baltimore_pack)
    chart = window.explorer.show_panel("ChartView")
    wait_idle(qtbot)
    assert chart.figure is not None
    assert QColor.fromRgbF(*chart.figure.get_facecolor()).name() == "#ffffff"
    window.high_contrast_action.trigger()
    palette = QApplication.palette()
    for role in (QPalette.ColorRole.Link, QPalette.ColorRole.LinkVisited):
        link = palette.color(role)  # not dark blue or purple on black
        assert 0.2126 * link.redF() + 0.7152 * link.greenF() + 0.0722 * link.blueF() > 0.5
    sheet = QApplication.instance().styleSheet()
    assert "QAbstractItemView::indicator" in sheet
    assert "border: 2px solid #ffffff" in sheet
    qtbot.waitUntil(lambda: QColor.fromRgbF(*chart.figure.get_facecolor()).name() == "#000000",
                    timeout=5000)
    wait_idle(qtbot)
    figure = chart.figure
    title = next(t for t in figure.texts if t.get_gid() == "tde-title")
    assert to_hex(title.get_color()) == "#ffffff"
    assert QColor.fromRgbF(*figure.axes[0].get_facecolor()).name() == "#000000"
    window.high_contrast_action.trigger()
    assert "QAbstractItemView::indicator" not in QApplication.instance().styleSheet()


def test_saved_view_opens_with_its_filters_and_chart(make_main_window: Any, baltimore_pack: Path,
                                                     qtbot: Any) -> None:
    window = make_main_window(baltimore_pack)
    demolition = window.pack.datasets()[1]
    column = demolition.columns[0].name
    chart = ChartSpec(kind="bar", x=column)
    filters = [Filter(column, "not_empty")]
    views.save_view(window.pack, "Demolitions by first column", demolition.id, filters, chart)
    dialog = window.ask_saved_views()
    assert dialog.list.count() == 1
    assert "Demolitions by first column" in dialog.list.item(0).text()
    dialog.open_button.click()
    wait_idle(qtbot)
    assert window.explorer.dataset.id == demolition.id
    assert window.explorer.filters == filters
    panel = window.explorer.tabs.currentWidget()
    assert type(panel).__name__ == "ChartView"
    assert panel.current_spec().x == column


def test_export_this_view_writes_only_matching_rows(make_main_window: Any, baltimore_pack: Path,
                                                    qtbot: Any, tmp_path: Path) -> None:
    from tde_desktop.qt.explorer.view_actions import export_view

    window = make_main_window(baltimore_pack)
    window.explorer.apply_filters([Filter("buildingaddress", "contains", "NORTH AVE")])
    wait_idle(qtbot)
    target = tmp_path / "north_ave.csv"
    export_view(window.explorer, target)
    wait_idle(qtbot)
    with sqlite3.connect(baltimore_pack) as conn:
        expected = conn.execute("SELECT count(*) FROM ds_vacant_building_notices "
                                "WHERE buildingaddress LIKE '%NORTH AVE%'").fetchone()[0]
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert expected > 10
    assert len(rows) == expected == window.explorer.count
    assert all("NORTH AVE" in r["buildingaddress"] for r in rows)
    assert "north_ave.csv" in window.statusBar().currentMessage()
