"""The facet panel: the most common values of a column; click one to filter on it.

Text columns list their top values with counts; numbers and dates are grouped
into ranges. Counting runs in the background (ops) under the current filters.
"""

from __future__ import annotations

import calendar
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore import facets
from tde_desktop.core.explore.filters import Filter, format_value, where_for
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import ColumnInfo, Pack, quote
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.shown_text import shown_text
from tde_desktop.qt.common.text_direction import isolate
from tde_desktop.qt.explorer.column_labels import fill_column_box

NUMERIC = ("integer", "number")
DATES = ("date", "datetime")
#: a whole-number column with at most this many values is a code (a district, a
#: year, a rating), shown value by value; more values make it a measure, shown in ranges
MAX_CODE_VALUES = 100


def _few_values(conn: Any, table: str, column: str, filters: list[Filter]) -> bool:
    """True if ``column`` holds at most MAX_CODE_VALUES values among matching rows.

    DISTINCT ... LIMIT stops at the first value too many, so a true measure
    (millions of different amounts) is recognised after a few hundred rows.
    """
    where, params = where_for(conn, table, filters)
    c = quote(column)
    found = conn.execute(f"SELECT count(*) FROM (SELECT DISTINCT {c} FROM {quote(table)} "
                         f"{where} LIMIT ?)", [*params, MAX_CODE_VALUES + 1]).fetchone()[0]
    return int(found) <= MAX_CODE_VALUES


def _value_entries(result: facets.FacetResult, column: str
                   ) -> list[tuple[str, int, Filter]]:
    """Each value with its count, in the order of the values (codes read best so)."""
    def key(pair: tuple[Any, int]) -> tuple[int, Any]:
        value = pair[0]
        return (1, 0) if value in (None, "") else (0, value if isinstance(value, int | float)
                                                   else float("inf"))

    return [(format_value(v) if v not in (None, "") else _("(empty)"), n,
             Filter(column, "empty") if v in (None, "") else Filter(column, "is", v))
            for v, n in sorted(result.values, key=key)]


def period_filter(column: str, label: str) -> Filter:
    """A 'between' filter covering the year, month or day named by ``label``."""
    if len(label) == 4:
        return Filter(column, "between", f"{label}-01-01", f"{label}-12-31")
    if len(label) == 7:
        year, month = int(label[:4]), int(label[5:7])
        last = calendar.monthrange(year, month)[1]
        return Filter(column, "between", f"{label}-01", f"{label}-{last:02d}")
    return Filter(column, "between", label, label)


def facet_entries(pack: Pack, table: str, column: ColumnInfo, filters: list[Filter]
                  ) -> tuple[list[tuple[str, int, Filter]], str]:
    """(label, count, filter to add) for each value or range, and a one-line note."""
    conn = pack.conn
    if column.type == "integer" and _few_values(conn, table, column.name, filters):
        values = facets.facet(conn, table, column.name, filters, limit=MAX_CODE_VALUES + 1)
        return (_value_entries(values, column.name),
                ngettext("{n} different value", "{n} different values",
                         values.distinct).format(n=format_number(values.distinct)))
    if column.type in NUMERIC:
        buckets = facets.numeric_buckets(conn, table, column.name, filters)
        entries = []
        for lo, hi, n in buckets:
            whole = column.type == "integer" and hi - lo == 1 and float(lo).is_integer()
            if whole:
                entries.append((format_value(lo), n,
                                Filter(column.name, "is", int(lo))))
            else:
                entries.append((f"{format_value(lo)} \u2013 {format_value(hi)}", n,
                                Filter(column.name, "between", lo, hi)))
        return entries, _("Ranges of equal width")
    if column.type in DATES:
        per_year = facets.date_buckets(conn, table, column.name, filters, unit="year")
        unit = "month" if len(per_year) <= 3 else "year"
        buckets2 = per_year if unit == "year" else facets.date_buckets(
            conn, table, column.name, filters, unit="month")
        return ([(label, n, period_filter(column.name, label)) for label, n in buckets2],
                _("Rows per year") if unit == "year" else _("Rows per month"))
    result = facets.facet(conn, table, column.name, filters, limit=50)
    entries = [(format_value(v) if v not in (None, "") else _("(empty)"), n,
                Filter(column.name, "empty") if v in (None, "")
                else Filter(column.name, "is", v))
               for v, n in result.values]
    note = ngettext("{n} different value", "{n} different values",
                    result.distinct).format(n=format_number(result.distinct))
    if result.other:
        note += "; " + ngettext("{n} row holds other values", "{n} rows hold other values",
                                 result.other).format(n=format_number(result.other))
    return entries, note


