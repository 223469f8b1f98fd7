"""Where the table is on a spreadsheet: title rows, stacked headers, side-by-side tables.

Pure functions over one scan of a sheet, so they are cheap to test and know nothing
about openpyxl or xlrd. Rows and columns are 0-based here; people see 1-based numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.i18n import _, ngettext

SAMPLE_ROWS = 80  # the header must start within the first 80 rows
MAX_HEADER_ROWS = 5
MAX_FOOTER_ROWS = 20
_TOTAL = re.compile(r"(grand\s+)?totals?\b|total\s+general\b|sum\b|suma\b", re.IGNORECASE)
_NOTE = re.compile(r"(\*|†|‡|\(\d+\)|\d+\)|notes?\b|sources?\b|notas?\b|fuentes?\b)",
                   re.IGNORECASE)
_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ERROR_VALUES = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})


def cell_text(value: Any, timed: bool = True) -> str:
    """One cell value as text ('' for empty cells and Excel errors)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "" if value in ERROR_VALUES else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds") if timed else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    timed = not (isinstance(value, dt.datetime) and value.time() == dt.time())
    return cell_text(value, timed).strip()


class Scan:
    """What one pass over a sheet learns: extent, column use, a sample of the top."""

    def __init__(self) -> None:
        self.col_last: list[int] = []  # per column, the last row holding a value (-1: none)
        self.last_row = -1
        self.nonblank_rows = 0
        self.sample: list[list[str]] = []
        self.timed: set[int] = set()  # columns holding a date-time that is not midnight
        self.errors = 0

    def add_sample(self, row: Sequence[Any]) -> None:
        """Keep the text of one of the first :data:`SAMPLE_ROWS` rows."""
        self.sample.append([_text(v) for v in row])

    def add(self, r: int, row: Sequence[Any]) -> None:
        """Learn from row ``r`` (rows come in order from the first); the import reads
        blocks of rows instead, to the same effect (:func:`.sheet_blocks.scan_block`)."""
        filled = [(c, v) for c, v in enumerate(row) if v is not None and v != ""]
        if r < SAMPLE_ROWS:
            self.add_sample(row)
        if not filled:
            return
        width = filled[-1][0] + 1
        if width > len(self.col_last):
            self.col_last.extend([-1] * (width - len(self.col_last)))
        real = False
        for c, v in filled:
            if isinstance(v, str):
                if v in ERROR_VALUES:
                    self.errors += 1
                    continue
                if not v.strip():
                    continue
            elif isinstance(v, dt.datetime) and v.time() != dt.time():
                self.timed.add(c)
            self.col_last[c] = r
            real = True
        if real:
            self.last_row = r
            self.nonblank_rows += 1


@dataclass
class Table:
    """One table found on a sheet."""

    columns: list[int]
    header_rows: list[int]
    headers: list[str]
    first_data: int
    last_row: int
    title: str = ""
    notes: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)  # the last header row, as read


def _texty(s: str) -> bool:
    return bool(s) and not _NUMBER.fullmatch(s) and not _ISO_DATE.match(s)


def _heading(s: str) -> bool:
    """Text, or a year such as 2015, as found in stacked headers."""
    return _texty(s) or (len(s) == 4 and s.isdigit() and 1900 <= int(s) <= 2100)


def _blocks(col_last: list[int], first_row: int) -> list[list[int]]:
    """Runs of used columns separated by wholly empty columns."""
    runs: list[list[int]] = []
    for c, last in enumerate(col_last):
        if last < first_row:
            continue
        if runs and runs[-1][-1] == c - 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _has_title(sample: list[list[str]], block: list[int]) -> bool:
    """Does the block start with a title row: one or two cells, the first in its first column?"""
    for row in sample:
        cells = [c for c in block if c < len(row) and row[c]]
        if cells:
            return len(cells) <= 2 and cells[0] == block[0]
    return False


def find_tables(scan: Scan, merges: list[tuple[int, int, int, int]],
                header_row: int | None, header_rows: int | None = None) -> list[Table]:
    """The tables on a scanned sheet: usually one; several when blocks of columns
    separated by empty columns each carry their own title row (side-by-side tables).
    ``header_rows`` says how many rows the header has (see :func:`counted_header`)."""
    blocks = _blocks(scan.col_last, 0)
    if not blocks:
        raise ImportFailed(_("The sheet is empty."))
    wide = [b for b in blocks if len(b) >= 2]
    if len(wide) >= 2 and sum(_has_title(scan.sample, b) for b in wide if len(b) >= 3) >= 2:
        return [_table(scan, b, merges, header_row, header_rows) for b in wide]
    return [_table(scan, [c for b in blocks for c in b], merges, header_row, header_rows)]


