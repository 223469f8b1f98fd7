"""One table of an .xlsx sheet imported in one pass over a stream of its rows.

The calamine way reads a sheet twice: a layout scan (title rows, stacked headers,
side-by-side tables, totals and notes at the end), then the typed write. Here the
rows are read once, from :mod:`.sheet_stream`: the layout is decided from the head of
the sheet (its first :data:`HEAD_ROWS` rows, held), the rows are written as they come,
and the last rows are held back until the stream ends. Then the scan of the whole
sheet decides as the calamine way does; the rows written stand if every decision
is the one made from the head:

- the same tables, with the same columns and header, and the same date-time columns;
- no row written below where the table really ends (totals, notes, a second table).

Otherwise they are let go and the rows are written again from a new stream, by the
whole sheet's decisions. Nothing is written, and :func:`import_streamed` returns
``None``, for an Excel error value in a cell (the stream gives its text, calamine an
empty cell; the same text typed in a cell is that text from both), anything but an
.xlsx/.xlsm with python-calamine-plus installed, a stream that fails, a choice of
sheet or table it cannot make alone, or an import the fast writer does not take: the
caller then imports the calamine way. When the fast writer needs a second pass (a
type changed after writing began), the stream is read again too.
"""

from __future__ import annotations

import copy
import itertools
import logging
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import Cancelled, ProgressCallback, TdeError, report
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers import excel_import
from tde_desktop.core.importers import excel_layout as layout
from tde_desktop.core.importers.sheet_stream import NotStreamed, StreamWorkbook
from tde_desktop.core.importers.sheet_text import column_texts
from tde_desktop.core.importers.writer import Provenance
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.core.pack.check import file_sha256

log = logging.getLogger(__name__)

#: rows read before the layout is decided (the header is within the first 80)
HEAD_ROWS = 4096


class _Guessed(Exception):
    """The stream cannot give what the calamine way gives: that way imports the sheet."""


class _Redo(Exception):
    """A decision made from the head of the sheet did not hold for the whole sheet,
    whose scan has the right ones: the rows are written again from a new stream."""


def import_streamed(pack: Pack, path: Path, provenance: Provenance, *,
                    sheet: str | None, header_row: int | None, table: int | None,
                    header_rows: int | None, type_overrides: dict[str, str] | None,
                    progress: ProgressCallback | None) -> DatasetInfo | None:
    """What :func:`.excel_import.import_excel` imports, in one pass over the rows; or
    ``None``, with nothing written, when this cannot be sure of the same result."""
    try:
        book = StreamWorkbook(path)
    except NotStreamed as exc:
        log.info("not streamed (%s)", exc)
        return None
    provenance = copy.deepcopy(provenance)  # (the caller's is as it was if this gives up)
    try:
        return _Import(book, pack, provenance, sheet, (header_row, table, header_rows),
                       type_overrides, progress).run()
    except _Guessed as exc:
        log.info("the head of the sheet did not tell its layout (%s)", exc)
        return None
    except Cancelled:
        raise
    except TdeError as exc:  # (an ImportFailed: the calamine way says it, or does better)
        log.info("left to the calamine way (%s)", exc)
        return None
    except Exception as exc:  # noqa: BLE001 - a stream reader error: the calamine way
        log.info("the stream failed (%s: %s)", type(exc).__name__, exc)
        return None
    finally:
        book.close()


