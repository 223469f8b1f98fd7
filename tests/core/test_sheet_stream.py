"""An .xlsx read as a stream of rows (python-calamine-plus) reads as python-calamine
reads it: the same cells, merged ranges, layout decisions and imported values, over
every .xlsx we have, workbooks of every kind of cell, and random sheets. Where the
stream cannot be sure (error values, a layout the head of a sheet does not tell, a
failing reader) the import is the calamine one."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import excel_import, sheet_blocks, sheet_onepass, sheet_stream
from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.writer import Provenance
from tde_desktop.core.pack import Pack, quote
from tests.conftest import SHARED_DATA
from tests.core import test_sheet_blocks as blocks_test

pytest.importorskip("python_calamine_plus")

SHARED = sorted(p.relative_to(SHARED_DATA).as_posix() for p in SHARED_DATA.rglob("*.xlsx")
                ) if SHARED_DATA.exists() else []
SCANNED = ("col_last", "last_row", "nonblank_rows", "timed", "errors")


def _cells(rows: Any) -> list[list[Any]]:
    """Rows without the padding either reader adds: ``None`` before the first column in
    use (calamine) and '' after the last (the stream)."""
    out = []
    for row in rows:
        row = ["" if v is None else v for v in row]
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _no_errors(got: list[list[Any]], want: list[list[Any]]) -> list[list[Any]]:
    """``got`` with the text of an Excel error value made '' where ``want`` has ''."""
    return [[w if v in layout.ERROR_VALUES and w == "" else v
             for v, w in zip(row, wrow, strict=False)] + row[len(wrow):]
            for row, wrow in zip(got, want, strict=False)] + got[len(want):]


def kinds_workbook(path: Path) -> None:
    """Dates in several formats, times, durations, percentages, booleans, error values,
    formulas with their cached values, text that looks like numbers, merged cells, an
    empty row and column, a styled blank far away, a total and a note under the
    table, a hidden sheet and an empty one."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    fmt = {k: book.add_format({"num_format": v}) for k, v in {
        "d": "dd/mm/yyyy", "dt": "yyyy-mm-dd hh:mm:ss", "t": "hh:mm", "dur": "[h]:mm:ss",
        "pct": "0.0%", "txt": "@", "long": "mmm d, yyyy"}.items()}
    ws.merge_range(0, 0, 0, 3, "Merged title")
    ws.write_row(2, 1, ["name", "date", "datetime", "time", "dur", "pct", "flag", "err",
                        "formula", "fstr", "big", "neg0", "code"])
    for r in range(3, 40):
        if r == 10:
            continue
        ws.write_string(r, 1, f"n{r}")
        ws.write_datetime(r, 2, dt.datetime(2020, 1, r % 28 + 1), fmt["d"])
        ws.write_datetime(r, 3, dt.datetime(2020, 1, 1, r % 24, 5, 7), fmt["dt"])
        ws.write_datetime(r, 4, dt.datetime(1899, 12, 31, r % 24, 30), fmt["t"])
        ws.write_number(r, 5, 1.5 + r / 24, fmt["dur"])
        ws.write_number(r, 6, r / 100, fmt["pct"])
        ws.write_boolean(r, 7, r % 2 == 0)
        ws.write_formula(r, 8, "=1/0", None, "#DIV/0!" if r % 3 else "#N/A")
        ws.write_formula(r, 9, f"=B{r + 1}*2", None, r * 2)
        ws.write_formula(r, 10, f'="x"&B{r + 1}', None, f"x{r}")
        ws.write_number(r, 11, 10 ** (r % 20) + 0.0)
        ws.write_number(r, 12, -0.0 if r % 2 else 3.25)
        ws.write_string(r, 13, f"{r:05d}", fmt["txt"])
    ws.write_datetime(40, 2, dt.datetime(2021, 3, 4), fmt["long"])
    ws.write_string(42, 1, "Total")
    ws.write_number(42, 9, 999)
    ws.write_string(43, 1, "Source: somewhere")
    ws.write_blank(60, 20, None, fmt["pct"])
    clean = book.add_worksheet("Clean")  # the same kinds, no error value: streamed
    clean.write_row(0, 0, ["when", "at", "flag", "n", "f", "code"])
    for r in range(1, 30):
        clean.write_datetime(r, 0, dt.datetime(2019, 2, r % 28 + 1), fmt["d"])
        clean.write_datetime(r, 1, dt.datetime(2019, 2, 1, r % 24, 1), fmt["dt"])
        clean.write_boolean(r, 2, r % 3 == 0)
        clean.write_number(r, 3, r * 1.25 if r % 4 else r)
        clean.write_formula(r, 4, f"=D{r + 1}*2", None, r * 2)
        clean.write_string(r, 5, f"{r:04d}", fmt["txt"])
    hidden = book.add_worksheet("Hidden")
    hidden.hide()
    hidden.write_row(0, 0, ["a", "b"])
    hidden.write_row(1, 0, [1, 2])
    book.add_worksheet("Empty")
    book.close()


