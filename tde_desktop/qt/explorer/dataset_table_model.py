"""A table model over one dataset in the pack, read page by page.

The table is never read whole: rows come from :func:`paging.fetch_rows` in pages
of :data:`PAGE_SIZE`, and only the :data:`MAX_PAGES` most recently used pages
are kept, so scrolling a 2.5-million-row dataset costs the same memory as a
small one. Each page keeps its cells already formatted as text next to the
values (a float to 15 significant digits, as a spreadsheet shows it: Excel's sum
8218656.600000001 reads 8218656.6), so the view's many repeated ``data()`` calls
per repaint are lookups.
``rowCount`` is the cached count of rows that match the current
filters; the explorer computes it in the background (ops) and hands it in.

A page that would need a long scan (a jump deep into a filtered or sorted
table, where SQLite must step over every row before it) is never read on the
UI thread: ``data()`` shows a placeholder and asks a background job, on a
read-only connection of its own, for the pages last asked for; when they
arrive the rows are repainted. Cheap pages (rowid seeks, the first page, the
page after one already read) are read at once, so the first rows appear
without a flicker.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from tde_desktop.core.explore import paging
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number, readable_float
from tde_desktop.core.pack import ColumnInfo, DatasetInfo
from tde_desktop.qt.common.ops import plain_tooltip, run_op
from tde_desktop.qt.common.shown_text import SHOWN_LIMIT, shown_text
from tde_desktop.qt.explorer.column_labels import column_tooltip, shown_label

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_PAGES = 40
#: pages waiting for the background reader; older requests (scrolled past) are dropped
MAX_WANTED = 3
NUMERIC_TYPES = {"integer", "number"}
#: what a cell shows while its page is being read
PLACEHOLDER = "\u2026"

# Roles and flags as plain ints: data() runs thousands of times per repaint, and
# combining Qt's enums costs more than the lookup itself.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ACCESSIBLE_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole.value)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

AnyIndex = QModelIndex | QPersistentModelIndex


class DatasetTableModel(QAbstractTableModel):
    """Read-only rows of ``dataset`` that match ``filters``, in the chosen order."""

    def __init__(self, conn: sqlite3.Connection, dataset: DatasetInfo,
                 filters: Sequence[Filter] = (), count: int | None = None,
                 parent: Any = None, pack_path: str | Path | None = None) -> None:
        super().__init__(parent)
        # The background reader needs the file; an in-memory database reads synchronously.
        self.pack_path = Path(pack_path) if pack_path else _file_of(conn)
        self._generation = 0  # changes with filters and sort: older results are dropped
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._loading: list[int] = []  # pages the background job is reading now
        self._background_failed = False
        self._dispatch_timer = QTimer(self)
        self._dispatch_timer.setSingleShot(True)
        self._dispatch_timer.setInterval(0)
        self._dispatch_timer.timeout.connect(self._dispatch)
        self.pages_loaded_in_background = 0  # for tests
        self.conn = conn
        self.dataset = dataset
        self.columns: list[ColumnInfo] = list(dataset.columns)
        self.filters: tuple[Filter, ...] = tuple(filters)
        self.order_by: str | None = None
        self.descending = False
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._texts: dict[int, list[tuple[str, ...]]] = {}  # the same pages, as cell text
        self._last: tuple[int, list[tuple[str, ...]]] | None = None  # the page read last
        self._count = self._shown_count(self._compute_count() if count is None else count)
        self.pages_fetched = 0  # for tests: proves the table is read in pages
        self._align = [int((_RIGHT if c.type in NUMERIC_TYPES else _LEFT).value)
                       for c in self.columns]

    # -- state changes -------------------------------------------------------------------

    def _compute_count(self) -> int:
        if not self.filters:
            return int(self.dataset.row_count)
        return int(paging.count_rows(self.conn, self.dataset.table_name, self.filters))

    def _shown_count(self, count: int) -> int:
        """``count``, but never more rows than the table can hold (see paging.row_bound)."""
        return min(count, paging.row_bound(self.conn, self.dataset.table_name))

    def set_filters(self, filters: Sequence[Filter], count: int | None = None) -> None:
        """Show only rows matching ``filters``; ``count`` saves a count if already known."""
        self.beginResetModel()
        self.filters = tuple(filters)
        self._forget_pages()
        self._count = self._shown_count(self._compute_count() if count is None else count)
        self.endResetModel()

    def set_descriptions(self, columns: list[ColumnInfo]) -> None:
        """Refresh header tooltips after the data dictionary changed."""
        self.columns = list(columns)
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by a column (missing values first when ascending, as SQLite does)."""
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self.order_by = self.columns[column].name
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._forget_pages()
        # Every persistent index now points at a different row; drop them.
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [QModelIndex()] * len(old))
        self.layoutChanged.emit()

    def _forget_pages(self) -> None:
        self._pages.clear()
        self._texts.clear()
        self._last = None
        self._generation += 1
        self._wanted.clear()
        self._loading = []

    @property
    def count(self) -> int:
        return self._count

    # -- paging --------------------------------------------------------------------------------

    def _page(self, number: int) -> list[tuple[Any, ...]]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = [tuple(r) for r in paging.fetch_rows(
            self.conn, self.dataset.table_name, [c.name for c in self.columns],
            filters=self.filters, order_by=self.order_by, descending=self.descending,
            offset=number * PAGE_SIZE, limit=PAGE_SIZE, total=self._count)]
        self.pages_fetched += 1
        self._store(number, page)
        return page

    def _store(self, number: int, page: list[tuple[Any, ...]]) -> None:
        self._pages[number] = page
        self._pages.move_to_end(number)
        self._texts[number] = [tuple("" if v is None else readable_float(v)
                                     if type(v) is float else str(v) for v in r)
                               for r in page]
        while len(self._pages) > MAX_PAGES:
            old, _rows = self._pages.popitem(last=False)
            self._texts.pop(old, None)

    def _shown_page(self, number: int) -> list[tuple[Any, ...]] | None:
        """The page if it is cached or cheap to read now; else None, and it is requested."""
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if number in self._wanted or number in self._loading:
            return None
        if (self.pack_path is None or self._background_failed or paging.page_is_cheap(
                self.conn, self.dataset.table_name, self.filters, self.order_by,
                self.descending, number * PAGE_SIZE)):
            return self._page(number)
        self._wanted[number] = None
        while len(self._wanted) > MAX_WANTED:
            self._wanted.popitem(last=False)
        if not self._loading and not self._dispatch_timer.isActive():
            self._dispatch_timer.start()
        return None

    def is_loading(self, row: int) -> bool:
        """True while ``row``'s page is being read in the background (it shows placeholders)."""
        number = row // PAGE_SIZE
        return number not in self._pages and (number in self._wanted or number in self._loading)

    # -- the background reader ---------------------------------------------------------------

    def _dispatch(self) -> None:
        """Read the pages asked for last in one background job (one job at a time)."""
        if self._loading or not self._wanted or self.pack_path is None:
            return
        pages = sorted(self._wanted)  # in order: each page after the first is a keyset read
        self._wanted.clear()
        self._loading = pages
        generation = self._generation
        path, table = self.pack_path, self.dataset.table_name
        columns = [c.name for c in self.columns]
        filters, order_by, descending = self.filters, self.order_by, self.descending
        total = self._count

        def work(_progress: Any) -> list[tuple[int, list[tuple[Any, ...]]]]:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA trusted_schema = OFF")
                return [(n, paging.fetch_rows(conn, table, columns, filters, order_by,
                                              descending, offset=n * PAGE_SIZE,
                                              limit=PAGE_SIZE, total=total))
                        for n in pages]
            finally:
                conn.close()

        owner = self.parent()
        run_op(owner if isinstance(owner, QWidget) else None, work, quiet=True,
               cancellable=False, label=_("Reading rows"),
               on_done=lambda result: self._loaded(generation, pages, result),
               on_error=lambda exc: self._load_failed(generation, pages, exc))

    def _loaded(self, generation: int, pages: list[int],
                result: list[tuple[int, list[tuple[Any, ...]]]]) -> None:
        if not isValid(self):
            return  # the grid was closed meanwhile
        if self._loading is pages:
            self._loading = []
        if generation == self._generation:
            columns = [c.name for c in self.columns]
            for number, rows in result:
                page = [tuple(r) for r in rows]
                self._store(number, page)
                self.pages_loaded_in_background += 1
                # Scrolling on from here reads the next page at once, after these rows.
                paging.remember_page(self.conn, self.dataset.table_name, columns,
                                     self.filters, self.order_by, self.descending,
                                     number * PAGE_SIZE, page)
                first = number * PAGE_SIZE
                last = min(first + PAGE_SIZE, self._count) - 1
                if last >= first and self.columns:
                    self.dataChanged.emit(self.index(first, 0),
                                          self.index(last, len(self.columns) - 1))
        self._dispatch()

    def _load_failed(self, generation: int, pages: list[int], exc: BaseException) -> None:
        if not isValid(self):
            return
        # A pack the worker cannot open (odd permissions, say): read on this thread instead.
        log.warning("Reading rows in the background failed; reading them here: %s", exc)
        self._background_failed = True
        if self._loading is pages:
            self._loading = []
        if generation == self._generation:
            for number in pages:
                first = number * PAGE_SIZE
                last = min(first + PAGE_SIZE, self._count) - 1
                if last >= first and self.columns:
                    self.dataChanged.emit(self.index(first, 0),
                                          self.index(last, len(self.columns) - 1))

    def cell_text(self, row: int, column: int) -> str | None:
        """The text shown in a cell ("" when missing), None if the row vanished."""
        return self._text(row, column, wait=True)

    def _text(self, row: int, column: int, *, wait: bool) -> str | None:
        """A cell's text from the page cache; without ``wait``, a page not read yet shows
        a placeholder instead of being read on this thread."""
        number, offset = divmod(row, PAGE_SIZE)
        last = self._last
        if last is not None and last[0] == number:
            texts = last[1]
        else:
            if not 0 <= row < self._count:
                return None
            if wait:
                self._page(number)
            elif self._shown_page(number) is None:
                return PLACEHOLDER
            texts = self._texts[number]
            self._last = (number, texts)
        return texts[offset][column + 1] if offset < len(texts) else None

    def row(self, row: int) -> tuple[Any, ...] | None:
        """(rowid, value, value, ...) for a visible row, or None if it vanished."""
        if not 0 <= row < self._count:
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def rowid(self, row: int) -> int | None:
        record = self.row(row)
        return None if record is None else int(record[0])

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def _shown_value(self, row: int, column: int) -> tuple[bool, Any]:
        """(found, value) of a cell without waiting; found is False while loading."""
        if not 0 <= row < self._count:
            return False, None
        page = self._shown_page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        if page is None or offset >= len(page):
            return False, None
        return True, page[offset][column + 1]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        column = index.column()
        if column >= len(self.columns) or not index.isValid():
            return None
        role = int(role)
        if role in (_DISPLAY, _EDIT):  # drawn: a bounded amount (copying takes it whole)
            text = self._text(index.row(), column, wait=False)
            return text if text is None or len(text) <= SHOWN_LIMIT else shown_text(text)
        if role == _ALIGN:
            return self._align[column]
        if role == _TOOLTIP:
            found, value = self._shown_value(index.row(), column)
            if not found:
                return None
            return _("(missing)") if value is None else plain_tooltip(_value_text(value))
        if role == _ACCESSIBLE:
            found, value = self._shown_value(index.row(), column)
            if not found:
                return _("loading") if self.is_loading(index.row()) else None
            name = shown_label(self.columns[column])
            return f"{name}: {_('missing') if value is None else shown_text(_value_text(value))}"
        if role == _ACCESSIBLE_DESCRIPTION and self.is_loading(index.row()):
            return _("loading")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return shown_label(column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.column_tooltip(column)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._count:
            return format_number(section + 1)
        return None

    def column_tooltip(self, column: ColumnInfo) -> str:
        """The original name, the plain-language description (current language, else
        English) and the type."""
        return column_tooltip(column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS


def _value_text(value: Any) -> str:
    """A stored value as its cell shows it: a float to 15 significant digits and a whole
    one without ".0" (2500000), as a spreadsheet shows it (the pack keeps the number
    itself)."""
    return readable_float(value) if type(value) is float else str(value)


def _file_of(conn: sqlite3.Connection) -> Path | None:
    """The file behind ``conn``'s main database, or None (in memory, temporary)."""
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[2]) if row is not None and row[2] else None

