"""Check the data: find a record by typing what you know, pick it, then say what is wrong.

The pick list shows a few key columns in plain words (their dictionary
descriptions; raw names only in tooltips). Each search is a ``LIKE`` with a
``LIMIT`` run off the UI thread (:func:`ops.run_op`), started a moment after the
typing stops; an older search's answer arriving late is dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QPushButton, QWidget

from tde_desktop.core.explore.record_search import (
    Record,
    key_columns,
    record_by_rowid,
    search_pack,
)
from tde_desktop.core.i18n import ngettext, thread_language, translate
from tde_desktop.core.pack.pack_file import ColumnInfo
from tde_desktop.qt.common.ops import error_text, plain_tooltip, run_op
from tde_desktop.qt.common.text_direction import ValueDirectionDelegate, isolate
from tde_desktop.qt.workshop.kiosk_answer import plain_label as label_widget
from tde_desktop.qt.workshop.kiosk_text import Fields

tr = translate  # texts in the participant's language; the catalogue finds tr("...")

#: how many matches the list shows; typing more narrows them
SHOWN = 20
#: wait this long after the last key before searching (ms)
PAUSE_MS = 150


class SearchBox(QLineEdit):
    """Enter picks the highlighted match; Down moves into the list."""

    picked = Signal()
    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.picked.emit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class MatchList(QListWidget):
    """Enter picks the current match (and is not taken as Next)."""

    picked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.picked.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FlagRecord(Fields):
    """First a searchable pick list, then (for the picked record) the flag form."""

    scrolls_itself = True
    searched = Signal(int)  # how many matches are now listed

    def build(self) -> None:
        self.record: Record | None = None
        self._search_no = 0
        self.columns: list[ColumnInfo] = []
        if self.pack is not None and self.dataset_id is not None:
            self.columns = key_columns(self.pack.dataset(self.dataset_id).columns)
        lang = self.lang
        self.search = SearchBox()
        self.search.setAccessibleName(tr("Find the record: type an address or a number", lang))
        self.search.setPlaceholderText(tr("Type an address or a number", lang))
        self.search.setToolTip(", ".join(c.name for c in self.columns))
        self.find_label = label_widget(tr("Find the record: type an address or a number",
                                          lang))
        self.find_label.setBuddy(self.search)
        self.matches = MatchList()
        self.matches.setAccessibleName(tr("Matching records: pick the one to flag", lang))
        self.matches.setWordWrap(True)
        self.matches.setItemDelegate(ValueDirectionDelegate(self.matches))  # records as written
        self.matches.setMinimumHeight(120)
        self.found = label_widget(name=tr("How many records match", lang))
        self.chosen = label_widget(name=tr("The record you picked", lang))
        self.other = QPushButton(tr("Pick another record", lang))
        self.other.setAccessibleName(self.other.text())
        self.timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.search.picked.connect(self.pick_current)
        self.search.down.connect(self.matches.setFocus)
        self.matches.picked.connect(self.pick_current)
        self.matches.itemClicked.connect(lambda item: self.pick(item))
        self.other.clicked.connect(self.unpick)
        for widget in (self.find_label, self.search, self.found):
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.matches, 1)
        self.layout_.addWidget(self.chosen)
        self.layout_.addWidget(self.other)
        super().build()
        self.form_widgets = [self.layout_.itemAt(i) for i in range(
            self.layout_.indexOf(self.other) + 1, self.layout_.count())]
        self._show_form(False)
        self.run_search()

    # -- searching --------------------------------------------------------------------

    def run_search(self) -> None:
        """Search now for what is typed (in the background); the list fills when done."""
        if self.pack is None or self.dataset_id is None:
            return
        self._search_no += 1
        number, text = self._search_no, self.search.text()
        path, dataset_id, lang = self.pack.path, self.dataset_id, self.lang
        run_op(self, lambda _p: search_pack(path, dataset_id, text, lang=lang, limit=SHOWN),
               label=tr("Finding records", self.lang), cancellable=False, quiet=True,
               on_done=lambda records: self._show_matches(number, records),
               on_error=lambda exc: self.found.setText(error_text(exc)))

    def _show_matches(self, number: int, records: list[Record]) -> None:
        if number != self._search_no:
            return  # a newer search is on its way
        self.matches.clear()
        for record in records:
            item = QListWidgetItem(record.headline() + "\n" + record.details())
            item.setData(Qt.ItemDataRole.UserRole, record.rowid)
            item.setData(Qt.ItemDataRole.UserRole + 1, record)
            item.setToolTip(plain_tooltip("\n".join(
                f"{c.name}: {v}" for c, (_l, v) in zip(self.columns, record.fields, strict=False))))
            self.matches.addItem(item)
        if records:
            self.matches.setCurrentRow(0)
        if not records:
            self.found.setText(tr("No record matches. Try fewer letters or numbers.", self.lang))
        elif len(records) >= SHOWN:
            self.found.setText(tr("Showing the first {n} matches: type more to narrow "
                                       "them down.", self.lang).format(n=len(records)))
        else:
            with thread_language(self.lang):
                found = ngettext("{n} matching record", "{n} matching records", len(records))
            self.found.setText(found.format(n=len(records)))
        self.searched.emit(len(records))

    # -- picking ----------------------------------------------------------------------

    def pick_current(self) -> None:
        item = self.matches.currentItem()
        if item is not None:
            self.pick(item)

    def pick(self, item: QListWidgetItem) -> None:
        """Keep ``item``'s record and show the flag form for it."""
        self.record = item.data(Qt.ItemDataRole.UserRole + 1)
        self._show_form(True)
        if self.group is not None and self.group.buttons():
            self.group.buttons()[0].setFocus()

    def unpick(self) -> None:
        self.record = None
        self._show_form(False)
        self.search.setFocus()

    def _show_form(self, form: bool) -> None:
        for widget in (self.find_label, self.search, self.found, self.matches):
            widget.setVisible(not form)
        for shown in (self.chosen, self.other):
            shown.setVisible(form)
        for item in self.form_widgets:
            _set_visible(item, form)
        if form and self.record is not None:
            self.chosen.setText(tr("You picked: {record}", self.lang).format(
                record=isolate(self.record.headline()) + "\n" + self.record.details()))

    def first_input(self) -> QWidget | None:
        return self.edits["comment"] if self.record is not None else self.search

    # -- the answer -------------------------------------------------------------------

    def record_rowid(self) -> int | None:
        return None if self.record is None else self.record.rowid

    def value(self) -> Any:
        result = super().value()
        result["dataset_id"] = self.dataset_id
        result["record_rowid"] = self.record_rowid()
        return result

    def set_value(self, answer: Any) -> None:
        super().set_value(answer)
        rowid = answer.get("record_rowid") if isinstance(answer, dict) else None
        if rowid is not None and self.pack is not None and self.dataset_id is not None:
            info = self.pack.dataset(self.dataset_id)
            self.record = record_by_rowid(self.pack.conn, info.table_name, self.columns,
                                          int(rowid), lang=self.lang)
            self._show_form(self.record is not None)

    def is_empty(self) -> bool:
        value = super().value()
        return not any(value.values())


def _set_visible(item: Any, visible: bool) -> None:
    """Show or hide a layout item: a widget, or every widget of a nested layout."""
    widget = item.widget()
    if widget is not None:
        widget.setVisible(visible)
        return
    layout = item.layout()
    if layout is not None:
        for i in range(layout.count()):
            _set_visible(layout.itemAt(i), visible)
