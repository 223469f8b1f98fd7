"""The import dialog: pick a data file and say where it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from tde_desktop.core.i18n import _

FILE_FILTER = "{data} (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.json *.geojson);;{all} (*)"


def data_file_filter() -> str:
    return FILE_FILTER.format(data=_("Data files"), all=_("All files"))


class ImportDialog(QDialog):
    """Asks for the file and its provenance (title, source, publisher, licence, date)."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import a data file"))
        self.setAccessibleName(_("Import a data file"))
        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.setAccessibleName(_("File to import"))
        browse = QPushButton(_("&Browse..."))
        browse.setAccessibleName(_("Choose the file to import"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.title_edit = QLineEdit(self._title_for(path))
        self.title_edit.setAccessibleName(_("Title"))
        self.source_edit = QLineEdit()
        self.source_edit.setAccessibleName(_("Source web address"))
        self.publisher_edit = QLineEdit()
        self.publisher_edit.setAccessibleName(_("Publisher"))
        self.licence_edit = QLineEdit()
        self.licence_edit.setAccessibleName(_("Licence"))
        self.retrieved_edit = QLineEdit(dt.date.today().isoformat())
        self.retrieved_edit.setAccessibleName(_("Date retrieved"))
        form = QFormLayout(self)
        form.addRow(_("&File:"), row)
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow(_("&Source (web address):"), self.source_edit)
        form.addRow(_("&Publisher:"), self.publisher_edit)
        form.addRow(_("&Licence:"), self.licence_edit)
        form.addRow(_("&Retrieved on:"), self.retrieved_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _title_for(path: Path | None) -> str:
        return path.stem.replace("_", " ").strip() if path else ""

    def browse(self) -> None:
        name, _selected = QFileDialog.getOpenFileName(self, _("Import a data file"), "",
                                                      data_file_filter())
        if name:
            self.path_edit.setText(name)
            if not self.title_edit.text():
                self.title_edit.setText(self._title_for(Path(name)))

    def chosen_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`importers.import_file`."""
        return {"title": self.title_edit.text().strip() or None,
                "source_url": self.source_edit.text().strip(),
                "publisher": self.publisher_edit.text().strip(),
                "licence": self.licence_edit.text().strip(),
                "retrieved_at": self.retrieved_edit.text().strip() or None}
