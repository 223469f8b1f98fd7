"""Spreadsheets (.xlsx/.xlsm, legacy .xls, OpenDocument .ods), read with python-calamine.

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

Cells become text: cached formula results, integers without ``.0``, dates as
ISO-8601, booleans ``true``/``false``, Excel error values as empty cells.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop.core.errors import Cancelled, ImportFailed, ProgressCallback, TdeError, report
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.excel_layout import cell_text
from tde_desktop.core.importers.fast_sheet import write_text_columns
from tde_desktop.core.importers.sheet_text import column_texts
from tde_desktop.core.importers.writer import Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.core.pack.check import file_sha256

if TYPE_CHECKING:
    from tde_desktop.core.importers.sheet_blocks import BlockScan

#: An .xlsx is a zip of XML; refuse workbooks that would unpack to more than this
#: (a "zip bomb" is a few kilobytes that inflate to gigabytes).
MAX_UNPACKED_BYTES = 2 << 30
MAX_RATIO = 1000  # deflate cannot do better than ~1030:1; real sheets are 5-50:1


class Workbook:
    """An open workbook of any kind (.xlsx, .xlsm, .xls, .ods), read by python-calamine.

    calamine (Rust) parses a whole sheet at once, about ten times faster than openpyxl
    reads it, and keeps it in memory while the sheet is scanned and written: one sheet at
    a time is held (:meth:`_sheet`), so a workbook of many sheets takes the memory of its
    largest. Its XML parser never expands entities declared in a document type, so an
    "entity bomb" cannot inflate a cell; zip bombs are refused before opening.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            magic = f.read(8)
        self._held: tuple[str, Any] | None = None
        if magic.startswith(b"PK\x03\x04"):
            _check_zip(path)
            self.kind = "ods" if _is_ods(path) else "xlsx"
        elif magic.startswith(b"\xd0\xcf\x11\xe0"):
            self.kind = "xls"
        else:
            raise ImportFailed(_("{name} is not an Excel workbook.").format(name=path.name))
        try:
            from python_calamine import CalamineWorkbook

            self._book = CalamineWorkbook.from_path(str(path))
            self._meta = self._book.sheets_metadata
        except Exception:  # a damaged or encrypted file: many library errors, one sentence
            raise ImportFailed(_(
                "{name} could not be read as an Excel workbook; it may be damaged or "
                "password-protected. Open it in a spreadsheet program and save it again as "
                ".xlsx without a password.").format(name=path.name)) from None

    def close(self) -> None:
        self._held = None
        with contextlib.suppress(Exception):  # already closed
            self._book.close()

    def let_go(self) -> None:
        """Free the parsed sheet held (about 50 bytes a cell); it is parsed again if
        asked for."""
        self._held = None

    def sheets(self) -> list[tuple[str, bool]]:
        """(name, visible) of every worksheet, in workbook order (chart sheets left out)."""
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        return [(m.name, m.visible == SheetVisibleEnum.Visible) for m in self._meta
                if m.typ != SheetTypeEnum.ChartSheet and m.typ != SheetTypeEnum.Vba]

    def _sheet(self, sheet: str) -> Any:
        """The parsed sheet; the one held before is let go first."""
        if self._held is None or self._held[0] != sheet:
            self._held = None
            try:
                self._held = (sheet, self._book.get_sheet_by_name(sheet))
            except Exception:  # parser errors deep in a damaged file
                raise self._damaged(sheet) from None
        return self._held[1]

    def _damaged(self, sheet: str) -> ImportFailed:
        return ImportFailed(_("{name} is damaged: the sheet {sheet} could not be read to "
                              "the end.").format(name=self.path.name, sheet=sheet))

    def declared_rows(self, sheet: str) -> int:
        return int(self._sheet(sheet).total_height or 0)

    def raw_rows(self, sheet: str) -> Iterator[Sequence[Any]]:
        """Every row from the first, as Python values ('' for empty cells and errors)."""
        ws = self._sheet(sheet)
        # calamine gives every row from the first, but its columns start at the first
        # column in use; the layout rules count from column A.
        pad = [None] * (ws.start[1] if ws.start else 0)
        try:
            if pad:
                for row in ws.iter_rows():
                    yield pad + row
            else:
                yield from ws.iter_rows()
        except (TdeError, Cancelled, GeneratorExit):
            raise
        except Exception:
            raise self._damaged(sheet) from None

    def merges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col), 0-based inclusive.

        (calamine knows them for .xlsx and .xls; an .ods sheet reports none.)
        """
        ranges = self._sheet(sheet).merged_cell_ranges or []
        return sorted({(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges})


def _is_ods(path: Path) -> bool:
    """Whether a zip is an OpenDocument spreadsheet (its ``mimetype`` member says so)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


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
                  ) -> tuple[str, BlockScan, list[str]]:
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
                warnings.append(ngettext(
                    "This workbook has {n} sheet; the first with data, {sheet}, was imported. "
                    "Import the file again and choose a sheet to get another: {others}.",
                    "This workbook has {n} sheets; the first with data, {sheet}, was imported. "
                    "Import the file again and choose a sheet to get another: {others}.",
                    len(sheets)).format(
                    n=len(sheets), sheet=name, others=", ".join(others)))
            return name, scan, warnings
    raise ImportFailed(_("{name} has no data in any sheet.").format(name=book.path.name))


