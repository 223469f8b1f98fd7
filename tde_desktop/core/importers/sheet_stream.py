"""An .xlsx/.xlsm sheet read as a stream of rows, so that it is never held whole.

python-calamine's ``get_sheet_by_name`` parses a whole sheet before its first row
reaches Python (about 210 MB for 200,000 x 12 cells). python-calamine-plus, a fork of
it, streams the rows of an .xlsx sheet in constant memory (``stream_sheet_by_name``).
:class:`StreamWorkbook` is a :class:`.excel_import.Workbook` whose sheets come from
that stream, each pass over a sheet reading the file again, with the rows made the
same as python-calamine gives them:

- whole numbers come as ``int`` from the stream and as ``float`` from calamine: they
  are made floats;
- the stream starts rows at column A ('' before the first column in use, where the
  Workbook pads with ``None``); both are empty cells to the layout rules;
- merged ranges (which the plain stream does not give) and the declared size are read
  from the sheet's XML;
- an Excel error value is '' from calamine and its text ('#N/A') from the stream,
  which cannot tell it from the same text typed in a cell: :attr:`StreamSheet.error_cells`
  says whether the sheet has any, and the import then reads it the calamine way.

.xls, .ods and .xlsb are not streamed (:class:`NotStreamed`); neither is anything
when python-calamine-plus is missing.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from tde_desktop.core.importers import excel_import

_SHEET = re.compile(rb"<sheet\b[^>]*?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<Relationship\b[^>]*?>")
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*\$?(\d+)(?::\$?[A-Z]*\$?(\d+))?"')
_MERGE = re.compile(rb'<mergeCell\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"')
#: the end of a sheet's XML searched for merged ranges (a merged range takes about 30
#: bytes; the cells' XML before them is passed over)
TAIL_BYTES = 8 << 20
_ERROR_CELL = (b't="e"', b"t='e'")  # (a cell of type error)


class NotStreamed(Exception):
    """This workbook is not read as a stream (another kind, or no stream reader)."""


def _unescape(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and the zip member holding its XML."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for m in _REL.finditer(rels):
        a = dict(_ATTR.findall(m.group(0)))
        target = _unescape(a.get(b"Target", b"")).lstrip("/")
        targets[a.get(b"Id", b"")] = target if target.startswith("xl/") else "xl/" + target
    parts = {}
    for m in _SHEET.finditer(book):
        a = dict(_ATTR.findall(m.group(0)))
        rid = next((v for k, v in a.items() if k.endswith(b":id")), b"")
        if b"name" in a and rid in targets:
            parts[_unescape(a[b"name"])] = targets[rid]
    return parts


def declared_rows(zf: zipfile.ZipFile, member: str) -> int:
    """The rows the sheet's ``<dimension>`` declares (0 when it declares none)."""
    with zf.open(member) as f:
        head = f.read(4096)
    m = _DIMENSION.search(head)
    return int(m.group(2) or m.group(1)) if m else 0


def read_xml(zf: zipfile.ZipFile, member: str, errors: bool = False
             ) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The sheet's merged ranges as (first row, first col, last row, last col), 0-based
    inclusive, as python-calamine gives them, and (when ``errors`` asks, else False)
    whether any cell holds an Excel error value. The ranges are written after the
    cells, so the XML is inflated to its end (zlib, about 0.2 s for 100 MB); only its
    last :data:`TAIL_BYTES` are kept."""
    tail: deque[bytes] = deque()
    kept = 0
    look = errors
    errors = False

    def keep(data: bytes) -> None:
        nonlocal kept, errors
        if look and not errors:
            edge = tail[-1][-8:] + data[:8] if tail else b""
            errors = any(e in data or e in edge for e in _ERROR_CELL)
        tail.append(data)
        kept += len(data)
        while kept - len(tail[0]) >= TAIL_BYTES:
            kept -= len(tail.popleft())

    info = zf.getinfo(member)
    with zf.open(member) as f:
        raw = getattr(f, "_fileobj", None)  # (zlib alone, without the CRC: a third faster)
        start = getattr(f, "_orig_compress_start", None)
        if info.compress_type == zipfile.ZIP_DEFLATED and raw is not None and start is not None:
            raw.seek(start)
            inflate = zlib.decompressobj(-15)
            left = info.compress_size
            while left > 0 and (chunk := raw.read(min(left, 1 << 20))):
                left -= len(chunk)
                while chunk:  # (1 MB of XML at a time, not the 10-20 MB of a chunk)
                    keep(inflate.decompress(chunk, 1 << 20))
                    chunk = inflate.unconsumed_tail
            keep(inflate.flush())
        else:
            while chunk := f.read(1 << 20):
                keep(chunk)
    text = b"".join(tail)
    text = text[text.rfind(b"</sheetData>") + 1:]
    found = set()
    for m in _MERGE.finditer(text):
        c0, r0 = _column(m.group(1)), int(m.group(2)) - 1
        c1 = _column(m.group(3)) if m.group(3) else c0
        r1 = int(m.group(4)) - 1 if m.group(4) else r0
        found.add((r0, c0, r1, c1))
    return sorted(found), errors


class StreamSheet:
    """What :mod:`.excel_import` reads of a parsed calamine sheet, from the stream."""

    start: tuple[int, int] | None = None  # (rows already start at column A)

    def __init__(self, reader: StreamReader, name: str) -> None:
        self._reader = reader
        self.name = name
        self.passes = 0
        self.total_height = declared_rows(reader.zip, reader.parts[name])
        #: the first rows of the first pass, kept when the reader was asked to
        #: (:meth:`StreamWorkbook.keep_head`)
        self.head: list[list[Any]] = []
        self._keep = reader.keep
        self._merges: list[tuple[int, int, int, int]] | None = None
        self._errors: bool | None = None

    @property
    def merged_cell_ranges(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        if self._merges is None:
            self._merges = read_xml(self._reader.zip, self._reader.parts[self.name])[0]
        return [((r0, c0), (r1, c1)) for r0, c0, r1, c1 in self._merges]

    @property
    def error_cells(self) -> bool:
        """Whether a cell holds an Excel error value (its text, from the stream, is ''
        from calamine; the same text typed in a cell is that text from both). Reads
        the sheet's XML again: asked only when a scan saw such text."""
        if self._errors is None:
            self._merges, self._errors = read_xml(self._reader.zip,
                                                  self._reader.parts[self.name], errors=True)
        return self._errors

    def iter_rows(self) -> Iterator[list[Any]]:
        """Every row from the first, as calamine's ``iter_rows`` gives its values (whole
        numbers as floats); each call reads the sheet again from the file."""
        self.passes += 1
        self._reader.passes += 1
        keep = self._keep if self.passes == 1 else 0
        for row in self._reader.book.stream_sheet_by_name(self.name):
            out = [float(v) if type(v) is int else v for v in row]
            if keep:
                self.head.append(out)
                keep -= 1
            yield out


