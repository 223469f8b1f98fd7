"""The layout scan and the end of a table, a block at a time, decide as row by row does.

Every sheet of every workbook we have, and random sheets full of the cells that make
the rules hard (blanks, errors, padding, NaN, dates at midnight, totals, notes, the
header again), are read both ways, in blocks of several sizes.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.importers import excel_import, sheet_blocks
from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.sheet_text import column_texts
from tests.conftest import SHARED_DATA

WORKBOOKS = sorted(p.relative_to(SHARED_DATA).as_posix() for p in SHARED_DATA.rglob("*")
                   if p.suffix in (".xlsx", ".xls", ".ods")) if SHARED_DATA.exists() else []
SCANNED = ("col_last", "last_row", "nonblank_rows", "sample", "timed", "errors")


def _blocks(rows: Sequence[Sequence[Any]], size: int, first: int = 0
            ) -> Iterator[tuple[int, list[Sequence[Any]]]]:
    for r in range(first, len(rows), size):
        yield r, list(rows[r:r + size])


def _projected(rows: Sequence[Sequence[Any]], table: layout.Table
               ) -> Iterator[tuple[int, list[str]]]:
    for r in range(table.first_data, len(rows)):
        yield r, [t[0] for t in column_texts([rows[r]], table.columns, None, strip=True)]


def _compare(rows: Sequence[Sequence[Any]], size: int,
             merges: list[tuple[int, int, int, int]] | None = None) -> int:
    """Read ``rows`` both ways; the number of tables compared."""
    old = layout.Scan()
    for r, row in enumerate(rows):
        old.add(r, row)
    new = sheet_blocks.BlockScan()
    for r, block in _blocks(rows, size):
        new.add_block(r, block)
    assert {k: getattr(new, k) for k in SCANNED} == {k: getattr(old, k) for k in SCANNED}
    if old.last_row < 0:
        return 0
    tables = layout.find_tables(old, merges or [], None)
    for table in tables:
        by_row, by_block, scanned = (copy.deepcopy(table) for _k in range(3))
        layout.find_end(by_row, _projected(rows, by_row))
        sheet_blocks.find_end_blocks(by_block, _blocks(rows, size, table.first_data))
        sheet_blocks.find_end_scanned(scanned, new,
                                      lambda t=table: _blocks(rows, size, t.first_data))
        assert vars(by_block) == vars(by_row)
        assert vars(scanned) == vars(by_row)
    return len(tables)


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_sheet_we_have_reads_alike(name: str) -> None:
    book = excel_import.Workbook(SHARED_DATA / name)
    try:
        for sheet, _visible in book.sheets():
            rows = list(book.raw_rows(sheet))
            for size in (7, 64, 4096):
                _compare(rows, size, book.merges(sheet))
    finally:
        book.close()


_CELLS: list[Any] = [None, None, "", "  ", "#N/A", "#DIV/0!", "x", " padded ", "Total", "Note: y",
                     "* estimated", "Source: city", 0.0, -0.0, 1.0, 2.5, 1e15, float("nan"),
                     float("inf"), 7, True, False, dt.date(2020, 1, 2),
                     dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4), dt.time(5, 6),
                     "true", "2020-01-02", "12"]


def _sheet(rnd: random.Random) -> list[list[Any]]:
    width = rnd.randint(1, 6)
    header: list[Any] = [f"name {c}" for c in range(width)]
    if rnd.random() < 0.3:
        header[rnd.randrange(width)] = rnd.choice([2015.0, "", None, "true"])
    rows: list[list[Any]] = [[rnd.choice(["Title", None])]] * rnd.randint(0, 3) + [header]
    kinds = [rnd.choice(["num", "text", "date", "mixed"]) for _c in range(width)]
    for _r in range(rnd.randint(0, 300)):
        roll = rnd.random()
        if roll < 0.05:
            rows.append([None] * rnd.randint(0, width + 1))
        elif roll < 0.08:
            rows.append(list(header))
        elif roll < 0.12:
            rows.append([rnd.choice(_CELLS) for _c in range(rnd.randint(1, 2))])
        else:
            rows.append([_cell(rnd, k) for k in kinds][:rnd.randint(width - 1, width)]
                        + [rnd.choice(_CELLS)] * (rnd.random() < 0.05))
    for _r in range(rnd.randint(0, 4)):
        rows.append(rnd.choice([[None], ["Total", 3.0], ["Notes: z"], [None, None]]))
    return rows


def _cell(rnd: random.Random, kind: str) -> Any:
    if rnd.random() < 0.1:
        return rnd.choice(_CELLS)
    if kind == "num":
        return float(rnd.randint(0, 99))
    if kind == "text":
        return rnd.choice(["a", "b", " c", "name 0", "name 1"])
    if kind == "date":
        return dt.datetime(2020, 1, rnd.randint(1, 9), rnd.choice([0, 0, 5]))
    return rnd.choice(_CELLS)


@pytest.mark.parametrize("seed", range(40))
def test_random_sheets_read_alike(seed: int) -> None:
    rnd = random.Random(seed)
    for _k in range(10):
        rows = _sheet(rnd)
        for size in (1, 5, 50, 4096):
            _compare(rows, size)


def test_header_again_is_found_by_a_block_read() -> None:
    """The header again under the table needs the rows read again; the table ends
    above it, as row by row."""
    rows: list[list[Any]] = [["name", "kind", "size"],
                             *[[f"n{i}", "k", float(i)] for i in range(30)],
                             [None], ["Table 2"], ["name", "kind", "size"], ["m", "k", 1.0]]
    assert _compare(rows, 8) == 1
    new = sheet_blocks.BlockScan()
    for r, block in _blocks(rows, 8):
        new.add_block(r, block)
    table = layout.find_tables(new, [], None)[0]
    sheet_blocks.find_end_scanned(table, new, lambda: _blocks(rows, 8, table.first_data))
    assert table.last_row == 30
    assert any("Another table" in n for n in table.notes)


def test_a_table_of_numbers_is_ended_without_reading_it_again(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "amount"], *[[float(i), i / 4] for i in range(1, 500)],
                             ["Total", 1.0]]
    new = sheet_blocks.BlockScan()
    for r, block in _blocks(rows, 64):
        new.add_block(r, block)
    table = layout.find_tables(new, [], None)[0]

    def never() -> Iterator[tuple[int, list[Sequence[Any]]]]:
        raise AssertionError("read again")

    sheet_blocks.find_end_scanned(table, new, never)
    assert table.last_row == 499
    assert any("Total" in n for n in table.notes)