def counted_header(found: list[int], count: int, forced: bool, available: int) -> list[int]:
    """The header rows (0-based) when a person says the header has ``count`` rows.

    From a header row the person gave, ``count`` rows down. Otherwise, fewer rows than
    were found keep the last ones (the names just above the data; the rows over them are
    left out as rows above), and more rows add the rows under those found. Raises
    :class:`ImportFailed` when the rows would run past the end of the data.
    """
    if count < 1:
        raise ImportFailed(_("A header has at least one row."))
    start = found[0] if forced or count >= len(found) else found[-1] - count + 1
    if start + count > available:
        raise ImportFailed(ngettext(
            "A header of {n} row from row {row} would run past the end of the data.",
            "A header of {n} rows from row {row} would run past the end of the data.",
            count).format(n=count, row=start + 1))
    return list(range(start, start + count))


def _table(scan: Scan, columns: list[int], merges: list[tuple[int, int, int, int]],
           header_row: int | None, count: int | None = None) -> Table:
    rows = [[row[c] if c < len(row) else "" for c in columns] for row in scan.sample]
    counts = [sum(1 for v in row if v) for row in rows]
    nonblank = [i for i, n in enumerate(counts) if n]
    if header_row is not None:
        h = header_row - 1
        if h < 0 or h > scan.last_row:
            raise ImportFailed(_("Row {n} is outside the data of this sheet.").format(
                n=header_row))
        header_rows = [h]
    elif not nonblank:
        raise ImportFailed(ngettext(
            "The first {n} row of the sheet is empty; give the header row number.",
            "The first {n} rows of the sheet are empty; give the header row number.",
            SAMPLE_ROWS).format(n=SAMPLE_ROWS))
    else:
        header_rows = find_header_rows(rows, merges, columns)
    if count is not None:
        header_rows = counted_header(header_rows, count, header_row is not None,
                                     scan.last_row + 1)
    # a sheet that merges no cells is read as the same table saved as text is
    filled = _fill_merges(scan.sample, header_rows,
                          merges or _text_spans(rows, columns, header_rows))
    kept = [c for c in columns if scan.col_last[c] >= header_rows[0]]
    headers = []
    for c in kept:
        parts: list[str] = []
        for r in header_rows:
            value = filled.get((r, c))
            if value is None:
                row = scan.sample[r] if r < len(scan.sample) else []
                value = row[c] if c < len(row) else ""
            if value and (not parts or parts[-1] != value):
                parts.append(value)
        headers.append(" ".join(parts))
    skipped = [i for i in nonblank if i < header_rows[0]]
    title = " / ".join(" ".join(dict.fromkeys(v for v in rows[i] if v))
                       for i in skipped if counts[i] <= 2)
    notes = []
    if skipped and header_row is None:
        notes.append(_("The rows above the table ({title}) were not imported; the header is "
                       "row {row}.").format(title=title or "...", row=header_rows[0] + 1))
    if len(header_rows) > 1:
        notes.append(ngettext(
            "The column names were made from {n} header row ({first} to {last}).",
            "The column names were made from {n} header rows ({first} to {last}).",
            len(header_rows)).format(n=len(header_rows), first=header_rows[0] + 1,
                                     last=header_rows[-1] + 1))
    last = max((scan.col_last[c] for c in kept), default=header_rows[-1])
    header_cells = [row[c] if c < len(row) else "" for c in kept
                    for row in [scan.sample[header_rows[-1]] if header_rows[-1] < len(scan.sample)
                                else []]]
    return Table(columns=kept, header_rows=header_rows, headers=headers,
                 first_data=header_rows[-1] + 1, last_row=last, title=title, notes=notes,
                 header_cells=header_cells)


def find_end(table: Table, rows: Iterable[tuple[int, list[str]]]) -> None:
    """Move ``table.last_row`` up to where the table really ends, with a note saying why.

    Three things end a printed table early: the same header again (the next table of a
    report, under its own title row), a short tail of notes or totals after two or
    more empty rows (at most a tenth of the rows above it), and totals or footnotes
    right under the last row (see :func:`is_footer_row`).
    """
    nonblank: list[int] = []
    counts: list[int] = []
    repeat: int | None = None
    last_rows: list[tuple[int, list[str]]] = []  # the last nonblank rows: totals, notes?
    for r, cells in rows:
        if r > table.last_row:
            break
        filled = sum(1 for v in cells if v)
        if not filled:
            continue
        if cells == table.header_cells and filled > 1:
            repeat = r
            break
        nonblank.append(r)
        counts.append(filled)
        last_rows.append((r, cells))
        if len(last_rows) > 2 * MAX_FOOTER_ROWS:
            del last_rows[:MAX_FOOTER_ROWS]
    end_table(table, nonblank, counts, repeat, last_rows)


