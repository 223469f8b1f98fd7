"""Participant text that goes to Excel or CSV arrives there as text, never as a formula.

Excel files are written with openpyxl in write-only (streaming) mode. openpyxl
turns any ``str`` that starts with ``=`` into a formula and ``"#N/A"`` and its
kind into error cells, so such text is handed over as a cell whose type is
forced to string; every other ``str`` is already written as an inline string,
which Excel never evaluates. Characters XML cannot hold are removed and text
longer than Excel's cell limit is cut with a visible marker, so no value makes
the save fail half way.

CSV has no cell types at all: a spreadsheet opening the file decides, so text
beginning with ``= + - @``, a tab or a line break is prefixed with a single
quote (the OWASP "CSV injection" advice) by :func:`csv_safe`.

openpyxl needs lxml to keep a carriage return inside a cell (it writes it as
``&#13;``); without lxml a CR would come back as a line feed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from tde_desktop.core.i18n import _

#: Excel's limits.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
MAX_SHEET_NAME = 31
#: Excel keeps 15 significant digits; larger integers are written as text.
MAX_EXACT_INT = 10**15

#: The characters XML 1.0 forbids (openpyxl refuses them with IllegalCharacterError).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: openpyxl turns these exact strings into error cells.
_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
RESERVED_SHEET_NAMES = frozenset({"history"})


def cut_marker(n: int) -> str:
    """The text that replaces the end of an over-long cell."""
    return _("[... cut: {n} more characters]").format(n=f"{n:,}")


def clean_text(value: str, limit: int = MAX_CELL_CHARS) -> str:
    """``value`` without XML-forbidden characters, at most ``limit`` characters long.

    Text that is too long keeps its beginning and ends with :func:`cut_marker`
    saying how many characters were left out, so a reader knows it was cut.
    """
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) <= limit:
        return value
    keep = limit - len(cut_marker(len(value)))
    # The marker's own length depends on the number it shows; settle it in two steps.
    keep = limit - len(cut_marker(len(value) - keep))
    return value[:keep] + cut_marker(len(value) - keep)


def safe_sheet_name(name: str, existing: Collection[str]) -> str:
    """A valid, unused Excel sheet name made from ``name``.

    The result has at most 31 characters, none of ``[]:*?/\\``, does not begin or
    end with an apostrophe, is not blank, is not Excel's reserved ``History``, and
    differs (ignoring case, as Excel does) from every name in ``existing``; a
    clash becomes ``Name (2)``, ``Name (3)``...
    """
    text = _FORBIDDEN_IN_SHEET_NAME.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", name))
    text = " ".join(text.split()).strip("'").strip() or _("Sheet")
    taken = {n.casefold() for n in existing} | RESERVED_SHEET_NAMES
    base = text[:MAX_SHEET_NAME].rstrip()
    candidate, k = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({k})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        k += 1
    return candidate


def excel_date(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A date Excel can store: time zones are converted to UTC and dropped."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def parse_iso_date(text: str) -> dt.date | dt.datetime | None:
    """An ISO-8601 date or date-time read from text; None when it is not one."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return excel_date(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


#: Turns one Python value into what a write-only worksheet should receive.
CellConverter = Callable[[Any], Any]


def make_converter(ws: Any, kind: str = "auto") -> CellConverter:
    """A function that makes one value of a column safe to append to ``ws``.

    ``kind`` is ``text`` (identifiers and codes: always text, leading zeros kept),
    ``date``/``datetime`` (ISO text becomes a real Excel date) or ``auto``.
    Every string that openpyxl would read as a formula or an error code comes
    back as a cell forced to the string type, with its text unchanged.
    """
    from openpyxl.cell import WriteOnlyCell

    def text(value: str) -> Any:
        if len(value) > MAX_CELL_CHARS or ILLEGAL_CHARACTERS_RE.search(value):
            value = clean_text(value)
        if value[:1] == "=" or value in _ERROR_CODES:
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"
            return cell
        return value

    def auto(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return text(value) if value else None
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value if -MAX_EXACT_INT < value < MAX_EXACT_INT else str(value)
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if isinstance(value, dt.date | dt.datetime):
            return excel_date(value)
        if isinstance(value, bytes):
            return _("[{n} bytes]").format(n=len(value))
        return text(str(value))

    def as_text(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return auto(str(value))

    def as_date(value: Any) -> Any:
        if isinstance(value, str):
            parsed = parse_iso_date(value)
            if parsed is not None:
                return parsed
        return auto(value)

    if kind == "text":
        return as_text
    if kind in ("date", "datetime"):
        return as_date
    return auto


def text_cell(ws: Any, value: Any, *, bold: bool = False) -> Any:
    """One cell holding ``value`` as text (used for headers and labels)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, clean_text(str(value)) if value is not None else None)
    if value is not None:
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


# -- CSV ------------------------------------------------------------------------------


def csv_safe(value: Any) -> Any:
    """``value`` made safe for a CSV file that a spreadsheet will open.

    Text starting with ``= + - @``, a tab, CR or LF is prefixed with a single
    quote so no spreadsheet evaluates it; plain numbers such as ``-12.5`` are
    left alone because a spreadsheet reads them as numbers, not formulas.
    Dates become ISO-8601 text; None becomes an empty field.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(_CSV_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
            return "'" + value
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return _("[{n} bytes]").format(n=len(value))
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              *, on_row: Callable[[int], None] | None = None) -> int:
    """Write a UTF-8 CSV with a byte-order mark (so Excel reads accents right).

    Every field passes through :func:`csv_safe`. ``on_row(n)`` is called every
    10,000 rows (it may raise to stop). Returns the number of data rows.
    """
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(codecs.BOM_UTF8.decode("utf-8"))
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([csv_safe(h) for h in headers])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])
            n += 1
            if on_row is not None and n % 10_000 == 0:
                on_row(n)
    return n


