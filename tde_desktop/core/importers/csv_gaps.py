"""A second table under a gap, seen by the fast CSV path as the Python path sees it.

:func:`.table_bounds.scan_body` ends the table at a blank row (or an empty line) with
a title and then a row of names under it. The fast path (:mod:`.fast_csv`) reads the
file as Arrow batches, where Arrow skips empty lines; these checks find the same gaps
and hand such a file to the Python path, which cuts the table there with its note.
They cost next to nothing on a file without gaps: a blank row needs a blank first
cell, and an empty line shows as more lines read than rows parsed.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tde_desktop.core.importers.arrow_insert import NotForThisPath
from tde_desktop.core.importers.dialect import Dialect

#: empty lines in a table whose next rows are looked at; with more, the Python path reads it
MOST_EMPTY_LINES = 1000
#: an empty line, as its first line end followed by another (LF, CRLF or CR-only)
_EMPTY_LINES = (b"\n\n", b"\r\n\r\n", b"\r\r")


class BlankRows:
    """Watches the batches of one file for a second table under a blank row."""

    def __init__(self, header_cells: list[str], ncols: int) -> None:
        self.header_cells = header_cells
        self.ncols = ncols
        self._gap: _Gap | None = None  # a blank row was read, and what followed it
        self._seen_data = False  # a data row was read (a gap needs one above it)

    def check(self, batch: Any) -> None:
        """Raise :class:`NotForThisPath` when a second table starts in or by ``batch``.

        Only batches with a blank first cell are looked at closely, and only the rows
        from a blank row until :class:`_Gap` is settled are read in Python.
        """
        import numpy as np
        import pyarrow.compute as pc

        from tde_desktop.core.importers.arrow_types import _EMPTY, _bools

        def blank(column: Any) -> Any:
            return pc.or_(pc.equal(column, _EMPTY), pc.utf8_is_space(column))

        n = batch.num_rows
        first = blank(batch.column(0))
        if self._gap is None and not pc.any(first).as_py():
            self._seen_data = self._seen_data or n > 0
            return
        for column in batch.columns[1:]:
            first = pc.and_(first, blank(column))
        rows = _bools(first)
        i = 0
        while i < n:
            if self._gap is None:
                blanks = np.flatnonzero(rows[i:])
                if not len(blanks):
                    self._seen_data = True
                    return
                b = i + int(blanks[0])
                self._seen_data = self._seen_data or b > i
                if not self._seen_data:  # blank rows before any data: no gap
                    i = b + 1
                    continue
                self._gap = _Gap(self.header_cells, self.ncols)
                i = b
            if self._gap.settles(list(batch.slice(i, 1).to_pylist()[0].values())):
                raise NotForThisPath("a second table starts under a blank row")
            if self._gap.over:
                self._gap = None
            i += 1


def check_empty_lines(path: Path, span: tuple[int, int] | None, encoding: str,
                      dialect: Dialect, header_cells: list[str], ncols: int) -> None:
    """Raise :class:`NotForThisPath` when a second table starts under an empty line in
    ``span`` (the bytes of the data rows), which Arrow skipped."""
    assert span is not None
    codec = "utf-8" if encoding.startswith("utf-8") else encoding
    with path.open("rb") as f:
        for seen, at in enumerate(_empty_lines(f, *span)):
            if seen == MOST_EMPTY_LINES:
                raise NotForThisPath("too many empty lines to look under")
            f.seek(max(span[0], at - (64 << 10)))
            before = f.read(at - max(span[0], at - (64 << 10)))
            if not before.strip(b"\r\n \t" + dialect.delimiter.encode()):
                continue  # no data above it: not a gap between tables
            text = f.read(64 << 10).decode(codec, errors="replace")
            gap = _Gap(header_cells, ncols)
            lines = re.split(r"\r\n|\r|\n", text)[:200]  # (not str.splitlines: \x1e...)
            for row in csv.reader(lines, **dialect.reader_options()):
                if gap.settles(row):
                    raise NotForThisPath("a second table starts under an empty line")
                if gap.over:
                    break




def _empty_lines(f: Any, start: int, end: int) -> Iterator[int]:
    """The byte positions (in ``start`` to ``end`` of the open file ``f``) right after an
    empty line's first line end, in no particular order; a few may repeat."""
    chunk = 4 << 20
    at = start
    while at < end:
        f.seek(at)
        data = f.read(min(chunk + 4, end - at))
        for needle in _EMPTY_LINES:
            i = data.find(needle)
            while i >= 0:
                yield at + i + len(needle) // 2
                i = data.find(needle, i + 1)
        at += chunk


class _Gap:
    """The rows under a blank row, as :func:`.table_bounds.scan_body` reads them: a title
    (one or two cells with letters) and then a row of names start a second table."""

    def __init__(self, header_cells: list[str], ncols: int) -> None:
        self.header_cells = header_cells
        self.need = max(2, math.ceil(ncols / 2))
        self.titled = False
        self.over = False  # a row ended the gap without a second table

    def settles(self, row: list[str]) -> bool:
        """Read the next row (the blank row first); True when a second table starts."""
        from tde_desktop.core.importers.table_bounds import _wordy

        filled = sum(1 for c in row if c and c.strip())
        if not filled:
            return False
        if row == self.header_cells:
            return True
        wordy = all(_wordy(c) for c in row if c and c.strip())
        if filled <= 2 and not self.titled and wordy:
            self.titled = True
            return False
        if self.titled and filled >= self.need and wordy:
            return True
        self.over = True
        return False
