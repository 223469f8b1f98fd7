"""Pack text is shown as written: markup in a title, description, column or value is never
rendered (no bold, no 90 pt text) in the card, dictionary, values, column card or chart."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.text_direction import plain
from tests.qt.conftest import wait_idle

BOLD = "<b>X</b>"
HUGE = '<span style="font-size:90pt">HUGE</span>'


def shown(label: QLabel) -> str:
    """The text a label puts on screen, as a reader would see it."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u200b", "")  # invisible break opportunities


@pytest.fixture
def markup_pack(tmp_path: Path) -> Path:
    source = tmp_path / "markup.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[f"{BOLD} street", "amount"], [HUGE, 1], [HUGE, 2],
                                 ["plain", 3]])
    path = tmp_path / "markup.tdepack"
    with Pack.create(path, title="Markup") as pack:
        info = import_file(pack, source, title=f"Notices {BOLD}", description=f"About {HUGE}")
        column = next(c for c in pack.dataset(info.id).columns if c.original_name != "amount")
        pack.describe_column(info.id, column.name, text=f"Street {HUGE}", language="en")
    return path


def test_pack_markup_is_shown_literally(make_main_window: Any, markup_pack: Path,
                                        qtbot: Any) -> None:
    window = make_main_window(markup_pack)
    explorer = window.explorer
    wait_idle(qtbot)
    info = explorer.dataset
    column = next(c for c in info.columns if c.original_name != "amount")

    # The card (rich text, every pack value escaped).
    card = shown(explorer.card.label)
    assert f"Notices {BOLD}" in card
    assert f"About {HUGE}" in card

    # The dictionary: column name and description as written.
    table = explorer.dictionary.table
    cells = {table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount())}
    assert f"{BOLD} street" in cells
    assert f"Street {HUGE}" in cells

    # The values panel: the value and its count as written.
    facets = explorer.show_panel("FacetPanel")
    facets.column_box.setCurrentIndex(facets.column_box.findData(column.name))
    wait_idle(qtbot)
    values = [plain(facets.list.item(i).text()) for i in range(facets.list.count())]
    assert any(v.startswith(HUGE) for v in values), values

    # The column card: label and most common value.
    card_view = explorer.show_panel("ColumnCardView")
    card_view.column_box.setCurrentIndex(card_view.column_box.findData(column.name))
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: HUGE in shown(card_view.text), timeout=5000)
    assert "Street <span" in shown(card_view.text)  # the plain label (shortened), as written

    # The chart: its title text is the label as written, never mathtext or markup.
    chart = explorer.show_panel("ChartView")
    chart.kind_box.setCurrentIndex(chart.kind_box.findData("bar"))
    chart.x_box.setCurrentIndex(chart.x_box.findData(column.name))
    wait_idle(qtbot)
    # the first chart of a run loads matplotlib: on a busy machine that takes seconds
    qtbot.waitUntil(lambda: chart.data is not None and "Street <span" in chart.data.title,
                    timeout=20_000)
    qtbot.waitUntil(lambda: chart.figure is not None and any(
        t.get_gid() == "tde-title" for t in chart.figure.texts), timeout=20_000)
    figure = chart.figure
    title = next(t for t in figure.texts if t.get_gid() == "tde-title")
    assert "Street <span" in title.get_text().replace("\n", " ")  # wrapped, as written
    assert not title.get_parse_math()
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()].count(HUGE[:40]) == 1

    # Every label in the window that shows pack text shows its markup.
    for label in window.findChildren(QLabel):
        text = shown(label)
        if "HUGE" in text:
            assert "<span" in text, (label.accessibleName(), label.text())
        if "X" in text and "street" in text:
            assert BOLD in text, (label.accessibleName(), label.text())


def test_workshop_and_exercise_titles_are_shown_literally_in_the_console(
        qtbot: Any, baltimore_pack: Path) -> None:
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    with Pack.open(baltimore_pack) as pack:
        workshop = ws.create_workshop(pack, f"Walk {BOLD}", languages=["en"])
        ws.add_exercise(pack, workshop.id, type="evaluation", title=f"Rate {HUGE}", config={
            "questions": [{"key": "r", "kind": "rating", "text": {"en": f"How {BOLD}?"}}]})
        console = FacilitatorConsole(pack, workshop.id)
        qtbot.addWidget(console)
        console.show()
        qtbot.waitExposed(console)
        labels = [shown(label) for label in console.findChildren(QLabel) if label.text()]
        assert any(f"Walk {BOLD}" in text for text in labels), labels  # the heading
        for text in labels:
            assert "HUGE" not in text or "<span" in text, text
            assert "Walk X" not in text, text
        console.close()
