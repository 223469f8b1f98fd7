"""The console's agenda table: one row per exercise, its title given the room.

The short columns (number, time box, time left, status, answers) take what their
text needs; the exercise title takes the rest and wraps onto more lines rather
than being cut to "Stati..." at 200% text; the Results note ("shown (on the
projector)") wraps too when the title would otherwise get less than 40% of the width. Rows grow to
their wrapped text.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

from tde_desktop.core.i18n import _

#: the columns of the exercise title and of the results note
TITLE, RESULTS = 1, 6
#: the share of the table's width the exercise title keeps before the Results note wraps
TITLE_SHARE = 0.4


class AgendaTable(QTableWidget):
    """The exercises of a workshop, read-only, one selected at a time; ``columns`` are
    the headings (already translated), the title second and the results note last."""

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(columns)
        self.setAccessibleName(_("Agenda"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # one line as tall as before
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESULTS, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)

    def fit_results_column(self) -> int:
        """Size the Results column to its text, but never so wide that the exercise title
        keeps less than :data:`TITLE_SHARE` of the table (then the note wraps, down to
        its heading's or its longest word's width); returns the width given."""
        header = self.horizontalHeader()
        need = max(self.sizeHintForColumn(RESULTS), header.sectionSizeHint(RESULTS))
        others = sum(header.sectionSize(c) for c in range(self.columnCount())
                     if c not in (TITLE, RESULTS))
        room = self.viewport().width() - others - int(self.viewport().width() * TITLE_SHARE)
        width = min(need, max(header.sectionSizeHint(RESULTS), self._longest_word(), room))
        if header.sectionSize(RESULTS) != width:
            header.resizeSection(RESULTS, width)
            self.resizeRowsToContents()
        return width

    def _longest_word(self) -> int:
        """Pixels the Results column needs so that no word of it is cut."""
        metrics = self.fontMetrics()
        words = [w for r in range(self.rowCount()) if (item := self.item(r, RESULTS))
                 for w in item.text().split()]
        padding = 4 * self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin)
        return max((metrics.horizontalAdvance(w) for w in words), default=0) + padding + 8

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_results_column()
