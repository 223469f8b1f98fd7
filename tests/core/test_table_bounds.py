"""Where the table starts and ends: titles, notes, totals, two-row headers, a second
table, rows wider than the header; in CSV by both import paths and, where a sheet can
have the same layout, in Excel."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.importers import fast_csv, import_file
from tde_desktop.core.pack import Pack, quote
from tests.core.conftest import tde

TITLED = [["Vacant lots by ward, 2024"], ["Source: City of Springfield open data"], [],
          ["ward", "lots", "owner"], ["1", "12", "city"], ["2", "7", "private"],
          ["3", "4", "city"]]
FOOTED = [["ward", "lots", "owner"], ["1", "12", "city"], ["2", "7", "private"],
          ["Total", "19", ""], [], ["* Lots counted on 1 March"], ["Source: Planning dept."]]
TWO_ROW = [["", "Budget", "", "Actual", ""], ["Dept", "2015", "2016", "2015", "2016"],
           ["Parks", "1", "2", "3", "4"], ["Fire", "5", "6", "7", "8"]]
STACKED_SAME = [["ward", "lots"], ["1", "12"], ["2", "7"], [], ["ward", "lots"], ["9", "99"]]


def csv_text(rows: list[list[str]], pad: bool = False) -> str:
    width = max(map(len, rows))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        r + ([""] * (width - len(r)) if pad else []) for r in rows)
    return out.getvalue()


def both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
               **options: Any) -> tuple[Any, list[tuple[Any, ...]]]:
    """Import ``text`` as a CSV by the fast and the Python path; both must agree."""
    src = tmp_path / "t.csv"
    src.write_text(text, encoding="utf-8")
    got = []
    for path in ("fast", "python"):
        if path == "python":
            monkeypatch.setattr(fast_csv, "import_fast", lambda *a, **k: None)
        with Pack.create(tmp_path / f"{path}.tdepack", title="t") as pack:
            info = import_file(pack, src, **options)
            got.append((info, pack.conn.execute(
                f"SELECT * FROM {quote(info.table_name)}").fetchall()))
    monkeypatch.undo()
    (fast, fast_rows), (slow, slow_rows) = got
    assert (fast_rows, fast.warnings, fast.sha256) == (slow_rows, slow.warnings, slow.sha256)
    assert [c.original_name for c in fast.columns] == [c.original_name for c in slow.columns]
    return slow, slow_rows


@pytest.mark.parametrize("pad", [False, True])
def test_title_and_source_lines_above_the_header_are_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pad: bool) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(TITLED, pad))
    assert [c.original_name for c in info.columns] == ["ward", "lots", "owner"]
    assert rows == [(1, 12, "city"), (2, 7, "private"), (3, 4, "city")]
    assert info.warnings == [
        "The rows above the table (Vacant lots by ward, 2024 / Source: City of Springfield "
        "open data) were not imported; the header is row 4."]
    assert (info.import_options["header_row"], info.import_options["rows_above"]) == (4, 3)


@pytest.mark.parametrize("pad", [False, True])
def test_totals_and_footnotes_under_the_table_are_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pad: bool) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(FOOTED, pad))
    assert rows == [(1, 12, "city"), (2, 7, "private")]
    assert info.warnings == [
        "The last 3 rows (Total 19 / * Lots counted on 1 March / Source: Planning dept.) "
        "look like totals or notes, not data; they were not imported."]
    assert info.import_options["rows_below"] == 3
    assert info.sha256 == hashlib.sha256(csv_text(FOOTED, pad).encode()).hexdigest()


def test_keep_footer_keeps_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(FOOTED, True), keep_footer=True)
    assert len(rows) == 6
    assert info.import_options["rows_below"] == 0


def test_a_last_data_row_that_is_not_a_total_stays(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    text = csv_text([["ward", "lots", "owner"], ["1", "12", "city"], ["2", "7", "Totten"]])
    _info, rows = both_paths(tmp_path, monkeypatch, text)
    assert rows == [(1, 12, "city"), (2, 7, "Totten")]


def test_a_table_whose_only_rows_look_like_notes_keeps_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leaving the rows out would leave no data at all: they are the table."""
    _info, rows = both_paths(tmp_path, monkeypatch, "a,b,c\n:,,\n")
    assert rows == [(":", None, None)]
    (tmp_path / "empty").mkdir()
    _info, rows = both_paths(tmp_path / "empty", monkeypatch, "a,b\n,\n")
    assert rows == [(None, None)]


