"""CSV, TSV and other delimited text files, read as a stream.

Encoding: a byte-order mark wins (UTF-8, UTF-16); otherwise UTF-8 is tried and,
if the file is not valid UTF-8, the legacy Windows code page cp1252 (or Latin-1
where cp1252 leaves a byte undefined). Delimiter: comma, semicolon, tab or pipe,
whichever splits the first lines most consistently. Line ends LF, CRLF and
CR-only all work because the file is read with universal newlines. The choices
made are recorded in the catalogue and can be overridden.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tde_desktop.core.errors import EncodingProblem, ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _
from tde_desktop.core.importers.catalogue import import_errors
from tde_desktop.core.importers.writer import GeoColumns, Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack

DELIMITERS = [",", ";", "\t", "|"]
SNIFF_BYTES = 1 << 20
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _HashingReader(io.RawIOBase):
    """A raw file that hashes and counts every byte read through it."""

    def __init__(self, path: Path) -> None:
        self._f = path.open("rb")
        self.sha256 = hashlib.sha256()
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._f.readinto(buffer)
        if n:
            self.sha256.update(memoryview(buffer)[:n])
            self.done += n
        return n or 0

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


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent field counts."""
    lines = text.splitlines()[:50]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not counts:
            continue
        width, agree = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (agree, width)
        if score > best_score:
            best, best_score = delim, score
    return best


class CsvSource:
    """A delimited text file as a stream of rows for the writer."""

    def __init__(self, path: Path, encoding: str, delimiter: str, header_row: int) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.header_row = header_row
        self.total = path.stat().st_size
        self._raw: _HashingReader | None = None
        self._text: IO[str] | None = None
        self.headers = self._read_headers()

    def _open(self) -> tuple[_HashingReader, IO[str], Iterator[list[str]]]:
        raw = _HashingReader(self.path)
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding=self.encoding,
                                newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        for _skip in range(self.header_row - 1):
            next(reader, None)
        return raw, text, reader

    def _read_headers(self) -> list[str]:
        raw, text, reader = self._open()
        try:
            with import_errors():  # a decoding or csv error as one plain sentence
                header = next(reader, None)
        finally:
            text.close()
        if header is None:
            raise ImportFailed(_("{name} is empty.").format(name=self.path.name))
        return header

    def rows(self) -> Iterator[list[str]]:
        # The csv reader itself, not a generator around it: one Python frame less per row.
        self.close()
        raw, text, reader = self._open()
        self._raw, self._text = raw, text
        next(reader, None)
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
        return self._raw.sha256.hexdigest()


def import_csv(
    pack: Pack,
    path: Path,
    provenance: Provenance,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int = 1,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import a delimited text file as a new dataset (all or nothing)."""
    with path.open("rb") as f:
        sample = f.read(SNIFF_BYTES)
    if not sample.strip():
        raise ImportFailed(_("{name} is empty.").format(name=path.name))
    if b"\x00" in sample[:4096] and not sample.startswith((codecs.BOM_UTF16_LE,
                                                          codecs.BOM_UTF16_BE)):
        raise ImportFailed(_("{name} does not look like a text file.").format(name=path.name))
    chosen = encoding or detect_encoding(sample)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ImportFailed(_("{enc} is not a text encoding this app knows.").format(
            enc=chosen)) from None
    text_sample = sample.decode(chosen, errors="replace")
    if header_row > 1:
        text_sample = "\n".join(text_sample.splitlines()[header_row - 1:])
    chosen_delim = delimiter or detect_delimiter(text_sample)
    if len(chosen_delim) != 1:
        raise ImportFailed(_("The delimiter must be a single character."))
    try:
        return _import_with(pack, path, provenance, chosen, chosen_delim, header_row,
                            type_overrides, progress)
    except EncodingProblem:
        if encoding is None and chosen.startswith("utf-8"):
            # Valid UTF-8 at the top, invalid further down: a legacy file after all.
            return _import_with(pack, path, provenance, "cp1252", chosen_delim, header_row,
                                type_overrides, progress)
        raise


def _import_with(pack: Pack, path: Path, provenance: Provenance, encoding: str,
                 delimiter: str, header_row: int, type_overrides: dict[str, str] | None,
                 progress: ProgressCallback | None) -> DatasetInfo:
    source = CsvSource(path, encoding, delimiter, header_row)
    warnings: list[str] = []
    if encoding in ("cp1252", "latin-1"):
        warnings.append(_("The file is not UTF-8; it was read as {enc}. If letters look wrong, "
                          "import it again with another encoding.").format(enc=encoding))
    provenance.format = provenance.format or ("tsv" if delimiter == "\t" else "csv")
    provenance.import_options = {
        **provenance.import_options, "encoding": encoding, "delimiter": delimiter,
        "header_row": header_row, "types": dict(type_overrides or {}),
    }
    geo = point_columns(source.headers)
    if header_row == 1:
        from tde_desktop.core.importers.fast_csv import import_fast

        info = import_fast(pack, path, provenance, encoding=encoding, delimiter=delimiter,
                           headers=source.headers, geo=geo, warnings=list(warnings),
                           progress=progress, type_overrides=type_overrides)
        if info is not None:
            return info
    return write_dataset(pack, source, provenance, type_overrides=type_overrides,
                         geo=geo, warnings=warnings, progress=progress)


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
