"""Panel tabs down the side, with their words written across, not rotated.

Seven panels do not fit side by side across the explorer's side panel once
the text is 150% or 200% large; a column of tabs always fits, and its labels
stay horizontal so they read like any other text.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QStyle,
    QStyleOptionTab,
    QStylePainter,
    QTabBar,
    QTabWidget,
    QWidget,
)


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
