"""Numbers read from spreadsheets show as a spreadsheet shows them: 15 significant digits.

Excel stores the sum 7104934.73 + 951445.39 + 71183.94 + 91092.54 as 8218656.600000001
and shows 8218656.6; the preview, the grid's text, facet labels and record views show
8218656.6 too, while the pack keeps the stored number exactly.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tde_desktop.core.explore.facets import numeric_buckets
from tde_desktop.core.explore.filters import Filter, format_value
from tde_desktop.core.explore.record_search import record_by_rowid, search_records
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.excel_layout import footer_note
from tde_desktop.core.importers.preview import preview
from tde_desktop.core.numbers import readable_float
from tde_desktop.core.pack import Pack
from tde_desktop.core.text_direction import plain
from tests.conftest import shared

BUDGET = "messy/philadelphia_fy16_budget_trends_side_by_side_tables.xlsx"
SHEET = "Budget Data by Class"
#: Auditing's total on that sheet, as the workbook stores it (Excel's sum)
STORED = 8218656.600000001


@pytest.mark.parametrize(("value", "text", "with_point"), [
    (0.1 + 0.2, "0.3", "0.3"),
    (8218656.600000001, "8218656.6", "8218656.6"),
    (-8218656.600000001, "-8218656.6", "-8218656.6"),
    (14578420.549999999, "14578420.55", "14578420.55"),
    (148623.78999999998, "148623.79", "148623.79"),
    (0.32250000000000006, "0.3225", "0.3225"),
    (2500000.0, "2500000", "2500000.0"),
    (-3.0, "-3", "-3.0"),
    (0.0, "0", "0.0"),
    (-0.0, "0", "0.0"),  # never "-0"
    (1e-7, "1e-07", "1e-07"),  # Python's notation for the very small and the very large
    (0.0001, "0.0001", "0.0001"),
    (1e20, "1e+20", "1e+20"),
    (1.2345678901234567e-05, "1.23456789012346e-05", "1.23456789012346e-05"),
    (123456.789, "123456.789", "123456.789"),
    (0.123456789012345, "0.123456789012345", "0.123456789012345"),
    (99999999999999.98, "100000000000000", "100000000000000.0"),
    (1.7976931348623157e308, "1.79769313486232e+308", "1.79769313486232e+308"),
    (float("inf"), "inf", "inf"),
    (float("-inf"), "-inf", "-inf"),
    (float("nan"), "nan", "nan"),
])
def test_readable_float_shows_at_most_15_significant_digits(value: float, text: str,
                                                            with_point: str) -> None:
    assert readable_float(value) == text
    assert readable_float(value, point_zero=True) == with_point


def significant_digits(text: str) -> int:
    """Digits from the first non-zero one to the last non-zero one."""
    return len(text.lstrip("-").split("e")[0].replace(".", "").strip("0"))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_readable_float_is_the_number_to_15_digits(value: float) -> None:
    text = readable_float(value)
    assert significant_digits(text) <= 15
    assert not set(text) & {",", " "}
    if abs(float(f"{value:.15g}")) != math.inf:
        assert float(text) == float(f"{value:.15g}")
    if significant_digits(repr(value)) <= 15:
        # a number without noise reads as Python writes it (whole ones without '.0')
        python = "0" if value == 0 else re.sub(r"\.0$", "", repr(value))
        assert text == python


@pytest.fixture
def budget_pack(tmp_path: Path) -> Path:
    path = tmp_path / "budget.tdepack"
    with Pack.create(path, title="Budgets") as pack:
        import_file(pack, shared(BUDGET), sheet=SHEET)
    return path


def test_sheet_preview_shows_the_sum_as_the_spreadsheet_does() -> None:
    view = preview(shared(BUDGET), sheet=SHEET)
    names = [c.name for c in view.columns]
    auditing = next(r for r in view.rows if r[names.index("Department")] == "Auditing")
    assert auditing[names.index("Total")] == "8218656.6"
    assert view.columns[names.index("Total")].type == "number"
    assert auditing[names.index("Class 100")] == "7104934.73"
    numbers = [cell for row in view.rows for cell in row if re.fullmatch(r"-?\d+\.\d+", cell)]
    assert max(map(significant_digits, numbers)) <= 15


def test_the_note_on_a_left_out_total_row_quotes_it_as_the_spreadsheet_shows_it() -> None:
    note = preview(shared(BUDGET), sheet=SHEET).notes[-1]
    assert note.startswith("The last row (Total 2373758954.32 1188737137.32 66839398.72 ")
    assert footer_note([["Total", "0.30000000000000004", "12345678901234567890", "x.5"]])[1]\
        .startswith("The last row (Total 0.3 12345678901234567890 x.5) looks like")


def test_import_keeps_the_stored_number_and_screens_read_it_plainly(budget_pack: Path
                                                                     ) -> None:
    with Pack.open(budget_pack, read_only=True) as pack:
        info = pack.datasets()[0]
        table = info.table_name
        rowid, total = pack.conn.execute(
            f"SELECT rowid, total FROM {table} WHERE department = 'Auditing'").fetchone()
        assert total == STORED  # the pack keeps Excel's number, noise and all
        columns = [c for c in info.columns if c.name in ("department", "total")]
        record = record_by_rowid(pack.conn, table, columns, rowid)
        assert record is not None
        assert [value for _label, value in record.fields] == ["Auditing", "8218656.6"]
        found = search_records(pack.conn, table, columns, "Auditing")
        assert [[v for _label, v in r.fields] for r in found] == [["Auditing", "8218656.6"]]
        assert plain(found[0].details()).endswith(": 8218656.6")
        labels = [format_value(edge) for lo, hi, _n in
                  numeric_buckets(pack.conn, table, "total") for edge in (lo, hi)]
        assert "49151938.044" in labels  # (0 + max / 20, stored as 49151938.04399999)
        assert all(significant_digits(t) <= 15 for t in labels), labels
    assert Filter("total", "is", STORED).describe().endswith("8218656.6")


def test_format_value_keeps_whole_numbers_and_other_values() -> None:
    assert format_value(2500000.0) == "2500000"
    assert format_value(1e20) == "100000000000000000000"
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value(7) == "7"
    assert format_value("0.30000000000000004") == "0.30000000000000004"  # text stays text


def test_exports_keep_the_exact_number(budget_pack: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tde_desktop.core.explore.export_view import export_dataset

    with Pack.open(budget_pack) as pack:
        dataset = pack.datasets()[0].id
        export_dataset(pack, dataset, tmp_path / "budget.csv")
        export_dataset(pack, dataset, tmp_path / "budget.xlsx")
    assert repr(STORED) in (tmp_path / "budget.csv").read_text(encoding="utf-8-sig")
    book = load_workbook(tmp_path / "budget.xlsx", read_only=True)
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    book.close()
    assert STORED in cells
