"""Plain-language filters: column, operator in plain words, value; shown as removable chips.

The bar only edits a list of :class:`Filter`; the explorer applies it and
tells the bar how many rows match, so the count is always in view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import ColumnInfo
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.shown_text import shown_text
from tde_desktop.qt.explorer.column_labels import fill_column_box, shown_label
from tde_desktop.qt.explorer.flow_layout import FlowLayout

NUMERIC = {"integer", "number"}
DATES = {"date", "datetime"}


def operator_choices(column_type: str) -> list[tuple[str, str]]:
    """(op, plain words) that make sense for a column of this type, most useful first."""
    if column_type in NUMERIC:
        return [("is", _("is")), ("between", _("is between")), ("gt", _("is more than")),
                ("lt", _("is less than")), ("is_not", _("is not")), ("in", _("is one of")),
                ("empty", _("is empty")), ("not_empty", _("is not empty"))]
    if column_type in DATES:
        return [("between", _("is between")), ("gt", _("is after")), ("lt", _("is before")),
                ("starts_with", _("starts with")), ("is", _("is")),
                ("empty", _("is empty")), ("not_empty", _("is not empty"))]
    return [("is", _("is")), ("contains", _("contains")), ("starts_with", _("starts with")),
            ("is_not", _("is not")), ("in", _("is one of")), ("empty", _("is empty")),
            ("not_empty", _("is not empty"))]


def parse_value(text: str, column_type: str) -> object:
    """The typed value for a filter: numbers for number columns, text otherwise."""
    text = text.strip()
    if column_type in NUMERIC:
        cleaned = text.replace(",", "")
        try:
            return int(cleaned)
        except ValueError:
            try:
                return float(cleaned)
            except ValueError:
                return text
    return text


def make_filter(column: ColumnInfo, op: str, value: str = "", value2: str = "") -> Filter:
    """A Filter from what a person typed; 'is one of' splits on commas."""
    if op in ("empty", "not_empty"):
        return Filter(column.name, op)
    if op == "in":
        values = [parse_value(v, column.type) for v in value.split(",") if v.strip()]
        return Filter(column.name, op, values)
    if op == "between":
        return Filter(column.name, op, parse_value(value, column.type),
                            parse_value(value2, column.type))
    return Filter(column.name, op, parse_value(value, column.type))


class FilterBar(QWidget):
    """Add filters in plain words; remove them by clicking their chip."""

    filters_changed = Signal(list)
    search_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[ColumnInfo] = []
        self.filters: list[Filter] = []

        self.column_box = ElidedComboBox(min_chars=10)
        self.column_box.setAccessibleName(_("Filter column"))
        self.column_box.setToolTip(_("The column to filter on"))
        self.op_box = QComboBox()
        self.op_box.setAccessibleName(_("Filter condition"))
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName(_("Filter value"))
        self.value_edit.setPlaceholderText(_("value"))
        self.and_label = QLabel(_("and"))
        self.value2_edit = QLineEdit()
        self.value2_edit.setAccessibleName(_("Second filter value"))
        self.value2_edit.setPlaceholderText(_("value"))
        self.add_button = QPushButton(_("&Add filter"))
        self.add_button.setAccessibleName(_("Add filter"))
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName(_("Search all text"))
        self.search_edit.setPlaceholderText(_("Search all text..."))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(self.fontMetrics().averageCharWidth() * 40)
        self._set_min_widths()

        self.where_label = QLabel(_("Show rows where"))
        self.where_label.setBuddy(self.column_box)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName(_("Matching rows"))
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        # Chips wrap on a row of their own, so the search box keeps its room.
        self.chips = FlowLayout()
        self.rows = [QHBoxLayout() for _i in range(4)]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for row in self.rows:
            row.setContentsMargins(0, 0, 0, 0)
            layout.addLayout(row)
        self._large: bool | None = None
        self._arrange()

        self.column_box.currentIndexChanged.connect(self._column_changed)
        self.op_box.currentIndexChanged.connect(self._op_changed)
        self.add_button.clicked.connect(self.add_from_editor)
        self.value_edit.returnPressed.connect(self.add_from_editor)
        self.value2_edit.returnPressed.connect(self.add_from_editor)
        self.search_edit.returnPressed.connect(
            lambda: self.search_requested.emit(self.search_edit.text().strip()))
        self._op_changed()

    def _arrange(self) -> None:
        """One editor row at normal sizes; at 150% and 200% the editor takes two rows,
        so the bar never needs more width than the grid has."""
        large = theme.text_scale() > 1.25
        if large == self._large:
            return
        self._large = large
        editor = [self.where_label, self.column_box, self.op_box, self.value_edit,
                  self.and_label, self.value2_edit, self.add_button]
        for row in self.rows:
            while row.count():
                item = row.takeAt(0)
                inner = item.layout() if item is not None else None
                if inner is not None:
                    inner.setParent(None)
        if large:
            plan: list[list[Any]] = [editor[:2] + [1], editor[2:] + [1],
                                     [self.count_label, 1, self.search_edit], [self.chips]]
        else:
            plan = [editor + [1], [self.count_label, 1, self.search_edit], [self.chips], []]
        for row, items in zip(self.rows, plan, strict=True):
            for item in items:
                if isinstance(item, int):
                    row.addStretch(item)
                elif isinstance(item, FlowLayout):
                    row.addLayout(item, 1)
                else:
                    row.addWidget(item)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._set_min_widths()
            self._arrange()

    def _set_min_widths(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        self.value_edit.setMinimumWidth(char * 8)
        # Room to read what was typed ("Search all text..."), whatever else the bar holds.
        self.search_edit.setMinimumWidth(char * 18)
        self.search_edit.setMaximumWidth(char * 40)

    # -- set up ---------------------------------------------------------------------------

    def set_columns(self, columns: list[ColumnInfo]) -> None:
        """Offer these columns (a new dataset); clears the filters shown."""
        self.columns = list(columns)
        self.column_box.blockSignals(True)
        self.column_box.clear()
        fill_column_box(self.column_box, self.columns)
        self.column_box.blockSignals(False)
        self._column_changed()
        self.search_edit.clear()
        self.show_filters([])

    def column(self, name: str) -> ColumnInfo | None:
        return next((c for c in self.columns if c.name == name), None)

    def label_for(self, name: str) -> str:
        column = self.column(name)
        return shown_label(column) if column is not None else shown_text(name)

    def _column_changed(self) -> None:
        column = self.column(str(self.column_box.currentData()))
        self.op_box.blockSignals(True)
        self.op_box.clear()
        for op, words in operator_choices(column.type if column else "text"):
            self.op_box.addItem(words, op)
        self.op_box.blockSignals(False)
        self._op_changed()

    def _op_changed(self) -> None:
        op = self.op_box.currentData()
        self.value_edit.setVisible(op not in ("empty", "not_empty"))
        between = op == "between"
        self.value2_edit.setVisible(between)
        self.and_label.setVisible(between)
        self.value_edit.setPlaceholderText(
            _("values, separated by commas") if op == "in" else _("value"))

    # -- editing ------------------------------------------------------------------------

    def add_from_editor(self) -> None:
        """Make a filter from the editors and ask for it to be applied."""
        column = self.column(str(self.column_box.currentData()))
        op = str(self.op_box.currentData())
        if column is None:
            return
        value, value2 = self.value_edit.text(), self.value2_edit.text()
        if op not in ("empty", "not_empty") and not value.strip():
            self.value_edit.setFocus()
            return
        if op == "between" and not value2.strip():
            self.value2_edit.setFocus()
            return
        self.value_edit.clear()
        self.value2_edit.clear()
        self.filters_changed.emit([*self.filters, make_filter(column, op, value, value2)])

    def remove_filter(self, position: int) -> None:
        remaining = [f for i, f in enumerate(self.filters) if i != position]
        self.filters_changed.emit(remaining)

    def show_filters(self, filters: list[Filter]) -> None:
        """Redraw the chips for the filters now applied."""
        self.filters = list(filters)
        while self.chips.count():
            item = self.chips.takeAt(0)
            chip = item.widget() if item is not None else None
            if chip is not None:
                # Hidden now, deleted later: a removed chip must vanish at once.
                chip.hide()
                chip.deleteLater()
        for i, f in enumerate(self.filters):
            text = shown_text(f.describe(self.label_for(f.column)))
            chip = QToolButton()
            chip.setText(f"{text}  \u2715")
            chip.setToolTip(_("Remove this filter"))
            chip.setAccessibleName(_("Remove filter: {text}").format(text=text))
            chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            chip.setProperty("chip", True)
            chip.clicked.connect(lambda _c=False, pos=i: self.remove_filter(pos))
            self.chips.addWidget(chip)

    def chip_buttons(self) -> list[QToolButton]:
        out = []
        for i in range(self.chips.count()):
            item = self.chips.itemAt(i)
            w = item.widget() if item is not None else None
            if isinstance(w, QToolButton):
                out.append(w)
        return out

    def show_count(self, matching: int | None, total: int) -> None:
        """Keep the matching-row count in view ('counting...' while unknown)."""
        if matching is None:
            self.count_label.setText(_("Counting rows..."))
        elif matching == total:
            self.count_label.setText(
                ngettext("{n} row", "{n} rows", total).format(n=format_number(total)))
        else:
            self.count_label.setText(ngettext(
                "{n} of {total} row match", "{n} of {total} rows match", total).format(
                n=format_number(matching), total=format_number(total)))
