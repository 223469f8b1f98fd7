"""The Excel importer on every real workbook we have, plus hostile and broken files."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, ImportFailed
from tde_desktop.core.importers import excel_import, import_file, writer
from tde_desktop.core.importers.excel_import import import_excel, list_sheets, list_tables
from tde_desktop.core.importers.writer import Provenance
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared

OBLIGATIONS = "messy/philadelphia_obligation_history_fy15-17_title_rows_merged.xlsx"
TRENDS = "messy/philadelphia_fy16_budget_trends_side_by_side_tables.xlsx"
GRANTS = "messy/philadelphia_fy17_grants_fund_legacy_biff.xls"
DETROIT = "messy/detroit_fy26_budget_detail_sheet_16_sheets.xlsx"

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


def query(pack: Pack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return pack.conn.execute(sql, params).fetchall()


def names(info: Any) -> list[str]:
    return [c.original_name for c in info.columns]


def column(info: Any, original: str) -> str:
    return next(c.name for c in info.columns if c.original_name == original)


def assert_nothing_written(pack: Pack) -> None:
    assert pack.datasets() == []
    assert query(pack, "SELECT name FROM sqlite_master WHERE name LIKE 'ds_%'") == []


def test_baltimore_catalogue_clean_sheet(new_pack: Pack) -> None:
    path = shared("samples/baltimore/open_baltimore_catalog.xlsx")
    info = import_file(new_pack, path)
    assert (info.row_count, info.column_count) == (804, 13)
    assert names(info)[:3] == ["landingPage", "title", "description"]
    assert names(info)[-1] == "geo_api"
    types = {c.original_name: c.type for c in info.columns}
    assert types["issued"] == "date"
    assert types["title"] == "text"
    issued, keyword = query(new_pack, f"SELECT issued, keyword FROM {quote(info.table_name)}"
                                      " WHERE rowid = 1")[0]
    assert issued == "2023-03-01"  # a midnight datetime cell becomes an ISO date
    assert keyword == "['Crime']"
    assert info.format == "xlsx"
    assert info.import_options["sheet"] == "Sheet1"
    assert info.import_options["header_row"] == 1
    assert info.warnings == []
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_obligations_title_rows_skipped_and_stacked_header_combined(new_pack: Pack) -> None:
    info = import_file(new_pack, shared(OBLIGATIONS))
    cols = names(info)
    assert cols[1:6] == [
        "Fiscal Year 2015 Actual Obligations", "Increase/ (Decrease)",
        "Fiscal Year 2016 Estimated Obligations", "Increase/ (Decrease) (2)",
        "Fiscal Year 2017 Proposed Budget",
    ]
    assert not any("Unnamed" in c or c == "General Fund" for c in cols)
    assert info.import_options["header_rows"] == [5, 6, 7, 8]
    assert any("General Fund / Obligation History" in w for w in info.warnings)
    assert any("Rows 456 to 472" in w for w in info.warnings)  # notes under the table
    assert info.row_count == 369
    fy15 = column(info, "Fiscal Year 2015 Actual Obligations")
    fy17 = column(info, "Fiscal Year 2017 Proposed Budget")
    # "Total" rows hold formulas; their cached values arrive as numbers
    got = query(new_pack, f"SELECT {fy15}, typeof({fy15}), {fy17} FROM "
                          f"{quote(info.table_name)} WHERE column_1 = 'Total' LIMIT 1")
    assert got == [(2585000, "integer", 2550000)]
    assert {c.original_name: c.type for c in info.columns}[cols[1]] == "integer"


def test_obligations_header_row_override(new_pack: Pack) -> None:
    info = import_file(new_pack, shared(OBLIGATIONS), header_row=8)
    assert names(info)[1:6] == ["Obligations", "(Decrease)", "Obligations (2)", "(Decrease) (2)",
                                "Budget"]
    assert info.import_options["header_rows"] == [8]


def test_side_by_side_tables_first_imported_with_a_warning(new_pack: Pack) -> None:
    path = shared(TRENDS)
    tables = list_tables(path)
    assert len(tables) == 16
    assert tables[0] == ("FY08 - General Fund | Source: FY08 Supplemental Report", 12)
    assert tables[2][0].startswith("FY08 - All Funds")
    info = import_file(new_pack, path)
    assert names(info) == ["Goal", "Department", *(f"Class {n}00" for n in range(1, 10)),
                           "Total"]
    # the table ends where the FY14 table (same header, row 80) starts below it, and its
    # Total row (row 77) is left out with a note
    assert info.row_count == 72
    assert any(w.startswith("The last row (Total 2373758954") for w in info.warnings)
    assert any("16 tables side by side" in w for w in info.warnings)
    assert any("row 78" in w for w in info.warnings)
    art = query(new_pack, f"SELECT class_500, total FROM {quote(info.table_name)} "
                          "WHERE department = 'Art Museum'")
    assert art == [(2500000.0, 2500000.0)]


def test_side_by_side_table_option_picks_another(new_pack: Pack) -> None:
    path = shared(TRENDS)
    info = import_excel(new_pack, path, Provenance(title="all funds"), table=3)
    assert info.import_options["table"] == 3
    assert any("table 3 (FY08 - All Funds" in w for w in info.warnings)
    assert names(info)[:2] == ["Goal", "Department"]
    with pytest.raises(ImportFailed, match="16 tables"):
        import_excel(new_pack, path, Provenance(title="x"), table=17)


def test_legacy_biff_xls_imports(new_pack: Pack) -> None:
    info = import_file(new_pack, shared(GRANTS))
    assert info.format == "xls"
    assert (info.row_count, info.column_count) == (108, 18)
    cols = names(info)
    assert cols[0] == "Department"
    # the merged "CLASS 100 - FRINGES" spans two columns; rows 3 and 4 sit on the header
    assert "CLASS 100 - FRINGES PENSIONS" in cols
    assert "CLASS 100 - FRINGES OTHER FB" in cols
    assert cols[-1] == "FY16 ADOPTED BUDGET"
    got = query(new_pack, f"SELECT class_100, total FROM {quote(info.table_name)} "
                          "WHERE department = 'FY16 EST OBLIG' LIMIT 1")
    assert got == [(5300, 44469444)]


def test_detroit_sheets_listed_and_named_sheet_imported(new_pack: Pack) -> None:
    path = shared(DETROIT)
    sheets = list_sheets(path)
    assert len(sheets) == 16
    by_name = {name: (rows, cols) for name, rows, cols in sheets}
    assert by_name["Dept.Meta"] == (50, 7)
    assert by_name["Obj.Meta"][1] == 21
    info = import_file(new_pack, path, sheet="Dept.Meta")
    assert (info.row_count, info.column_count) == (47, 7)
    assert names(info)[:3] == ["Department #", "Department Code", "Department Name"]
    first = query(new_pack, f"SELECT department, department_code FROM "
                            f"{quote(info.table_name)} WHERE rowid = 1")
    assert first == [("00", "A00000")]  # the leading zero survives
    assert info.import_options["sheet"] == "Dept.Meta"
    assert not any("sheets" in w for w in info.warnings)


def test_detroit_default_sheet_warns_naming_the_others(new_pack: Pack) -> None:
    info = import_file(new_pack, shared(DETROIT))
    assert info.import_options["sheet"] == "Dept Summary"
    warning = next(w for w in info.warnings if "16 sheets" in w)
    assert "Obj.Meta" in warning
    assert "Dept.Meta" in warning


def test_unknown_sheet_is_refused(new_pack: Pack) -> None:
    with pytest.raises(ImportFailed, match="no sheet called Nope.*Dept.Meta"):
        import_file(new_pack, shared(DETROIT), sheet="Nope")
    assert_nothing_written(new_pack)


def test_garbage_named_xlsx_leaves_nothing(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ImportFailed, match="not an Excel workbook"):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


def test_damaged_zip_named_xlsx_leaves_nothing(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFailed, match="could not be read as an Excel workbook"):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


def test_zip_bomb_is_refused_before_opening(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 << 20))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ImportFailed, match="would unpack to 64 MB"):
        import_file(new_pack, path)
    assert_nothing_written(new_pack)


@pytest.mark.parametrize("fast", [True, False])
def test_cancel_halfway_leaves_nothing(new_pack: Pack, monkeypatch: pytest.MonkeyPatch,
                                       fast: bool) -> None:
    monkeypatch.setattr(writer, "FIRST_CHUNK_CELLS", 2_000)
    monkeypatch.setattr(writer, "CHUNK_CELLS", 2_000)
    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 20)
    if not fast:
        monkeypatch.setattr(excel_import, "write_text_columns", lambda *a, **k: None)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int, message: str) -> None:
        calls.append((done, total))
        if len(calls) == 3:
            assert 0 < done < total  # really halfway through the rows
            raise Cancelled

    with pytest.raises(Cancelled):
        import_file(new_pack, shared("samples/baltimore/open_baltimore_catalog.xlsx"),
                    progress=progress)
    assert len(calls) == 3
    assert_nothing_written(new_pack)


def test_side_by_side_tables_without_titles_are_numbered_without_a_placeholder(
        new_pack: Pack) -> None:
    """Detroit's summary sheet: eight tables, none with a title row of its own."""
    info = import_file(new_pack, shared(DETROIT))
    note = next(w for w in info.warnings if "side by side" in w)
    assert note.startswith("The sheet Dept Summary holds 8 tables side by side; table 1 was "
                           "imported.")
    assert "(?)" not in note


_ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Counts">
<table:table-row><table:table-cell office:value-type="string"><text:p>Bike counts 2023</text:p>
</table:table-cell></table:table-row>
<table:table-row><table:table-cell/></table:table-row>
<table:table-row>
 <table:table-cell office:value-type="string"><text:p>site</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>day</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>bikes</text:p></table:table-cell>
</table:table-row>
{rows}
</table:table></office:spreadsheet></office:body></office:document-content>"""
_ODS_ROW = """<table:table-row>
 <table:table-cell office:value-type="string"><text:p>{site}</text:p></table:table-cell>
 <table:table-cell office:value-type="date" office:date-value="{day}"><text:p>x</text:p>
 </table:table-cell>
 <table:table-cell office:value-type="float" office:value="{bikes}"><text:p>{bikes}</text:p>
 </table:table-cell>
</table:table-row>"""


def write_ods(path: Path, rows: list[tuple[str, str, int]]) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice saves one."""
    body = "".join(_ODS_ROW.format(site=s, day=d, bikes=b) for s, d, b in rows)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>'))
        # (LibreOffice writes no white space between elements; calamine expects none)
        xml = re.sub(r">\s+<", "><", _ODS_CONTENT.format(rows=body))
        zf.writestr("content.xml", xml.replace("\n", " "))


