"""A combo box that ends a long entry with "…" instead of cutting it off at its edge.

Combo boxes that hold the pack's words (column labels, dataset names, exercise and
agenda titles) are often narrower than an entry, the more so at 200% text on a 1280x720
projector. Fusion draws such an entry cut at the box's edge, mid-letter, or (in a
right-to-left window) shows only its end. This box shows its beginning, cut with "…", laid
out in its own direction, and keeps the whole entry within reach: as the box's tooltip
while it is cut, as each entry's tooltip in the open list, and for screen readers, which
read the entry itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolTip,
    QWidget,
)

from tde_desktop.core.text_direction import isolate
from tde_desktop.qt.common.ops import plain_tooltip

ELLIPSIS = "\u2026"
#: the text an entry's tooltip was made from, when this box made it (a role no caller uses)
_TIP_FROM = Qt.ItemDataRole.UserRole + 4077


class ElidedComboBox(QComboBox):
    """A combo box that draws a long current entry by its beginning, cut at its end with
    "…" and in its own direction, in a window of either direction ("Number of the pro…",
    where a right-to-left window's right alignment showed "er of the property").

    Its width follows ``min_chars`` characters (and the layout), never its longest entry,
    so one long name cannot widen a window past the screen. Only the drawn text changes:
    the items, :meth:`currentText` and what a screen reader hears stay whole. While the
    entry is cut, hovering the box shows it whole above the box's own tooltip (which is
    plain text), and every entry added without a tooltip of its own gets its whole text
    as one, for the open list, which cuts long entries too.
    """

    def __init__(self, parent: QWidget | None = None, *, min_chars: int = 12) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(min_chars)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        model = self.model()
        model.rowsInserted.connect(self._describe_rows)
        model.dataChanged.connect(
            lambda first, last, _roles=(): self._describe_rows(None, first.row(), last.row()))

    # -- what is drawn -------------------------------------------------------------------

    def shown_text(self) -> str:
        """The text drawn in the box now (with its isolate marks)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._fitted(option)

    def is_elided(self) -> bool:
        """True when the current entry does not fit and is drawn cut with "…"."""
        whole = self.currentText()
        return bool(whole) and isolate(whole) != self.shown_text()

    def _fitted(self, option: QStyleOptionComboBox) -> str:
        rect = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)
        width = rect.width() - 2  # the style draws the text 1 px inside each side
        if not option.currentIcon.isNull():
            width -= option.iconSize.width() + 4
        return isolate(self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(0, width)))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():  # the line edit draws (and scrolls) the text itself
            super().paintEvent(event)
            return
        # QComboBox.paintEvent, with the label's text fitted first.
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._fitted(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    # -- the whole text ------------------------------------------------------------------

    def tooltip_text(self) -> str:
        """What hovering the box shows: while the entry is cut, the whole entry (as
        written, never read as markup) and below it the box's own tooltip; otherwise the
        box's own tooltip alone."""
        own = self.toolTip()
        if not self.is_elided():
            return own
        return plain_tooltip(self.currentText() + ("\n\n" + own if own else ""))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_text()
            if text != self.toolTip():
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)

    def _describe_rows(self, _parent: QModelIndex | QPersistentModelIndex | None,
                       first: int, last: int) -> None:
        """Entries ``first``..``last`` without a tooltip of their own get their whole
        text as one (made again when their text changes)."""
        for row in range(max(0, first), min(last, self.count() - 1) + 1):
            text, made_from = self.itemText(row), self.itemData(row, _TIP_FROM)
            tip = self.itemData(row, Qt.ItemDataRole.ToolTipRole)
            ours = made_from is not None and tip == plain_tooltip(str(made_from))
            if (not tip or ours) and made_from != text:
                self.setItemData(row, text, _TIP_FROM)
                self.setItemData(row, plain_tooltip(text), Qt.ItemDataRole.ToolTipRole)
