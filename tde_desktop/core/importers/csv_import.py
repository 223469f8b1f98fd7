"""CSV, TSV and other delimited text files, read as a stream.

Encoding: a byte-order mark wins (UTF-8, UTF-16); otherwise UTF-8 is tried and,
if the file is not valid UTF-8, the legacy Windows code page cp1252 (or Latin-1
where cp1252 leaves a byte undefined). Dialect (delimiter, quote, escaping): see
:mod:`.dialect`; where the table starts and ends: :mod:`.table_bounds`. Line ends LF, CRLF and
CR-only all work because the file is read with universal newlines. The choices
made are recorded in the catalogue and can be overridden.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tde_desktop.core.errors import EncodingProblem, ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _
from tde_desktop.core.importers.catalogue import import_errors
from tde_desktop.core.importers.dialect import (
    COMMA_SPACE,
    Dialect,
    detect_dialect,
    has_stray_quote,
    read_rows,
)
from tde_desktop.core.importers.table_bounds import Head, Tail, find_head, find_tail, scan_body
from tde_desktop.core.importers.writer import GeoColumns, Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack

SNIFF_BYTES = 1 << 20
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _HashingReader(io.RawIOBase):
    """A raw file that hashes and counts every byte read through it, and ends at ``end``
    (the bytes after it are hashed by :meth:`hexdigest`)."""

    def __init__(self, path: Path, end: int | None = None) -> None:
        self._path = path
        self._f = path.open("rb")
        self.sha256 = hashlib.sha256()
        self.done = 0
        self.end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        if self.end is not None:
            view = view[:max(0, self.end - self.done)]
        n = self._f.readinto(view)
        if n:
            self.sha256.update(view[:n])
            self.done += n
        return n or 0

    def hexdigest(self) -> str:
        """The SHA-256 of the whole file, once the reading reached ``end``."""
        with self._path.open("rb") as f:
            f.seek(self.done)
            for block in iter(lambda: f.read(1 << 20), b""):
                self.sha256.update(block)
                self.done += len(block)
        return self.sha256.hexdigest()

    def close(self) -> None:
        self._f.close()
        super().close()


def detect_encoding(sample: bytes) -> str:
    """The encoding to read a file with, from its first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1" if _CP1252_UNDEFINED & set(sample) else "cp1252"


class CsvSource:
    """A delimited text file as a stream of rows for the writer: the rows between the
    header and the end of the table (``end_byte``), though the whole file is hashed."""

    def __init__(self, path: Path, encoding: str, dialect: Dialect, head: Head,
                 end_byte: int, stray_quotes: bool = False) -> None:
        self.path = path
        self.encoding = encoding
        self.dialect = dialect
        self.head = head
        self.end_byte = end_byte
        self.stray_quotes = stray_quotes
        self.headers = list(head.headers)
        self.total = path.stat().st_size
        self.limit: int | None = None  # rows to read when the table ends early
        self._raw: _HashingReader | None = None
        self._text: IO[str] | None = None

    def _open(self) -> tuple[_HashingReader, IO[str], Iterator[list[str]]]:
        raw = _HashingReader(self.path, self.end_byte)
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding=self.encoding,
                                newline="")
        width = len(self.head.headers) if self.stray_quotes else None
        reader: Iterator[list[str]] = (read_rows(text, self.dialect, width) if width
                                       else csv.reader(text, **self.dialect.reader_options()))
        for _skip in range(self.head.first_data):
            next(reader, None)
        if self.limit is not None:
            reader = itertools.islice(reader, self.limit)
        return raw, text, reader

    def scan(self) -> list[str]:
        """Read the rows once: widen the table for rows wider than the header and stop
        it where a second table starts. Returns the notes to show."""
        with import_errors():  # a decoding or csv error as one plain sentence
            raw, text, reader = self._open()
            try:
                body = scan_body(reader, self.head)
            finally:
                text.close()
        notes = body.notes
        self.limit = body.rows
        if body.width > len(self.headers):
            first = len(self.headers) + 1
            self.headers += [f"column_{k}" for k in range(first, body.width + 1)]
            notes.append(_("Some rows have more values than there are column names; the "
                           "table was widened with columns column_{first} to column_{last} "
                           "to hold them.").format(first=first, last=body.width))
        return notes

    def rows(self) -> Iterator[list[str]]:
        self.close()
        raw, text, reader = self._open()
        self._raw, self._text = raw, text
        if len(self.headers) > len(self.head.headers):  # widened: short rows are expected
            return _padded(reader, len(self.head.headers), len(self.headers))
        return reader

    def close(self) -> None:
        """Close the file opened by :meth:`rows` (the writer calls this when done)."""
        if self._text is not None:
            self._text.close()
            self._text = None

    def position(self) -> tuple[int, int]:
        return (self._raw.done if self._raw else 0), self.total

    def sha256(self) -> str:
        assert self._raw is not None
        return self._raw.hexdigest()