class _Import:
    """The state of one streamed import (see the module's notes)."""

    def __init__(self, book: StreamWorkbook, pack: Pack, provenance: Provenance,
                 sheet: str | None, choice: tuple[int | None, int | None, int | None],
                 type_overrides: dict[str, str] | None, progress: ProgressCallback | None
                 ) -> None:
        self.book, self.pack, self.provenance = book, pack, provenance
        self.asked = sheet
        self.header_row, self.table, self.header_rows = choice
        self.type_overrides, self.progress = type_overrides, progress
        self.warnings: list[str] = []
        self.final: layout.Table | None = None  # (once the whole sheet was scanned)
        self.name = ""
        self.total = 0

    def _sheet_name(self) -> str:
        sheets = self.book.sheets()
        names = [n for n, _v in sheets]
        if self.asked is not None:
            match = next((n for n in names if n == self.asked), None) or next(
                (n for n in names if n.casefold() == self.asked.strip().casefold()), None)
            if match is None:
                raise _Guessed("no such sheet")
            return match
        visible = [n for n, v in sheets if v]
        if not visible:
            raise _Guessed("no visible sheet")
        others = visible[1:]
        if others:
            self.warnings.append(ngettext(
                "This workbook has {n} sheet; the first with data, {sheet}, was imported. "
                "Import the file again and choose a sheet to get another: {others}.",
                "This workbook has {n} sheets; the first with data, {sheet}, was imported. "
                "Import the file again and choose a sheet to get another: {others}.",
                len(sheets)).format(n=len(sheets), sheet=visible[0], others=", ".join(others)))
        return visible[0]

    def _rows(self) -> Iterator[tuple[int, list[Sequence[Any]]]]:
        """Blocks of rows of the stream, as ``excel_import._row_blocks`` gives them."""
        rows = self.book.stream(self.name).iter_rows()
        r = 0
        while block := list(itertools.islice(rows, excel_import.BLOCK_ROWS)):
            yield r, list[Sequence[Any]](block)
            r += len(block)

    def _tables(self, scan: Any) -> tuple[list[layout.Table], layout.Table]:
        merges = self.book.merges(self.name)
        tables = layout.find_tables(scan, merges, self.header_row, self.header_rows)
        if self.table is not None and not 1 <= self.table <= len(tables):
            raise _Guessed("no such table")
        return tables, tables[(self.table or 1) - 1]

    def run(self) -> DatasetInfo | None:
        self.name = self._sheet_name()
        sheet = self.book.stream(self.name)
        # (numpy, which sheet_blocks loads, comes after the sheet, as the calamine way
        # has it: see tests/core/test_excel_memory.py)
        from tde_desktop.core.importers import sheet_blocks

        self.total = max(1, sheet.total_height)
        scan = sheet_blocks.BlockScan()
        stream = self._rows()
        head: list[tuple[int, list[Sequence[Any]]]] = []
        with paused_gc():
            for r, block in stream:
                scan.add_block(r, block)
                head.append((r, block))
                self._report(r + len(block))
                if r + len(block) >= HEAD_ROWS:
                    break
        if scan.last_row < 0:
            raise _Guessed("no data in the head")  # (an empty sheet: the calamine way)
        guessed, chosen = self._tables(scan)
        timed = scan.timed & set(chosen.columns)
        writing = _Writing(self, scan, head, stream, chosen, timed, guessed)
        self.provenance.format = "xlsx"
        try:
            info = self._write(writing.blocks, chosen)
        except _Redo as exc:  # (nothing was written: the scan of the whole sheet decides)
            log.info("written again: %s", exc)
            final = self.final
            assert final is not None
            info = self._write(lambda: excel_import._text_blocks(
                self.book, self.name, final, scan.timed), final)
        if info is not None:
            log.info("imported in %d pass(es) over the sheet", self.book.passes)
        return info

    def _write(self, blocks: Any, table: layout.Table) -> DatasetInfo | None:
        # (the writer the calamine way uses, looked up where tests put a spy on it)
        info: DatasetInfo | None = excel_import.write_text_columns(  # type: ignore[attr-defined]
            self.pack, blocks, list(table.headers), self.provenance,
            sha256=lambda: file_sha256(self.book.path), warnings=self.warnings,
            progress=self.progress, type_overrides=self.type_overrides,
            release=self.book.let_go)
        return info

    def _report(self, done: int) -> None:
        report(self.progress, min(done, self.total), self.total,
               _("Reading sheet {sheet}").format(sheet=self.name))

    def finish(self, scan: Any, guessed: list[layout.Table], chosen: layout.Table,
               timed: set[int], written_to: int) -> layout.Table:
        """The whole sheet's decisions, as the calamine way makes them from its scan,
        with the notes and import options they give; raises :class:`_Redo` when they
        are not the guessed ones (and :class:`_Guessed` for Excel error values)."""
        from tde_desktop.core.importers import sheet_blocks

        if scan.errors and self.book.stream(self.name).error_cells:
            raise _Guessed("Excel error values")
        tables, final = self._tables(scan)
        sheet_blocks.find_end_scanned(final, scan, lambda: _again(self, final.first_data))
        self.warnings += excel_import.table_notes(self.name, tables, self.table, final, scan)
        self.provenance.import_options = {
            **self.provenance.import_options, "sheet": self.name,
            "header_row": final.header_rows[0] + 1,
            "header_rows": [r + 1 for r in final.header_rows],
            "table": self.table or 1, "tables_on_sheet": len(tables),
            "types": dict(self.type_overrides or {}),
        }
        self.final = final
        self.check(guessed, tables, chosen, final, timed, scan.timed, written_to)
        return final

    @staticmethod
    def check(guessed: list[layout.Table], tables: list[layout.Table], chosen: layout.Table,
              final: layout.Table, timed: set[int], now_timed: set[int], written_to: int
              ) -> None:
        """Raise :class:`_Redo` unless the rows written hold for the whole sheet."""
        if [_decided(t) for t in tables] != [_decided(t) for t in guessed] or \
                _decided(final) != _decided(chosen):
            raise _Redo("the tables changed")
        if now_timed & set(final.columns) != timed:
            raise _Redo("a date-time column")
        if written_to > final.last_row:
            raise _Redo("rows were written under the end of the table")


