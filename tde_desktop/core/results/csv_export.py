"""Workshop results as CSV files: one file per sheet of the city-hall workbook.

Some departments load results into tools that cannot read Excel. Rather than a
second set of tables that could drift from the workbook, the workbook is made
once (in a temporary folder) and each sheet is written out as a UTF-8 CSV,
through the same formula-safe writer the dataset export uses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ProgressCallback, report
from tde_desktop.core.explore.export_view import replace_when_done, several_files
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.safe_names import child_path, safe_file_stem


def export_results_csv(pack: Pack, workshop_id: str, folder: Path, prefix: str, *,
                       suppress_below: int = 5, include_contacts: bool = False,
                       progress: ProgressCallback | None = None) -> list[Path]:
    """Write ``<prefix> - <sheet>.csv`` for every sheet; returns the paths written.

    Each file is written under a temporary name and renamed when complete;
    ``progress`` may raise Cancelled, which leaves earlier files as they were.
    """
    import openpyxl

    from tde_desktop.core.csv_safe import write_csv
    from tde_desktop.core.results.workbook import export_workbook
    from tde_desktop.core.xlsx_safe import excel_text

    def half(done: int, total: int, message: str) -> None:
        report(progress, done, total * 2, message)

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, several_files():
        book_path = Path(tmp) / "results.xlsx"
        sheets = export_workbook(pack, workshop_id, book_path, suppress_below=suppress_below,
                                 include_contacts=include_contacts, progress=half)
        book = openpyxl.load_workbook(book_path, read_only=True, data_only=True)
        try:
            for i, name in enumerate(sheets):
                report(progress, len(sheets) + i, len(sheets) * 2,
                       _("Writing {name}").format(name=name))
                # excel_text: the workbook stores a CR as Excel's escape _x000D_
                rows: list[list[Any]] = [
                    ["" if v is None else excel_text(v) if isinstance(v, str) else v
                     for v in row] for row in book[name].iter_rows(values_only=True)]
                target = child_path(folder, safe_file_stem(f"{prefix} - {name}") + ".csv")
                with replace_when_done(target) as partial:
                    write_csv(partial, rows[0] if rows else [], rows[1:])
                written.append(target)
        finally:
            book.close()
    report(progress, 1, 1, _("CSV files saved"))
    return written