def end_table(table: Table, nonblank: Sequence[int] | Any, counts: Sequence[int] | Any,
              repeat: int | None, last_rows: list[tuple[int, list[str]]]) -> None:
    """The decisions of :func:`find_end` from what one pass over the table's rows found:
    the rows with a value (0-based, in order) and how many cells each fills, the row
    holding the header again (``None``: none), and the last rows with a value as text
    (as many as :func:`find_end` holds). The same inputs give the same decisions,
    however the pass was made."""
    import numpy as np  # (not at the top: see sheet_text)

    rows = np.asarray(nonblank, dtype=np.int64)
    if repeat is not None:
        wide = np.flatnonzero(np.asarray(counts, dtype=np.int64) > 2)
        start = int(wide[-1]) + 1 if len(wide) else 0  # a title row or two above it
        before = int(rows[start]) if start < len(rows) else repeat
        rows = rows[:start]
        table.notes.append(_("Another table starts at row {row} with the same column "
                             "names; only the table above it was imported.").format(
            row=before + 1))
        table.last_row = int(rows[-1]) if len(rows) else table.first_data - 1
    k = np.arange(1, len(rows))
    gaps = np.flatnonzero((np.diff(rows) >= 3) & (len(rows) - k <= np.maximum(2, k // 10)))
    if len(gaps):
        k0 = int(gaps[0]) + 1
        table.notes.append(_("Rows {first} to {last} come after empty rows at the end and "
                             "look like notes or totals, not data; they were not "
                             "imported.").format(first=int(rows[k0]) + 1,
                                                 last=int(rows[-1]) + 1))
        table.last_row = int(rows[k0 - 1])
        return
    _drop_footer(table, [(r, cells) for r, cells in last_rows if r <= table.last_row])


def _drop_footer(table: Table, tail: list[tuple[int, list[str]]]) -> None:
    """Leave out totals and notes right under the table (no empty rows between)."""
    cells = [c for _r, c in tail]
    first = footer_start(cells, len(table.columns))
    if first < len(cells) and tail[first][0] > table.first_data:
        table.notes.append(footer_note(cells[first:])[1])
        table.last_row = tail[first][0] - 1


def is_footer_row(cells: list[str], width: int) -> bool:
    """A total, a footnote or a note, as found under a table (not a data row)."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    lead = next(c for c in cells[:2] if c) if any(cells[:2]) else ""
    if lead and _TOTAL.match(lead):
        return True
    note = _NOTE.match(filled[0]) if filled[0] == cells[0] else None
    if note and len(filled) <= 2:
        # a marker with its words: "* Lots counted on 1 March", or "(1)" then a sentence
        # in the next cell; a bare "*" beside a number is a value of a data row
        said = filled[0][note.end():].strip(" :.-")
        if (len(filled) == 1 and said) or (len(filled) == 2 and _texty(filled[1])
                                           and " " in filled[1].strip()):
            return True
    # one sentence alone under a wide table: a note (words, not a lone ':' or a code)
    return (width >= 3 and len(filled) == 1 and filled[0] == cells[0] and _texty(filled[0])
            and sum(ch.isalpha() for ch in filled[0]) >= 3)


def footer_start(rows: list[list[str]], width: int) -> int:
    """Where the totals, notes and empty rows at the end of ``rows`` start (``len(rows)``:
    none)."""
    i = len(rows)
    while i > 0 and len(rows) - i < MAX_FOOTER_ROWS:
        cells = [c.strip() for c in rows[i - 1]]
        if any(cells) and not is_footer_row(cells, width):
            break
        i -= 1
    return i


def footer_note(rows: list[list[str]]) -> tuple[int, str]:
    """How many of ``rows`` (the totals and notes under a table) hold text, and the note
    that says they were left out, quoting them."""
    shown = [" ".join(c.strip() for c in r if c.strip()) for r in rows]
    shown = [s for s in shown if s]
    text = " / ".join(shown)
    if len(text) > 80:
        text = text[:77] + "..."
    return len(shown), ngettext(
        "The last row ({text}) looks like a total or a note, not data; it was not imported.",
        "The last {n} rows ({text}) look like totals or notes, not data; they were not "
        "imported.", len(shown)).format(n=len(shown), text=text)


def find_header_rows(rows: list[list[str]], merges: list[tuple[int, int, int, int]],
                     columns: list[int], min_names: int = 1) -> list[int]:
    """The header rows (0-based, top to bottom) among the first rows of a table, given as
    stripped text cells; ``columns`` are the sheet columns the cells stand for. Also used
    for delimited text, so a CSV and a sheet of the same layout are read alike; there a
    header needs ``min_names`` names at least (a one-cell title is not the header of two
    columns)."""
    counts = [sum(1 for v in row if v) for row in rows]
    nonblank = [i for i, n in enumerate(counts) if n]
    if not nonblank:
        return [0]
    h = _header_row(rows, counts, nonblank, min_names)
    return [*_above(rows, counts, h), h, *_below(rows, counts, h, columns, merges)]


def _header_row(rows: list[list[str]], counts: list[int], nonblank: list[int],
                min_names: int = 1) -> int:
    """The first row about as wide as the table and mostly text; else the first wide row
    when it holds names and years ('Department, 2022, 2023' under a title), else the
    first row."""
    wide = sorted(n for n in counts if n > 2)
    width = wide[len(wide) // 2] if wide else max(counts)
    # (a two-column table needs both names: a one-cell title row is not its header)
    need = max(min(min_names, width), math.ceil(width * 0.5))
    for i in nonblank:
        values = [v for v in rows[i] if v]
        if counts[i] >= need and sum(map(_texty, values)) >= 0.6 * len(values):
            return i
    first_wide = next((i for i in nonblank if counts[i] >= need), None)
    if first_wide is not None:
        values = [v for v in rows[first_wide] if v]
        if all(map(_heading, values)) and any(map(_texty, values)):
            return first_wide
    return nonblank[0]


def _above(rows: list[list[str]], counts: list[int], h: int) -> list[int]:
    """Header rows stacked above ``h``: text over single columns, never in the first
    column (where titles sit), no wider than the header row itself."""
    found: list[int] = []
    for r in range(h - 1, max(-1, h - MAX_HEADER_ROWS), -1):
        row = rows[r]
        if not counts[r] or row[0] or counts[r] > counts[h]:
            break
        if not all(_heading(v) for v in row if v):
            break
        found.insert(0, r)
    return found


def _below(rows: list[list[str]], counts: list[int], h: int, columns: list[int],
           merges: list[tuple[int, int, int, int]]) -> list[int]:
    """Header rows stacked under ``h``, when ``h`` looks like a group heading: its cells
    repeat (Fiscal Year, Fiscal Year...) or span several columns. The run must end at a
    blank row or a row with numbers, or it was probably text data all along."""
    values = [v for v in rows[h] if v]
    spans = any(r0 <= h <= r1 and c1 > c0 and c0 in columns for r0, c0, r1, c1 in merges)
    if len(set(values)) == len(values) and not spans:
        return []
    found: list[int] = []
    r = h + 1
    while r < len(rows) and len(found) < MAX_HEADER_ROWS - 1:
        if not counts[r] or not all(_heading(v) for v in rows[r] if v):
            return found
        found.append(r)
        r += 1
    return found if r >= len(rows) or not counts[r] else []


def spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Where no cells are merged (a text file, a sheet centred across a selection): each
    name of a sparse row spans the empty cells to its right, up to the next name."""
    merges = []
    for r, row in enumerate(rows):
        if 2 * sum(1 for v in row if v) > len(row):  # a row of names with a gap, not groups
            continue
        filled = [c for c, v in enumerate(row) if v] + [len(row)]
        for c, nxt in zip(filled, filled[1:], strict=False):
            if nxt - 1 > c:
                merges.append((r, c, r, nxt - 1))
    return merges


def _text_spans(rows: list[list[str]], columns: list[int],
                header_rows: list[int]) -> list[tuple[int, int, int, int]]:
    """:func:`spans` of the header rows over the last one, in sheet columns (``rows``
    hold the cells of ``columns``)."""
    return [(r, columns[c0], r, columns[c1]) for r in header_rows[:-1] if r < len(rows)
            for _r, c0, _r1, c1 in spans([rows[r]])]


def _fill_merges(sample: list[list[str]], header_rows: list[int],
                 merges: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], str]:
    """Header cells covered by a merged range, each given the range's value."""
    filled: dict[tuple[int, int], str] = {}
    wanted = set(header_rows)
    for r0, c0, r1, c1 in merges:
        if r0 >= len(sample) or not wanted.intersection(range(r0, r1 + 1)):
            continue
        row = sample[r0]
        value = row[c0] if c0 < len(row) else ""
        for r in range(r0, r1 + 1):
            if r in wanted:
                for c in range(c0, c1 + 1):
                    filled[(r, c)] = value
    return filled
