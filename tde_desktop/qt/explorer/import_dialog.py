"""The import dialog: pick a data file, see how it will be read, say where it came from.

As in LibreOffice's Text Import: the detected settings (encoding, delimiter, quote,
header row, sheet, table in the sheet) are controls, and the first rows show as they
will be read. A change reads the preview again off the UI thread (typing in the file
name waits until the typing pauses); only the settings a person changed are passed to
the import, so everything else is detected there exactly as in the preview.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.importers.preview import Preview
from tde_desktop.qt.common import settings
from tde_desktop.qt.common.ops import Op, error_text, run_op
from tde_desktop.qt.explorer.dataset_details_dialog import LicenceBox, date_picker, picked_date
from tde_desktop.qt.explorer.import_preview import PreviewTable, ReadSettings, summary

FILE_FILTER = ("{data} (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods *.json *.jsonl *.ndjson "
               "*.geojson);;{all} (*)")


def data_file_filter() -> str:
    return FILE_FILTER.format(data=_("Data files"), all=_("All files"))


#: milliseconds the file name must stay unchanged before it is previewed
TYPING_PAUSE_MS = 400


class ImportDialog(QDialog):
    """Asks for the file, shows how it will be read (changeable), and asks for its
    provenance (title, source, publisher, licence, date)."""

    #: emitted each time a preview (or the sentence saying why there is none) is shown
    previewed = Signal()

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import a data file"))
        self.setAccessibleName(_("Import a data file"))
        self.chosen: dict[str, Any] = {}  # the settings a person changed
        self.preview: Preview | None = None
        self._asked = 0  # previews asked for; only the latest one is shown
        self._op: Op | None = None
        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.setAccessibleName(_("File to import"))
        # Wide enough to read a file name; the form still fits 1280x720 at 200% text.
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        browse = QPushButton(_("&Browse..."))
        browse.setAccessibleName(_("Choose the file to import"))
        browse.clicked.connect(self.browse)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        # A label given as text makes no buddy, so "&File:" would show its "&": each
        # label is made here and given the field it names.
        file_label = QLabel(_("&File:"))
        file_label.setBuddy(self.path_edit)
        row.addWidget(file_label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addWidget(self._reading_box(), 1)
        layout.addWidget(self._provenance_box())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Import"))
        buttons.accepted.connect(self._remember)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._new_file)
        self._number = QTimer(self)  # the header row, typed digit by digit
        self._number.setSingleShot(True)
        self._number.setInterval(TYPING_PAUSE_MS)
        self._number.timeout.connect(self.refresh)
        self.path_edit.textEdited.connect(lambda _text: self._typing.start())
        self.path_edit.editingFinished.connect(self._new_file_now)
        self._shown_path = ""
        self._new_file()

    def _reading_box(self) -> QGroupBox:
        box = QGroupBox(_("How the file is read"))
        self.settings = ReadSettings()
        self.settings.changed.connect(self._setting_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("What the preview shows"))
        self.table = PreviewTable()
        # Notes can be long (a workbook's other sheets and tables): they scroll in a few
        # lines instead of pushing the preview off a small screen.
        notes = QScrollArea()
        notes.setWidget(self.message)
        notes.setWidgetResizable(True)
        notes.setFrameShape(QFrame.Shape.NoFrame)
        notes.setMaximumHeight(max(self.fontMetrics().lineSpacing() * 4 + 4,
                                   notes.minimumSizeHint().height()))
        notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout(box)
        column.addWidget(self.settings)
        column.addWidget(notes)
        column.addWidget(self.table, 1)
        return box

    def _provenance_box(self) -> QGroupBox:
        box = QGroupBox(_("Where it came from"))
        self.title_edit = QLineEdit(self._title_for(self.chosen_path()))
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
        grid = QGridLayout(box)
        places = ((_("&Title:"), self.title_edit), (_("&Source (web address):"), self.source_edit),
                  (_("&Publisher:"), self.publisher_edit), (_("&Licence:"), self.licence_box),
                  (_("&Retrieved on:"), self.retrieved_edit))
        for k, (text, field) in enumerate(places):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, k // 2, 2 * (k % 2))
            grid.addWidget(field, k // 2, 2 * (k % 2) + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    # -- the preview --------------------------------------------------------------------

    def _new_file_now(self) -> None:
        if self._typing.isActive() or self.path_edit.text().strip() != self._shown_path:
            self._typing.stop()
            self._new_file()

    def _new_file(self) -> None:
        """A new file: its settings are detected afresh."""
        self._shown_path = self.path_edit.text().strip()
        self.chosen.clear()
        self.refresh()

    def _setting_changed(self, key: str, value: Any) -> None:
        self.chosen[key] = value
        if key == "sheet":  # another sheet: its own tables and header
            self.chosen.pop("table", None)
            self.chosen.pop("header_row", None)
            self.chosen.pop("header_rows", None)
        elif key == "table":
            self.chosen.pop("header_row", None)
            self.chosen.pop("header_rows", None)
        if key in ("header_row", "header_rows"):
            self._number.start()  # typed digit by digit: wait for the pause
        else:
            self.refresh()

    def refresh(self) -> None:
        """Read the preview again, off the UI thread, with the settings chosen so far."""
        self._number.stop()
        path = self.chosen_path()
        self._asked += 1
        asked = self._asked
        if path is None or not path.is_file():
            self._show(asked, None, _("Choose a file to see how it will be read.")
                       if path is None else _("The file {path} does not exist.").format(
                           path=path))
            return
        options = dict(self.chosen)

        def work(_progress: Any) -> Preview:
            from tde_desktop.core.importers.preview import preview

            return preview(path, **options)

        self._op = run_op(self, work, quiet=True, cancellable=False,
                          on_done=lambda view: self._show(asked, view, ""),
                          on_error=lambda exc: self._show(asked, None, error_text(exc)))

    def _show(self, asked: int, view: Preview | None, problem: str) -> None:
        if asked != self._asked:
            return  # a later change asked for another preview
        self.preview = view
        self.settings.show_preview(view)
        self.table.show_preview(view)
        if view is None:
            self.message.setText(problem)
        else:
            self.message.setText("\n".join(t for t in (summary(view), *view.notes) if t))
        self.previewed.emit()

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
            self._new_file()

    def chosen_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def _remember(self) -> None:
        settings.set_last_provenance(self.publisher_edit.text().strip(),
                                     self.licence_box.licence())

    def options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`importers.import_file`: the provenance, and the
        settings changed in the preview (the others are detected as the preview did)."""
        return {**self.chosen, "title": self.title_edit.text().strip() or None,
                "source_url": self.source_edit.text().strip(),
                "publisher": self.publisher_edit.text().strip(),
                "licence": self.licence_box.licence(),
                "retrieved_at": picked_date(self.retrieved_edit) or None}
