"""What the projector draws once results are revealed: one panel at a time, filling it.

:class:`BarChart` paints a question's tally as horizontal bars whose size follows
the space it is given (a few options make big bars, never a scroll strip), with
the number written on every bar (never colour alone). :class:`NotesBoard` lays
approved notes out as wrapping cards, in type that shrinks only as the number
of notes on the board grows. Participant text is always shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number
from tde_desktop.core.workshop.answer_checks import MAX_TEXT
from tde_desktop.qt.common.ops import plain_tooltip
from tde_desktop.qt.common.shown_text import shown_text

FONT_PT = 28
#: notes on one board; more go on the next board (the facilitator pages through them)
NOTES_PER_BOARD = 9


def format_value(value: float, lang: str | None = None) -> str:
    """A number as the room should read it: whole numbers without decimals, one decimal
    otherwise, with the marks of ``lang`` (the interface language when None)."""
    return format_number(value, 0 if float(value).is_integer() else 1, lang)


def plain_label(text: str = "", object_name: str = "", name: str = "") -> QLabel:
    """A wrapping label that never interprets its text as rich text (participants wrote it)
    and shows at most what a participant can type (:func:`shown_text`)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setObjectName(object_name)
    if name:
        label.setAccessibleName(name)
    label.setText(shown_text(text, MAX_TEXT))
    return label


class BarChart(QWidget):
    """Horizontal bars painted with QPainter; each bar carries its label and its number.

    Rows share the chart's height: the fewer the options, the bigger the bars and
    their type (up to :data:`FONT_PT`-sized labels).
    """

    MAX_ROW = 150  # px: one option's label line plus its bar, at most
    MIN_ROW = 34

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float]] = []
        self.lang: str | None = None  # the language the numbers are written in
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: list[tuple[str, float]], name: str = "") -> None:
        self.rows = list(rows)
        described = "; ".join(f"{label}: {format_value(v, self.lang)}"
                              for label, v in self.rows)
        self.setAccessibleName(name)
        self.setAccessibleDescription(described)
        self.setToolTip(plain_tooltip(described))
        self.updateGeometry()
        self.update()

    def displayed(self) -> list[tuple[str, str]]:
        """(label, number as written on the bar) for every bar, in order."""
        return [(label, format_value(v, self.lang)) for label, v in self.rows]

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.MIN_ROW * max(1, len(self.rows)))

    def sizeHint(self) -> QSize:
        return QSize(800, 110 * max(1, len(self.rows)))

    def row_height(self) -> int:
        """How tall one option (label line and bar) is drawn at the current size."""
        return max(self.MIN_ROW, min(self.MAX_ROW, (self.height() - 8) // max(1, len(self.rows))))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        row = self.row_height()
        label_h = int(row * 0.46)
        bar_h = int(row * 0.46)
        font = QFont(self.font())
        font.setPixelSize(max(12, min(int(label_h * 0.8), round(FONT_PT * 1.34))))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = self.width() - 16
        top = max((v for _l, v in self.rows), default=0) or 1
        for i, (label, value) in enumerate(self.rows):
            y = 4 + i * row
            painter.setPen(QPen(QColor("black")))
            painter.drawText(QRect(8, y, width, label_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, width))
            number = format_value(value, self.lang)
            need = metrics.horizontalAdvance(number) + 24
            bar = max(need, int(width * value / top)) if value else need
            bar_rect = QRect(8, y + label_h + 2, bar, bar_h)
            # Dark bars with white numbers; an empty answer is an outlined bar with its 0.
            painter.setBrush(QBrush(QColor("#1f4e79") if value else QColor("white")))
            painter.setPen(QPen(QColor("#1f4e79"), 2))
            painter.drawRect(bar_rect)
            painter.setPen(QPen(QColor("white") if value else QColor("black")))
            painter.drawText(bar_rect.adjusted(8, 0, -8, 0),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
        painter.end()


def discard(widget: QWidget) -> None:
    """Take ``widget`` off the screen now and free it later.

    ``deleteLater`` alone leaves the widget a visible child of its page until the
    event loop deletes it, so a refilled page would still draw (and lay out
    around) the old one; without a parent it is hidden and out of every layout
    at once.
    """
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def question_points(count: int) -> int:
    """Type size of an exercise's questions before the reveal: the heading size for a
    few, smaller as there are more, so that all of them fit a 720 px projector."""
    return 32 if count <= 3 else 24 if count <= 5 else 20


def note_points(count: int) -> int:
    """Type size of the notes on a board: the room's size for a few, smaller for many."""
    return FONT_PT if count <= 3 else 24 if count <= 6 else 20


class NotesBoard(QWidget):
    """Approved notes as cards in a grid; each card wraps its text, nothing scrolls."""

    def __init__(self, texts: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[QLabel] = []
        columns = 1 if len(texts) <= 1 else 2 if len(texts) <= 4 else 3
        grid = QGridLayout(self)
        grid.setSpacing(16)
        points = note_points(len(texts))
        for i, text in enumerate(texts):
            note = plain_label(text, "note", _("Note"))
            note.setStyleSheet(f"font-size: {points}pt;")
            note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            grid.addWidget(note, i // columns, i % columns)
            self.labels.append(note)
        for column in range(columns):
            grid.setColumnStretch(column, 1)


class Panel(QWidget):
    """One thing shown on the projector: a heading and a chart or a board of notes."""

    def __init__(self, heading: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label(heading, "heading", _("Question"))
        layout.addWidget(self.heading)
        layout.addWidget(body, 1)
        self.body = body
