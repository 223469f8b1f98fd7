"""Participant text that goes to Excel arrives there as text, never as a formula.

Excel files are written with XlsxWriter in ``constant_memory`` mode: each row is
streamed to a temporary file as soon as the next one starts, so memory stays
flat however many rows there are. The workbook is opened with XlsxWriter's
guessing switched off (``strings_to_formulas``, ``strings_to_numbers`` and
``strings_to_urls`` all False) and every ``str`` is written with
``write_string`` as an inline string, which no spreadsheet evaluates, whatever
it starts with. Characters XML cannot hold are removed and text longer than
Excel's cell limit is cut with a visible marker, so no value makes the save
fail half way or is cut silently. :class:`~tde_desktop.core.xlsx_sheet_writer.SheetWriter`
writes whole tables with these rules.

CSV files are made safe by :mod:`tde_desktop.core.csv_safe`.
"""


from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import shutil
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import _, ngettext

#: Excel's limits.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
MAX_SHEET_NAME = 31
#: Excel keeps 15 significant digits; larger integers are written as text.
MAX_EXACT_INT = 10**15

#: The characters XML 1.0 forbids.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = frozenset({"history"})
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
#: Options of every workbook we write: stream rows, and never guess a type from text.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def cut_marker(n: int) -> str:
    """The text that replaces the end of an over-long cell."""
    return ngettext("[... cut: {n} more character]", "[... cut: {n} more characters]",
                    n).format(n=f"{n:,}")


def clean_text(value: str, limit: int = MAX_CELL_CHARS) -> str:
    """``value`` without XML-forbidden characters, at most ``limit`` characters long.

    Text that is too long keeps its beginning and ends with :func:`cut_marker`
    saying how many characters were left out, so a reader knows it was cut.
    Excel counts UTF-16 units, so a character outside the BMP counts as two.
    """
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) <= limit // 2 or _utf16_len(value) <= limit:
        return value
    keep = limit - len(cut_marker(len(value)))
    # The marker's own length depends on the number it shows; settle it in two steps.
    keep = limit - len(cut_marker(len(value) - keep))
    # Each character is at least one UTF-16 unit, so dropping the excess always settles it.
    while keep > 0 and (excess := _utf16_len(value[:keep])
                        + len(cut_marker(len(value) - keep)) - limit) > 0:
        keep -= excess
    return value[:keep] + cut_marker(len(value) - keep)


