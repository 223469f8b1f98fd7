"""Where the table starts and ends in a delimited text file.

Above the header: title, notes, source and blank lines, found with the same rules as
on a spreadsheet (:func:`.sheet_header.find_header_rows`), so a CSV saved from a sheet
is read as the sheet is. Below the table: totals, footnotes and notes, found in the
last lines of the file. Inside: a second table under the first. Rows wider than the
header add columns. Rows are counted from 1 as a person sees them in a text editor
(a line break inside a quoted value makes one row span two lines).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers.dialect import Dialect
from tde_desktop.core.importers.excel_layout import SAMPLE_ROWS, footer_note, footer_start
from tde_desktop.core.importers.sheet_header import (
    _texty,
    counted_header,
    find_header_rows,
    spans,
)

TAIL_BYTES = 64 << 10
#: encodings whose bytes can be cut at a line end and counted back (the tail is read alone)
_BYTE_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252",
                   "latin-1": "latin-1"}
#: UTF-16 names and the byte order their bytes are read in (``utf-16`` from its BOM)
_UTF16 = {"utf-16": "", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass
class Head:
    """The header of a delimited file, found in a sample of its first lines."""

    header_rows: list[int]  # 0-based rows (records) of the file
    headers: list[str]  # the column names, stacked header rows joined
    header_cells: list[str]  # the last header row as read
    first_data: int  # 0-based row of the first data row
    start_char: int  # characters of the sample before the first data row
    notes: list[str] = field(default_factory=list)

    @property
    def above(self) -> int:
        """Rows left out above the header."""
        return self.header_rows[0]


def _records(text: str, dialect: Dialect) -> tuple[list[list[str]], list[int]]:
    """The first rows of ``text``, with the character offset where each one ends."""
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    records: list[list[str]] = []
    ends: list[int] = []
    for row in csv.reader(feed(), **dialect.reader_options()):
        records.append(row)
        ends.append(consumed)
        if len(records) >= SAMPLE_ROWS:
            break
    return records, ends


def find_head(text: str, dialect: Dialect, header_row: int | None, name: str,
              header_rows: int | None = None) -> Head:
    """The header of the file whose first characters are ``text``.

    ``header_row`` (1-based) forces the header; otherwise a first row with every cell
    filled is the header (as in most files), else the sheet rules find it, with the
    rows stacked above or below it that head the same columns. ``header_rows`` forces
    how many rows the header has (:func:`.sheet_header.counted_header`).
    """
    records, ends = _records(text, dialect)
    rows = [[c.strip() for c in r] for r in records]
    if not any(any(r) for r in rows):
        raise ImportFailed(_("{name} is empty.").format(name=name))
    width = max(map(len, rows))
    rows = [r + [""] * (width - len(r)) for r in rows]
    merges = spans(rows)  # a text file's stand-in for merged cells
    notes: list[str] = []
    if header_row is not None:
        if header_row < 1 or header_row > len(rows):
            raise ImportFailed(_("Row {n} is outside the data of this sheet.").format(
                n=header_row))
        found = [header_row - 1]
    else:
        first = next(i for i, r in enumerate(rows) if any(r))
        top = records[first]
        if all(c.strip() for c in top) and len(top) == width and any(map(_texty, rows[first])):
            found = find_header_rows(rows[first:], merges=[], columns=list(range(width)))
            found = [first] if found[0] != 0 else [first + r for r in found]
        else:
            found = find_header_rows(rows, merges, list(range(width)), min_names=2)
        if found[-1] + 1 >= len(rows):  # no data under the names: not stacked names
            found = found[:1]
    if header_rows is not None:
        found = counted_header(found, header_rows, header_row is not None, len(rows))
    if header_row is None:
        notes = _head_notes(rows, found)
    upper = {(r0, c): rows[r0][c0] for r0, c0, r1, c1 in merges
             if r0 in found[:-1] for c in range(c0, c1 + 1)}
    headers = []
    for c in range(max(len(records[r]) for r in found)):
        parts: list[str] = []
        for r in found:
            value = upper.get((r, c)) or rows[r][c]
            if value and (not parts or parts[-1] != value):
                parts.append(value)
        headers.append(" ".join(parts))
    last = found[-1]
    return Head(header_rows=found, headers=headers, header_cells=records[last],
                first_data=last + 1, start_char=ends[last], notes=notes)


def _head_notes(rows: list[list[str]], header_rows: list[int]) -> list[str]:
    notes = []
    skipped = [i for i in range(header_rows[0]) if any(rows[i])]
    if skipped:
        title = " / ".join(" ".join(v for v in rows[i] if v) for i in skipped)
        if len(title) > 80:
            title = title[:77] + "..."
        notes.append(_("The rows above the table ({title}) were not imported; the header is "
                       "row {row}.").format(title=title, row=header_rows[0] + 1))
    if len(header_rows) > 1:
        notes.append(ngettext(
            "The column names were made from {n} header row ({first} to {last}).",
            "The column names were made from {n} header rows ({first} to {last}).",
            len(header_rows)).format(n=len(header_rows), first=header_rows[0] + 1,
                                     last=header_rows[-1] + 1))
    return notes


@dataclass
class Tail:
    """Where the table ends in the file."""

    end_byte: int  # the table's last byte + 1
    left_out: int = 0  # rows with text left out below the table
    notes: list[str] = field(default_factory=list)


def find_tail(path: Path, encoding: str, dialect: Dialect, width: int,
              start_byte: int) -> Tail:
    """The totals and notes at the end of the file, read from its last lines."""
    size = path.stat().st_size
    codec = _BYTE_ENCODINGS.get(encoding) or _utf16_codec(path, encoding)
    if codec is None:
        return Tail(size)
    begin = max(start_byte, size - TAIL_BYTES)
    wide = codec.startswith("utf-16")
    begin += (begin - start_byte) % 2 if wide else 0  # two bytes a code unit
    with path.open("rb") as f:
        f.seek(begin)
        data = f.read()
    if begin > start_byte and not wide:  # start at a line end
        cut = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=-1)
        data = data[cut + 1:] if cut >= 0 else b""
    try:
        text = data.decode(codec, errors="strict" if not wide or begin == start_byte
                           else "surrogatepass")
    except UnicodeDecodeError:
        return Tail(size)
    if begin > start_byte and wide:  # start at a line end (the cut unit is before it)
        cut = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=-1)
        text = text[cut + 1:] if cut >= 0 else ""
    lines = _LINE.findall(text)
    rows: list[list[str]] = []
    q = dialect.quotechar
    for line in reversed(lines):
        if q and line.count(q) % 2:
            break  # a line inside a quoted value: the rows above are not told apart here
        rows.insert(0, next(csv.reader([line.rstrip("\r\n")], **dialect.reader_options()),
                            []))
    first = footer_start(rows, width)
    if first == len(rows):
        return Tail(size)
    whole = begin == start_byte and len(rows) == len(lines)  # every data line was read
    if whole and not any(any(c.strip() for c in r) for r in rows[:first]):
        return Tail(size)  # it would leave no data at all: these rows are the table
    footer = lines[len(lines) - len(rows) + first:]
    n, note = footer_note(rows[first:])
    if not n and any(len(r) == 1 for r in rows[first:]):
        return Tail(size)  # an empty value of a one-column table: a row, not a blank line
    return Tail(size - len("".join(footer).encode(codec, errors="surrogatepass")), n,
                [note] if n else [])


def _utf16_codec(path: Path, encoding: str) -> str | None:
    """The byte order to read a UTF-16 file's tail in (its BOM says, for ``utf-16``)."""
    if encoding.lower() not in _UTF16:
        return None
    order = _UTF16[encoding.lower()]
    if order:
        return order
    with path.open("rb") as f:
        bom = f.read(2)
    return {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}.get(bom)


