"""A title block (title, source, blank line) above a two-row header whose top row is
sparse (',Budget,,Actual,' over 'Department,2022,2023,...'): the title block is left out
and the two rows are joined, in the preview, by both CSV import paths and in a sheet
(with merged headings or none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.dialect import detect_dialect
from tde_desktop.core.importers.preview import preview
from tde_desktop.core.importers.sheet_header import find_header_rows
from tde_desktop.core.pack import Pack, quote
from tests.core.test_import_preview import same_as_import
from tests.core.test_table_bounds import both_paths, csv_text

TITLE = ["City budget by department, 2023"]
SOURCE = ["Source: Office of the Budget"]
GROUPS = ["", "Budget", "", "Actual", ""]
NAMES = ["Department", "2022", "2023", "2022", "2023"]
DATA = [["Parks", "100", "110", "95", "104"], ["Fire", "200", "210", "190", "205"],
        ["Library", "50", "55", "48", "52"]]
JOINED = ["Department", "Budget 2022", "Budget 2023", "Actual 2022", "Actual 2023"]
ROWS = [("Parks", 100, 110, 95, 104), ("Fire", 200, 210, 190, 205),
        ("Library", 50, 55, 48, 52)]
#: the title block above the header, and how many rows it takes
ABOVE = {
    "title, source and a blank line": [TITLE, SOURCE, []],
    "no blank line": [TITLE, SOURCE],
    "only a title": [TITLE],
    "a title and a blank line": [TITLE, []],
}
#: each name of the top row at the left of the columns it heads, three years each
WIDE = [TITLE, SOURCE, [], ["", "Budget", "", "", "Actual", "", ""],
        ["Department", "2021", "2022", "2023", "2021", "2022", "2023"],
        ["Parks", "1", "2", "3", "4", "5", "6"], ["Fire", "7", "8", "9", "10", "11", "12"]]


def above_note(above: list[list[str]]) -> str:
    title = " / ".join(r[0] for r in above if r)
    return (f"The rows above the table ({title}) were not imported; the header is row "
            f"{len(above) + 1}.")


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("pad", [False, True])
@pytest.mark.parametrize("case", list(ABOVE))
def test_csv_title_block_over_a_two_row_header(
        tmp_path: Path, new_pack: Pack, monkeypatch: pytest.MonkeyPatch, case: str,
        pad: bool, delimiter: str) -> None:
    above = ABOVE[case]
    text = csv_text([*above, GROUPS, NAMES, *DATA], pad).replace(",", delimiter)
    if delimiter == ";":  # the title's own comma is text in a semicolon file
        text = text.replace('"City budget by department; 2023"', TITLE[0])
    assert detect_dialect(text).delimiter == delimiter
    path = tmp_path / "budget.csv"
    path.write_text(text, encoding="utf-8")
    view = preview(path)
    assert (view.delimiter, view.header_row, view.header_rows, view.rows_above) == (
        delimiter, len(above) + 1, 2, len(above))
    assert [c.name for c in view.columns] == JOINED
    assert view.rows[0] == DATA[0]
    same_as_import(new_pack, path, view)
    (tmp_path / "paths").mkdir()
    info, rows = both_paths(tmp_path / "paths", monkeypatch, text)
    assert [c.original_name for c in info.columns] == JOINED
    assert rows == ROWS
    first = len(above) + 1
    assert info.warnings == [
        above_note(above),
        f"The column names were made from 2 header rows ({first} to {first + 1})."]
    assert (info.import_options["header_row"], info.import_options["header_rows"],
            info.import_options["rows_above"]) == (first, [first, first + 1], len(above))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_top_row_names_at_the_left_of_wider_spans(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delimiter: str) -> None:
    text = csv_text(WIDE).replace(",", delimiter).replace(
        '"City budget by department; 2023"', TITLE[0])
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    view = preview(path)
    names = ["Department", "Budget 2021", "Budget 2022", "Budget 2023", "Actual 2021",
             "Actual 2022", "Actual 2023"]
    assert (view.header_row, view.header_rows, view.rows_above) == (4, 2, 3)
    assert [c.name for c in view.columns] == names
    info, rows = both_paths(tmp_path, monkeypatch, text)
    assert [c.original_name for c in info.columns] == names
    assert rows == [("Parks", 1, 2, 3, 4, 5, 6), ("Fire", 7, 8, 9, 10, 11, 12)]


def test_the_header_row_and_rows_options_give_the_same_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reading that once needed 'Header row 4' and 'Header rows 2' by hand."""
    text = csv_text([TITLE, SOURCE, [], GROUPS, NAMES, *DATA])
    found, found_rows = both_paths(tmp_path, monkeypatch, text)
    (tmp_path / "given").mkdir()
    given, given_rows = both_paths(tmp_path / "given", monkeypatch, text, header_row=4,
                                   header_rows=2)
    assert found_rows == given_rows == ROWS
    assert ([c.original_name for c in found.columns]
            == [c.original_name for c in given.columns] == JOINED)


