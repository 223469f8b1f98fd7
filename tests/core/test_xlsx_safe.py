"""Participant text reaches Excel and CSV as text: never a formula, never a failed save."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from tde_desktop.core.csv_safe import csv_safe, write_csv
from tde_desktop.core.xlsx_safe import (
    MAX_CELL_CHARS,
    clean_text,
    excel_text,
    safe_sheet_name,
    streaming_workbook,
)
from tde_desktop.core.xlsx_sheet_writer import SheetWriter

#: OWASP CSV-injection payloads, plus the ones openpyxl itself would misread.
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=",
    "#N/A",
    "#DIV/0!",
    "line one\r\nline two",
    "  leading and trailing spaces  ",
]


def _write(tmp_path: Path, headers: list[str], rows: list[list[object]], **kw: object) -> Path:
    out = tmp_path / "out.xlsx"
    with streaming_workbook(out) as wb:
        writer = SheetWriter(wb, "Data", headers, **kw)  # type: ignore[arg-type]
        writer.extend(rows)
        writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]  # no spool left
    return out


def test_payloads_are_stored_exactly_as_text(tmp_path: Path) -> None:
    out = _write(tmp_path, ["answer"], [[p] for p in PAYLOADS])
    ws = openpyxl.load_workbook(out)["Data"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    # a CR is stored as Excel's own escape, which Excel and LibreOffice decode
    # (tests/core/test_libreoffice.py); openpyxl hands the escape over as it is
    assert [excel_text(c.value) for c in cells] == PAYLOADS
    assert cells[PAYLOADS.index("\r=1+1")].value == "_x000D_=1+1"
    assert {c.data_type for c in cells} == {"s"}


def test_text_shaped_like_an_escape_survives(tmp_path: Path) -> None:
    out = _write(tmp_path, ["answer"], [["_x0041_ and _x000D_"]])
    cell = openpyxl.load_workbook(out)["Data"]["A2"]
    assert excel_text(cell.value) == "_x0041_ and _x000D_"


def test_illegal_characters_are_removed_and_save_succeeds(tmp_path: Path) -> None:
    out = _write(tmp_path, ["answer"], [["bell\x07 and null\x00 and esc\x1b end"]])
    assert openpyxl.load_workbook(out)["Data"]["A2"].value == "bell and null and esc end"


def test_long_text_is_cut_with_a_visible_marker() -> None:
    text = "x" * 40_000
    cut = clean_text(text)
    assert len(cut) == MAX_CELL_CHARS
    kept = cut.index("[")
    assert cut.endswith(f"[... cut: {40_000 - kept:,} more characters]")
    assert clean_text("short") == "short"


def test_long_text_counts_characters_as_excel_does() -> None:
    # Excel counts UTF-16 units: an emoji is two, so fewer of them fit in a cell
    cut = clean_text("\U0001f3da" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert cut.endswith("more characters]")
    assert clean_text("\U0001f3da" * 16_000) == "\U0001f3da" * 16_000


def test_long_text_survives_a_round_trip(tmp_path: Path) -> None:
    out = _write(tmp_path, ["answer"], [["=" + "y" * 50_000]])
    cell = openpyxl.load_workbook(out)["Data"]["A2"]
    assert cell.data_type == "s"
    assert len(cell.value) == MAX_CELL_CHARS
    assert cell.value.startswith("=yyy")
    assert "more characters]" in cell.value


@pytest.mark.parametrize(
    ("name", "existing", "expected"),
    [
        ("Votes", [], "Votes"),
        ("Votes", ["votes"], "Votes (2)"),
        ("Votes", ["Votes", "Votes (2)"], "Votes (3)"),
        ("a/b\\c?d*e[f]g:h", [], "a b c d e f g h"),
        ("", [], "Sheet"),
        ("   ", [], "Sheet"),
        ("History", [], "History (2)"),
        ("'quoted'", [], "quoted"),
        ("x" * 40, [], "x" * 31),
        ("x" * 40, ["x" * 31], "x" * 27 + " (2)"),
    ],
)
def test_safe_sheet_name(name: str, existing: list[str], expected: str) -> None:
    result = safe_sheet_name(name, existing)
    assert result == expected
    assert len(result) <= 31


def test_rows_continue_on_a_new_sheet_past_the_limit(tmp_path: Path) -> None:
    rows = [[i, f"r{i}"] for i in range(25)]
    out = _write(tmp_path, ["n", "label"], rows, max_rows=10)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Data", "Data (2)", "Data (3)"]
    got = []
    for ws in wb.worksheets:
        values = list(ws.values)
        assert values[0] == ("n", "label")
        assert len(values) <= 10
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:B{len(values)}"
        got += [list(v) for v in values[1:]]
    assert got == rows


def test_identifiers_keep_leading_zeros_and_dates_are_real_dates(tmp_path: Path) -> None:
    rows = [["00123", 12345678901234567, "2024-03-05", "2024-03-05T14:30:00", dt.date(2023, 1, 2)]]
    out = _write(tmp_path, ["zip", "bbl", "day", "when", "native"], rows,
                 kinds=["text", "text", "date", "datetime", "auto"])
    ws = openpyxl.load_workbook(out)["Data"]
    assert ws["A2"].value == "00123"
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == "12345678901234567"
    assert ws["C2"].is_date
    assert ws["C2"].value == dt.datetime(2024, 3, 5)
    assert ws["D2"].value == dt.datetime(2024, 3, 5, 14, 30)
    assert ws["E2"].is_date


def test_header_row_is_bold_and_widths_follow_content(tmp_path: Path) -> None:
    out = _write(tmp_path, ["a", "b"], [["short", "a much longer value than the header"]])
    ws = openpyxl.load_workbook(out)["Data"]
    assert ws["A1"].font.bold
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


@pytest.mark.parametrize("payload", PAYLOADS[:8])
def test_csv_safe_prefixes_formula_text(payload: str) -> None:
    assert csv_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", ["-12.5", "+3", "plain", "a=b", 42, -7.5])
def test_csv_safe_leaves_ordinary_values(value: object) -> None:
    assert csv_safe(value) == value


def test_write_csv_has_bom_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    n = write_csv(out, ["name", "note"], [["José", "=1+1"], ["Zoë", None]])
    assert n == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["name", "note"], ["José", "'=1+1"], ["Zoë", ""]]
