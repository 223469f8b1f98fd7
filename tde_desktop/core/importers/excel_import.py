"""Excel workbooks (.xlsx/.xlsm with openpyxl, legacy .xls with xlrd), read as a stream.

City spreadsheets are made for printing, not for machines, so before importing a
sheet is read once to find where the table is:

- trailing empty rows and columns are ignored (used ranges are often far larger
  than the data);
- title rows above the table (one or two cells on a wide sheet) and numbered helper
  rows are skipped; the header is the first row that is about as wide as the table
  and mostly text (the rules live in :mod:`excel_layout`);
- a header stacked over several rows ("Fiscal Year / 2015 / Actual / Obligations")
  becomes one name per column, with merged cells spread across their range;
- several tables side by side, each with its own title row, are reported: the first
  is imported with a warning, and :func:`list_tables` plus ``table=`` pick another.

Cells become text: cached formula results (``data_only``), integers without
``.0``, dates as ISO-8601, booleans ``true``/``false``, Excel error values as
empty cells (counted in a warning).
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from warnings import filterwarnings

from tde_desktop.core.errors import Cancelled, ImportFailed, ProgressCallback, TdeError, report
from tde_desktop.core.i18n import _
from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.excel_layout import cell_text
from tde_desktop.core.importers.writer import Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.core.pack.check import file_sha256

#: An .xlsx is a zip of XML; refuse workbooks that would unpack to more than this
#: (a "zip bomb" is a few kilobytes that inflate to gigabytes).
MAX_UNPACKED_BYTES = 2 << 30
MAX_RATIO = 1000  # deflate cannot do better than ~1030:1; real sheets are 5-50:1
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


class Workbook:
    """An open workbook of either kind, giving sheets as rows of Python values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            magic = f.read(8)
        self._xlsx: Any = None
        self._xls: Any = None
        try:
            if magic.startswith(b"PK\x03\x04"):
                self.kind = "xlsx"
                _check_zip(path)
                import openpyxl

                # openpyxl warns that it drops data validation and other extensions; an
                # import only reads values, so those warnings would only alarm people.
                filterwarnings("ignore", category=UserWarning, module="openpyxl")
                # defusedxml (a dependency) makes openpyxl refuse XML entity bombs.
                self._xlsx = openpyxl.load_workbook(path, read_only=True, data_only=True)
            elif magic.startswith(b"\xd0\xcf\x11\xe0"):
                self.kind = "xls"
                import xlrd

                self._xls = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
            else:
                raise ImportFailed(_("{name} is not an Excel workbook.").format(name=path.name))
        except TdeError:
            raise
        except Exception:  # a damaged or encrypted file: many library errors, one sentence
            raise ImportFailed(_(
                "{name} could not be read as an Excel workbook; it may be damaged or "
                "password-protected. Open it in a spreadsheet program and save it again as "
                ".xlsx without a password.").format(name=path.name)) from None

    def close(self) -> None:
        if self._xlsx is not None:
            self._xlsx.close()
        if self._xls is not None:
            self._xls.release_resources()

    def sheets(self) -> list[tuple[str, bool]]:
        """(name, visible) of every sheet, in workbook order."""
        if self._xlsx is not None:
            return [(ws.title, ws.sheet_state == "visible") for ws in self._xlsx.worksheets]
        return [(s.name, s.visibility == 0) for s in self._xls.sheets()]

    def declared_rows(self, sheet: str) -> int:
        if self._xlsx is not None:
            return int(self._xlsx[sheet].max_row or 0)
        return int(self._xls.sheet_by_name(sheet).nrows)

    def raw_rows(self, sheet: str) -> Iterator[Sequence[Any]]:
        """Every row from the first, as Python values (errors as their '#...' text)."""
        try:
            if self._xlsx is not None:
                yield from self._xlsx[sheet].iter_rows(values_only=True)
            else:
                yield from self._xls_rows(sheet)
        except (TdeError, Cancelled, GeneratorExit):
            raise
        except Exception:  # parser errors deep in a damaged file
            raise ImportFailed(_("{name} is damaged: the sheet {sheet} could not be read to "
                                 "the end.").format(name=self.path.name, sheet=sheet)) from None

    def _xls_rows(self, sheet: str) -> Iterator[list[Any]]:
        import xlrd

        book = self._xls
        ws = book.sheet_by_name(sheet)
        for r in range(ws.nrows):
            values: list[Any] = []
            for cell in ws.row(r):
                kind, value = cell.ctype, cell.value
                if kind == xlrd.XL_CELL_DATE:
                    with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif kind == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#N/A")
                elif kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                values.append(value)
            yield values

    def merges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col), 0-based inclusive."""
        if self._xls is not None:
            return [(r0, c0, r1 - 1, c1 - 1)
                    for r0, r1, c0, c1 in self._xls.sheet_by_name(sheet).merged_cells]
        # Read-only openpyxl does not expose merged cells, so the sheet XML is scanned
        # for <mergeCell ref="D4:F4"/> (the list sits after the cell data).
        member = getattr(self._xlsx[sheet], "_worksheet_path", "")
        found: list[tuple[int, int, int, int]] = []
        try:
            with zipfile.ZipFile(self.path) as zf, zf.open(member.lstrip("/")) as f:
                tail = b""
                for block in iter(lambda: f.read(1 << 20), b""):
                    text = tail + block
                    for m in _MERGE.finditer(text):
                        c0, r0 = _col_index(m.group(1)), int(m.group(2)) - 1
                        c1 = _col_index(m.group(3)) if m.group(3) else c0
                        r1 = int(m.group(4)) - 1 if m.group(4) else r0
                        found.append((r0, c0, r1, c1))
                    cut = text.rfind(b"<")
                    tail = text[cut:] if cut >= 0 and len(text) - cut < 200 else b""
        except (KeyError, OSError, zipfile.BadZipFile):
            return []
        return sorted(set(found))


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to an absurd size."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise ImportFailed(_("{name} is not an Excel workbook, or it is damaged.").format(
            name=path.name)) from None
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(1, i.compress_size) for i in infos if i.file_size > 10 << 20),
                default=0.0)
    if total > MAX_UNPACKED_BYTES or worst > MAX_RATIO:
        raise ImportFailed(_("{name} would unpack to {size:,} MB, far more than a real "
                             "spreadsheet of its size; it was not opened, to keep this computer "
                             "safe.").format(name=path.name, size=total >> 20))


def _choose_sheet(book: Workbook, sheet: str | None, progress: ProgressCallback | None
                  ) -> tuple[str, layout.Scan, list[str]]:
    """The sheet to import, its scan, and warnings about the choice."""
    sheets = book.sheets()
    names = [n for n, _v in sheets]
    if sheet is not None:
        match = next((n for n in names if n == sheet), None) or next(
            (n for n in names if n.casefold() == sheet.strip().casefold()), None)
        if match is None:
            raise ImportFailed(_("{name} has no sheet called {sheet}; its sheets are: "
                                 "{sheets}.").format(name=book.path.name, sheet=sheet,
                                                     sheets=", ".join(names)))
        return match, _scan(book, match, progress), []
    for name, visible in sheets:
        if not visible:
            continue
        scan = _scan(book, name, progress)
        if scan.last_row >= 0:
            others = [n for n, v in sheets if v and n != name]
            warnings = []
            if others:
                warnings.append(_("This workbook has {n} sheets; the first with data, {sheet}, "
                                  "was imported. Import the file again and choose a sheet to "
                                  "get another: {others}.").format(
                    n=len(sheets), sheet=name, others=", ".join(others)))
            return name, scan, warnings
    raise ImportFailed(_("{name} has no data in any sheet.").format(name=book.path.name))


def _scan(book: Workbook, sheet: str, progress: ProgressCallback | None) -> layout.Scan:
    scan = layout.Scan()
    total = book.declared_rows(sheet)
    for r, row in enumerate(book.raw_rows(sheet)):
        scan.add(r, row)
        if r % 5000 == 4999:
            report(progress, r + 1, total, _("Reading sheet {sheet}").format(sheet=sheet))
    return scan


def _projected(book: Workbook, sheet: str, table: layout.Table
               ) -> Iterator[tuple[int, list[str]]]:
    """(row index, cells of the table's columns as stripped text) from the first data row."""
    for r, row in enumerate(book.raw_rows(sheet)):
        if r >= table.first_data:
            n = len(row)
            yield r, [cell_text(row[c]).strip() if c < n else "" for c in table.columns]


class ExcelSource:
    """One table of one sheet as rows of text for the writer."""

    def __init__(self, book: Workbook, sheet: str, table: layout.Table, timed: set[int]
                 ) -> None:
        self.book = book
        self.sheet = sheet
        self.table = table
        self.timed = timed
        self.headers = list(table.headers)
        self._row = 0
        self._digest = ""

    def rows(self) -> Iterator[list[str]]:
        t = self.table
        cols = [(c, c in self.timed) for c in t.columns]
        for r, row in enumerate(self.book.raw_rows(self.sheet)):
            self._row = r
            if r < t.first_data:
                continue
            if r > t.last_row:
                return
            n = len(row)
            cells = [cell_text(row[c], timed) if c < n else "" for c, timed in cols]
            if any(cells):
                yield cells

    def position(self) -> tuple[int, int]:
        return self._row + 1, self.table.last_row + 1

    def sha256(self) -> str:
        if not self._digest:
            self._digest = file_sha256(self.book.path)
        return self._digest


def import_excel(
    pack: Pack,
    path: Path,
    provenance: Provenance,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    table: int | None = None,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import one table of one sheet of an Excel workbook as a new dataset.

    ``sheet`` is a sheet name (default: the first visible sheet with data, with a
    warning naming the others); ``header_row`` is the 1-based row of the header
    (default: found automatically); ``table`` is the 1-based number of a table when
    a sheet holds several side by side (see :func:`list_tables`). All or nothing:
    raises :class:`ImportFailed` with a plain sentence and writes nothing on failure.
    """
    book = Workbook(path)
    try:
        name, scan, warnings = _choose_sheet(book, sheet, progress)
        if scan.last_row < 0:
            raise ImportFailed(_("The sheet {sheet} is empty.").format(sheet=name))
        tables = layout.find_tables(scan, book.merges(name), header_row)
        if table is not None and not 1 <= table <= len(tables):
            raise ImportFailed(_("The sheet {sheet} has {n} tables; choose a number from 1 to "
                                 "{n}.").format(sheet=name, n=len(tables)))
        chosen = tables[(table or 1) - 1]
        layout.find_end(chosen, _projected(book, name, chosen))
        if len(tables) > 1 and chosen.title:
            warnings.append(_("The sheet {sheet} holds {n} tables side by side; table {k} "
                              "({title}) was imported. Import the file again and choose "
                              "another table to get the others.").format(
                sheet=name, n=len(tables), k=table or 1, title=chosen.title))
        elif len(tables) > 1:  # a table with no title row of its own
            warnings.append(_("The sheet {sheet} holds {n} tables side by side; table {k} "
                              "was imported. Import the file again and choose another table "
                              "to get the others.").format(sheet=name, n=len(tables),
                                                           k=table or 1))
        warnings.extend(chosen.notes)
        if scan.errors:
            warnings.append(_("{n:,} cells held Excel error values (such as #N/A or #DIV/0!) "
                              "and were left empty.").format(n=scan.errors))
        provenance.format = book.kind
        provenance.import_options = {
            **provenance.import_options, "sheet": name,
            "header_row": chosen.header_rows[0] + 1,
            "header_rows": [r + 1 for r in chosen.header_rows],
            "table": table or 1, "tables_on_sheet": len(tables),
            "types": dict(type_overrides or {}),
        }
        source = ExcelSource(book, name, chosen, scan.timed)
        return write_dataset(pack, source, provenance, type_overrides=type_overrides,
                             warnings=warnings, progress=progress)
    finally:
        book.close()


def list_sheets(path: Path) -> list[tuple[str, int, int]]:
    """(name, rows, columns) of every sheet, counting only non-empty rows and columns.

    Reads the whole workbook once (used ranges lie, so the declared size is useless).
    """
    book = Workbook(Path(path))
    try:
        result = []
        for name, _visible in book.sheets():
            scan = _scan(book, name, None)
            result.append((name, scan.nonblank_rows, sum(1 for c in scan.col_last if c >= 0)))
        return result
    finally:
        book.close()


def list_tables(path: Path, sheet: str | None = None) -> list[tuple[str, int]]:
    """(title, columns) of each table found on a sheet, in the order ``table=`` counts them."""
    book = Workbook(Path(path))
    try:
        name, scan, _w = _choose_sheet(book, sheet, None)
        return [(t.title, len(t.columns))
                for t in layout.find_tables(scan, book.merges(name), None)]
    finally:
        book.close()
