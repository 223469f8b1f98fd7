"""Dataset exports: every cell matches the pack, filters apply, and a failed export
leaves the previous file alone."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.errors import Cancelled
from tde_desktop.core.explore.export_view import ExportFailed, export_dataset, export_failure
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1",
            "-1+1", "\t=1+1"]


@pytest.fixture
def vacants(new_pack: Pack) -> Pack:
    import_file(new_pack, shared("samples/baltimore/vacant_building_notices.csv"),
                title="Vacant building notices", source_url="https://example.org/vacants")
    return new_pack


def _pack_rows(pack: Pack, table: str, where: str = "") -> list[tuple[Any, ...]]:
    return pack.conn.execute(f"SELECT * FROM {quote(table)} {where} ORDER BY rowid").fetchall()


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def test_xlsx_export_matches_the_pack(vacants: Pack, tmp_path: Path) -> None:
    info = vacants.dataset("Vacant building notices")
    out = tmp_path / "vacants.xlsx"
    result = export_dataset(vacants, info.table_name, out)
    assert result.rows == info.row_count == 16_747
    wb = openpyxl.load_workbook(out, read_only=True)
    ws = wb[result.sheets[0]]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.original_name for c in info.columns]
    expected = _pack_rows(vacants, info.table_name)
    assert len(rows) - 1 == len(expected)
    kinds = {c.name: c.type for c in info.columns}
    names = [c.name for c in info.columns]
    for got_short, want in zip(rows[1:201], expected[:200], strict=True):
        # write-only sheets carry no dimension, so read-only rows drop trailing blanks
        got = list(got_short) + [None] * (len(names) - len(got_short))
        for name, g, w in zip(names, got, want, strict=True):
            if kinds[name] in ("date", "datetime") and isinstance(g, dt.datetime):
                assert g == dt.datetime.fromisoformat(w).replace(tzinfo=None)
            else:
                assert g == w, name
    # identifiers such as block "0001" keep their leading zeros, as text
    assert rows[1][0] == "0001"
    assert "About this export" in wb.sheetnames
    wb.close()


def test_xlsx_export_has_frozen_header_and_filter(vacants: Pack, tmp_path: Path) -> None:
    out = tmp_path / "v.xlsx"
    export_dataset(vacants, "Vacant building notices", out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{16_747 + 1}"
    assert ws["A1"].font.bold


def test_filtered_view_exports_only_matching_rows(vacants: Pack, tmp_path: Path) -> None:
    info = vacants.dataset("Vacant building notices")
    out = tmp_path / "easterwood.csv"
    result = export_dataset(vacants, info.table_name, out,
                            filters=[Filter("neighborhood", "is", "EASTERWOOD")])
    expected = _pack_rows(vacants, info.table_name, "WHERE neighborhood = 'EASTERWOOD'")
    assert result.rows == len(expected) > 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == len(expected) + 1
    assert {r[5] for r in rows[1:]} == {"EASTERWOOD"}
    assert rows[1][0] == expected[0][0]


def test_search_without_a_text_index_exports_the_rows_the_explorer_shows(
        vacants: Pack, tmp_path: Path) -> None:
    # The explorer searches before any text index is built (LIKE over the text
    # columns); exporting that view must not need the index either.
    info = vacants.dataset("Vacant building notices")
    assert not info.has_fts
    out = tmp_path / "search.csv"
    result = export_dataset(vacants, info.table_name, out,
                            filters=[Filter("*", "search", "easterwood")])
    text_cols = [c.name for c in info.columns if c.type == "text"]
    where = "WHERE " + " OR ".join(f"{quote(c)} LIKE '%easterwood%'" for c in text_cols)
    expected = _pack_rows(vacants, info.table_name, where)
    assert result.rows == len(expected) > 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows[1:]] == [str(r[0]) for r in expected]


def test_csv_export_has_bom_and_neutralises_payloads(new_pack: Pack, tmp_path: Path) -> None:
    src = tmp_path / "notes.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "note"])
        for i, p in enumerate(PAYLOADS):
            w.writerow([f"{i:03d}", p])
    import_file(new_pack, src, title="Notes")
    out = tmp_path / "notes_out.csv"
    export_dataset(new_pack, "Notes", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[1] for r in rows[1:]] == ["'" + p for p in PAYLOADS]

    xlsx = tmp_path / "notes_out.xlsx"
    export_dataset(new_pack, "Notes", xlsx)
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    cells = [ws.cell(row=i + 2, column=2) for i in range(len(PAYLOADS))]
    assert [c.value for c in cells] == PAYLOADS
    assert {c.data_type for c in cells} == {"s"}
    assert ws["A2"].value == "000"


def test_cancel_leaves_the_old_file_untouched(vacants: Pack, tmp_path: Path) -> None:
    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"the good file")

    def stop(done: int, total: int, message: str) -> None:
        if done >= 10_000:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_dataset(vacants, "Vacant building notices", out, progress=stop)
    assert out.read_bytes() == b"the good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsx", "test.tdepack",
                                                          "test.tdepack-shm",
                                                          "test.tdepack-wal"]


def test_progress_reaches_the_total(vacants: Pack, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_dataset(vacants, "Vacant building notices", tmp_path / "p.csv",
                   progress=lambda d, t, m: seen.append((d, t)))
    assert seen[0] == (0, 16_747)
    assert seen[-1] == (16_747, 16_747)


def test_unknown_format_is_refused(vacants: Pack, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="xlsx or .csv"):
        export_dataset(vacants, "Vacant building notices", tmp_path / "x.pdf")


def test_missing_folder_is_refused(vacants: Pack, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="does not exist"):
        export_dataset(vacants, "Vacant building notices", tmp_path / "no" / "x.csv")


def test_write_errors_become_one_plain_line() -> None:
    from xlsxwriter.exceptions import FileCreateError

    failure = export_failure("x.xlsx", FileCreateError(OSError(27, "File too large")))
    assert str(failure) == "x.xlsx could not be written: File too large"
    assert str(export_failure("x.xlsx", OSError(28, "No space left on device"))) == (
        "x.xlsx could not be written: No space left on device")
    assert export_failure("x.xlsx", ValueError("a bug, not a disk")) is None
