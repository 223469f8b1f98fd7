"""A preview of a file before it is imported: its first rows as they will be read.

The preview makes the import's own decisions, through the importers' own functions:
:func:`.csv_import.read_sample` and :func:`.csv_import.find_layout` for delimited text
(encoding, dialect, header, rows left out above and below), and the workbook reader
and :mod:`.excel_layout` for sheets (the sheet, the tables on it, the header, where
the table ends). Column types come from the shared type rules (:mod:`.column_types`)
on the first rows of the table. Nothing is written anywhere.

It stays fast on large files: a delimited file is read only as far as the first
megabyte (the sample every import detects from) and its last 64 KB (where totals
and notes are); a workbook only in the sheet shown, and an .xlsx/.xlsm sheet as a
stream of rows read once, never held whole (as the import reads it).
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers import detect_format
from tde_desktop.core.importers.catalogue import column_setup
from tde_desktop.core.importers.type_rules import semantic_type
from tde_desktop.core.numbers import readable_float

if TYPE_CHECKING:
    from tde_desktop.core.importers.excel_import import Workbook
    from tde_desktop.core.importers.excel_layout import Table
    from tde_desktop.core.importers.sheet_blocks import BlockScan

log = logging.getLogger(__name__)

#: data rows shown
PREVIEW_ROWS = 20
#: data rows the column types are found from (the shown ones among them)
TYPE_SAMPLE_ROWS = 2000
#: rows at the top of a streamed sheet kept from its scan for the sample (the header
#: starts within the first 80 rows), so that the sheet is read only once
HEAD_ROWS = 4096


@dataclass
class PreviewColumn:
    """One column as the dataset will have it."""

    name: str  # the column's name in the dataset (blank and repeated names made unique)
    type: str  # text, integer, number, date or datetime


@dataclass
class Preview:
    """What an import of the same file with the same options would read and decide.

    Options that do not apply to the file's format are ``None`` (``encoding`` of a
    workbook, ``sheet`` of a CSV file).
    """

    format: str  # csv, excel, json or geojson
    columns: list[PreviewColumn] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # each as wide as ``columns``
    encoding: str | None = None
    delimiter: str | None = None  # as ``--delimiter`` takes it: ', ' for comma-plus-space
    quote: str | None = None  # '"', "'" or '' (no quoting)
    escape: str | None = None  # 'double' or 'backslash'
    header_row: int | None = None  # 1-based, the first row of the header
    header_rows: int | None = None  # how many rows the header has (names joined)
    rows_above: int = 0  # rows left out above the header
    rows_below: int = 0  # rows with text left out below the table
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    tables: list[str] = field(default_factory=list)  # title of each table on the sheet
    table: int | None = None  # 1-based
    notes: list[str] = field(default_factory=list)


def preview(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
            quote: str | None = None, header_row: int | None = None,
            sheet: str | None = None, table: int | None = None,
            header_rows: int | None = None, rows: int = PREVIEW_ROWS) -> Preview:
    """The first ``rows`` data rows of a file as :func:`.import_file` with the same
    options would read them, with every decision it would make.

    Options left ``None`` are detected, as the import detects them. Raises
    :class:`ImportFailed` with one plain sentence when the file cannot be read (the
    same sentence the import would give).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(_("The file {path} does not exist.").format(path=path))
    fmt = detect_format(path)
    if fmt == "csv":
        return _csv_preview(path, encoding, delimiter, quote, (header_row, header_rows), rows)
    if fmt == "excel":
        return _sheet_preview(path, sheet, table, (header_row, header_rows), rows)
    return _json_preview(path, fmt, rows)


def _typed_columns(headers: list[str], sample: list[list[str]]) -> list[PreviewColumn]:
    """The dataset's column names and the types the shared rules give ``sample``."""
    display, _names, states, _warnings = column_setup(headers)
    if sample:
        for k, state in enumerate(states):
            state.observe(tuple(row[k] if k < len(row) else "" for row in sample))
    return [PreviewColumn(d, semantic_type(s.best())) for d, s in zip(display, states,
                                                                        strict=True)]


def _square(rows: list[list[str]], width: int) -> list[list[str]]:
    return [(r + [""] * (width - len(r)))[:width] for r in rows]


# -- delimited text -------------------------------------------------------------------


