"""The layout scan and the end of a sheet's table, a block of rows at a time.

:meth:`.excel_layout.Scan.add` and :func:`.excel_layout.find_end` say, one row at a
time, what a sheet's layout is and where its table ends. Called for every row of a
200,000-row sheet they took about as long as calamine's parse. Here the same
decisions come from blocks of rows turned into columns: a column of one kind of
value (all numbers, all text, all dates) is judged by C-speed ``map`` calls and
numpy, any other cell by cell. Only rows that could be the header again are compared
as text, and only the last rows' text is made, for the totals and notes under the
table. ``tests/core/test_sheet_blocks.py`` checks both ways agree on every workbook
we have.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.excel_layout import ERROR_VALUES, cell_text
from tde_desktop.core.importers.sheet_text import shown_texts

_NONE = type(None)
#: kinds of value that are always a real, shown cell (never empty text)
_SOLID = frozenset({int, bool, dt.date, dt.datetime, dt.time})
_MIDNIGHT = dt.time()
Mask = Any  # a numpy array of bools, one per row of a block
#: the last two blocks of rows are kept by a scan when they hold at most this many cells
TAIL_CELLS = 1 << 18


def _columns(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The block's cells by column (short rows padded with ``None``)."""
    return list(itertools.zip_longest(*rows, fillvalue=None))


def _strings(col: Sequence[Any], kinds: set[type]) -> tuple[Mask | bool, int, bool]:
    """A column of text and empty cells: (real cells, error values, any cell not '')."""
    texts = ["" if v is None else v for v in col] if _NONE in kinds else col
    errors = 0
    if "#" in "".join(texts) and not ERROR_VALUES.isdisjoint(texts):
        errors = sum(map(ERROR_VALUES.__contains__, texts))
    touched = any(texts)
    if not errors and all(map(str.strip, texts)):
        return True, 0, touched
    real = np.fromiter(map(bool, map(str.strip, texts)), dtype=bool, count=len(texts))
    if errors:
        real &= ~np.fromiter(map(ERROR_VALUES.__contains__, texts), dtype=bool,
                             count=len(texts))
    return real, errors, touched


def _real(col: Sequence[Any], kinds: set[type]) -> tuple[Mask | bool, int, bool, bool]:
    """As ``Scan.add`` sees a column: (which cells are real values, how many hold
    Excel errors, whether any is filled at all, whether a date-time is not midnight)."""
    timed = any(issubclass(k, dt.datetime) for k in kinds) and any(
        v.time() != _MIDNIGHT for v in col if isinstance(v, dt.datetime))
    if kinds <= _SOLID | {float}:
        return True, 0, True, timed
    if kinds == {_NONE}:
        return False, 0, False, False
    if kinds <= {str, _NONE}:
        return (*_strings(col, kinds), False)
    real = np.fromiter((v is not None and (not isinstance(v, str) or (
        v not in ERROR_VALUES and bool(v.strip()))) for v in col), dtype=bool, count=len(col))
    errors = sum(1 for v in col if isinstance(v, str) and v in ERROR_VALUES)
    touched = any(v is not None and v != "" for v in col)
    return real, errors, touched, timed