class StreamReader:
    """python-calamine-plus's workbook, with what calamine's ``CalamineWorkbook`` gives
    :class:`.excel_import.Workbook`: sheets as :class:`StreamSheet`."""

    def __init__(self, path: Path) -> None:
        import python_calamine_plus as pcp

        self.pcp = pcp
        self.passes = 0  # (over any sheet)
        self.keep = 0  # (rows of each sheet's first pass kept: StreamSheet.head)
        self.zip = zipfile.ZipFile(path)
        try:
            self.parts = sheet_parts(self.zip)
            self.book = pcp.CalamineWorkbook.from_path(str(path))
        except BaseException:
            self.zip.close()
            raise
        self.sheets_metadata = self.book.sheets_metadata

    def get_sheet_by_name(self, name: str) -> StreamSheet:
        if name not in self.parts:
            raise KeyError(name)
        return StreamSheet(self, name)

    def close(self) -> None:
        self.zip.close()
        self.book.close()


class StreamWorkbook(excel_import.Workbook):
    """An .xlsx/.xlsm workbook whose sheets are streamed (see the module's notes).

    Raises :class:`NotStreamed` when the file is not an .xlsx/.xlsm or the stream
    reader is not installed, and :class:`.errors.ImportFailed` as the Workbook does for
    a file that is not a workbook or would unpack to an absurd size.
    """

    def __init__(self, path: Path) -> None:  # (calamine's reader is not opened)
        self.path = path
        self._held = None
        with path.open("rb") as f:
            if not f.read(4).startswith(b"PK\x03\x04"):
                raise NotStreamed("not a zip")
        excel_import._check_zip(path)
        try:
            self._reader = StreamReader(path)
        except Exception as exc:  # missing, an .ods, an .xlsb, damaged: the Workbook's way
            raise NotStreamed(f"{type(exc).__name__}: {exc}") from None
        self._book = cast(Any, self._reader)  # (read as the Workbook reads calamine's)
        self._meta = cast(Any, self._reader.sheets_metadata)
        self.kind = "xlsx"

    def sheets(self) -> list[tuple[str, bool]]:
        pcp = self._reader.pcp
        return [(m.name, m.visible == pcp.SheetVisibleEnum.Visible) for m in self._meta
                if m.typ != pcp.SheetTypeEnum.ChartSheet and m.typ != pcp.SheetTypeEnum.Vba]

    @property
    def passes(self) -> int:
        """How many times a sheet was read."""
        return self._reader.passes

    def keep_head(self, rows: int) -> None:
        """Keep the first ``rows`` rows of each sheet's first pass from now on, in its
        :attr:`StreamSheet.head`, so that they need not be read again."""
        self._reader.keep = rows

    def stream(self, sheet: str) -> StreamSheet:
        """The sheet (read when its rows are asked for)."""
        got: StreamSheet = self._sheet(sheet)
        return got


def open_workbook(path: Path) -> excel_import.Workbook:
    """The workbook at ``path``, streamed when it can be, else read by python-calamine."""
    try:
        return StreamWorkbook(path)
    except NotStreamed:
        return excel_import.Workbook(path)
