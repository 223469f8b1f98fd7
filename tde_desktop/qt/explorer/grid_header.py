"""The grid's column headers: plain labels on two lines, never cut mid-word.

A plain label ("Block number of the property") is longer than a column is wide.
Qt would centre it and clip both ends ("lock number of the pro"). This header
wraps each label onto at most two lines at a word, ends the second with an
ellipsis only when even two lines cannot hold it, and is always two lines tall
so the header does not jump while columns are resized. The full description
stays in the tooltip (the model's ToolTipRole).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

#: a column is at least this many average characters wide, and its header asks for at most
#: this many (a longer label wraps, then ends with an ellipsis; the person can widen it)
MIN_CHARS, MAX_CHARS = 8, 22


def wrap_two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` in at most two lines no wider than ``width`` pixels: broken at spaces, the
    second line (or a single over-long word) elided with an ellipsis when it cannot fit."""
    width = max(1, width)
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    words = text.split()
    first = ""
    taken = 0
    for word in words:
        candidate = f"{first} {word}" if first else word
        if metrics.horizontalAdvance(candidate) > width:
            break
        first, taken = candidate, taken + 1
    if taken == 0:  # even the first word is too wide: elide it, keep the rest below
        first = metrics.elidedText(words[0], Qt.TextElideMode.ElideRight, width) if words else ""
        taken = 1
    rest = " ".join(words[taken:])
    if not rest:
        return [first]
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


def fits_in_two_lines(text: str, metrics: QFontMetrics, width: int) -> bool:
    """True when ``text`` wraps into two lines of ``width`` pixels with nothing elided."""
    return " ".join(wrap_two_lines(text, metrics, width)) == " ".join(text.split())


class GridHeader(QHeaderView):
    """A horizontal header whose labels wrap onto two lines (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        # The lines are made to fit here; the style must not elide the joined text again.
        self.setTextElideMode(Qt.TextElideMode.ElideNone)

    def _text_width(self, logical: int) -> int:
        """The pixels a label has inside section ``logical`` (margins and sort arrow off)."""
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        width = self.sectionSize(logical) - 4 * margin
        if self.isSortIndicatorShown() and self.sortIndicatorSection() == logical:
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, self)
        return width

    def initStyleOptionForIndex(self, option: QStyleOptionHeader,
                                logical: int) -> None:
        super().initStyleOptionForIndex(option, logical)
        if option.text:
            lines = wrap_two_lines(option.text, self.fontMetrics(), self._text_width(logical))
            option.text = "\n".join(lines)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        size = super().sectionSizeFromContents(logical)
        metrics = self.fontMetrics()
        # Always two lines tall, whatever this label needs, so the height never jumps.
        two_lines = size.height() - metrics.height() + 2 * metrics.lineSpacing()
        return QSize(size.width(), max(size.height(), two_lines))

    def label_width(self, text: str, metrics: QFontMetrics | None = None) -> int:
        """A sensible width for a column headed ``text``: the narrowest (in steps of one
        average character, from MIN_CHARS to MAX_CHARS) at which it fits in two lines.
        ``metrics`` gives the font to measure with when this header's own font is about to
        change (the grid hears of a new text size before its header does)."""
        metrics = metrics or self.fontMetrics()
        char = max(1, metrics.averageCharWidth())
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        arrow = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, self)
        padding = 4 * margin + arrow
        for chars in range(MIN_CHARS, MAX_CHARS + 1):
            if fits_in_two_lines(text, metrics, chars * char):
                return chars * char + padding
        return MAX_CHARS * char + padding
