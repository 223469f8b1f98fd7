"""A table model over one dataset in the pack, read page by page.

The table is never read whole: rows come from :func:`query.fetch_rows` in pages
of :data:`PAGE_SIZE`, and only the :data:`MAX_PAGES` most recently used pages
are kept, so scrolling a 2.5-million-row dataset costs the same memory as a
small one. Each page keeps its cells already formatted as text next to the
values, so the view's many repeated ``data()`` calls per repaint are lookups.
``rowCount`` is the cached count of rows that match the current
filters; the explorer computes it in the background (ops) and hands it in.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tde_desktop.core import query
from tde_desktop.core.i18n import _, current_language
from tde_desktop.core.pack import ColumnInfo, DatasetInfo

PAGE_SIZE = 200
MAX_PAGES = 40
NUMERIC_TYPES = {"integer", "number"}

AnyIndex = QModelIndex | QPersistentModelIndex


class DatasetTableModel(QAbstractTableModel):
    """Read-only rows of ``dataset`` that match ``filters``, in the chosen order."""

    def __init__(self, conn: sqlite3.Connection, dataset: DatasetInfo,
                 filters: Sequence[query.Filter] = (), count: int | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.dataset = dataset
        self.columns: list[ColumnInfo] = list(dataset.columns)
        self.filters: tuple[query.Filter, ...] = tuple(filters)
        self.order_by: str | None = None
        self.descending = False
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._texts: dict[int, list[tuple[str, ...]]] = {}  # the same pages, as cell text
        self._last: tuple[int, list[tuple[str, ...]]] | None = None  # the page read last
        self._count = self._compute_count() if count is None else count
        self.pages_fetched = 0  # for tests: proves the table is read in pages

    # -- state changes -------------------------------------------------------------------

    def _compute_count(self) -> int:
        if not self.filters:
            return int(self.dataset.row_count)
        return int(query.count_rows(self.conn, self.dataset.table_name, self.filters))

    def set_filters(self, filters: Sequence[query.Filter], count: int | None = None) -> None:
        """Show only rows matching ``filters``; ``count`` saves a count if already known."""
        self.beginResetModel()
        self.filters = tuple(filters)
        self._forget_pages()
        self._count = self._compute_count() if count is None else count
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

    @property
    def count(self) -> int:
        return self._count

    # -- paging --------------------------------------------------------------------------------

    def _page(self, number: int) -> list[tuple[Any, ...]]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = [tuple(r) for r in query.fetch_rows(
            self.conn, self.dataset.table_name, [c.name for c in self.columns],
            filters=self.filters, order_by=self.order_by, descending=self.descending,
            offset=number * PAGE_SIZE, limit=PAGE_SIZE)]
        self.pages_fetched += 1
        self._pages[number] = page
        self._texts[number] = [tuple("" if v is None else str(v) for v in r) for r in page]
        while len(self._pages) > MAX_PAGES:
            old, _rows = self._pages.popitem(last=False)
            self._texts.pop(old, None)
        return page

    def cell_text(self, row: int, column: int) -> str | None:
        """The text shown in a cell ("" when missing), None if the row vanished."""
        number, offset = divmod(row, PAGE_SIZE)
        last = self._last
        if last is not None and last[0] == number:
            texts = last[1]
        else:
            if not 0 <= row < self._count:
                return None
            self._page(number)
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

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.EditRole:
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            record = self.row(index.row())
            if record is None:
                return None
            value = record[index.column() + 1]
            return _("(missing)") if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[index.column()].type in NUMERIC_TYPES:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            record = self.row(index.row())
            if record is None:
                return None
            value = record[index.column() + 1]
            name = self.columns[index.column()].original_name
            return f"{name}: {_('missing') if value is None else value}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.original_name
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.column_tooltip(column)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._count:
            return f"{section + 1:,}"
        return None

    def column_tooltip(self, column: ColumnInfo) -> str:
        """The plain-language description (in the current language, else English) and type."""
        lang = current_language()
        text = (column.description_es if lang == "es" else "") or column.description_en
        kind = _("Type: {type}").format(type=_(column.type))
        return f"{column.original_name}\n{text}\n{kind}" if text else \
            f"{column.original_name}\n{kind}"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

