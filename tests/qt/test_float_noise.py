"""A total Excel stores as 8218656.600000001 shows as 8218656.6, as Excel shows it, in the
import preview, the grid, its tooltip and spoken text, a copied cell and the facet panel;
the pack keeps the stored number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops
from tests.conftest import shared
from tests.qt.conftest import wait_idle
from tests.qt.test_import_preview import opened

BUDGET = "messy/philadelphia_fy16_budget_trends_side_by_side_tables.xlsx"
STORED = 8218656.600000001  # Auditing's total, Excel's sum of its four classes
NUMBER = re.compile(r"-?\d+\.\d+")


def too_long(texts: list[str]) -> list[str]:
    """The numbers among ``texts`` written with more than 15 significant digits."""
    return [t for t in texts for n in NUMBER.findall(t)
            if len(n.lstrip("-").replace(".", "").strip("0")) > 15]


@pytest.fixture
def budget_pack(tmp_path: Path) -> Path:
    path = tmp_path / "budget.tdepack"
    with Pack.create(path, title="Budgets") as pack:
        import_file(pack, shared(BUDGET), sheet="Budget Data by Class")
    return path


def test_import_preview_shows_the_total_as_excel_does(qtbot: Any) -> None:
    dialog = opened(qtbot, shared(BUDGET))
    table = dialog.table
    names = [table.horizontalHeaderItem(c).text().split("\n")[0]
             for c in range(table.columnCount())]
    department, total = names.index("Department"), names.index("Total")
    auditing = next(r for r in range(table.rowCount())
                    if table.item(r, department).text() == "Auditing")
    assert table.item(auditing, total).text() == "8218656.6"
    cells = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount())]
    assert too_long(cells) == []


def test_grid_shows_the_total_as_excel_does(make_main_window: Any, budget_pack: Path,
                                            qtbot: Any) -> None:
    window = make_main_window(budget_pack)
    wait_idle(qtbot)
    model = window.explorer.model
    names = [c.name for c in model.columns]
    total = names.index("total")
    row = next(r for r in range(model.rowCount())
               if model.index(r, names.index("department")).data() == "Auditing")
    assert model.row(row)[total + 1] == STORED  # the value itself is the stored number
    cell = model.index(row, total)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == "8218656.6"
    assert "8218656.6" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "600000001" not in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole).endswith(": 8218656.6")
    # whole numbers read as a spreadsheet shows them too: 2500000, never '2500000.0'
    shown = [model.index(r, c).data() for r in range(model.rowCount())
             for c in range(model.columnCount())]
    assert "2500000" in shown
    assert not [t for t in shown if isinstance(t, str) and re.fullmatch(r"-?\d+\.0", t)]
    assert too_long(shown) == []
    view = window.explorer.view
    view.selectionModel().select(cell, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.selected_tsv() == "8218656.6"  # a copied cell is the cell as seen


def test_facet_ranges_read_plainly(make_main_window: Any, budget_pack: Path,
                                   qtbot: Any) -> None:
    window = make_main_window(budget_pack)
    wait_idle(qtbot)
    facets = window.explorer.show_panel("FacetPanel")
    facets.set_column("total")
    ops.wait_for_all()
    qtbot.waitUntil(lambda: facets.list.count() > 0)
    labels = [facets.list.item(i).text() for i in range(facets.list.count())]
    assert any("49151938.044" in label for label in labels), labels  # stored ...04399999
    assert too_long(labels) == []
