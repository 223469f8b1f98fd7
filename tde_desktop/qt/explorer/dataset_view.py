"""The grid: a table view with a frozen first column, copy as TSV and "Go to row".

The frozen column is Qt's classic overlay: a second QTableView sharing the
model and selection, sitting over the left edge (the right edge when the layout
is right to left, as in Arabic) and scrolling vertically with the main view, so the
first column (whatever the person dragged there) stays in view while scrolling
sideways through wide tables.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QInputDialog, QTableView

from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number
from tde_desktop.qt.common.text_direction import ValueDirectionDelegate
from tde_desktop.qt.explorer.grid_header import GridHeader

#: copying more cells than this asks nothing but copies only this many
MAX_COPY_CELLS = 200_000


class DatasetView(QTableView):
    """The grid of one dataset; set a DatasetTableModel with :meth:`setModel`."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setAccessibleName(_("Data grid"))
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Each value reads in its own direction ("2041 W NORTH AVE" in an Arabic window too).
        self.setItemDelegate(ValueDirectionDelegate(self))
        self.setHorizontalHeader(GridHeader(self))
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        # Sorting is asked of the explorer through sortIndicatorChanged, so a big table
        # can get its index built in the background before the model re-sorts.
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.frozen = QTableView(self)
        self.frozen.setHorizontalHeader(GridHeader(self.frozen))
        self.frozen.setItemDelegate(ValueDirectionDelegate(self.frozen))
        self.frozen.setAccessibleName(_("First column, kept in view"))
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)
        self._set_frozen_edge()
        self.frozen.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.hide()
        self._set_row_height()

        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_a: self.sync_frozen())
        header.sortIndicatorChanged.connect(self._sort_indicator)


    # -- text size: rows, headers and column widths follow the font ------------------------

    def row_height(self) -> int:
        """The height of every row at the current font (24 px at 100% text)."""
        return max(24, self.fontMetrics().height() + 8)

    def _set_row_height(self) -> None:
        for view in (self, self.frozen):
            view.verticalHeader().setMinimumSectionSize(1)
            view.verticalHeader().setDefaultSectionSize(self.row_height())

    def fit_column_widths(self, first: int = 0, last: int = -1) -> None:
        """Give columns ``first`` to ``last`` (default all) the width at which their header
        label fits in two lines, within a sensible minimum and maximum."""
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        metrics = QFontMetrics(self.font())
        last = model.columnCount() - 1 if last < 0 else last
        for col in range(first, last + 1):
            label = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            header.resizeSection(col, header.label_width(label, metrics))  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "frozen"):
            self._set_row_height()
            self.fit_column_widths()
            self.sync_frozen()
        elif event.type() == QEvent.Type.LayoutDirectionChange and hasattr(self, "frozen"):
            self._set_frozen_edge()
            self._place_frozen()

    # -- the frozen first column ---------------------------------------------------------

    def setModel(self, model: object) -> None:
        super().setModel(model)  # type: ignore[arg-type]
        self.frozen.setModel(model)  # type: ignore[arg-type]
        self.frozen.setSelectionModel(self.selectionModel())
        self.frozen.setSelectionBehavior(self.selectionBehavior())
        if model is not None:
            model.modelReset.connect(self.sync_frozen)  # type: ignore[attr-defined]
            model.layoutChanged.connect(self.sync_frozen)  # type: ignore[attr-defined]

            def header_changed(_orientation: object, first: int, last: int) -> None:
                self.fit_column_widths(first, last)
                self.sync_frozen()

            model.headerDataChanged.connect(header_changed)  # type: ignore[attr-defined]
            self.fit_column_widths()
        self.sync_frozen()
        # Lay the rows out now rather than on the next turn of the event loop: otherwise
        # the new grid is painted once before that layout and again after it, and the
        # first rows of a big dataset take a whole extra paint to appear.
        self.executeDelayedItemsLayout()
        self.frozen.executeDelayedItemsLayout()

    def first_column(self) -> int:
        """The logical column shown first (what the frozen overlay shows), or -1."""
        header = self.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return -1

    def sync_frozen(self) -> None:
        model = self.model()
        first = self.first_column()
        if model is None or first < 0:
            self.frozen.hide()
            return
        for col in range(model.columnCount()):
            self.frozen.setColumnHidden(col, col != first)
        self.frozen.setColumnWidth(first, self.columnWidth(first))
        self.frozen.show()
        self._place_frozen()

    def _section_resized(self, logical: int, _old: int, new: int) -> None:
        if logical == self.first_column():
            self.frozen.setColumnWidth(logical, new)
            self._place_frozen()

    def _sort_indicator(self, logical: int, order: Qt.SortOrder) -> None:
        self.frozen.horizontalHeader().setSortIndicator(logical, order)

    def _set_frozen_edge(self) -> None:
        side = "left" if self.isRightToLeft() else "right"  # the side facing the data
        self.frozen.setStyleSheet(f"QTableView {{ border-{side}: 2px solid palette(mid); }}")

    def _place_frozen(self) -> None:
        first = self.first_column()
        if first < 0:
            return
        # The same header height as the main view's, so row n sits at the same y in both.
        height = self.horizontalHeader().height()
        if self.frozen.horizontalHeader().height() != height:
            self.frozen.horizontalHeader().setFixedHeight(height)
        # Child geometry is never mirrored by Qt: in right to left the row numbers and the
        # first column are on the right, so the overlay is placed from the right edge.
        width = self.columnWidth(first)
        x = self.verticalHeader().width() + self.frameWidth()
        if self.isRightToLeft():
            x = self.width() - x - width
        self.frozen.setGeometry(x, self.frameWidth(), width,
                                self.viewport().height() + self.horizontalHeader().height())

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_frozen()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self._place_frozen()

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        # Keep the keyboard cursor from hiding under the frozen column.
        current = super().moveCursor(action, modifiers)
        first = self.first_column()
        if current.column() == first or not current.isValid():
            return current
        rect, covered = self.visualRect(current), self.frozen.columnWidth(first)
        bar = self.horizontalScrollBar()
        if self.isRightToLeft():  # the overlay covers the viewport's right edge
            hidden = rect.right() + 1 - (self.viewport().width() - covered)
            if action == QAbstractItemView.CursorAction.MoveRight and hidden > 0:
                bar.setValue(bar.value() - hidden)
        elif action == QAbstractItemView.CursorAction.MoveLeft and rect.left() < covered:
            bar.setValue(bar.value() + rect.left() - covered)
        return current

    def scrollTo(self, index: QModelIndex,  # type: ignore[override]
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        if index.column() != self.first_column():
            super().scrollTo(index, hint)
        else:
            # Only scroll vertically: the first column is always visible already.
            row_top = self.rowViewportPosition(index.row())
            if row_top < 0 or row_top + self.rowHeight(index.row()) > self.viewport().height():
                super().scrollTo(index, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Handled here rather than with QShortcut: the item view claims Ctrl+C for itself
        # (copying one cell), and we want every selected cell.
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        if QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+G"):
            self.ask_go_to_row()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- copy and go to --------------------------------------------------------------------

    def selected_tsv(self) -> str:
        """The selected cells as tab-separated text, in on-screen column order."""
        model = self.model()
        indexes = self.selectionModel().selectedIndexes() if model is not None else []
        if not indexes:
            return ""
        header = self.horizontalHeader()
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes}, key=header.visualIndex)
        if len(rows) * len(cols) > MAX_COPY_CELLS:
            rows = rows[: max(1, MAX_COPY_CELLS // max(1, len(cols)))]
        chosen = {(i.row(), i.column()) for i in indexes}
        reader = getattr(model, "cell_text", None)
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                if (r, c) not in chosen:
                    value = ""
                elif reader is not None:  # waits for rows still being read in the background
                    value = reader(r, c)
                else:  # data() would copy the placeholders of rows being read
                    value = model.index(r, c).data()
                text = "" if value is None else str(value)
                cells.append(text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        """Ctrl+C: put the selected cells on the clipboard as TSV (pastes into a spreadsheet)."""
        text = self.selected_tsv()
        if text:
            QGuiApplication.clipboard().setText(text)

    def go_to_row(self, number: int) -> bool:
        """Select and show row ``number`` (1-based, as the row labels show)."""
        model = self.model()
        if model is None or not 1 <= number <= model.rowCount():
            return False
        column = max(0, self.currentIndex().column())
        index = model.index(number - 1, column)
        self.setCurrentIndex(index)
        self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def ask_go_to_row(self) -> None:
        """Ctrl+G: ask for a row number and go there."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        number, ok = QInputDialog.getInt(
            self, _("Go to row"),
            _("Row number (1 to {n}):").format(n=format_number(model.rowCount())),
            1, 1, model.rowCount())
        if ok:
            self.go_to_row(number)
