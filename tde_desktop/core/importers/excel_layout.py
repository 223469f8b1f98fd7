"""Where the table is on a spreadsheet: title rows, side-by-side tables, where it ends.

Pure functions over one scan of a sheet, so they are cheap to test and know nothing
about the reader. Which rows hold the header, and the names it gives, are found by
:mod:`.sheet_header`. Rows and columns are 0-based here; people see 1-based numbers.
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
from tde_desktop.core.importers.sheet_header import (
    _fill_merges,
    _text_spans,
    _texty,
    counted_header,
    find_header_rows,
)
from tde_desktop.core.numbers import readable_float

SAMPLE_ROWS = 80  # the header must start within the first 80 rows
MAX_FOOTER_ROWS = 20
_LONG_DECIMAL = re.compile(r"-?\d+\.\d+")
_TOTAL = re.compile(r"(grand\s+)?totals?\b|total\s+general\b|sum\b|suma\b", re.IGNORECASE)
_NOTE = re.compile(r"(\*|†|‡|\(\d+\)|\d+\)|notes?\b|sources?\b|notas?\b|fuentes?\b)",
                   re.IGNORECASE)
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


def _quoted(text: str) -> str:
    """A cell quoted in a note: a number with more digits than a spreadsheet shows
    (Excel's sum 2373758954.3199997) as it shows it (2373758954.32)."""
    if len(text) > 16 and _LONG_DECIMAL.fullmatch(text):
        return readable_float(float(text))
    return text


def footer_note(rows: list[list[str]]) -> tuple[int, str]:
    """How many of ``rows`` (the totals and notes under a table) hold text, and the note
    that says they were left out, quoting them."""
    shown = [" ".join(_quoted(c.strip()) for c in r if c.strip()) for r in rows]
    shown = [s for s in shown if s]
    text = " / ".join(shown)
    if len(text) > 80:
        text = text[:77] + "..."
    return len(shown), ngettext(
        "The last row ({text}) looks like a total or a note, not data; it was not imported.",
        "The last {n} rows ({text}) look like totals or notes, not data; they were not "
        "imported.", len(shown)).format(n=len(shown), text=text)