def _scan(book: Workbook, sheet: str, progress: ProgressCallback | None
          ) -> BlockScan:
    total = book.declared_rows(sheet)  # (parses the sheet)
    # The parse is the peak of an import's memory: numpy, which sheet_blocks imports,
    # comes only after it, so that its 15 MB are not added to that peak.
    from tde_desktop.core.importers import sheet_blocks

    scan = sheet_blocks.BlockScan()
    with paused_gc():  # (rows hold no cycles; see gc_pause)
        for r, block in _row_blocks(book, sheet, 0, None):
            scan.add_block(r, block)
            report(progress, r + len(block), total,
                   _("Reading sheet {sheet}").format(sheet=sheet))
    return scan


#: rows converted to text at a time (4096 held 4 MB more of a 200,000 x 12 sheet's
#: import at once, for no measurable gain in time)
BLOCK_ROWS = 2048


def _row_blocks(book: Workbook, sheet: str, first: int, last: int | None
                ) -> Iterator[tuple[int, list[Sequence[Any]]]]:
    """(index of the first row, rows) in blocks, from row ``first`` to ``last``, as
    :meth:`Workbook.raw_rows` gives them (taken from calamine a block at a time)."""
    ws = book._sheet(sheet)
    pad = [None] * (ws.start[1] if ws.start else 0)
    end = None if last is None else last + 1
    r = first
    try:
        rows = ws.iter_rows()
        collections.deque(itertools.islice(rows, first), maxlen=0)  # (skipped)
        while block := list(itertools.islice(
                rows, BLOCK_ROWS if end is None else max(0, min(BLOCK_ROWS, end - r)))):
            yield r, [pad + row for row in block] if pad else block
            r += len(block)
    except (TdeError, Cancelled, GeneratorExit):
        raise
    except Exception:
        raise book._damaged(sheet) from None


def choose_table(book: Workbook, sheet: str | None, header_row: int | None,
                 table: int | None, progress: ProgressCallback | None = None,
                 header_rows: int | None = None
                 ) -> tuple[str, BlockScan, list[str], list[layout.Table],
                            layout.Table]:
    """The sheet (see :func:`import_excel`), its scan, the notes so far, every table on
    it and the one chosen; the same choice for an import and for its preview."""
    name, scan, warnings = _choose_sheet(book, sheet, progress)
    if scan.last_row < 0:
        raise ImportFailed(_("The sheet {sheet} is empty.").format(sheet=name))
    tables = layout.find_tables(scan, book.merges(name), header_row, header_rows)
    if table is not None and not 1 <= table <= len(tables):
        raise ImportFailed(ngettext(
            "The sheet {sheet} has {n} table; choose a number from 1 to {n}.",
            "The sheet {sheet} has {n} tables; choose a number from 1 to {n}.",
            len(tables)).format(sheet=name, n=len(tables)))
    return name, scan, warnings, tables, tables[(table or 1) - 1]


def projected_rows(book: Workbook, sheet: str, table: layout.Table
               ) -> Iterator[tuple[int, list[str]]]:
    """(row index, cells of the table's columns as stripped text) from the first data row."""
    for r, block in _row_blocks(book, sheet, table.first_data, None):
        texts = column_texts(block, table.columns, None, strip=True)
        for k, cells in enumerate(zip(*texts, strict=True)):
            yield r + k, list(cells)