def openpyxl_workbook(path: Path, date_1904: bool = False) -> None:
    """Formulas without cached values, merged header cells, a table away from column A,
    a note under it; optionally the 1904 date system."""
    import openpyxl

    wb = openpyxl.Workbook()
    if date_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Opx"
    ws["C2"] = "Budget"
    ws.merge_cells("C2:E2")
    ws.append([None, None, "id", "when", "f", "flag"])
    for i in range(1, 30):
        ws.append([None, None, i, dt.date(2019, 2, i % 28 + 1), f"=C{i + 3}*2", i % 2 == 0])
    ws["C40"] = "Notes: x"
    wb.save(path)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("streamed")
    kinds_workbook(folder / "kinds.xlsx")
    openpyxl_workbook(folder / "opx.xlsx")
    openpyxl_workbook(folder / "opx1904.xlsx", date_1904=True)
    return [folder / "kinds.xlsx", folder / "opx.xlsx", folder / "opx1904.xlsx"]


def _all(made: list[Path]) -> Iterator[Path]:
    yield from (SHARED_DATA / n for n in SHARED)
    yield from made


def _compare_reads(path: Path) -> int:
    """Every sheet of ``path`` read both ways; the number of sheets and tables compared."""
    stream = sheet_stream.StreamWorkbook(path)
    book = excel_import.Workbook(path)
    compared = 0
    try:
        assert stream.sheets() == book.sheets()
        for sheet, _v in book.sheets():
            got = _cells(stream.raw_rows(sheet))
            assert stream._sheet(sheet).passes == 1  # (the stream was read)
            want = _cells(book.raw_rows(sheet))
            assert _no_errors(got, want) == want
            assert stream.merges(sheet) == book.merges(sheet)
            old, new = (excel_import._scan(b, sheet, None) for b in (book, stream))
            if new.errors > old.errors:  # (error values: such a sheet is not streamed)
                assert stream._sheet(sheet).error_cells
                continue
            assert {k: getattr(new, k) for k in SCANNED} == {k: getattr(old, k) for k in SCANNED}
            assert _cells(new.sample) == _cells(old.sample)
            compared += 1
            if old.last_row < 0:
                continue
            tables = layout.find_tables(old, book.merges(sheet), None)
            assert layout.find_tables(new, stream.merges(sheet), None) == tables
            for table in tables:
                a, b = copy.deepcopy(table), copy.deepcopy(table)
                sheet_blocks.find_end_scanned(
                    a, old, lambda t=a, s=sheet: excel_import._row_blocks(book, s, t.first_data,
                                                                          None))
                sheet_blocks.find_end_scanned(
                    b, new, lambda t=b, s=sheet: excel_import._row_blocks(stream, s,
                                                                          t.first_data, None))
                assert vars(a) == vars(b)
                compared += 1
    finally:
        stream.close()
        book.close()
    return compared


def test_every_xlsx_reads_as_calamine_reads_it(made: list[Path]) -> None:
    compared = sum(_compare_reads(p) for p in _all(made))
    assert compared >= (47 if SHARED else 10)


def _stored(pack: Pack, info: Any) -> tuple[Any, ...]:
    cols = [quote(c.name) for c in info.columns]
    values = pack.conn.execute(
        f"SELECT {', '.join(f'{c}, typeof({c})' for c in cols)} "
        f"FROM {quote(info.table_name)} ORDER BY rowid").fetchall()
    return (info.row_count, info.warnings, info.import_options, info.format,
            [(c.name, c.original_name, c.type, c.missing_count) for c in info.columns], values)


