"""Edit details...: a dataset's title, description and provenance after import.

The licence list and the date picker are made here and shared with the import dialog.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import DatasetInfo
from tde_desktop.core.pack.datasets import LICENCES

#: the date a picker shows as "not known" (its minimum)
NO_DATE = QDate(1900, 1, 1)


class LicenceBox(QComboBox):
    """The common open-data licences, and Other... to type any other text."""

    def __init__(self, licence: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # "Public domain" is a phrase, not a licence name: it is shown in the reader's language.
        self.addItems([_("Public domain") if name == "Public domain" else name
                       for name in LICENCES])
        self.other_text = _("Other...")
        self.addItem(self.other_text)
        self.setAccessibleName(_("Licence"))
        self.setToolTip(_("Choose the licence, or choose Other... and type it."))
        self.set_licence(licence)
        self.activated.connect(self._chosen)

    def set_licence(self, licence: str) -> None:
        index = self.findText(licence)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(licence)

    def _chosen(self, index: int) -> None:
        if self.itemText(index) == self.other_text:
            self.setEditText("")
            line = self.lineEdit()
            if line is not None:
                line.setFocus()

    def licence(self) -> str:
        """The licence as text ('' when none was given)."""
        text = self.currentText().strip()
        return "" if text == self.other_text else text


def date_picker(iso: str = "") -> QDateEdit:
    """A date field with a calendar; an empty or unreadable ``iso`` shows "not known"."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(_("not known"))
    edit.setAccessibleName(_("Date retrieved"))
    try:
        day = dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        day = None
    edit.setDate(QDate(day.year, day.month, day.day) if day else NO_DATE)
    return edit


def picked_date(edit: QDateEdit) -> str:
    """The picker's date as YYYY-MM-DD, or '' for "not known"."""
    date = edit.date()
    return "" if date == NO_DATE else date.toString("yyyy-MM-dd")


class DatasetDetailsDialog(QDialog):
    """Title, description, source, publisher, licence and retrieval date of one dataset."""

    def __init__(self, info: DatasetInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Details of {title}").format(title=info.title))
        self.setAccessibleName(_("Dataset details"))
        self.title_edit = QLineEdit(info.title)
        self.title_edit.setAccessibleName(_("Title"))
        self.description_edit = QPlainTextEdit(info.description)
        self.description_edit.setAccessibleName(_("Description"))
        self.description_edit.setTabChangesFocus(True)
        lines = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setMinimumHeight(lines * 3 + 12)
        self.description_edit.setMaximumHeight(lines * 6 + 12)
        self.source_edit = QLineEdit(info.source_url)
        self.source_edit.setAccessibleName(_("Source web address"))
        # Wide enough to read a portal address; the form still fits 1280x720 at 200% text.
        self.source_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.publisher_edit = QLineEdit(info.publisher)
        self.publisher_edit.setAccessibleName(_("Publisher"))
        self.licence_box = LicenceBox(info.licence)
        self.retrieved_edit = date_picker(info.retrieved_at)
        file_label = QLabel(_("From the file {name}, imported {when}.").format(
            name=info.original_filename or "?", when=info.imported_at[:10]))
        file_label.setTextFormat(Qt.TextFormat.PlainText)
        file_label.setWordWrap(True)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget in ((_("&Title:"), self.title_edit),
                             (_("&Description:"), self.description_edit),
                             (_("&Source (web address):"), self.source_edit),
                             (_("&Publisher:"), self.publisher_edit),
                             (_("&Licence:"), self.licence_box),
                             (_("&Retrieved on:"), self.retrieved_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(file_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        """The fields for :func:`core.pack.datasets.edit_dataset`."""
        return {"title": self.title_edit.text().strip(),
                "description": self.description_edit.toPlainText().strip(),
                "source_url": self.source_edit.text().strip(),
                "publisher": self.publisher_edit.text().strip(),
                "licence": self.licence_box.licence(),
                "retrieved_at": picked_date(self.retrieved_edit)}

