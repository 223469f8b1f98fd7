"""Panel tabs down the side, with their words written across, not rotated.

Seven panels do not fit side by side across the explorer's side panel once
the text is 150% or 200% large; a column of tabs always fits, and its labels
stay horizontal so they read like any other text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, QTimer
from PySide6.QtWidgets import (
    QStyle,
    QStyleOptionTab,
    QStylePainter,
    QTabBar,
    QTabWidget,
    QWidget,
)

#: a page of the side panel is at least this wide (pixels and average characters)
PAGE_MIN_PX, PAGE_MIN_CHARS = 340, 30


class SideTabBar(QTabBar):
    """A west-side tab bar whose labels are painted horizontally."""

    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        size.transpose()
        metrics = self.fontMetrics()
        return QSize(max(size.width(), metrics.horizontalAdvance(self.tabText(index)) + 28),
                     max(size.height(), metrics.height() + 14))

    def minimumTabSizeHint(self, index: int) -> QSize:
        return self.tabSizeHint(index)

    def paintEvent(self, _event: object) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionTab()
        for index in range(self.count()):
            self.initStyleOption(option, index)
            painter.drawControl(QStyle.ControlElement.CE_TabBarTabShape, option)
            painter.save()
            size = option.rect.size()
            size.transpose()
            rect = QRect(QPoint(), size)
            rect.moveCenter(option.rect.center())
            option.rect = rect
            centre = self.tabRect(index).center()
            painter.translate(centre)
            painter.rotate(90)  # undo the style's quarter turn for west tabs
            painter.translate(-centre)
            painter.drawControl(QStyle.ControlElement.CE_TabBarTabLabel, option)
            painter.restore()


class SideTabs(QTabWidget):
    """A QTabWidget with :class:`SideTabBar` on its left edge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabBar(SideTabBar(self))
        self.setTabPosition(QTabWidget.TabPosition.West)
        self.setDocumentMode(False)
        self._keep_width()

    def _keep_width(self) -> None:
        """One minimum width for every page, wide enough for the widest (a chart and its
        choosers, about 30 characters or 340 px), so switching tabs never widens the panel."""
        page = max(PAGE_MIN_PX, self.fontMetrics().averageCharWidth() * PAGE_MIN_CHARS)
        self.setMinimumWidth(self.tabBar().sizeHint().width() + page + 24)

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self._keep_width()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # After the tab bar has taken the new font too; given ``self`` as context, the
            # call is dropped if the panel is deleted first (a window closed meanwhile).
            QTimer.singleShot(0, self, self._keep_width)