def _csv_preview(path: Path, encoding: str | None, delimiter: str | None, quote: str | None,
                 header: tuple[int | None, int | None], shown: int) -> Preview:
    from tde_desktop.core.importers.catalogue import import_errors
    from tde_desktop.core.importers.csv_import import find_layout, read_sample
    from tde_desktop.core.importers.dialect import read_rows
    from tde_desktop.core.importers.table_bounds import scan_body

    sample, chosen = read_sample(path, encoding, delimiter)
    with import_errors():
        lay = find_layout(path, sample, chosen, delimiter=delimiter, quote=quote,
                          header_row=header[0], header_rows=header[1])
    head, size = lay.head, path.stat().st_size
    # The data rows of the sample, ending where the import's table ends.
    if lay.start is not None:
        end = min(len(sample), lay.tail.end_byte)
        body = sample[lay.start:end].decode(chosen, errors="replace")
        whole = end == lay.tail.end_byte
    elif lay.tail.end_byte < size and len(sample) >= size:  # UTF-16, footer left out
        body = sample[:lay.tail.end_byte].decode(chosen, errors="replace")[head.start_char:]
        whole = True
    else:
        body, whole = lay.text[head.start_char:], len(sample) >= size
    width = len(head.headers) if lay.stray else None
    reader = read_rows(io.StringIO(body, newline=""), lay.dialect, width)
    data = list(itertools.islice(reader, TYPE_SAMPLE_ROWS + 1))
    if not whole and data:
        data.pop()  # the sample may end inside this row
    found = scan_body(iter(data), head)
    if found.rows is not None:
        data = data[:found.rows]
    data = [r for r in data if r][:TYPE_SAMPLE_ROWS]  # blank lines are not rows
    headers = list(head.headers)
    notes = list(lay.notes) + found.notes
    if found.width > len(headers):
        first = len(headers) + 1
        headers += [f"column_{k}" for k in range(first, found.width + 1)]
        notes.append(_("Some rows have more values than there are column names; the "
                       "table was widened with columns column_{first} to column_{last} "
                       "to hold them.").format(first=first, last=found.width))
    options = lay.dialect.options()
    return Preview(
        format="csv", columns=_typed_columns(headers, data),
        rows=_square(data[:shown], len(headers)), encoding=chosen,
        delimiter=options["delimiter"], quote=options["quote"], escape=options["escape"],
        header_row=head.header_rows[0] + 1, header_rows=len(head.header_rows),
        rows_above=head.above,
        rows_below=lay.tail.left_out, notes=notes)


# -- JSON and GeoJSON -----------------------------------------------------------------


def _json_preview(path: Path, fmt: str, shown: int) -> Preview:
    """The import's own row source (:func:`.json_import.json_source`,
    :func:`.geojson_import.geojson_source`), with its columns learnt from the first
    records only and read no further than the rows the types are found from."""
    from tde_desktop.core.importers.catalogue import import_errors
    from tde_desktop.core.importers.geojson_import import GeoJsonSource, geojson_source
    from tde_desktop.core.importers.json_import import JsonSource, json_source, sniff

    source: GeoJsonSource | JsonSource
    with import_errors():
        if fmt == "geojson":
            source, _geo, notes = geojson_source(path, TYPE_SAMPLE_ROWS)
        else:
            source, _geo, notes, _fmt = json_source(path, sniff(path), TYPE_SAMPLE_ROWS)
        reader = source.rows()
        try:
            data = list(itertools.islice(filter(None, reader), TYPE_SAMPLE_ROWS + 1))
        finally:
            getattr(reader, "close", lambda: None)()  # the file it holds open
        columns = _typed_columns(source.headers, data[:TYPE_SAMPLE_ROWS])
    cut_short = source.cut_short
    if cut_short or len(data) > TYPE_SAMPLE_ROWS:
        notes.append(ngettext(
            "The columns and types shown come from the first {n:,} record; the import "
            "reads every record, so it may find more.",
            "The columns and types shown come from the first {n:,} records; the import "
            "reads every record, so it may find more.", TYPE_SAMPLE_ROWS,
        ).format(n=TYPE_SAMPLE_ROWS))
    return Preview(format=fmt, columns=columns, rows=_square(data[:shown], len(columns)),
                   notes=notes)


# -- spreadsheets ---------------------------------------------------------------------


def _sheet_preview(path: Path, sheet: str | None, table: int | None,
                   header: tuple[int | None, int | None], shown: int) -> Preview:
    """An .xlsx/.xlsm sheet streamed as the import streams it (:mod:`.sheet_stream`),
    read once in constant memory; the calamine way where the import takes it: another
    kind of workbook, no stream reader, a stream that fails, Excel error values."""
    from tde_desktop.core.importers import excel_import as ex
    from tde_desktop.core.importers.sheet_stream import NotStreamed, StreamWorkbook

    try:
        streamed = StreamWorkbook(path)
    except NotStreamed as exc:
        log.info("preview not streamed (%s)", exc)
    else:
        streamed.keep_head(HEAD_ROWS)
        try:
            got = _read_sheet(streamed, sheet, table, header, shown)
        except Exception as exc:  # noqa: BLE001 - as the import: the calamine way says it
            log.info("preview left to the calamine way (%s: %s)", type(exc).__name__, exc)
            got = None
        finally:
            streamed.close()
        if got is not None:
            return got
    book = ex.Workbook(path)
    try:
        got = _read_sheet(book, sheet, table, header, shown)
        assert got is not None  # (only a stream gives up)
        return got
    finally:
        book.close()


