"""Totals and notes under the table are left out of UTF-16 files too (what Excel's
"Unicode text" saves), small or large, either byte order, with or without a BOM."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.preview import preview
from tde_desktop.core.pack import Pack, quote

TOP = [["Vacant lots by ward, 2024"], ["Source: City of Springfield"], [],
       ["ward", "lots", "owner"]]
FOOT = [["Total", "19", ""], [], ["* Lots counted on 1 March"]]
NOTE = ("The last 2 rows (Total 19 / * Lots counted on 1 March) look like totals or notes, "
        "not data; they were not imported.")


def body(n: int) -> list[list[str]]:
    # characters outside the BMP (two UTF-16 units) make the tail's cut land anywhere
    return [[str(i), str(i % 97), "privé 😀" * (i % 3) or "city"] for i in range(1, n + 1)]


def write(path: Path, rows: list[list[str]], encoding: str, bom: bytes = b"") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", delimiter="\t").writerows(rows)
    path.write_bytes(bom + out.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "bom", "given"), [
    ("utf-16", b"", None), ("utf-16-be", b"\xfe\xff", None), ("utf-16-le", b"", "utf-16-le")])
@pytest.mark.parametrize("n", [3, 60_000])
def test_footer_left_out_of_utf16(new_pack: Pack, tmp_path: Path, encoding: str, bom: bytes,
                                  given: str | None, n: int) -> None:
    data = body(n)
    path = write(tmp_path / "lots.txt", [*TOP, *data, *FOOT], encoding, bom)
    if n > 3:
        assert path.stat().st_size > 2 << 20  # past the sample and the tail read
    view = preview(path, encoding=given)
    assert view.rows == data[:20]
    assert (view.rows_above, view.rows_below) == (3, 2)
    assert NOTE in view.notes
    info = import_file(new_pack, path, encoding=given)
    stored = new_pack.conn.execute(
        f"SELECT ward, lots, owner FROM {quote(info.table_name)} ORDER BY rowid").fetchall()
    assert stored == [(int(a), int(b), c) for a, b, c in data]
    assert NOTE in info.warnings
    assert info.import_options["rows_below"] == 2


def test_keep_footer_and_a_table_without_one(new_pack: Pack, tmp_path: Path) -> None:
    path = write(tmp_path / "lots.txt", [*TOP, *body(5), *FOOT], "utf-16")
    kept = import_file(new_pack, path, keep_footer=True, title="kept")
    assert kept.row_count == 7  # the Total row and the note are rows again
    plain = write(tmp_path / "plain.txt", [*TOP[3:], *body(5)], "utf-16")
    info = import_file(new_pack, plain, title="plain")
    assert (info.row_count, info.import_options["rows_below"]) == (5, 0)