def test_two_header_rows_are_joined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(TWO_ROW))
    assert [c.original_name for c in info.columns] == [
        "Dept", "Budget 2015", "Budget 2016", "Actual 2015", "Actual 2016"]
    assert rows == [("Parks", 1, 2, 3, 4), ("Fire", 5, 6, 7, 8)]
    assert info.warnings == ["The column names were made from 2 header rows (1 to 2)."]


def test_a_second_table_with_the_same_header_is_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(STACKED_SAME))
    assert rows == [(1, 12), (2, 7)]
    assert info.warnings == ["Another table starts at row 5 with the same column names; only "
                             "the table above it was imported."]


def test_a_second_table_under_its_own_title_is_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = csv_text([["ward", "lots", "owner"], ["1", "12", "city"], ["2", "7", "private"],
                     [], ["Permits by ward"], ["ward", "permits", "year"], ["1", "3", "2024"]])
    info, rows = both_paths(tmp_path, monkeypatch, text)
    assert rows == [(1, 12, "city"), (2, 7, "private")]
    assert info.warnings == ["Another table starts at row 5; only the table above it was "
                             "imported."]


def test_rows_wider_than_the_header_widen_the_table(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a,b,c\n1,2,3\n4,5,6,7,8\n9,10,11,\n"
    info, rows = both_paths(tmp_path, monkeypatch, text)
    assert [c.name for c in info.columns] == ["a", "b", "c", "column_4", "column_5"]
    assert rows == [(1, 2, 3, None, None), (4, 5, 6, 7, 8), (9, 10, 11, None, None)]
    assert info.warnings == ["Some rows have more values than there are column names; the "
                             "table was widened with columns column_4 to column_5 to hold them."]


def test_the_header_row_option_still_wins(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    info, rows = both_paths(tmp_path, monkeypatch, csv_text(TITLED), header_row=2)
    assert [c.original_name for c in info.columns] == [
        "Source: City of Springfield open data", "column_2", "column_3"]
    assert info.import_options["rows_above"] == 1
    assert rows[-1] == ("3", "4", "city")  # the header row's text keeps the columns text


def test_the_command_line_prints_each_decision_with_its_flag(tmp_path: Path) -> None:
    src = tmp_path / "wards.csv"
    src.write_text(csv_text(TITLED[:3] + FOOTED).replace(",", ";"), encoding="cp1252")
    pack = tmp_path / "p.tdepack"
    assert tde("new", pack, "--title", "t").returncode == 0
    out = tde("add", pack, src).stdout.splitlines()
    assert out[1:9] == [
        "  Encoding: utf-8 (change with --encoding)",
        "  Delimiter: ';' (change with --delimiter)",
        "  Quote: '\"', doubled to escape (change with --quote)",
        "  Header row: 4 (change with --header-row)",
        "  Header rows: 1 (change with --header-rows)",
        "  Rows left out above the header: 3 (change with --header-row)",
        "  Rows left out below the table: 3 (keep them with --keep-footer)",
        "  Column types: ward=integer, lots=integer, owner=text "
        "(change with --type COLUMN=TYPE)"]


# -- the same layouts on a sheet ---------------------------------------------------------

def xlsx(path: Path, rows: list[list[str]],
         merges: tuple[tuple[int, int, int, int], ...] = ()) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                sheet.write(r, c, float(value) if value.isdigit() else value)
    for r0, c0, r1, c1 in merges:  # a heading over the columns it groups, as people do
        sheet.merge_range(r0, c0, r1, c1, rows[r0][c0])
    book.close()
    return path


def test_a_sheet_leaves_out_titles_and_footnotes_as_a_csv_does(new_pack: Pack,
                                                               tmp_path: Path) -> None:
    info = import_file(new_pack, xlsx(tmp_path / "t.xlsx", TITLED[:3] + FOOTED))
    rows = new_pack.conn.execute(f"SELECT * FROM {quote(info.table_name)}").fetchall()
    assert [c.original_name for c in info.columns] == ["ward", "lots", "owner"]
    assert rows == [(1, 12, "city"), (2, 7, "private")]
    assert any(w.startswith("The rows above the table (Vacant lots by ward, 2024")
               for w in info.warnings)
    assert any(w.startswith("The last 3 rows (Total 19 / * Lots counted") for w in info.warnings)


def test_a_sheet_joins_two_header_rows(new_pack: Pack, tmp_path: Path) -> None:
    info = import_file(new_pack, xlsx(tmp_path / "two.xlsx", TWO_ROW,
                                      merges=((0, 1, 0, 2), (0, 3, 0, 4))))
    assert [c.original_name for c in info.columns] == [
        "Dept", "Budget 2015", "Budget 2016", "Actual 2015", "Actual 2016"]