def import_both_ways(folder: Path, path: Path, **options: Any) -> tuple[Any, Any]:
    """(the calamine import, the streamed one or None) of ``path``, each in a new pack."""
    results: list[Any] = []
    for way in ("calamine", "stream"):
        pack = Pack.create(folder / f"{way}.tdepack", title="t")
        try:
            provenance = Provenance(title="x", original_filename=path.name)
            if way == "calamine":
                try:
                    results.append(_stored(pack, excel_import.import_excel(
                        pack, path, provenance, **options)))
                except ImportFailed as exc:
                    results.append(str(exc))
            else:
                info = sheet_onepass.import_streamed(
                    pack, path, provenance, **{k: options.get(k) for k in (
                        "sheet", "header_row", "table", "header_rows", "type_overrides",
                        "progress")})
                results.append(None if info is None else _stored(pack, info))
        finally:
            pack.close()
            (folder / f"{way}.tdepack").unlink()
    return results[0], results[1]


def test_every_xlsx_imports_as_the_calamine_way(made: list[Path], tmp_path: Path) -> None:
    streamed = []
    for path in _all(made):
        book = excel_import.Workbook(path)
        names = [n for n, _v in book.sheets()]
        book.close()
        for sheet in [None, *names]:
            for table in (None, 2):
                old, new = import_both_ways(tmp_path, path, sheet=sheet, table=table)
                if new is not None:
                    assert new == old, (path.name, sheet, table)
                    streamed.append((path.name, sheet, table))
    assert ("kinds.xlsx", "Clean", None) in streamed  # dates, times, booleans, formulas
    assert ("opx1904.xlsx", None, None) in streamed
    if SHARED:
        assert ("philadelphia_obligation_history_fy15-17_title_rows_merged.xlsx", None,
                None) in streamed
        assert ("philadelphia_fy16_budget_trends_side_by_side_tables.xlsx", None, 2) \
            in streamed
        assert len(streamed) >= 30


def test_error_values_are_left_to_calamine(made: list[Path], tmp_path: Path) -> None:
    """The stream gives an error value's text, which a typed '#N/A' also is: not streamed."""
    old, new = import_both_ways(tmp_path, made[0], sheet="Data")
    assert new is None
    assert isinstance(old, tuple)


def _random_workbook(path: Path, seed: int) -> int:
    """Ten of the random sheets of test_sheet_blocks, written as an .xlsx (NaN and
    infinities, which a workbook cannot hold, left empty)."""
    import xlsxwriter

    rnd = random.Random(seed)
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for k in range(10):
        ws = book.add_worksheet(f"S{k}")
        for r, row in enumerate(blocks_test._sheet(rnd)):
            for c, v in enumerate(row):
                if v is None or (isinstance(v, float) and v != v or v in (
                        float("inf"), float("-inf"))):
                    continue
                if isinstance(v, dt.time):
                    ws.write_datetime(r, c, dt.datetime.combine(dt.date(1899, 12, 31), v),
                                      dates)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, v, dates)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write(r, c, v)
    book.close()
    return 10


@pytest.mark.parametrize("seed", range(40))
def test_random_sheets_read_and_import_alike(seed: int, tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    sheets = _random_workbook(path, seed)
    assert _compare_reads(path) >= sheets
    for k in range(sheets):
        old, new = import_both_ways(tmp_path, path, sheet=f"S{k}")
        if isinstance(old, str):  # (a sheet the calamine way refuses is not streamed)
            assert new is None
        else:  # (typed '#N/A' is text to both readers: no error cell, streamed)
            assert new == old


def test_other_kinds_and_a_missing_reader_are_not_streamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[Path]) -> None:
    for name in ("philadelphia_fy17_grants_fund_legacy_biff.xls",):
        if (SHARED_DATA / "messy" / name).exists():
            with pytest.raises(sheet_stream.NotStreamed):
                sheet_stream.StreamWorkbook(SHARED_DATA / "messy" / name)
    monkeypatch.setitem(__import__("sys").modules, "python_calamine_plus", None)
    with pytest.raises(sheet_stream.NotStreamed):
        sheet_stream.StreamWorkbook(made[1])
    assert isinstance(sheet_stream.open_workbook(made[1]), excel_import.Workbook)