def excel_text(value: str) -> str:
    """``value`` as a spreadsheet shows it, for code that reads our files with openpyxl.

    Excel's file format escapes a carriage return as ``_x000D_`` (and literal text of
    that shape as ``_x005F_x000D_``); Excel and LibreOffice decode it, openpyxl does not.
    """
    if "_x" not in value:
        return value
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def _utf16_len(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


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
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is dt.UTC:  # the pack's own time stamps: no conversion needed
        return value.replace(tzinfo=None)
    return excel_date(value)


# -- the workbook ------------------------------------------------------------------------


@contextlib.contextmanager
def streaming_workbook(path: Path) -> Iterator[Any]:
    """An XlsxWriter workbook (see :data:`WORKBOOK_OPTIONS`) saved to ``path`` when the
    block ends without an exception, and abandoned (temporary files removed) otherwise.

    XlsxWriter spools each sheet into temporary files; they go to a hidden folder beside
    ``path`` rather than the system temp folder, so a full disk at the destination is
    met while writing (and reported) and a killed export leaves only hidden leftovers.
    Errors are XlsxWriter's own (``XlsxWriterException``) or ``OSError``.
    """
    import xlsxwriter

    path = Path(path)
    spool = path.with_name(f".{path.name.lstrip('.')}.spool")
    spool.mkdir(exist_ok=True)
    wb = None
    try:
        with paused_gc():
            wb = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": str(spool)})
            yield wb
            wb.close()
    except BaseException:
        if wb is not None:
            discard_workbook(wb)
        raise
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def discard_workbook(wb: Any) -> None:
    """Close the temporary row files of an abandoned workbook, so none stays open."""
    for ws in wb.worksheets():
        fh = getattr(ws, "row_data_fh", None)
        with contextlib.suppress(Exception):
            if fh is not None:
                fh.close()
    wb.fileclosed = True


def sheet_names(wb: Any) -> list[str]:
    """The names of the sheets already in ``wb``."""
    return [ws.name for ws in wb.worksheets()]


#: Writes one value into (row, column) of the sheet it was made for.
CellWriter = Callable[[int, int, Any], None]


class CellFormats:
    """The cell formats a sheet needs, made once per workbook."""

    def __init__(self, wb: Any) -> None:
        self.bold = wb.add_format({"bold": True})
        self.date = wb.add_format({"num_format": DATE_FORMAT})
        self.datetime = wb.add_format({"num_format": DATETIME_FORMAT})


def make_cell_writer(ws: Any, formats: CellFormats, kind: str = "auto") -> CellWriter:
    """A function that writes one value of a column to ``ws`` safely.

    ``kind`` is ``text`` (identifiers and codes: always text, leading zeros kept),
    ``date``/``datetime`` (ISO text becomes a real Excel date) or ``auto``.
    Every ``str`` is written with ``write_string``: text, never a formula.
    """
    # The undecorated writers skip XlsxWriter's A1-notation check on every cell (our
    # rows and columns are always numbers); fall back to the public ones if renamed.
    put_str = getattr(ws, "_write_string", ws.write_string)
    put_date = getattr(ws, "_write_datetime", ws.write_datetime)
    auto = _auto_writer(ws, formats, put_str, put_date)
    if kind == "text":
        return _text_writer(put_str)
    if kind in ("date", "datetime"):
        day, stamp = formats.date, formats.datetime

        def as_date(r: int, c: int, value: Any) -> None:
            if isinstance(value, str):
                parsed = parse_iso_date(value)
                if parsed is not None:
                    put_date(r, c, parsed, stamp if isinstance(parsed, dt.datetime) else day)
                    return
            auto(r, c, value)

        return as_date
    return auto


def _put_text(put_str: CellWriter) -> CellWriter:
    """Writes a ``str``, cleaned (see :func:`clean_text`) only when it needs to be."""
    half = MAX_CELL_CHARS // 2

    def text(r: int, c: int, value: str) -> None:
        # isprintable() is a quick way to rule out every XML-forbidden character
        if len(value) > half or (not value.isprintable()
                                 and ILLEGAL_CHARACTERS_RE.search(value)):
            value = clean_text(value)
        put_str(r, c, value)

    return text


def _auto_writer(ws: Any, formats: CellFormats, put_str: CellWriter,
                 put_date: Callable[..., None]) -> CellWriter:
    """Each value as what it is: numbers as numbers, dates as dates, the rest as text."""
    put_num = getattr(ws, "_write_number", ws.write_number)
    put_bool = getattr(ws, "_write_boolean", ws.write_boolean)
    day, stamp = formats.date, formats.datetime
    text = _put_text(put_str)
    half = MAX_CELL_CHARS // 2

    def auto(r: int, c: int, value: Any) -> None:
        t = type(value)
        if t is str:
            if value:  # text(), inlined: this is the commonest cell
                if len(value) > half or (not value.isprintable()
                                         and ILLEGAL_CHARACTERS_RE.search(value)):
                    value = clean_text(value)
                put_str(r, c, value)
        elif value is None:
            return
        elif t is int:
            if -MAX_EXACT_INT < value < MAX_EXACT_INT:
                put_num(r, c, value)
            else:
                put_str(r, c, str(value))
        elif t is float:
            if math.isfinite(value):
                put_num(r, c, value)
            else:
                put_str(r, c, str(value))
        elif isinstance(value, dt.datetime):
            put_date(r, c, excel_date(value), stamp)
        elif isinstance(value, dt.date):
            put_date(r, c, value, day)
        elif isinstance(value, bool):
            put_bool(r, c, value)
        elif isinstance(value, int | float):  # subclasses, such as IntEnum
            auto(r, c, int(value) if isinstance(value, int) else float(value))
        elif isinstance(value, bytes):
            put_str(r, c, ngettext("[{n} byte]", "[{n} bytes]", len(value)).format(
                n=len(value)))
        else:
            text(r, c, str(value))

    return auto


def _text_writer(put_str: CellWriter) -> CellWriter:
    """Every value as text: whole floats without ``.0``, None as an empty cell."""
    text = _put_text(put_str)
    half = MAX_CELL_CHARS // 2

    def as_text(r: int, c: int, value: Any) -> None:
        if type(value) is str:
            if value:  # text(), inlined
                if len(value) > half or (not value.isprintable()
                                         and ILLEGAL_CHARACTERS_RE.search(value)):
                    value = clean_text(value)
                put_str(r, c, value)
            return
        if value is None:
            return
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
        if value:
            text(r, c, value)

    return as_text