def _decided(table: layout.Table) -> dict[str, Any]:
    """What the head of a sheet decides of a table: all but where it ends."""
    return {k: v for k, v in vars(table).items() if k != "last_row"}


def _again(state: _Import, first: int) -> Iterator[tuple[int, list[Sequence[Any]]]]:
    """The sheet's blocks from row ``first``, read again."""
    yield from excel_import._row_blocks(state.book, state.name, first, None)


class _Writing:
    """The blocks of text the fast writer asks for: the first time from the one pass
    (scanning as it goes), again from a new stream if it asks again."""

    #: raw blocks held back from the writer until the stream ends
    HOLD = 2

    def __init__(self, state: _Import, scan: Any, head: list[tuple[int, list[Sequence[Any]]]],
                 stream: Iterator[tuple[int, list[Sequence[Any]]]], chosen: layout.Table,
                 timed: set[int], guessed: list[layout.Table]) -> None:
        self.state, self.scan, self.head, self.stream = state, scan, head, stream
        self.chosen, self.timed, self.guessed = chosen, timed, guessed
        self.final: layout.Table | None = None

    def blocks(self) -> Iterator[tuple[list[Any], tuple[int, int]]]:
        if self.final is not None:  # (a second pass: everything is known)
            yield from excel_import._text_blocks(self.state.book, self.state.name,
                                                 self.final, self.scan.timed)
            return
        yield from self._one_pass()

    def _one_pass(self) -> Iterator[tuple[list[Any], tuple[int, int]]]:
        """The rows in blocks from the table's first row, as ``_text_blocks`` gives
        them, while the rest of the sheet is scanned; the last blocks once it ended."""
        t, n = self.chosen, excel_import.BLOCK_ROWS
        pending: list[Sequence[Any]] = []  # rows from ``start`` not yet in a block
        start = t.first_data
        held: deque[tuple[int, list[Sequence[Any]]]] = deque()
        written_to = -1
        scanned = self.head[-1][0] + len(self.head[-1][1])
        source = itertools.chain(self.head, self.stream)
        self.head = []
        with paused_gc():
            for r, block in source:
                if r >= scanned:
                    self.scan.add_block(r, block)
                held.append((r, block))
                while len(held) > self.HOLD:
                    first, rows = held.popleft()
                    pending.extend(rows[max(0, t.first_data - first):])
                    while len(pending) >= n:
                        done = self._text(pending[:n])
                        del pending[:n]
                        written_to = start + n - 1
                        start += n
                        if done is not None:
                            yield done, (start, self.state.total)
            final = self.state.finish(self.scan, self.guessed, t, self.timed, written_to)
            self.final = final
            for first, rows in held:
                pending.extend(rows[max(0, t.first_data - first):])
            del pending[max(0, final.last_row + 1 - start):]
            for k in range(0, len(pending), n):
                done = self._text(pending[k:k + n])
                if done is not None:
                    yield done, (start + k + n, final.last_row + 1)

    def _text(self, rows: list[Sequence[Any]]) -> list[Any] | None:
        """The table's columns of ``rows`` as text, without its empty rows (``None``
        when all are empty), as ``excel_import._text_blocks`` makes them."""
        texts = column_texts(rows, self.chosen.columns, self.timed, strip=False,
                             numbers=True)
        if all(isinstance(x, list) for x in texts):
            keep = [k for k, cells in enumerate(zip(*texts, strict=True)) if any(cells)]
            if not keep:
                return None
            if len(keep) < len(rows):
                texts = [[col[k] for k in keep] for col in texts]
        return texts
