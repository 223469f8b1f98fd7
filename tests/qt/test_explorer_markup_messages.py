"""Pack text in message boxes and tooltips is shown as written: a saved view called
``<b>X</b>`` is named literally, and markup in values, titles and descriptions never turns
a tooltip bold or huge."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from tde_desktop.core.explore.views import list_views
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops
from tests.qt.conftest import wait_idle

BOLD = "<b>X</b>"
HUGE = '<span style="font-size:90pt">HUGE</span> & co'


def tooltip_shown(text: str) -> str:
    """What QToolTip puts on screen for ``text``: Qt guesses rich text as it does here."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")


@pytest.fixture
def markup_pack(tmp_path: Path) -> Path:
    source = tmp_path / "markup.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["street", "amount"], [HUGE, 1], [BOLD, 2]])
    path = tmp_path / "markup.tdepack"
    with Pack.create(path, title="Markup") as pack:
        info = import_file(pack, source, title=f"Notices {BOLD}", description=f"{BOLD} about")
        pack.describe_column(info.id, "street", text=f"{BOLD} street {HUGE}", language="en")
    return path


def test_plain_tooltip_shows_markup_as_written(qapp: Any) -> None:
    for text in (BOLD, HUGE, f"first line\n{BOLD}", "a < b & c > d", "&lt;b&gt;"):
        assert tooltip_shown(ops.plain_tooltip(text)) == text
    assert ops.plain_tooltip("") == ""


def test_saved_view_name_with_markup_is_shown_literally(make_main_window: Any,
                                                        markup_pack: Path, qtbot: Any,
                                                        monkeypatch: Any) -> None:
    window = make_main_window(markup_pack)
    wait_idle(qtbot)
    chart = window.explorer.show_panel("ChartView")
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (BOLD, True))
    chart.ask_save_view()
    box = ops.last_message
    assert box is not None
    assert box.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"The view {BOLD} was saved in the pack."
    label = next(x for x in box.findChildren(QLabel) if "was saved" in x.text())
    assert label.textFormat() == Qt.TextFormat.PlainText  # what the person reads
    box.close()
    with Pack.open(markup_pack, read_only=True) as pack:  # saved under the name as typed
        assert BOLD in [v.name for v in list_views(pack)]


def test_show_message_is_plain_text(qtbot: Any) -> None:
    box = ops.show_message(None, f"Cannot open {HUGE}", icon=QMessageBox.Icon.Information)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"Cannot open {HUGE}"


def test_tooltips_from_pack_text_are_shown_as_written(make_main_window: Any,
                                                      markup_pack: Path, qtbot: Any) -> None:
    window = make_main_window(markup_pack)
    explorer = window.explorer
    wait_idle(qtbot)
    model = explorer.model
    column = next(i for i, c in enumerate(model.columns) if c.name == "street")
    header_tip = model.headerData(column, Qt.Orientation.Horizontal,
                                  Qt.ItemDataRole.ToolTipRole)
    assert tooltip_shown(header_tip).split("\n")[:2] == ["street", f"{BOLD} street {HUGE}"]
    qtbot.waitUntil(lambda: model.index(1, column).data() is not None)
    values = {tooltip_shown(model.index(r, column).data(Qt.ItemDataRole.ToolTipRole))
              for r in range(model.rowCount())}
    assert values == {HUGE, BOLD}
    assert tooltip_shown(window.dataset_list.item(0).toolTip()) == f"{BOLD} about"
    finder = explorer.column_finder
    tips = [tooltip_shown(finder.list.item(i).toolTip()) for i in range(finder.list.count())]
    assert any(f"{BOLD} street {HUGE}" in t for t in tips)
