"""The header of a table: which of its first rows hold the column names, and the names.

Pure functions over rows of stripped text cells, shared by sheets
(:mod:`.excel_layout`) and delimited text (:mod:`.table_bounds`), so that a CSV and a
sheet of the same layout are read alike: a header row is about as wide as the table
and mostly text; rows of group headings stack above or below it ("Fiscal Year / 2015
/ Actual"), spread over the columns their merged cells (or, where nothing is merged,
their empty neighbours) cover. Rows and columns are 0-based here.
"""

from __future__ import annotations

import math
import re

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.i18n import _, ngettext

MAX_HEADER_ROWS = 5
_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _texty(s: str) -> bool:
    return bool(s) and not _NUMBER.fullmatch(s) and not _ISO_DATE.match(s)


def _heading(s: str) -> bool:
    """Text, or a year such as 2015, as found in stacked headers."""
    return _texty(s) or (len(s) == 4 and s.isdigit() and 1900 <= int(s) <= 2100)


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