@dataclass
class Body:
    """What one read of the data rows learns: how wide they are, where the table ends."""

    width: int
    rows: int | None = None  # rows (with blank ones) to read, when the table ends early
    notes: list[str] = field(default_factory=list)


def _wordy(cell: str) -> bool:
    """Text with letters in it, as titles and column names have (not '-' or ':')."""
    text = cell.strip()
    return _texty(text) and any(ch.isalpha() for ch in text)


def scan_body(rows: Iterator[list[str]], head: Head) -> Body:
    """Read the data rows once: the widest row with a value, and a second table under the
    first (its header repeated, or a blank row, a title and a row of names)."""
    width = len(head.headers)
    widest = width
    need = max(2, math.ceil(width / 2))
    blank_at: int | None = None  # the first blank row of the latest run of blank/short rows
    titled = False
    seen_data = False  # a second table needs a first one with a row in it
    for i, row in enumerate(rows):
        filled = sum(1 for c in row if c.strip())
        if len(row) > widest and filled:
            widest = max(widest, max(k for k, c in enumerate(row) if c.strip()) + 1)
        if not filled:
            blank_at = i if blank_at is None else blank_at
            continue
        if row == head.header_cells and seen_data:
            return Body(widest, blank_at if blank_at is not None else i, [_(
                "Another table starts at row {row} with the same column names; only the "
                "table above it was imported.").format(row=head.first_data + i + 1)])
        if (seen_data and blank_at is not None and filled <= 2 and not titled
                and all(_wordy(c) for c in row if c.strip())):
            titled = True
            continue
        if (titled and filled >= need
                and all(_wordy(c) for c in row if c.strip())):
            assert blank_at is not None
            return Body(widest, blank_at, [_(
                "Another table starts at row {row}; only the table above it was "
                "imported.").format(row=head.first_data + blank_at + 2)])
        blank_at, titled, seen_data = None, False, True
    return Body(widest)
