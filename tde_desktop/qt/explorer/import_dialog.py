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
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.qt.common import settings
from tde_desktop.qt.explorer.dataset_details_dialog import LicenceBox, date_picker, picked_date

FILE_FILTER = ("{data} (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods *.json *.jsonl *.ndjson "
               "*.geojson);;{all} (*)")


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
        # Wide enough to read a file name; the form still fits 1280x720 at 200% text.
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
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
        # The last publisher and licence are offered again: a facilitator often adds
        # several files from the same portal one after the other.
        publisher, licence = settings.last_provenance()
        self.publisher_edit = QLineEdit(publisher)
        self.publisher_edit.setAccessibleName(_("Publisher"))
        self.licence_box = LicenceBox(licence)
        self.retrieved_edit = date_picker(dt.date.today().isoformat())
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # A row given as text makes no buddy, so "&File:" would show its "&": each
        # label is made here and given the field it names.
        file_label = QLabel(_("&File:"))
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        for text, field in ((_("&Title:"), self.title_edit),
                            (_("&Source (web address):"), self.source_edit),
                            (_("&Publisher:"), self.publisher_edit),
                            (_("&Licence:"), self.licence_box),
                            (_("&Retrieved on:"), self.retrieved_edit)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Import"))
        buttons.accepted.connect(self._remember)
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

    def _remember(self) -> None:
        settings.set_last_provenance(self.publisher_edit.text().strip(),
                                     self.licence_box.licence())

    def options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`importers.import_file`."""
        return {"title": self.title_edit.text().strip() or None,
                "source_url": self.source_edit.text().strip(),
                "publisher": self.publisher_edit.text().strip(),
                "licence": self.licence_box.licence(),
                "retrieved_at": picked_date(self.retrieved_edit) or None}