def _padded(rows: Iterator[list[str]], header: int, width: int) -> Iterator[list[str]]:
    """Rows as wide as the widened table: those shorter than the header itself are left
    for the writer to pad and report."""
    for row in rows:
        if header <= len(row) < width:
            row.extend([""] * (width - len(row)))
        yield row


def import_csv(
    pack: Pack,
    path: Path,
    provenance: Provenance,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    quote: str | None = None,
    keep_footer: bool = False,
    header_row: int | None = None,
    header_rows: int | None = None,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import a delimited text file as a new dataset (all or nothing).

    Encoding, delimiter, quote (``'"'``, ``"'"``, or ``""`` for none), header row
    (1-based, where the header starts) and the number of header rows are detected
    unless given. Rows above the header and totals or notes under
    the table (unless ``keep_footer``) are left out, each with a note among the dataset's
    warnings.
    """
    sample, chosen = read_sample(path, encoding, delimiter)
    options = _Options(delimiter, quote, header_row, type_overrides, progress, keep_footer,
                       header_rows)
    try:
        return _import_with(pack, path, provenance, sample, chosen, options)
    except EncodingProblem:
        if encoding is None and chosen.startswith("utf-8"):
            # Valid UTF-8 at the top, invalid further down: a legacy file after all.
            return _import_with(pack, path, provenance, sample, "cp1252", options)
        raise


def read_sample(path: Path, encoding: str | None = None,
                delimiter: str | None = None) -> tuple[bytes, str]:
    """The first bytes of a text file (enough to detect how it is written) and the
    encoding to read it with: ``encoding`` if given, else detected.

    Raises :class:`ImportFailed` for an empty or binary file, an unknown encoding or a
    delimiter that is not one character (nor comma-plus-space).
    """
    with path.open("rb") as f:
        sample = f.read(SNIFF_BYTES)
    if not sample.strip():
        raise ImportFailed(_("{name} is empty.").format(name=path.name))
    wide = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        encoding or "").lower().replace("_", "-") in ("utf-16", "utf-16-le", "utf-16-be")
    if b"\x00" in sample[:4096] and not wide:
        raise ImportFailed(_("{name} does not look like a text file.").format(name=path.name))
    chosen = encoding or detect_encoding(sample)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ImportFailed(_("{enc} is not a text encoding this app knows.").format(
            enc=chosen)) from None
    if delimiter is not None and len(delimiter) != 1 and delimiter != COMMA_SPACE:
        raise ImportFailed(_("The delimiter must be a single character."))
    return sample, chosen


@dataclass
class Layout:
    """How a delimited file is written and where its table is, as an import reads it."""

    text: str  # the sample, decoded
    dialect: Dialect
    head: Head
    start: int | None  # the byte where the data rows start, when known exactly
    tail: Tail
    stray: bool  # a quote that never closes is read as an ordinary character
    notes: list[str]


def find_layout(path: Path, sample: bytes, encoding: str, *, delimiter: str | None = None,
                quote: str | None = None, header_row: int | None = None,
                keep_footer: bool = False, header_rows: int | None = None) -> Layout:
    """The dialect, header and end of the table of the file whose first bytes are
    ``sample``, with the notes an import adds for them; given options win."""
    text = sample.decode(encoding, errors="replace")
    if header_row and header_row > 1:
        dialect = detect_dialect("\n".join(text.splitlines()[header_row - 1:]),
                                 delimiter, quote)
    else:
        dialect = detect_dialect(text, delimiter, quote)
    head = find_head(text, dialect, header_row, path.name, header_rows)
    start = _start_byte(sample, text, head, encoding)
    # UTF-16: the Python path reads it, up to the end byte found here for its footer too
    data_from = start if start is not None else _utf16_start(sample, text, head, encoding)
    tail = (find_tail(path, encoding, dialect, len(head.headers), data_from)
            if data_from is not None and not keep_footer else Tail(path.stat().st_size))
    stray = has_stray_quote(text[head.start_char:], dialect, len(head.headers))
    notes: list[str] = []
    if encoding in ("cp1252", "latin-1"):
        notes.append(_("The file is not UTF-8; it was read as {enc}. If letters look wrong, "
                       "import it again with another encoding.").format(enc=encoding))
    notes += head.notes + tail.notes
    if stray:
        notes.append(_("A quote that never closes was read as an ordinary character, not "
                       "as the start of a value running over several lines."))
    return Layout(text, dialect, head, start, tail, stray, notes)


@dataclass
class _Options:
    delimiter: str | None
    quote: str | None
    header_row: int | None
    type_overrides: dict[str, str] | None
    progress: ProgressCallback | None
    keep_footer: bool = False
    header_rows: int | None = None


def _start_byte(sample: bytes, text: str, head: Head, encoding: str) -> int | None:
    """The byte where the data rows start, when it can be told exactly."""
    codec = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252",
             "latin-1": "latin-1"}.get(encoding)
    if codec is None:
        return None
    bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    start = bom + len(text[:head.start_char].encode(codec, errors="replace"))
    if sample[bom:start].decode(codec, errors="replace") != text[:head.start_char]:
        return None
    return start


def _utf16_start(sample: bytes, text: str, head: Head, encoding: str) -> int | None:
    """The byte where the data rows of a UTF-16 file start, when it can be told exactly."""
    bom = sample[:2]
    order = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}.get(bom)
    if encoding.lower() in ("utf-16-le", "utf-16-be"):
        order, bom = encoding.lower(), b""
    if encoding.lower() not in ("utf-16", "utf-16-le", "utf-16-be") or order is None:
        return None
    try:
        before = text[:head.start_char].encode(order)
    except UnicodeEncodeError:
        return None
    start = len(bom) + len(before)
    return start if sample[len(bom):start] == before else None


def _import_with(pack: Pack, path: Path, provenance: Provenance, sample: bytes,
                 encoding: str, opts: _Options) -> DatasetInfo:
    lay = find_layout(path, sample, encoding, delimiter=opts.delimiter, quote=opts.quote,
                      header_row=opts.header_row, keep_footer=opts.keep_footer,
                      header_rows=opts.header_rows)
    dialect, head, start, tail, stray = lay.dialect, lay.head, lay.start, lay.tail, lay.stray
    warnings = list(lay.notes)
    provenance.format = provenance.format or ("tsv" if dialect.delimiter == "\t" else "csv")
    provenance.import_options = {
        **provenance.import_options, "encoding": encoding, **dialect.options(),
        "header_row": head.header_rows[0] + 1,
        "header_rows": [r + 1 for r in head.header_rows], "rows_above": head.above,
        "rows_below": tail.left_out, "types": dict(opts.type_overrides or {}),
    }
    geo = point_columns(head.headers)
    # (a start past the table's end: bytes that did not survive decoding, so the byte
    # positions cannot be trusted; the Python path reads such a file as text)
    if (start is not None and start <= tail.end_byte and not stray
            and not dialect.skipinitialspace):
        from tde_desktop.core.importers.fast_csv import import_fast

        info = import_fast(pack, path, provenance, encoding=encoding, dialect=dialect,
                           span=(start, tail.end_byte), headers=head.headers,
                           header_cells=head.header_cells, geo=geo, warnings=list(warnings),
                           progress=opts.progress, type_overrides=opts.type_overrides)
        if info is not None:
            return info
    source = CsvSource(path, encoding, dialect, head, tail.end_byte, stray)
    warnings += source.scan()
    return write_dataset(pack, source, provenance, type_overrides=opts.type_overrides,
                         geo=geo, warnings=warnings, progress=opts.progress)


_LAT_NAMES = ("latitude", "lat", "y_lat")
_LON_NAMES = ("longitude", "long", "lon", "lng", "x_long")


def point_columns(headers: list[str]) -> GeoColumns | None:
    """Latitude and longitude columns named as such, so maps can find the points."""
    lowered = {str(h).strip().lower(): str(h).strip() for h in headers}
    lat = next((lowered[n] for n in _LAT_NAMES if n in lowered), None)
    lon = next((lowered[n] for n in _LON_NAMES if n in lowered), None)
    if lat and lon:
        return GeoColumns(crs="EPSG:4326", latitude=lat, longitude=lon)
    return None
