"""Saying how many rows the header has: a detected two-row header read as one row, and a
one-row header read as two, in the preview, in CSV by both import paths, in a sheet and
from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.preview import preview
from tde_desktop.core.pack import Pack, quote
from tests.core.conftest import tde
from tests.core.test_import_preview import same_as_import
from tests.core.test_table_bounds import TWO_ROW, both_paths, csv_text, xlsx

#: a header of names over a row of units, detected as one row (the units read as data)
UNITS = [["ward", "budget", "actual"], ["number", "in USD", "in USD"], ["1", "5", "6"],
         ["2", "7", "8"]]


def test_a_detected_two_row_header_read_as_one(tmp_path: Path, new_pack: Pack,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "two.csv"
    path.write_text(csv_text(TWO_ROW), encoding="utf-8")
    detected = preview(path)
    assert (detected.header_row, detected.header_rows) == (1, 2)
    view = preview(path, header_rows=1)
    # The names just above the data are kept; the row over them is left out above.
    assert (view.header_row, view.header_rows, view.rows_above) == (2, 1, 1)
    assert [c.name for c in view.columns] == ["Dept", "2015", "2016", "2015 (2)", "2016 (2)"]
    assert view.rows[0] == ["Parks", "1", "2", "3", "4"]
    same_as_import(new_pack, path, view, header_rows=1)
    (tmp_path / "paths").mkdir()
    info, rows = both_paths(tmp_path / "paths", monkeypatch, csv_text(TWO_ROW), header_rows=1)
    assert [c.original_name for c in info.columns] == [c.name for c in view.columns]
    assert rows == [("Parks", 1, 2, 3, 4), ("Fire", 5, 6, 7, 8)]
    assert info.import_options["header_rows"] == [2]


def test_a_one_row_header_read_as_two(tmp_path: Path, new_pack: Pack,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "units.csv"
    path.write_text(csv_text(UNITS), encoding="utf-8")
    detected = preview(path)
    assert (detected.header_rows, detected.columns[0].type) == (1, "text")
    view = preview(path, header_rows=2)
    assert (view.header_row, view.header_rows) == (1, 2)
    assert [(c.name, c.type) for c in view.columns] == [
        ("ward number", "integer"), ("budget in USD", "integer"), ("actual in USD", "integer")]
    assert view.rows == [["1", "5", "6"], ["2", "7", "8"]]
    same_as_import(new_pack, path, view, header_rows=2)
    (tmp_path / "paths").mkdir()
    info, rows = both_paths(tmp_path / "paths", monkeypatch, csv_text(UNITS), header_rows=2)
    assert rows == [(1, 5, 6), (2, 7, 8)]
    assert info.import_options["header_rows"] == [1, 2]
    assert "The column names were made from 2 header rows (1 to 2)." in info.warnings


def test_a_given_header_row_counts_its_rows_down_from_there(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(csv_text([["Budget by ward"], *UNITS]), encoding="utf-8")
    view = preview(path, header_row=2, header_rows=2)
    assert [c.name for c in view.columns] == ["ward number", "budget in USD", "actual in USD"]
    assert view.rows_above == 1


def test_a_header_that_runs_past_the_data_is_refused_in_one_sentence(
        tmp_path: Path, new_pack: Pack) -> None:
    path = tmp_path / "short.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    before = new_pack.datasets()
    for count in (3, 0):
        with pytest.raises(ImportFailed) as caught:
            import_file(new_pack, path, header_rows=count)
        assert "\n" not in str(caught.value)
        with pytest.raises(ImportFailed):
            preview(path, header_rows=count)
    assert new_pack.datasets() == before


def test_a_sheet_both_ways(tmp_path: Path, new_pack: Pack) -> None:
    two = xlsx(tmp_path / "two.xlsx", TWO_ROW, merges=((0, 1, 0, 2), (0, 3, 0, 4)))
    assert preview(two).header_rows == 2
    view = preview(two, header_rows=1)
    assert (view.header_row, view.header_rows) == (2, 1)
    assert [c.name for c in view.columns][:3] == ["Dept", "2015", "2016"]
    same_as_import(new_pack, two, view, header_rows=1)
    units = xlsx(tmp_path / "units.xlsx", UNITS)
    assert preview(units).header_rows == 1
    view = preview(units, header_rows=2)
    assert [(c.name, c.type) for c in view.columns] == [
        ("ward number", "integer"), ("budget in USD", "integer"), ("actual in USD", "integer")]
    info = import_file(new_pack, units, header_rows=2)
    assert new_pack.conn.execute(
        f"SELECT * FROM {quote(info.table_name)}").fetchall() == [(1, 5, 6), (2, 7, 8)]
    assert info.import_options["header_rows"] == [1, 2]


def test_the_command_line_flag_and_its_decision_line(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text(csv_text(UNITS), encoding="utf-8")
    pack = tmp_path / "p.tdepack"
    assert tde("new", pack, "--title", "t").returncode == 0
    out = tde("add", pack, src).stdout
    assert "  Header rows: 1 (change with --header-rows)" in out
    done = tde("add", pack, src, "--title", "again", "--header-rows", "2")
    assert done.returncode == 0, done.stderr
    assert "  Header rows: 2 (change with --header-rows)" in done.stdout
    assert "ward number=integer" in done.stdout
    bad = tde("add", pack, src, "--title", "bad", "--header-rows", "9")
    assert bad.returncode != 0
    assert len(bad.stderr.strip().splitlines()) == 1
