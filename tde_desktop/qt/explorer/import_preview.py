"""The import dialog's preview: how the file will be read, changeable, and its first rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.importers.preview import Preview
from tde_desktop.qt.common.elided_combo import ElidedComboBox

#: encodings offered (the detected one is added when it is not among them)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "iso-8859-15", "utf-16", "mac_roman",
             "cp850", "gb18030", "big5", "shift_jis")
#: rows a person can name as the header (the header must start in the first rows)
MAX_HEADER_ROW = 9999
#: characters of a cell shown (a GeoJSON shape can be a megabyte of text)
MAX_CELL_CHARS = 300
#: rows a header can be made of (their names joined, top to bottom)
MAX_HEADER_ROWS = 9


def delimiters() -> list[tuple[str, str]]:
    """(value as ``import_file(delimiter=...)`` takes it, label) of each delimiter offered."""
    return [(",", _("Comma ,")), (";", _("Semicolon ;")), ("\t", _("Tab")),
            ("|", _("Pipe |")), (":", _("Colon :")), (" ", _("Space")),
            (", ", _("Comma and space"))]


def quotes() -> list[tuple[str, str]]:
    """(value as ``import_file(quote=...)`` takes it, label) of each quote offered."""
    return [('"', _('Double quote "')), ("'", _("Single quote '")), ("", _("None"))]


def _combo(name: str, items: list[tuple[str, str]] | None = None) -> QComboBox:
    box = ElidedComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    for value, label in items or []:
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value: Any, label: str | None = None) -> None:
    """Show ``value`` in ``box`` (added at the end when it is not there), without signals."""
    box.blockSignals(True)
    try:
        index = box.findData(value)
        if index < 0:
            box.addItem(label if label is not None else str(value), value)
            index = box.count() - 1
        box.setCurrentIndex(index)
    finally:
        box.blockSignals(False)


class ReadSettings(QWidget):
    """The detected settings as controls; ``changed(key, value)`` when a person changes
    one (``key`` as :func:`~tde_desktop.core.importers.import_file` names its option)."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.encoding_box = _combo(_("Encoding"))
        for name in ENCODINGS:
            self.encoding_box.addItem(name, name)
        self.delimiter_box = _combo(_("Delimiter"), delimiters())
        self.quote_box = _combo(_("Quote character"), quotes())
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, MAX_HEADER_ROW)
        self.header_spin.setAccessibleName(_("Header row"))
        self.header_rows_spin = QSpinBox()
        self.header_rows_spin.setRange(1, MAX_HEADER_ROWS)
        self.header_rows_spin.setAccessibleName(_("Number of header rows"))
        self.header_rows_spin.setToolTip(_("Two or more rows: their names are joined, top "
                                           "to bottom"))
        self.sheet_box = _combo(_("Sheet"))
        self.table_box = _combo(_("Table in the sheet"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self._labels: dict[QWidget, QLabel] = {}
        places = ((self.encoding_box, _("&Encoding:"), 0, 0),
                  (self.delimiter_box, _("&Delimiter:"), 0, 1),
                  (self.quote_box, _("&Quote:"), 0, 2),
                  (self.header_spin, _("Header ro&w:"), 1, 0),
                  (self.header_rows_spin, _("Header r&ows:"), 1, 1),
                  (self.sheet_box, _("S&heet:"), 1, 2),
                  (self.table_box, _("T&able:"), 2, 2))
        for field, text, row, col in places:
            label = QLabel(text)
            label.setBuddy(field)
            self._labels[field] = label
            grid.addWidget(label, row, 2 * col)
            grid.addWidget(field, row, 2 * col + 1)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        for key, box in (("encoding", self.encoding_box), ("delimiter", self.delimiter_box),
                         ("quote", self.quote_box), ("sheet", self.sheet_box),
                         ("table", self.table_box)):
            box.activated.connect(lambda _i, k=key, b=box: self.changed.emit(k, b.currentData()))
        self.header_spin.valueChanged.connect(lambda v: self.changed.emit("header_row", v))
        self.header_rows_spin.valueChanged.connect(
            lambda v: self.changed.emit("header_rows", v))
        self.show_preview(None)

    def _show(self, field: QWidget, shown: bool) -> None:
        field.setVisible(shown)
        self._labels[field].setVisible(shown)

    def show_preview(self, view: Preview | None) -> None:
        """Show the settings ``view`` was read with; hide those that do not apply."""
        text = view is not None and view.format == "csv"
        sheet = view is not None and view.format == "excel"
        for field in (self.encoding_box, self.delimiter_box, self.quote_box):
            self._show(field, text)
        self._show(self.header_spin, text or sheet)
        self._show(self.header_rows_spin, text or sheet)
        self._show(self.sheet_box, sheet)
        self._show(self.table_box, sheet and view is not None and len(view.tables) > 1)
        if view is None:
            return
        if text:
            _select(self.encoding_box, view.encoding)
            _select(self.delimiter_box, view.delimiter, repr(view.delimiter))
            _select(self.quote_box, view.quote, repr(view.quote))
        if sheet:
            self._fill(self.sheet_box, [(n, n) for n in view.sheets], view.sheet)
            tables = [(k + 1, f"{k + 1}. {title}" if title else str(k + 1))
                      for k, title in enumerate(view.tables)]
            self._fill(self.table_box, tables, view.table)
        for spin, value in ((self.header_spin, view.header_row),
                            (self.header_rows_spin, view.header_rows)):
            if value is not None:
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)

    @staticmethod
    def _fill(box: QComboBox, items: list[tuple[Any, str]], current: Any) -> None:
        box.blockSignals(True)
        box.clear()
        for value, label in items:
            box.addItem(label, value)
        box.blockSignals(False)
        _select(box, current)


class PreviewTable(QTableWidget):
    """The first rows as they will be read: plain text, each column's type under its name.
    The table scrolls inside itself, so the dialog never grows with the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setAccessibleName(_("Preview of the first rows"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # A few rows show at the least; more as the dialog grows.
        self.setMinimumHeight(self.fontMetrics().height() * 7)
        self.horizontalHeader().setMaximumSectionSize(self.fontMetrics().averageCharWidth() * 30)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Room for about ten columns and the twenty rows; a dialog is capped by its screen."""
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 120, (metrics.height() + 6) * 22)

    def show_preview(self, view: Preview | None) -> None:
        """Show ``view``'s rows under its column names and types (nothing for ``None``)."""
        self.clear()
        columns = view.columns if view is not None else []
        rows = view.rows if view is not None else []
        self.setColumnCount(len(columns))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels([f"{c.name}\n{_(c.type)}" for c in columns])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text if len(text) <= MAX_CELL_CHARS
                                        else text[:MAX_CELL_CHARS - 1] + "…")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(r, c, item)
        if columns:
            self.resizeColumnsToContents()


def summary(view: Preview) -> str:
    """One line on what is left out of the table (empty when nothing is)."""
    if view.format not in ("csv", "excel"):
        return ""
    return _("Rows left out: {above} above the header, {below} below the table.").format(
        above=view.rows_above, below=view.rows_below)