def _text_blocks(book: Workbook, sheet: str, table: layout.Table, timed: set[int]
                 ) -> Iterator[tuple[list[Any], tuple[int, int]]]:
    """The table's non-empty rows as blocks of text columns, with the rows read so far."""
    for r, block in _row_blocks(book, sheet, table.first_data, table.last_row):
        texts = column_texts(block, table.columns, timed, strip=False, numbers=True)
        if all(isinstance(t, list) for t in texts):  # (a column of numbers has no empty cell)
            keep = [k for k, cells in enumerate(zip(*texts, strict=True)) if any(cells)]
            if not keep:
                continue
            if len(keep) < len(block):
                texts = [[col[k] for k in keep] for col in texts]
        yield texts, (r + len(block), table.last_row + 1)


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
    header_rows: int | None = None,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import one table of one sheet of an Excel workbook as a new dataset.

    ``sheet`` is a sheet name (default: the first visible sheet with data, with a
    warning naming the others); ``header_row`` is the 1-based row of the header
    (default: found automatically) and ``header_rows`` how many rows it has;
    ``table`` is the 1-based number of a table when
    a sheet holds several side by side (see :func:`list_tables`). All or nothing:
    raises :class:`ImportFailed` with a plain sentence and writes nothing on failure.
    """
    book = Workbook(path)
    try:
        name, scan, warnings, tables, chosen = choose_table(book, sheet, header_row, table,
                                                            progress, header_rows)
        from tde_desktop.core.importers import sheet_blocks

        sheet_blocks.find_end_scanned(
            chosen, scan, lambda: _row_blocks(book, name, chosen.first_data, None))
        warnings += table_notes(name, tables, table, chosen, scan)
        provenance.format = book.kind
        provenance.import_options = {
            **provenance.import_options, "sheet": name,
            "header_row": chosen.header_rows[0] + 1,
            "header_rows": [r + 1 for r in chosen.header_rows],
            "table": table or 1, "tables_on_sheet": len(tables),
            "types": dict(type_overrides or {}),
        }
        scan.tail.clear()  # (rows kept for find_end_scanned only)
        info = write_text_columns(
            pack, lambda: _text_blocks(book, name, chosen, scan.timed), list(chosen.headers),
            provenance, sha256=lambda: file_sha256(path), warnings=warnings,
            progress=progress, type_overrides=type_overrides, release=book.let_go)
        if info is not None:
            return info
        source = ExcelSource(book, name, chosen, scan.timed)
        return write_dataset(pack, source, provenance, type_overrides=type_overrides,
                             warnings=warnings, progress=progress)
    finally:
        book.close()


def table_notes(sheet: str, tables: list[layout.Table], table: int | None,
                chosen: layout.Table, scan: layout.Scan) -> list[str]:
    """The notes an import of ``chosen`` adds: the other tables beside it, what its
    layout left out, Excel error values."""
    notes = []
    if len(tables) > 1 and chosen.title:
        notes.append(ngettext(
            "The sheet {sheet} holds {n} table; table {k} ({title}) was imported. Import "
            "the file again and choose another table to get the others.",
            "The sheet {sheet} holds {n} tables side by side; table {k} ({title}) was "
            "imported. Import the file again and choose another table to get the others.",
            len(tables)).format(
            sheet=sheet, n=len(tables), k=table or 1, title=chosen.title))
    elif len(tables) > 1:  # a table with no title row of its own
        notes.append(ngettext(
            "The sheet {sheet} holds {n} table; table {k} was imported. Import the file "
            "again and choose another table to get the others.",
            "The sheet {sheet} holds {n} tables side by side; table {k} was imported. Import "
            "the file again and choose another table to get the others.",
            len(tables)).format(sheet=sheet, n=len(tables), k=table or 1))
    notes.extend(chosen.notes)
    if scan.errors:
        notes.append(ngettext(
            "{n:,} cell held an Excel error value (such as #N/A or #DIV/0!) and was left "
            "empty.",
            "{n:,} cells held Excel error values (such as #N/A or #DIV/0!) and were left "
            "empty.", scan.errors).format(n=scan.errors))
    return notes


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