class BlockScan(layout.Scan):
    """A :class:`.excel_layout.Scan` made a block of rows at a time, which also keeps
    what :func:`find_end_scanned` needs to find the end of a table without reading
    the sheet again: for each block and column the kinds of value and which cells
    show text, and the last rows themselves (when they are not too many cells)."""

    def __init__(self) -> None:
        super().__init__()
        #: (first row, rows, per column: kinds of value, cells shown: True, False or bits)
        self.blocks: list[tuple[int, int, list[set[type]], list[Any]]] = []
        self.tail: deque[tuple[int, Sequence[Sequence[Any]] | None]] = deque(maxlen=2)

    def add_block(self, first: int, rows: Sequence[Sequence[Any]]) -> None:
        """Learn from ``rows`` (rows ``first``, ``first + 1``...) exactly what
        :meth:`add` learns from each of them in turn."""
        for k in range(max(0, min(len(rows), layout.SAMPLE_ROWS - first))):
            self.add_sample(rows[k])
        any_real: Mask | bool = False
        every = _columns(rows)
        reals = []
        for c, col in enumerate(every):
            real, errors, touched, timed = _real(col, set(map(type, col)))
            reals.append(real)
            self.errors += errors
            if touched and c >= len(self.col_last):
                self.col_last.extend([-1] * (c + 1 - len(self.col_last)))
            if timed:
                self.timed.add(c)
            if real is True:
                self.col_last[c] = first + len(rows) - 1
                any_real = True
            elif real is not False and real.any():
                self.col_last[c] = first + int(np.flatnonzero(real)[-1])
                any_real = real | any_real if any_real is not True else True
        if any_real is True:
            self.nonblank_rows += len(rows)
            self.last_row = first + len(rows) - 1
        elif any_real is not False:
            self.nonblank_rows += int(np.count_nonzero(any_real))
            self.last_row = first + int(np.flatnonzero(any_real)[-1])
        # The rows a header may be in are kept one by one, so a block holds either the
        # header or data, and the kinds of value in a block of data say whether the
        # header could be repeated in it.
        cuts = [k for k in range(1, len(rows)) if first + k <= layout.SAMPLE_ROWS]
        for a, b in itertools.pairwise([0, *cuts, len(rows)]):
            parts = [col[a:b] for col in every]
            kinds_of = [set(map(type, col)) for col in parts]
            self.blocks.append((first + a, b - a, kinds_of, [
                _shown_cells(col, kinds, real if isinstance(real, bool) else real[a:b])
                for col, kinds, real in zip(parts, kinds_of, reals, strict=True)]))
        self.tail.append((first, rows if len(rows) * len(every) <= TAIL_CELLS else None))


def _shown_cells(col: Sequence[Any], kinds: set[type], real: Mask | bool) -> Any:
    """Which cells show text: True (all), False (none) or a mask packed in bits."""
    if kinds <= _SOLID:
        return True
    if kinds == {float}:
        return True if math.isfinite(sum(col)) else np.packbits(_shown(col))
    if kinds <= {str, _NONE}:
        return real if isinstance(real, bool) else np.packbits(real)
    return np.packbits(_shown(col))


def _unpack(shown: Any, n: int) -> Mask:
    if shown is True or shown is False:
        return np.full(n, shown, dtype=bool)
    return np.unpackbits(shown, count=n).astype(bool)


def _shown(col: Sequence[Any]) -> Mask:
    """Which cells show some text (``cell_text`` stripped is not empty)."""
    n = len(col)
    kinds = set(map(type, col))
    if kinds <= _SOLID:
        return np.ones(n, dtype=bool)
    if kinds == {float}:
        return np.isfinite(np.array(col, dtype=np.float64))
    if kinds == {_NONE}:
        return np.zeros(n, dtype=bool)
    if kinds <= {str, _NONE}:
        real = _strings(col, kinds)[0]
        return np.ones(n, dtype=bool) if real is True else real
    return np.fromiter((bool(cell_text(v).strip()) for v in col), dtype=bool, count=n)


def _may_show(kinds: set[type], text: str) -> bool:
    """Whether a cell of one of ``kinds`` might show ``text`` (not empty): only text
    cells can show a word; numbers, dates and booleans show only their own shapes."""
    kinds = kinds - {_NONE}
    if not kinds <= _SOLID | {float}:
        return True
    if text in ("true", "false"):
        return bool in kinds
    return bool(kinds - {bool}) and (text[0].isdigit() or text[0] == "-")


def _repeats(table: layout.Table, cols: Sequence[Sequence[Any]], shown: list[Mask]
             ) -> Mask | None:
    """Which rows of a block hold the header again, as ``find_end`` compares them."""
    heads = table.header_cells
    if sum(1 for h in heads if h) < 2:  # a repeat must fill two cells at least
        return None
    if not all(_may_show(set(map(type, col)), h)
               for col, h in zip(cols, heads, strict=True) if h):
        return None
    same = np.ones(len(cols[0]), dtype=bool)
    for j, (col, h) in enumerate(zip(cols, heads, strict=True)):
        if not h:
            same &= ~shown[j]
        else:
            texts = shown_texts(col)
            same &= np.fromiter(map(h.__eq__, texts), dtype=bool, count=len(texts))
        if not same.any():
            return None
    return same


