"""The data dictionary editor: each column's original name, type and plain description.

The facilitator writes the descriptions (English and Spanish); each edit is
saved to the pack at once with :meth:`Pack.describe_column`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.qt.common.ops import plain_tooltip, show_message
from tde_desktop.qt.common.shown_text import shown_text

COL_NAME, COL_TYPE, COL_MISSING, COL_EN, COL_ES = range(5)
LANG_OF_COLUMN = {COL_EN: "en", COL_ES: "es"}


class DictionaryEditor(QWidget):
    """A table of the dataset's columns; description cells are editable."""

    description_saved = Signal(str, str, str)  # column name, language, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack: Pack | None = None
        self.dataset: DatasetInfo | None = None
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(_("Data dictionary"))
        self.table.setHorizontalHeaderLabels(
            [_("Column"), _("Type"), _("Missing"), _("Description (English)"),
             _("Description (Spanish)")])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        # The descriptions get the width: names are capped (full name in the cell's
        # tooltip), type and missing are as narrow as their contents, and long
        # descriptions wrap onto more lines instead of being cut to 25 px.
        for col in (COL_TYPE, COL_MISSING):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # In a narrow panel the table scrolls sideways rather than squeezing the
        # descriptions; in a wide one the Spanish column takes what is left.
        header.setSectionResizeMode(COL_EN, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        hint = QLabel(_("Write what each column means in plain words. Press F2 or start "
                        "typing to edit a description; it is saved in the pack."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        self.table.itemChanged.connect(self._item_changed)

    def set_dataset(self, pack: Pack | None, info: DatasetInfo | None) -> None:
        self.pack, self.dataset = pack, info
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        columns = info.columns if info is not None else []
        self.table.setRowCount(len(columns))
        rows = max(1, info.row_count) if info is not None else 1
        for r, c in enumerate(columns):
            name = shown_text(c.original_name)
            fixed = [name, _(c.type), f"{100 * c.missing_count / rows:.0f}%"]
            for col, text in enumerate(fixed):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, c.name)
                item.setToolTip(plain_tooltip(c.original_name) if col == COL_NAME else "")
                self.table.setItem(r, col, item)
            for col, text in ((COL_EN, c.description_en), (COL_ES, c.description_es)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.name)
                self.table.setItem(r, col, item)
        self.table.resizeColumnToContents(COL_NAME)
        cap = self.fontMetrics().horizontalAdvance("x" * 18)
        if self.table.columnWidth(COL_NAME) > cap:
            self.table.setColumnWidth(COL_NAME, cap)
        self.table.setColumnWidth(COL_EN, self.fontMetrics().horizontalAdvance("x" * 28))
        self.table.horizontalHeader().setMinimumSectionSize(
            self.fontMetrics().horizontalAdvance("Missing"))
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        language = LANG_OF_COLUMN.get(item.column())
        if language is None or self.pack is None or self.dataset is None:
            return
        name = str(item.data(Qt.ItemDataRole.UserRole))
        text = item.text().strip()
        try:
            self.pack.describe_column(self.dataset.id, name, text=text, language=language)
        except TdeError as exc:
            show_message(self, str(exc))
            return
        for column in self.dataset.columns:
            if column.name == name:
                setattr(column, f"description_{language}", text)
        self.description_saved.emit(name, language, text)
