"""A table into a streaming workbook: header, rows, widths, and more sheets past Excel's limit.

Every value goes through :func:`tde_desktop.core.xlsx_safe.make_cell_writer`, so text
is never a formula and no value makes the save fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from tde_desktop.core.xlsx_safe import (
    MAX_ROWS,
    CellFormats,
    CellWriter,
    clean_text,
    make_cell_writer,
    safe_sheet_name,
    sheet_names,
)


class SheetWriter:
    """Writes a header and rows to a streaming workbook, safely and in order.

    The header row is bold and frozen and carries an autofilter; column widths
    come from the header and the first ``sample_rows`` rows (held back until
    then, because a streamed sheet's widths are set before its first row).
    Past ``max_rows`` rows (Excel's limit by default) the rows continue on a new
    sheet, ``Name (2)``, with the same header. Every value goes through
    :func:`make_cell_writer`, so text is never a formula.
    """

    def __init__(self, wb: Any, title: str, headers: Sequence[str], *,
                 kinds: Sequence[str] | None = None, max_rows: int = MAX_ROWS,
                 sample_rows: int = 100, widths: Sequence[float] | None = None) -> None:
        self.wb = wb
        self.title = title
        self.headers = [str(h) for h in headers]
        self.kinds = list(kinds) if kinds is not None else ["auto"] * len(self.headers)
        self.max_rows = max(2, max_rows)
        self.sample_rows = sample_rows
        self.widths: list[float] | None = list(widths) if widths is not None else None
        self.sheets: list[Any] = []
        self.row_count = 0
        self._rows_in_sheet = 0
        self._buffer: list[Sequence[Any]] | None = [] if widths is None else None
        self._cells: list[tuple[int, CellWriter]] = []
        self._formats = CellFormats(wb)

    @property
    def sheet(self) -> Any:
        """The first sheet written (created now if no row has been written yet)."""
        if not self.sheets:
            self._flush()
        return self.sheets[0]

    def append(self, row: Sequence[Any]) -> None:
        """Add one data row (values in header order; a short row is padded)."""
        if self._buffer is not None:
            self._buffer.append(row)
            if len(self._buffer) >= self.sample_rows:
                self._flush()
            return
        if not self.sheets:
            self._flush()
        r = self._rows_in_sheet
        if r >= self.max_rows:
            self._finish_sheet()
            self._new_sheet()
            r = 1
        for (c, put), value in zip(self._cells, row, strict=False):
            put(r, c, value)
        self._rows_in_sheet = r + 1
        self.row_count += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)

    def close(self) -> list[str]:
        """Finish the last sheet; returns the names of every sheet written."""
        self._flush()
        self._finish_sheet()
        return [ws.name for ws in self.sheets]

    def _flush(self) -> None:
        if self.sheets and self._buffer is None:
            return
        buffered, self._buffer = self._buffer or [], None
        if self.widths is None:
            self.widths = column_widths(self.headers, buffered)
        self._new_sheet()
        for row in buffered:
            self.append(row)

    def _new_sheet(self) -> None:
        ws = self.wb.add_worksheet(safe_sheet_name(self.title, sheet_names(self.wb)))
        ws.freeze_panes(1, 0)
        for i, width in enumerate(self.widths or []):
            ws.set_column(i, i, width)
        self._cells = [(c, make_cell_writer(ws, self._formats, k))
                       for c, k in enumerate(self.kinds)]
        bold = self._formats.bold
        for c, h in enumerate(self.headers):
            ws.write_string(0, c, clean_text(h), bold)
        self.sheets.append(ws)
        self._rows_in_sheet = 1

    def _finish_sheet(self) -> None:
        if self.sheets and self.headers:
            self.sheets[-1].autofilter(0, 0, self._rows_in_sheet - 1, len(self.headers) - 1)


def column_widths(headers: Sequence[str], rows: Iterable[Sequence[Any]],
                  *, minimum: float = 8, maximum: float = 60) -> list[float]:
    """Widths (in Excel character units) that fit the header and the sample rows."""
    widths = [float(len(h)) + 2 for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                n = 19
            elif isinstance(value, dt.date):
                n = 10
            else:
                n = max((len(line) for line in str(value).splitlines()), default=0)
            widths[i] = max(widths[i], n + 2)
    return [min(maximum, max(minimum, w)) for w in widths]