def test_opendocument_spreadsheet_imports(new_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "bikes.ods"
    write_ods(path, [("Rachel", "2023-03-01", 412), ("Berri", "2023-03-02", 1290),
                     ("Parc", "2023-03-03", 7)])
    info = import_file(new_pack, path)
    assert info.format == "ods"
    assert names(info) == ["site", "day", "bikes"]
    assert {c.original_name: c.type for c in info.columns} == {
        "site": "text", "day": "date", "bikes": "integer"}
    assert info.import_options["header_row"] == 3
    assert any("Bike counts 2023" in w for w in info.warnings)  # the title row left out
    rows = query(new_pack, f"SELECT site, day, bikes FROM {quote(info.table_name)}")
    assert rows == [("Rachel", "2023-03-01", 412), ("Berri", "2023-03-02", 1290),
                    ("Parc", "2023-03-03", 7)]


def test_table_away_from_column_a_keeps_sheet_numbers(new_pack: Pack, tmp_path: Path) -> None:
    """calamine starts its rows at the first used column; the header row and the stored
    values must not shift."""
    import xlsxwriter

    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(4, 2, ["name", "count"])
    ws.write_row(5, 2, ["a", 1])
    ws.write_row(6, 2, ["b", 2])
    book.close()
    info = import_file(new_pack, path, header_row=5)
    assert names(info) == ["name", "count"]
    assert query(new_pack, f"SELECT * FROM {quote(info.table_name)}") == [("a", 1), ("b", 2)]


def test_entity_bomb_is_not_expanded(new_pack: Pack, tmp_path: Path) -> None:
    """A document type declaring nested entities ("billion laughs") must not inflate a cell."""
    import xlsxwriter

    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["name", "count"])
    ws.write_row(1, 0, ["laugh", 1])
    book.close()
    lol = "".join(f"<!ENTITY l{i} \"{f'&l{i - 1};' * 10}\">" for i in range(1, 10))
    bomb_dtd = f'<!DOCTYPE sst [<!ENTITY l0 "lol">{lol}]>'
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode()
                head, _sep, rest = text.partition("?>")
                data = (head + "?>" + bomb_dtd + rest.replace(">laugh<", ">&l9;<")).encode()
            dst.writestr(item, data)
    try:
        info = import_file(new_pack, path)
    except ImportFailed:
        assert_nothing_written(new_pack)
        return
    longest = query(new_pack, f"SELECT max(length(name)) FROM {quote(info.table_name)}")
    assert longest[0][0] < 1000


