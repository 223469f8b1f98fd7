"""The preview of an .xlsx streams its sheet as the import does, reading it once, and
shows what the calamine way shows: the same sheets, tables, header, rows left out,
rows and types; error values and a failing stream are previewed the calamine way."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import preview as preview_module
from tde_desktop.core.importers import sheet_stream
from tde_desktop.core.importers.preview import preview
from tests.core import test_sheet_stream as stream_test


def _calamine(path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    """The preview as python-calamine alone gives it (as with no stream reader)."""
    def refuse(self: sheet_stream.StreamWorkbook, path: Path) -> None:
        raise sheet_stream.NotStreamed("refused in this test")

    with monkeypatch.context() as m:
        m.setattr(sheet_stream.StreamWorkbook, "__init__", refuse)
        return _shown(path, **options)


def _shown(path: Path, **options: Any) -> Any:
    try:
        return dataclasses.asdict(preview(path, **options))
    except ImportFailed as exc:
        return str(exc)


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sheets streamed, one entry per pass over one."""
    seen: list[str] = []
    read = sheet_stream.StreamSheet.iter_rows

    def counted(self: sheet_stream.StreamSheet) -> Iterator[list[Any]]:
        seen.append(self.name)
        yield from read(self)

    monkeypatch.setattr(sheet_stream.StreamSheet, "iter_rows", counted)
    return seen


def _every_choice(path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Compare both ways for every sheet and every table of it; how many were compared."""
    first = preview(path)
    compared = 0
    for sheet in first.sheets:
        whole = _shown(path, sheet=sheet)
        tables = len(whole["tables"]) if isinstance(whole, dict) else 0
        for table in [None, *range(1, tables + 1)]:
            assert _shown(path, sheet=sheet, table=table) == _calamine(
                path, monkeypatch, sheet=sheet, table=table), (path.name, sheet, table)
            compared += 1
    return compared


def test_every_workbook_previews_as_calamine_does(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stream_test.kinds_workbook(tmp_path / "kinds.xlsx")
    stream_test.openpyxl_workbook(tmp_path / "opx.xlsx")
    stream_test.openpyxl_workbook(tmp_path / "opx1904.xlsx", date_1904=True)
    made = [tmp_path / n for n in ("kinds.xlsx", "opx.xlsx", "opx1904.xlsx")]
    compared = sum(_every_choice(path, monkeypatch) for path in stream_test._all(made))
    assert compared >= 10


def test_error_values_are_previewed_the_calamine_way(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "kinds.xlsx"
    stream_test.kinds_workbook(path)
    view = preview(path, sheet="Data")
    # (calamine reads them as empty cells; the stream gives their text, which it
    # would count as error values)
    assert not any("Excel error value" in n for n in view.notes)
    assert dataclasses.asdict(view) == _calamine(path, monkeypatch, sheet="Data")


@pytest.mark.parametrize("head", [preview_module.HEAD_ROWS, 1000])
def test_a_long_sheet_is_read_once_when_its_head_holds_the_sample(
        head: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The 2,000 rows of sample end inside the head kept from the scan, or past it
    (1,000 rows kept), where the rows are read again."""
    import xlsxwriter

    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["Permits issued"])
    ws.write_row(2, 0, ["id", "name", "amount"])
    rows = 7000
    for k in range(rows):
        ws.write_row(3 + k, 0, [k, f"n{k}", k * 1.5 if k != 2500 else "n/a"])
    end = 3 + rows - 1
    ws.write_row(end + 1, 0, ["Total", "", 1.5])
    book.close()
    want = _calamine(path, monkeypatch)
    seen = _passes(monkeypatch)
    monkeypatch.setattr(preview_module, "HEAD_ROWS", head)
    got = _shown(path)
    assert got == want
    assert (got["rows_above"], got["rows_below"]) == (1, 1)
    assert got["rows"][0] == ["0", "n0", "0"]
    assert [c["type"] for c in got["columns"]] == ["text", "text", "number"]
    assert seen == ["Data"] * (1 if head > 2003 else 2)


def test_rows_below_count_a_second_table_under_the_first(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every row with text under the table is left out by the import, the second table
    too: the preview counts them all, both ways."""
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["ward", "name", "count"])
    for k in range(1, 31):
        ws.write_row(k, 0, [k, f"w{k}", k * 3])
    ws.write_row(32, 0, ["Second year"])
    ws.write_row(33, 0, ["ward", "name", "count"])
    for k in range(34, 39):
        ws.write_row(k, 0, [k, f"w{k}", k * 3])
    book.close()
    got = _shown(path)
    assert got == _calamine(path, monkeypatch)
    assert got["rows_below"] == 1 + 1 + 5
    assert any("Another table starts at row 33" in n for n in got["notes"])


def test_a_failing_stream_previews_the_calamine_way(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "opx.xlsx"
    stream_test.openpyxl_workbook(path)
    want = _calamine(path, monkeypatch)

    def broken(self: sheet_stream.StreamSheet) -> Iterator[list[Any]]:
        yield ["a", "b"]
        raise RuntimeError("the stream broke")

    monkeypatch.setattr(sheet_stream.StreamSheet, "iter_rows", broken)
    assert _shown(path) == want
    assert isinstance(want, dict)
    assert want["rows"]


SEEDS = [int(os.environ["TDE_SEED"])] if "TDE_SEED" in os.environ else [0, 1, 2]


@pytest.mark.parametrize("seed", SEEDS)
def test_random_sheets_preview_alike(seed: int, monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    sheets = stream_test._random_workbook(path, seed)
    for k in range(sheets):
        assert _shown(path, sheet=f"S{k}") == _calamine(path, monkeypatch, sheet=f"S{k}")
    assert preview_module.HEAD_ROWS > 80