def test_a_failing_stream_leaves_the_import_to_calamine(
        new_pack: Pack, made: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: sheet_stream.StreamSheet) -> Iterator[list[Any]]:
        yield ["id", "when"]
        raise RuntimeError("XmlError: the stream broke")

    monkeypatch.setattr(sheet_stream.StreamSheet, "iter_rows", broken)
    assert sheet_onepass.import_streamed(
        new_pack, made[1], Provenance(title="x"), sheet=None, header_row=None, table=None,
        header_rows=None, type_overrides=None, progress=None) is None
    assert new_pack.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'ds_%'").fetchone()[0] == 0
    from tde_desktop.core.importers import import_file

    info = import_file(new_pack, made[1])
    assert info.row_count == 29  # (read by calamine, no error shown)
    assert not any("stream" in w for w in info.warnings)


def test_import_streams_every_xlsx_we_have(new_pack: Pack, made: list[Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With calamine's reader out of reach, every .xlsx still imports: by the stream."""
    from tde_desktop.core.importers import import_file

    class NoCalamine:
        def __init__(self, path: Path) -> None:
            raise AssertionError(f"read the calamine way: {path.name}")

    monkeypatch.setattr(excel_import, "Workbook", NoCalamine)
    paths = [*(SHARED_DATA / n for n in SHARED), made[1], made[2]]
    for path in paths:
        info = import_file(new_pack, path)
        assert info.row_count > 0
        assert info.format == "xlsx"


@pytest.mark.parametrize("seed", range(0, 40, 4))
def test_small_blocks_past_a_short_head_import_alike(
        seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows written while the stream goes on, in blocks of 8 after a head of 88 rows (the
    sample of 80 and a block), or again when the head misled: the same dataset as the
    calamine way."""
    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 8)
    monkeypatch.setattr(sheet_onepass, "HEAD_ROWS", 88)
    path = tmp_path / "random.xlsx"
    sheets = _random_workbook(path, seed)
    streamed = 0
    for k in range(sheets):
        old, new = import_both_ways(tmp_path, path, sheet=f"S{k}")
        if new is not None:
            assert new == old
            streamed += 1
    assert streamed == sheets


def test_a_stream_failing_past_the_head_leaves_nothing_and_calamine_imports(
        new_pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop.core.importers import import_file

    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 8)
    monkeypatch.setattr(sheet_onepass, "HEAD_ROWS", 16)
    path = tmp_path / "long.xlsx"
    _long_workbook(path, rows=200, late_column_at=None)
    real = sheet_stream.StreamSheet.iter_rows

    def breaks(self: sheet_stream.StreamSheet, **kw: Any) -> Iterator[list[Any]]:
        for n, row in enumerate(real(self, **kw)):
            if n == 120:
                raise RuntimeError("XmlError: the stream broke")
            yield row

    monkeypatch.setattr(sheet_stream.StreamSheet, "iter_rows", breaks)
    info = import_file(new_pack, path)
    assert info.row_count == 200
    assert new_pack.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'ds_%'").fetchone()[0] == 1


def _long_workbook(path: Path, rows: int, late_column_at: int | None) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["id", "name", "amount"])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [r, f"n{r}", r * 1.5])
        if late_column_at is not None and r >= late_column_at:
            ws.write_number(r, 4, r)
    ws.write_row(rows + 2, 0, ["Total", "", rows * 1.5])
    book.close()


@pytest.mark.parametrize("late", [None, 100])
def test_what_the_head_cannot_tell_is_imported_as_calamine_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: int | None) -> None:
    """A total under a long table is left out by the one pass; a column that starts
    past the head changes the table, and the rows are written again from a new stream:
    the same dataset as the calamine way both times."""
    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 8)
    monkeypatch.setattr(sheet_onepass, "HEAD_ROWS", 16)
    path = tmp_path / "long.xlsx"
    _long_workbook(path, rows=200, late_column_at=late)
    old, new = import_both_ways(tmp_path, path)
    assert isinstance(old, tuple)
    assert new == old
    assert old[0] == 200
    assert any("Total" in w for w in old[1])


def test_options_import_as_the_calamine_way(made: list[Path], tmp_path: Path) -> None:
    """A header row, a header of several rows and a column type given by a person."""
    path = made[0]
    for options in ({"sheet": "Clean", "header_row": 3},
                    {"sheet": "Clean", "header_rows": 2},
                    {"sheet": "Clean", "type_overrides": {"n": "text", "when": "date"}}):
        old, new = import_both_ways(tmp_path, path, **options)
        assert new is not None, options
        assert new == old, options
    old, new = import_both_ways(tmp_path, path, sheet="Clean", header_row=99)
    assert isinstance(old, str)  # (refused by the calamine way, with its sentence)
    assert new is None