def _read_sheet(book: Workbook, sheet: str | None, table: int | None,
                header: tuple[int | None, int | None], shown: int) -> Preview | None:
    """The preview from one scan of the sheet, with the import's decisions; ``None``
    when ``book`` is streamed and the sheet holds Excel error values."""
    from tde_desktop.core.importers import excel_import as ex
    from tde_desktop.core.importers import sheet_blocks
    from tde_desktop.core.importers.sheet_stream import StreamWorkbook

    names = [n for n, _visible in book.sheets()]
    name, scan, notes, tables, chosen = ex.choose_table(book, sheet, header[0], table,
                                                        header_rows=header[1])
    kept: list[list[Any]] = []
    if isinstance(book, StreamWorkbook):
        if scan.errors and book.stream(name).error_cells:
            return None
        kept = book.stream(name).head
    sheet_blocks.find_end_scanned(
        chosen, scan, lambda: ex._row_blocks(book, name, chosen.first_data, None))
    notes += ex.table_notes(name, tables, table, chosen, scan)
    data, seen, done = _table_sample([(chosen.first_data, kept[chosen.first_data:])], chosen,
                                     shown)
    if not done:  # (the rows kept from the scan end before the sample does)
        blocks = ex._row_blocks(book, name, chosen.first_data, chosen.last_row)
        try:
            data, seen, _done = _table_sample(blocks, chosen, shown)
        finally:
            getattr(blocks, "close", lambda: None)()  # (the stream it holds open)
    headers = list(chosen.headers)
    return Preview(
        format="excel", columns=_typed_columns(headers, data),
        rows=_square(seen, len(headers)), header_row=chosen.header_rows[0] + 1,
        header_rows=len(chosen.header_rows),
        rows_above=sum(1 for row in scan.sample[:chosen.header_rows[0]]
                       if any(row[c] for c in chosen.columns if c < len(row))),
        rows_below=_filled_below(scan, chosen),
        sheets=names, sheet=name, tables=[t.title for t in tables], table=table or 1,
        notes=notes)


def _table_sample(blocks: Iterable[tuple[int, Sequence[Sequence[Any]]]], table: Table,
                  shown: int) -> tuple[list[list[str]], list[list[str]], bool]:
    """The first :data:`TYPE_SAMPLE_ROWS` rows of the table holding a value, as the
    stripped text of its columns (the text the import types), from ``blocks`` starting
    at its first data row; the first ``shown`` of them as a person reads them (see
    :func:`_seen`); and whether that is all of them (the table's end or the sample's
    size was reached)."""
    from tde_desktop.core.importers.sheet_text import column_texts

    data: list[list[str]] = []
    seen: list[list[str]] = []
    for first, block in blocks:
        rows = block[:max(0, table.last_row + 1 - first)]
        texts = column_texts(rows, table.columns, None, strip=True)
        for i, cells in enumerate(zip(*texts, strict=True)):
            if any(cells):
                data.append(list(cells))
                if len(seen) < shown:
                    seen.append(_seen(rows[i], table.columns, cells))
                if len(data) == TYPE_SAMPLE_ROWS:
                    return data, seen, True
        if first + len(block) > table.last_row:
            return data, seen, True
    return data, seen, False


def _seen(row: Sequence[Any], columns: list[int], cells: Sequence[str]) -> list[str]:
    """``cells`` of ``row`` as a spreadsheet shows them: a number cell to 15 significant
    digits (Excel's sum 8218656.600000001 reads 8218656.6); the import stores the
    number itself."""
    return [readable_float(row[c]) if text and c < len(row) and type(row[c]) is float
            else text for c, text in zip(columns, cells, strict=True)]


def _filled_below(scan: BlockScan, table: Table) -> int:
    """Rows under the table's end with text in one of its columns, from the cells the
    scan saw showing text (the import leaves them out)."""
    import numpy as np

    count = 0
    for first, n, _kinds, shown in scan.blocks:
        lo = max(0, table.last_row + 1 - first)
        if lo >= n:
            continue
        filled = np.zeros(n, dtype=bool)
        for c in table.columns:
            cells = shown[c] if c < len(shown) else False
            if cells is True:
                filled[:] = True
            elif cells is not False:
                filled |= np.unpackbits(cells, count=n).astype(bool)
        count += int(np.count_nonzero(filled[lo:]))
    return count
