"""What keeps an Excel import's memory down: calamine parses a whole sheet at once, and
that parse is the peak (about 200 MB for 200,000 x 12 cells), so nothing else is
loaded before it and the parsed sheet is let go before the rows are copied."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.importers import excel_import, fast_sheet, import_file
from tde_desktop.core.pack import Pack, quote

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from pathlib import Path
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import excel_import, import_file

seen = []
real = excel_import.Workbook._sheet
def sheet(self, name):
    seen.append(sorted(m for m in ("numpy", "pyarrow") if m in sys.modules))
    return real(self, name)
excel_import.Workbook._sheet = sheet
pack = Pack.open(Path(sys.argv[1]))
info = import_file(pack, Path(sys.argv[2]))
pack.close()
print(info.row_count, seen[0], "numpy" in sys.modules)
"""


def _workbook(path: Path, rows: int, text_from: int) -> None:
    """A sheet whose 'code' column holds numbers, then text from row ``text_from``."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["id", "code", "name"])
    for r in range(1, rows + 1):
        ws.write_number(r, 0, r)
        if r >= text_from:
            ws.write_string(r, 1, f"A{r}")
        else:
            ws.write_number(r, 1, r * 10)
        ws.write_string(r, 2, f"name {r}")
    book.close()


def test_numpy_and_pyarrow_load_only_after_the_sheet_is_parsed(tmp_path: Path) -> None:
    source = tmp_path / "small.xlsx"
    _workbook(source, 50, 99)
    # (made here: creating a pack runs the migrations, whose sqlite-utils loads pandas)
    Pack.create(tmp_path / "p.tdepack", title="t").close()
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "p.tdepack"),
                           str(source)], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    # 50 rows stored; at the parse neither was loaded; numpy came later, for the blocks
    assert done.stdout.split() == ["50", "[]", "True"]


@pytest.mark.parametrize("text_from", [99, 12], ids=["one pass", "type changes: two passes"])
def test_the_sheet_is_let_go_before_the_rows_are_copied(
        new_pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        text_from: int) -> None:
    monkeypatch.setattr(excel_import, "BLOCK_ROWS", 4)
    monkeypatch.setattr(fast_sheet, "CHOOSE_TYPES_ROWS", 8)  # 'code' turns to text later
    source = tmp_path / "codes.xlsx"
    _workbook(source, 30, text_from)
    events: list[str] = []
    let_go, copy = excel_import.Workbook.let_go, fast_sheet.fast_csv._copy_into_pack

    def spy_let_go(self: excel_import.Workbook) -> None:
        events.append("let go")
        let_go(self)

    def spy_copy(*args: Any, **kwargs: Any) -> Any:
        events.append("copy")
        return copy(*args, **kwargs)

    monkeypatch.setattr(excel_import.Workbook, "let_go", spy_let_go)
    monkeypatch.setattr(fast_sheet.fast_csv, "_copy_into_pack", spy_copy)
    info = import_file(new_pack, source)
    assert events == ["let go", "copy"]
    code = next(c for c in info.columns if c.original_name == "code")
    stored = [v for (v,) in new_pack.conn.execute(
        f"SELECT {quote(code.name)} FROM {quote(info.table_name)} ORDER BY rowid")]
    if text_from == 99:
        assert code.type == "integer"
        assert stored == [r * 10 for r in range(1, 31)]
    else:
        assert code.type == "text"
        assert stored == [str(r * 10) if r < 12 else f"A{r}" for r in range(1, 31)]
