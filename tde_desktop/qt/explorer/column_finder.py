"""The column finder for wide tables: type to filter column names, tick to show or hide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore.labels import plain_label
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import ColumnInfo
from tde_desktop.qt.explorer.column_labels import column_tooltip, shown_label


class ColumnFinder(QWidget):
    """A searchable checklist of columns driving which grid columns are visible."""

    def __init__(self, view: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.columns: list[ColumnInfo] = []
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Find a column"))
        self.search.setPlaceholderText(_("Type part of a column name..."))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Columns to show"))
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.show_matching = QPushButton(_("Show &matching"))
        self.show_matching.setAccessibleName(_("Show the matching columns"))
        self.show_only = QPushButton(_("Show &only matching"))
        self.show_only.setAccessibleName(_("Show only the matching columns"))
        self.hide_matching = QPushButton(_("H&ide matching"))
        self.hide_matching.setAccessibleName(_("Hide the matching columns"))
        # Stacked: three buttons side by side do not fit the panel at large text sizes.
        buttons = QVBoxLayout()
        for b in (self.show_matching, self.show_only, self.hide_matching):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(self.filter_names)
        self.list.itemChanged.connect(self._item_changed)
        self.show_matching.clicked.connect(lambda: self.set_matching_visible(True))
        self.hide_matching.clicked.connect(lambda: self.set_matching_visible(False))
        self.show_only.clicked.connect(self.show_only_matching)

    def set_columns(self, columns: list[ColumnInfo]) -> None:
        """List the dataset's columns, all shown."""
        self.columns = list(columns)
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.columns:
            item = QListWidgetItem(shown_label(c))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(column_tooltip(c))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.search.clear()
        self._update_summary()

    def filter_names(self, text: str) -> None:
        """List only the columns whose name (or description) contains ``text``."""
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            # Row i of the list is column i of the dataset.
            item = self.list.item(i)
            column = self.columns[i]
            hay = (f"{plain_label(column)} {column.original_name} {column.name} "
                   f"{column.description_en} {column.description_es}").casefold()
            item.setHidden(bool(needle) and needle not in hay)
        self._update_summary()

    def matching_items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())
                if not self.list.item(i).isHidden()]

    def set_matching_visible(self, visible: bool) -> None:
        state = Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked
        self._set_states({id(item): state for item in self.matching_items()})

    def show_only_matching(self) -> None:
        matching = {id(item) for item in self.matching_items()}
        self._set_states({
            id(self.list.item(i)): Qt.CheckState.Checked if id(self.list.item(i)) in matching
            else Qt.CheckState.Unchecked for i in range(self.list.count())})

    def _set_states(self, states: dict[int, Qt.CheckState]) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if id(item) in states:
                item.setCheckState(states[id(item)])
                self._apply(item)
        self.list.blockSignals(False)
        self._sync()

    def _sync(self) -> None:
        sync = getattr(self.view, "sync_frozen", None)
        if sync is not None:
            sync()
        self._update_summary()

    def _apply(self, item: QListWidgetItem) -> None:
        column = self.list.row(item)
        self.view.setColumnHidden(column, item.checkState() != Qt.CheckState.Checked)

    def _item_changed(self, item: QListWidgetItem) -> None:
        self._apply(item)
        self._sync()

    def visible_count(self) -> int:
        return sum(1 for i in range(len(self.columns)) if not self.view.isColumnHidden(i))

    def _update_summary(self) -> None:
        self.summary.setText(ngettext("{shown} of {total} column shown; {listed} listed",
                                      "{shown} of {total} columns shown; {listed} listed",
                                      len(self.columns)).format(
            shown=format_number(self.visible_count()), total=format_number(len(self.columns)),
            listed=format_number(len(self.matching_items()))))
