"""The import dialog: the number of header rows is a setting like the others, and a JSON
or GeoJSON file shows its first rows and their types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tests.core.test_table_bounds import TWO_ROW, csv_text
from tests.qt.test_import_preview import headers, opened


def test_reading_a_two_row_header_as_one_row(qtbot: Any, tmp_path: Path,
                                             new_pack: Pack) -> None:
    path = tmp_path / "budget.csv"
    path.write_text(csv_text(TWO_ROW), encoding="utf-8")
    dialog = opened(qtbot, path)
    spin = dialog.settings.header_rows_spin
    assert spin.isVisible()
    assert spin.value() == 2
    assert headers(dialog)[1] == "Budget 2015\ninteger"
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        spin.setValue(1)
    assert headers(dialog)[1] == "2015\ninteger"
    assert dialog.settings.header_spin.value() == 2  # the header now starts at row 2
    assert dialog.options()["header_rows"] == 1
    assert "header_row" not in dialog.options()
    info = import_file(new_pack, path, **dialog.options())
    assert [c.original_name for c in info.columns] == [
        c.name for c in dialog.preview.columns]
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        spin.setValue(2)
    assert headers(dialog)[1] == "Budget 2015\ninteger"
    assert dialog.settings.header_spin.value() == 1


def test_a_geojson_file_shows_its_first_rows(qtbot: Any, new_pack: Pack) -> None:
    from tests.conftest import shared

    path = shared("messy/nyc_nta_2020_boundaries_epsg2263.geojson")
    dialog = opened(qtbot, path)
    assert dialog.preview is not None
    assert dialog.table.rowCount() == 20
    assert headers(dialog)[:3] == ["nta2020\ntext", "nta\ntext", "ntaname\ntext"]
    assert "latitude\nnumber" in headers(dialog)
    assert dialog.table.item(0, 2).text() == "Greenpoint"
    shape = dialog.table.item(0, 3).text()
    assert shape.startswith('{"type":"MultiPolygon"')
    assert len(shape) <= 300
    assert "EPSG:2263" in dialog.message.text()
    assert not dialog.settings.header_spin.isVisible()  # nothing to choose in JSON
    info = import_file(new_pack, path, **dialog.options())
    assert [(c.original_name, c.type) for c in info.columns] == [
        (c.name, c.type) for c in dialog.preview.columns]
