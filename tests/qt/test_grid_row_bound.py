"""The grid is sized by what a table can hold, not only by what the catalogue says:
a results-only pack keeps the counts of tables it left empty, and a stranger's pack may
claim a hundred million rows of a table that holds a few thousand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.results_only import write_results_pack
from tests.qt.conftest import wait_idle


def test_a_results_only_pack_shows_an_empty_grid(make_main_window: Any, baltimore_pack: Path,
                                                 tmp_path: Path, qtbot: Any) -> None:
    out = tmp_path / "results-only.tdepack"
    with Pack.open(baltimore_pack) as pack:
        claimed = pack.datasets()[0].row_count
        write_results_pack(pack, out)
    assert claimed > 1000
    window = make_main_window(out)
    wait_idle(qtbot)
    assert window.explorer.dataset.row_count == claimed  # the catalogue keeps its count
    assert window.explorer.model.rowCount() == 0  # but the grid has no rows to show


def test_an_inflated_count_does_not_size_the_grid(make_main_window: Any, baltimore_pack: Path,
                                                  qtbot: Any) -> None:
    with Pack.open(baltimore_pack) as pack:
        first = pack.datasets()[0]
        real = first.row_count
        with pack.atomic():
            pack.conn.execute("UPDATE _tde_datasets SET row_count = 100000000 WHERE id = ?",
                              (first.id,))
    window = make_main_window(baltimore_pack)
    wait_idle(qtbot)
    assert window.explorer.dataset.row_count == 100_000_000
    assert window.explorer.model.rowCount() == real