def test_a_wide_first_row_of_values_is_still_not_taken_for_names() -> None:
    """Names and years make a header under a title; a row with other numbers does not
    (with no row of names at all, the first row stays the header, as before)."""
    rows = [TITLE, GROUPS, NAMES, *DATA]
    assert find_header_rows(rows, [], list(range(5)), min_names=2) == [1, 2]
    no_names = [TITLE, *DATA]
    assert find_header_rows(no_names, [], list(range(5)), min_names=2) == [0]
    years_only = [TITLE, ["", "2022", "2023", "2022", "2023"], *DATA]
    assert find_header_rows(years_only, [], list(range(5)), min_names=2) == [0]


# -- the same in a sheet ------------------------------------------------------------------

def workbook(path: Path, rows: list[list[str]], merged: bool) -> Path:
    """A sheet written by openpyxl: numbers as numbers, the top header row's names merged
    over their columns, or (``merged`` false) alone in their first cell, as when a heading
    is centred across a selection."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Budget"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value:
                sheet.cell(r, c, int(value) if value.isdigit() else value)
        if merged and row == GROUPS:
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
            sheet.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
    book.save(path)
    return path


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@pytest.mark.parametrize("merged", [True, False])
@pytest.mark.parametrize("case", list(ABOVE))
def test_sheet_title_block_over_a_two_row_header(tmp_path: Path, new_pack: Pack,
                                                 case: str, merged: bool) -> None:
    above = ABOVE[case]
    path = workbook(tmp_path / "budget.xlsx", [*above, GROUPS, NAMES, *DATA], merged)
    view = preview(path)
    assert (view.header_row, view.header_rows) == (len(above) + 1, 2)
    assert view.rows_above == sum(1 for r in above if r)  # a sheet counts rows with text
    assert [c.name for c in view.columns] == JOINED
    assert view.rows[0] == DATA[0]
    same_as_import(new_pack, path, view)
    info = import_file(new_pack, path, title="again")
    assert [c.original_name for c in info.columns] == JOINED
    assert new_pack.conn.execute(
        f"SELECT * FROM {quote(info.table_name)}").fetchall() == ROWS
    first = len(above) + 1
    assert info.import_options["header_rows"] == [first, first + 1]
    assert info.warnings[:2] == [
        above_note(above),
        f"The column names were made from 2 header rows ({first} to {first + 1})."]


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
def test_sheet_top_row_names_at_the_left_of_wider_spans(tmp_path: Path,
                                                        new_pack: Pack) -> None:
    info = import_file(new_pack, workbook(tmp_path / "wide.xlsx", WIDE, merged=False))
    assert [c.original_name for c in info.columns] == [
        "Department", "Budget 2021", "Budget 2022", "Budget 2023", "Actual 2021",
        "Actual 2022", "Actual 2023"]
    assert info.import_options["header_rows"] == [4, 5]