def find_end_blocks(table: layout.Table,
                    blocks: Iterable[tuple[int, Sequence[Sequence[Any]]]]) -> None:
    """What :func:`.excel_layout.find_end` decides, from blocks of raw rows (as
    ``Workbook.raw_rows`` gives them) starting at ``table.first_data``."""
    found: list[Any] = []
    filled: list[Any] = []
    repeat: int | None = None
    tail: deque[tuple[int, Sequence[Any]]] = deque(maxlen=2 * layout.MAX_FOOTER_ROWS)
    for first, block in blocks:
        rows = block[:max(0, table.last_row - first + 1)]
        if not rows:
            break
        every = _columns(rows)
        empty = (None,) * len(rows)
        cols = [every[c] if c < len(every) else empty for c in table.columns]
        shown = [_shown(col) for col in cols]
        counts = np.sum(shown, axis=0) if shown else np.zeros(len(rows), dtype=np.int64)
        same = _repeats(table, cols, shown)
        stop = len(rows)
        if same is not None and (hits := np.flatnonzero(same)).size:
            stop = int(hits[0])
            repeat = first + stop
        nonblank = np.flatnonzero(counts[:stop])
        found.append(nonblank + first)
        filled.append(counts[nonblank])
        tail.extend((first + k, rows[k]) for k in nonblank[-2 * layout.MAX_FOOTER_ROWS:].tolist())
        if repeat is not None or len(block) > len(rows):
            break
    nonblank = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    kept = list(tail)[len(tail) - min(_held(len(nonblank)), len(tail)):]
    last_rows = [(r, _row_text(row, table.columns)) for r, row in kept]
    layout.end_table(table, nonblank, np.concatenate(filled) if filled else nonblank,
                     repeat, last_rows)


def find_end_scanned(table: layout.Table, scan: BlockScan,
                     reread: Callable[[], Iterable[tuple[int, Sequence[Sequence[Any]]]]]
                     ) -> None:
    """What :func:`.excel_layout.find_end` decides, from what ``scan`` kept; the rows
    are read again (``reread()``: blocks from ``table.first_data``) only when some
    block might hold the header again or the last rows were not kept."""
    heads = table.header_cells
    if sum(1 for h in heads if h) >= 2 and any(
            all(_may_show(kinds[c] if c < len(kinds) else set(), h)
                for c, h in zip(table.columns, heads, strict=True) if h)
            for first, n, kinds, _shown in scan.blocks
            if first + n > table.first_data and first <= table.last_row):
        find_end_blocks(table, reread())
        return
    found: list[Any] = []
    filled: list[Any] = []
    for first, n, _kinds, shown in scan.blocks:
        lo, hi = max(first, table.first_data), min(first + n - 1, table.last_row)
        if lo > hi:
            continue
        counts = np.zeros(n, dtype=np.int64)
        for c in table.columns:
            if c < len(shown) and shown[c] is not False:
                counts += _unpack(shown[c], n)
        counts = counts[lo - first:hi - first + 1]
        nonblank = np.flatnonzero(counts)
        found.append(nonblank + lo)
        filled.append(counts[nonblank])
    nonblank = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    kept = {first + k: row for first, rows in scan.tail if rows is not None
            for k, row in enumerate(rows)}
    wanted = nonblank[len(nonblank) - _held(len(nonblank)):].tolist()
    if not all(r in kept for r in wanted):
        find_end_blocks(table, reread())
        return
    last_rows = [(r, _row_text(kept[r], table.columns)) for r in wanted]
    layout.end_table(table, nonblank, np.concatenate(filled) if filled else nonblank, None,
                     last_rows)


def _held(n: int) -> int:
    """How many of the last of ``n`` rows with a value :func:`.excel_layout.find_end`
    holds at the end: up to twice MAX_FOOTER_ROWS, trimmed by MAX_FOOTER_ROWS at a time."""
    most = layout.MAX_FOOTER_ROWS
    return n if n <= 2 * most else most + 1 + (n - 2 * most - 1) % most


def _row_text(row: Sequence[Any], columns: list[int]) -> list[str]:
    return [cell_text(row[c]).strip() if c < len(row) else "" for c in columns]