def _stored(pack: Pack, info: Any) -> tuple[Any, ...]:
    cols = [quote(c.name) for c in info.columns]
    values = pack.conn.execute(
        f"SELECT {', '.join(f'{c}, typeof({c})' for c in cols)} "
        f"FROM {quote(info.table_name)} ORDER BY rowid").fetchall()
    return (info.row_count, info.warnings,
            [(c.name, c.original_name, c.type, c.missing_count) for c in info.columns], values)


def _odd_cells_workbook(path: Path) -> None:
    """Every kind of cell the column-at-a-time text must read as cell_text does."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["whole", "mixed", "text", "when", "day", "flag", "codes", "gaps"])
    for r in range(1, 400):
        ws.write_number(r, 0, r * 3 - 600)
        ws.write(r, 1, [1.5, -0.0, 1e15, 1e-7, 123456789012.0, "n/a", True, 2.25][r % 8])
        ws.write_string(r, 2, ["  padded  ", "#N/A", "plain", "línea"][r % 4])
        ws.write_datetime(r, 3, dt.datetime(2020, 1, 1, r % 24, 30), stamp)
        ws.write_datetime(r, 4, dt.datetime(2021, 3, 1) + dt.timedelta(days=r), day)
        ws.write_boolean(r, 5, r % 3 == 0)
        ws.write_string(r, 6, f"{r:05d}")
        if r % 5:
            ws.write_number(r, 7, r / 4)
    ws.write_row(401, 0, ["Total", 123])
    book.close()


@pytest.mark.parametrize("source", ["odd", "samples/baltimore/open_baltimore_catalog.xlsx",
                                    OBLIGATIONS, TRENDS, GRANTS, DETROIT])
def test_fast_and_python_paths_store_the_same_values(new_pack: Pack, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     source: str) -> None:
    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 7)  # many blocks, ragged at the end
    path = tmp_path / "odd.xlsx" if source == "odd" else shared(source)
    if source == "odd":
        _odd_cells_workbook(path)
    calls: list[Any] = []
    real = excel_import.write_text_columns

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(excel_import, "write_text_columns", spy)
    fast = import_file(new_pack, path)
    assert calls == [fast], "the fast path was taken"
    monkeypatch.setattr(excel_import, "write_text_columns", lambda *a, **k: None)
    slow = import_file(new_pack, path)
    assert fast.sha256 == slow.sha256
    assert _stored(new_pack, fast) == _stored(new_pack, slow)
