"""The list of datasets in the open pack: title and row count, and a right-click menu
to edit a dataset's details, replace it with a newer file, or remove it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QWidget

from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import DatasetInfo
from tde_desktop.qt.common.ops import plain_tooltip
from tde_desktop.qt.common.shown_text import shown_text


def row_count_text(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n).format(n=format_number(n))


class DatasetList(QListWidget):
    """One item per dataset; ``dataset_chosen(id)`` when the person picks one.

    The right-click menu (also the Menu key) emits ``edit_requested``,
    ``replace_requested`` or ``remove_requested`` with the dataset's id; the window
    decides what happens (``read_only`` turns those entries off).
    """

    dataset_chosen = Signal(int)
    edit_requested = Signal(int)
    replace_requested = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Datasets in this pack"))
        self._fit_font()
        self.setWordWrap(True)
        self.setSpacing(3)
        self.currentItemChanged.connect(self._changed)
        self.read_only = False
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)

    def _fit_font(self) -> None:
        # Wide enough for a long word ("Neighbourhood") at any text size.
        self.setMinimumWidth(max(180, self.fontMetrics().horizontalAdvance("Neighbourhoods") + 36))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_font()
            self.doItemsLayout()

    def set_datasets(self, datasets: list[DatasetInfo], select: int | None = None) -> None:
        """Show ``datasets``; select ``select`` (an id) or the first one."""
        self.blockSignals(True)
        self.clear()
        for info in datasets:
            title = shown_text(info.title)
            text = f"{title}\n{row_count_text(info.row_count)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(plain_tooltip(info.description or info.title))
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{title}, {row_count_text(info.row_count)}")
            self.addItem(item)
        self.blockSignals(False)
        ids = [d.id for d in datasets]
        if datasets:
            self.setCurrentRow(ids.index(select) if select in ids else 0)

    def current_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def select_id(self, dataset_id: int) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == dataset_id:
                self.setCurrentRow(i)
                return

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.dataset_chosen.emit(int(current.data(Qt.ItemDataRole.UserRole)))

    def menu_for(self, item: QListWidgetItem) -> QMenu:
        """The right-click menu of ``item``: Edit details..., Replace..., Remove..."""
        dataset_id = int(item.data(Qt.ItemDataRole.UserRole))
        menu = QMenu(self)
        menu.setAccessibleName(_("Dataset actions"))
        for text, signal in ((_("&Edit details..."), self.edit_requested),
                             (_("Re&place with a newer file..."), self.replace_requested),
                             (_("&Remove..."), self.remove_requested)):
            action = menu.addAction(text)
            action.setEnabled(not self.read_only)
            action.triggered.connect(lambda _c=False, s=signal: s.emit(dataset_id))
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos) or self.currentItem()
        if item is None:
            return
        self.setCurrentItem(item)
        rect = self.visualItemRect(item)
        where = pos if rect.contains(pos) else rect.center()
        menu = self.menu_for(item)
        menu.exec(self.viewport().mapToGlobal(where))
        menu.deleteLater()
