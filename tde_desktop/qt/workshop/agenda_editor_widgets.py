"""Small pieces the agenda editor is built from, sized so the editor fits a 1280x720
screen at 200% text: a form that scrolls up and down (never sideways) with the
Save button outside it, instruction boxes a few lines tall, and labelled buttons.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QWidget,
)

#: rows a list or table of the editor always shows (the form scrolls instead)
MIN_ROWS = 3


def labelled_button(text: str, slot: Any) -> QPushButton:
    """A push button whose accessible name is its text without the shortcut mark."""
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    button.clicked.connect(lambda _c=False: slot())
    return button


def move_item(items: list[Any], index: int, step: int) -> int:
    """Move ``items[index]`` by ``step`` places in place; returns its new index (the
    old one when the move would leave the list)."""
    target = index + step
    if 0 <= index < len(items) and 0 <= target < len(items):
        items.insert(target, items.pop(index))
        return target
    return index


def rows_height(view: QAbstractItemView, rows: int = MIN_ROWS) -> int:
    """Pixels ``view`` needs to show ``rows`` rows (and its column header) at its text size."""
    model = view.model()
    row = view.sizeHintForRow(0) if model is not None and model.rowCount() else -1
    if row <= 0:
        row = view.fontMetrics().height() + 8
    header = 0
    if isinstance(view, QTableWidget) and not view.horizontalHeader().isHidden():
        header = view.horizontalHeader().sizeHint().height()
    return rows * row + header + 2 * view.frameWidth()


class RowsList(QListWidget):
    """A list that is never squeezed below :data:`MIN_ROWS` rows."""

    def minimumSizeHint(self) -> QSize:
        base = super().minimumSizeHint()
        return QSize(base.width(), max(base.height(), rows_height(self)))


class RowsTable(QTableWidget):
    """A table that is never squeezed below :data:`MIN_ROWS` rows under its header."""

    def minimumSizeHint(self) -> QSize:
        base = super().minimumSizeHint()
        return QSize(base.width(), max(base.height(), rows_height(self)))


class InstructionsEdit(QPlainTextEdit):
    """A plain text box about ``LINES`` lines tall at the current text size; Tab leaves it."""

    LINES = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        lines = self.fontMetrics().lineSpacing() * self.LINES
        padding = margins.top() + margins.bottom() + 2 * int(self.document().documentMargin())
        height = lines + padding
        return QSize(super().sizeHint().width(),
                     max(height, super().minimumSizeHint().height()))


class FormScroll(QScrollArea):
    """Holds a form that scrolls vertically when the screen is too short for it.

    It asks for the form's full width (so nothing scrolls sideways or is cut) and,
    as its natural height, the form's own; its minimum height is a scroll area's,
    which is what lets a tall form fit a short screen.
    """

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)

    def _extra(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        body = self.widget()
        base = super().minimumSizeHint()
        if body is None:
            return base
        return QSize(body.minimumSizeHint().width() + self._extra(), base.height())

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        hint = body.sizeHint().expandedTo(body.minimumSizeHint())
        return QSize(hint.width() + self._extra(), hint.height() + 2 * self.frameWidth())