# -- streaming sheet writer ----------------------------------------------------------------


class SheetWriter:
    """Writes a header and rows to a write-only workbook, safely and in a stream.

    The header row is bold and frozen and carries an autofilter; column widths
    come from the header and the first ``sample_rows`` rows (held back until
    then). Past ``max_rows`` rows (Excel's limit by default) the rows continue on
    a new sheet, ``Name (2)``, with the same header. Every value goes through
    :func:`make_converter`, so text is never a formula.
    """

    def __init__(self, wb: Any, title: str, headers: Sequence[str], *,
                 kinds: Sequence[str] | None = None, max_rows: int = MAX_ROWS,
                 sample_rows: int = 100, widths: Sequence[float] | None = None) -> None:
        self.wb = wb
        self.title = title
        self.headers = [str(h) for h in headers]
        self.kinds = list(kinds) if kinds is not None else ["auto"] * len(self.headers)
        self.max_rows = max(2, max_rows)
        self.sample_rows = sample_rows
        self.widths: list[float] | None = list(widths) if widths is not None else None
        self.sheets: list[Any] = []
        self.row_count = 0
        self._rows_in_sheet = 0
        self._buffer: list[Sequence[Any]] | None = [] if widths is None else None
        self._converters: list[CellConverter] = []

    @property
    def sheet(self) -> Any:
        """The first sheet written (created now if no row has been written yet)."""
        if not self.sheets:
            self._flush()
        return self.sheets[0]

    def append(self, row: Sequence[Any]) -> None:
        """Add one data row (values in header order; a short row is padded)."""
        if self._buffer is not None:
            self._buffer.append(row)
            if len(self._buffer) >= self.sample_rows:
                self._flush()
            return
        if not self.sheets:
            self._flush()
        if self._rows_in_sheet >= self.max_rows:
            self._finish_sheet()
            self._new_sheet()
        self.sheets[-1].append([c(v) for c, v in zip(self._converters, row, strict=False)])
        self._rows_in_sheet += 1
        self.row_count += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)

    def close(self) -> list[str]:
        """Finish the last sheet; returns the names of every sheet written."""
        self._flush()
        self._finish_sheet()
        return [ws.title for ws in self.sheets]

    def _flush(self) -> None:
        if self.sheets and self._buffer is None:
            return
        buffered, self._buffer = self._buffer or [], None
        if self.widths is None:
            self.widths = column_widths(self.headers, buffered)
        self._new_sheet()
        for row in buffered:
            self.append(row)

    def _new_sheet(self) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(safe_sheet_name(self.title, self.wb.sheetnames))
        ws.freeze_panes = "A2"
        for i, width in enumerate(self.widths or [], 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        self._converters = [make_converter(ws, k) for k in self.kinds]
        ws.append([text_cell(ws, h, bold=True) for h in self.headers])
        self.sheets.append(ws)
        self._rows_in_sheet = 1

    def _finish_sheet(self) -> None:
        from openpyxl.utils import get_column_letter

        if self.sheets and self.headers:
            ws = self.sheets[-1]
            ws.auto_filter.ref = f"A1:{get_column_letter(len(self.headers))}{self._rows_in_sheet}"


def column_widths(headers: Sequence[str], rows: Iterable[Sequence[Any]],
                  *, minimum: float = 8, maximum: float = 60) -> list[float]:
    """Widths (in Excel character units) that fit the header and the sample rows."""
    widths = [float(len(h)) + 2 for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                n = 19
            elif isinstance(value, dt.date):
                n = 10
            else:
                n = max((len(line) for line in str(value).splitlines()), default=0)
            widths[i] = max(widths[i], n + 2)
    return [min(maximum, max(minimum, w)) for w in widths]


def discard_workbook(wb: Any) -> None:
    """Close and delete the temporary files of an abandoned write-only workbook.

    Without this, openpyxl's half-written sheet streams are finished by the
    garbage collector in an arbitrary order, which raises noisy errors and
    leaves temporary files behind.
    """
    import contextlib

    for ws in getattr(wb, "worksheets", []):
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            if ws._writer is not None:
                ws._writer.cleanup()
