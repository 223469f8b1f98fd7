"""The preview before import: the rows and decisions an import with the same options makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.preview import Preview, preview
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared
from tests.core.test_import_excel import write_ods

DETROIT = "messy/detroit_fy26_budget_detail_sheet_16_sheets.xlsx"
MONTREAL = "messy/montreal_bike_counts_2012_latin1_semicolon.csv"


def same_as_import(pack: Pack, path: Path, view: Preview, **options: Any) -> None:
    """Import with the options the preview was made with: same header, names and types,
    and the preview's rows are the dataset's first rows."""
    info = import_file(pack, path, title=f"{path.stem} {len(pack.datasets())}", **options)
    assert [(c.name, c.type) for c in view.columns] == [
        (c.original_name, c.type) for c in info.columns]
    assert view.header_row == info.import_options["header_row"]
    for key in ("encoding", "delimiter", "quote", "rows_above", "rows_below", "sheet",
                "table"):
        if key in info.import_options:
            assert getattr(view, key) == info.import_options[key], key
    names = ", ".join(quote(c.name) for c in info.columns)
    stored = pack.conn.execute(
        f"SELECT {names} FROM {quote(info.table_name)} ORDER BY rowid LIMIT ?",
        (len(view.rows),)).fetchall()
    assert len(stored) == len(view.rows)
    for shown, row in zip(view.rows, stored, strict=True):
        for text, value, col in zip(shown, row, view.columns, strict=True):
            if col.type == "text" and value is not None:
                assert text.strip() == str(value).strip()


def test_csv_with_title_and_footnote(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "permits.csv"
    lines = ["Building permits issued in 2023", "Source: City of Testville", "",
             "permit,issued,fee,ward"]
    lines += [f"P-{i:04d},2023-03-{i % 28 + 1:02d},{100 + i * 2.5},{i % 7}" for i in range(40)]
    lines += ["", "* Fees in dollars.", "Total,,5000,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    view = preview(path)
    assert (view.format, view.encoding, view.delimiter, view.quote) == ("csv", "utf-8", ",", '"')
    assert (view.header_row, view.rows_above, view.rows_below) == (4, 3, 2)
    assert [(c.name, c.type) for c in view.columns] == [
        ("permit", "text"), ("issued", "date"), ("fee", "number"), ("ward", "integer")]
    assert len(view.rows) == 20
    assert view.rows[0] == ["P-0000", "2023-03-01", "100.0", "0"]
    assert any("Building permits issued in 2023" in n for n in view.notes)
    assert any("Total" in n for n in view.notes)
    same_as_import(new_pack, path, view)


def test_csv_footnote_rows_are_not_in_a_short_preview(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("site,count\nA,1\nB,2\n\nNote: counts are estimates.\n", encoding="utf-8")
    view = preview(path)
    assert view.rows == [["A", "1"], ["B", "2"]]
    assert view.rows_below == 1


def test_semicolon_latin1_and_a_changed_delimiter(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "velos.csv"
    text = "Date;Côte-des-Neiges;Rachel\n" + "".join(
        f"{d:02d}/01/2012;{d * 3};{d * 5}\n" for d in range(1, 26))
    path.write_bytes(text.encode("latin-1"))
    view = preview(path)
    assert view.encoding == "cp1252"
    assert view.delimiter == ";"
    assert [c.name for c in view.columns] == ["Date", "Côte-des-Neiges", "Rachel"]
    assert [c.type for c in view.columns][1:] == ["integer", "integer"]
    assert any("not UTF-8" in n for n in view.notes)
    same_as_import(new_pack, path, view)
    # Told another delimiter, the preview reads one column, as the import would.
    comma = preview(path, delimiter=",")
    assert comma.delimiter == ","
    assert len(comma.columns) == 1
    same_as_import(new_pack, path, comma, delimiter=",")
    # And another encoding: the letters change.
    utf8 = preview(path, encoding="utf-8")
    assert utf8.encoding == "utf-8"
    assert "Côte" not in utf8.columns[1].name


def test_real_montreal_file_previews_as_imported(new_pack: Pack) -> None:
    path = shared(MONTREAL)
    view = preview(path)
    assert (view.encoding, view.delimiter) == ("cp1252", ";")
    same_as_import(new_pack, path, view)


def test_quote_and_header_row_given(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text("notes\nname,place\n'Smith, J',north\n'Lee, K',south\n", encoding="utf-8")
    view = preview(path, quote="'", header_row=2)
    assert view.quote == "'"
    assert view.header_row == 2
    assert view.rows_above == 1
    assert view.rows == [["Smith, J", "north"], ["Lee, K", "south"]]
    same_as_import(new_pack, path, view, quote="'", header_row=2)
    none = preview(path, quote="", header_row=2)
    assert none.quote == ""
    assert none.rows[0][0] == "'Smith"


def _two_sheet_book(path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    first = book.add_worksheet("Budget")
    first.write_row(0, 0, ["Parks budget by year"])
    for k, (title, col) in enumerate((("Spending", 0), ("Revenue", 5))):
        first.write_row(1, col, [title])
        first.write_row(2, col, ["year", "item", "amount"])
        for r in range(12):
            first.write_row(3 + r, col, [2010 + r, f"{title} {r}", 1000.5 * (r + k + 1)])
    second = book.add_worksheet("Staff")
    second.write_row(0, 0, ["name", "start", "hours"])
    for r in range(30):
        second.write_row(1 + r, 0, [f"Person {r}", f"2020-01-{r % 28 + 1:02d}", r % 40])
    book.close()


def test_excel_sheets_and_side_by_side_tables(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "parks.xlsx"
    _two_sheet_book(path)
    view = preview(path)
    assert view.format == "excel"
    assert view.encoding is None
    assert view.sheets == ["Budget", "Staff"]
    assert view.sheet == "Budget"
    assert len(view.tables) == 2
    assert view.table == 1
    assert [c.name for c in view.columns] == ["year", "item", "amount"]
    assert view.rows[0][1] == "Spending 0"
    same_as_import(new_pack, path, view)
    second = preview(path, table=2)
    assert second.table == 2
    assert second.rows[0][1] == "Revenue 0"
    same_as_import(new_pack, path, second, table=2)
    staff = preview(path, sheet="Staff")
    assert staff.sheet == "Staff"
    assert staff.tables == [""]
    assert [(c.name, c.type) for c in staff.columns] == [
        ("name", "text"), ("start", "date"), ("hours", "integer")]
    assert len(staff.rows) == 20
    assert staff.rows[0] == ["Person 0", "2020-01-01", "0"]
    same_as_import(new_pack, path, staff, sheet="Staff")


def test_opendocument_preview(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "bikes.ods"
    write_ods(path, [("Rachel", "2023-03-01", 412), ("Berri", "2023-03-02", 1290)])
    view = preview(path)
    assert view.sheets
    assert view.header_row == 3
    assert view.rows_above == 1
    assert [(c.name, c.type) for c in view.columns] == [
        ("site", "text"), ("day", "date"), ("bikes", "integer")]
    assert view.rows == [["Rachel", "2023-03-01", "412"], ["Berri", "2023-03-02", "1290"]]
    same_as_import(new_pack, path, view)


def test_real_sixteen_sheet_workbook(new_pack: Pack) -> None:
    path = shared(DETROIT)
    view = preview(path)
    assert len(view.sheets) == 16
    assert len(view.tables) == 8
    other = preview(path, sheet="Revenue")
    assert other.sheet == "Revenue"
    assert other.columns != view.columns
    same_as_import(new_pack, path, other, sheet="Revenue")


def test_what_cannot_be_previewed_says_so_in_one_sentence(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFailed, match="empty"):
        preview(empty)
    with pytest.raises(ImportFailed, match="does not exist"):
        preview(tmp_path / "missing.csv")
    book = tmp_path / "parks.xlsx"
    _two_sheet_book(book)
    with pytest.raises(ImportFailed, match="no sheet called Nope"):
        preview(book, sheet="Nope")
    with pytest.raises(ImportFailed, match="choose a number from 1 to 2"):
        preview(book, table=3)
    data = tmp_path / "rows.json"
    data.write_text('[{"a": 1}]', encoding="utf-8")
    assert preview(data).format == "json"
    assert preview(data).rows == [["1"]]  # JSON previews too (test_preview_json.py)
