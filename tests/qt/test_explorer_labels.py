"""Plain column labels: descriptions from the data dictionary on screen, raw names in
tooltips; a new bar chart starts on a column with a few groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tde_desktop.core.explore.labels import plain_label, shorten
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops

DESCRIBED = {
    "buildingaddress": "Street address of the vacant building.",
    "councildistrict": "City Council district (1 to 14).",
    "noticedate": "Date the city issued the notice.",
}


@pytest.fixture
def described_pack(baltimore_pack: Path) -> Path:
    with Pack.open(baltimore_pack) as pack:
        for name, text in DESCRIBED.items():
            pack.describe_column("Vacant building notices", name, text=text)
        pack.describe_column("Vacant building notices", "councildistrict",
                             text="Distrito del Concejo Municipal.", language="es")
    return baltimore_pack


def test_shorten_makes_header_sized_labels() -> None:
    assert shorten("City Council district (1 to 14).") == "City Council district"
    long = shorten("Fiscal quarter when the work goes to a contractor for the demolition")
    assert len(long) <= 40
    assert long.endswith("\u2026")


def test_grid_filters_facets_and_card_show_plain_labels(make_main_window, described_pack,
                                                        qtbot):
    window = make_main_window(described_pack)
    explorer = window.explorer
    model = explorer.model
    column = next(i for i, c in enumerate(model.columns) if c.name == "councildistrict")
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(column, horizontal) == "City Council district"
    tip = model.headerData(column, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>councildistrict<br>")  # the raw name stays in the tooltip
    # An undescribed column keeps its original name.
    block = next(i for i, c in enumerate(model.columns) if c.name == "block")
    assert model.headerData(block, horizontal) == "block"

    bar = explorer.filter_bar
    position = bar.column_box.findData("councildistrict")
    assert bar.column_box.itemText(position) == "City Council district"
    assert "councildistrict" in bar.column_box.itemData(position, Qt.ItemDataRole.ToolTipRole)
    from tde_desktop.core.explore.filters import Filter

    explorer.apply_filters([Filter("councildistrict", "is", 7)])
    qtbot.waitUntil(lambda: bool(bar.chip_buttons()))
    assert "City Council district" in bar.chip_buttons()[0].text()
    assert "councildistrict" not in bar.chip_buttons()[0].text()

    facets = explorer.show_panel("FacetPanel")
    assert facets.column_box.itemText(facets.column_box.findData("noticedate")) == \
        "Date the city issued the notice"
    card = explorer.show_panel("ColumnCardView")
    card.set_column("buildingaddress")
    ops.wait_for_all()
    qtbot.waitUntil(lambda: card.card is not None and card.card.name == "buildingaddress")
    assert "Street address of the vacant building" in card.text.text()
    assert "buildingaddress" in card.text.toolTip()
    finder = explorer.column_finder
    texts = [finder.list.item(i).text() for i in range(finder.list.count())]
    assert "City Council district" in texts


def test_chart_defaults_to_few_groups_and_uses_plain_labels(make_main_window, described_pack,
                                                            qtbot):
    window = make_main_window(described_pack)
    chart = window.explorer.show_panel("ChartView")
    assert chart.x_box.currentData() == "councildistrict"  # 14 groups, not 16,724 addresses
    qtbot.waitUntil(lambda: chart.data is not None, timeout=15000)
    assert chart.data.x_label == "City Council district"
    assert "councildistrict" not in chart.data.title


def test_labels_follow_the_language(described_pack):
    from tde_desktop.core import i18n

    with Pack.open(described_pack) as pack:
        column = next(c for c in pack.dataset("Vacant building notices").columns
                      if c.name == "councildistrict")
    assert plain_label(column, "es") == "Distrito del Concejo Municipal"
    i18n.set_language("es")
    try:
        assert plain_label(column) == "Distrito del Concejo Municipal"
    finally:
        i18n.set_language("en")