class FacetList(QListWidget):
    """A list whose Enter key activates the current item (clicks are handled separately)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) \
                and self.currentItem() is not None:
            self.itemClicked.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class FacetPanel(QWidget):
    """Pick a column; see its values with counts; click one to add an 'is' filter."""

    def __init__(self, explorer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explorer = explorer
        self.column_box = ElidedComboBox()
        self.column_box.setAccessibleName(_("Column to count values of"))
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # counts of pack values: never markup
        self.note.setWordWrap(True)
        self.list = FacetList()
        self.list.setAccessibleName(_("Values and how many rows hold each"))
        row = QHBoxLayout()
        label = QLabel(_("Values &of"))
        label.setBuddy(self.column_box)
        row.addWidget(label)
        row.addWidget(self.column_box, 1)
        hint = QLabel(_("Click a value (or press Enter) to show only those rows."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        self.tidy_button = QPushButton(_("&Tidy values..."))  # clusters to merge (text only)
        self.tidy_button.setToolTip(_("Finds values that differ only in case, spacing, "
                                      "punctuation, accents or spelling, to merge them."))
        self.tidy_button.clicked.connect(self.open_tidy)
        layout.addWidget(self.tidy_button)
        self.entries: list[tuple[str, int, Filter]] = []
        self._generation = 0
        self.column_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.list.itemClicked.connect(self._clicked)
        explorer.dataset_changed.connect(self._dataset_changed)
        self._dataset_changed()

    def _dataset_changed(self) -> None:
        self.column_box.blockSignals(True)
        self.column_box.clear()
        info = self.explorer.dataset
        fill_column_box(self.column_box, info.columns if info else [])
        self.column_box.blockSignals(False)
        self.list.clear()

    def set_column(self, name: str) -> None:
        position = self.column_box.findData(name)
        if position >= 0:
            self.column_box.setCurrentIndex(position)

    def refresh(self) -> None:
        """Count values of the chosen column under the current filters (in the background)."""
        info, pack = self.explorer.dataset, self.explorer.pack
        name = self.column_box.currentData()
        if info is None or pack is None or name is None:
            self.list.clear()
            return
        column = next(c for c in info.columns if c.name == name)
        self.tidy_button.setEnabled(column.type == "text")
        self._generation += 1
        generation = self._generation
        filters = list(self.explorer.filters)
        self.note.setText(_("Counting..."))
        from tde_desktop.qt.common.ops import run_op

        run_op(self, lambda p, _progress: facet_entries(p, info.table_name, column, filters),
               pack_path=pack.path, label=_("Counting values"),
               on_done=lambda result: self._show(generation, *result))

    def _show(self, generation: int, entries: list[tuple[str, int, Filter]],
              note: str) -> None:
        if generation != self._generation:
            return
        self.entries = entries
        self.list.clear()
        for whole, n, f in entries:
            label = shown_text(whole)
            # The value keeps its own direction ("2041 W NORTH AVE" in Arabic too) and
            # stays on its side of the count; the screen reader gets the plain value.
            item = QListWidgetItem(f"{isolate(label)}  \u2014  {format_number(n)}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         ngettext("{value}: {n} row", "{value}: {n} rows", n).format(
                             value=label, n=format_number(n)))
            self.list.addItem(item)
        self.note.setText(note if entries else _("No rows match these filters."))

    def open_tidy(self) -> None:
        """The Tidy values dialog for the chosen column (facets count again after a merge)."""
        name = self.column_box.currentData()
        if self.explorer.dataset is None or name is None:
            return
        from tde_desktop.qt.explorer.tidy_dialog import TidyDialog

        self.tidy_dialog = TidyDialog(self.explorer, name, self)
        self.tidy_dialog.open()

    def _clicked(self, item: QListWidgetItem) -> None:
        f = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(f, Filter):
            self.explorer.add_filter(f)
