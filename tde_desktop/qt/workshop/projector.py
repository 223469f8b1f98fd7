"""The projector view: a second window, in large type, for the whole room.

It shows the current exercise's prompt and, once the facilitator has revealed
the results, live tallies drawn as bars with the number written on every bar
(never colour alone) and the approved sticky notes grouped by prompt. Free text
appears only after the facilitator approved it (:func:`workshops.sticky_notes`
returns approved answers only). It re-reads the pack only when it changed
(:func:`ops.watch_pack`) and redraws only when what the room sees changed, so
the room sees no flicker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.ops import watch_pack

FONT_PT = 28
#: kinds whose answers are shown as text (after approval), not as bars
TEXT_KINDS = ("sticky_note", "open_text", "question_asked")
PROJECTOR_STYLE = f"""
QWidget#projector, QScrollArea, QWidget#results {{ background: white; }}
* {{ font-size: {FONT_PT}pt; color: black; }}
QLabel#title {{ font-size: 44pt; font-weight: bold; }}
QLabel#heading {{ font-size: 32pt; font-weight: bold; margin-top: 12px; }}
QLabel#note {{ background: #fff3a0; border: 2px solid #555; padding: 12px; }}
"""


def format_value(value: float) -> str:
    """A number as the room should read it: whole numbers without decimals, with commas."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


class BarChart(QWidget):
    """Horizontal bars painted with QPainter; each bar carries its label and its number."""

    LABEL = 46  # each option: its label on one line, its bar with the number below
    BAR = 44
    ROW = LABEL + BAR + 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, float]], name: str = "") -> None:
        self.rows = list(rows)
        described = "; ".join(f"{label}: {format_value(v)}" for label, v in self.rows)
        self.setAccessibleName(name)
        self.setAccessibleDescription(described)
        self.setToolTip(described)
        self.setFixedHeight(self.ROW * max(1, len(self.rows)) + 8)
        self.update()

    def displayed(self) -> list[tuple[str, str]]:
        """(label, number as written on the bar) for every bar, in order."""
        return [(label, format_value(v)) for label, v in self.rows]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSize(FONT_PT)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = self.width() - 16
        top = max((v for _l, v in self.rows), default=0) or 1
        for i, (label, value) in enumerate(self.rows):
            y = 4 + i * self.ROW
            text_rect = QRect(8, y, width, self.LABEL)
            painter.setPen(QPen(QColor("black")))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, width))
            number = format_value(value)
            need = metrics.horizontalAdvance(number) + 24
            bar = max(need, int(width * value / top)) if value else need
            bar_rect = QRect(8, y + self.LABEL + 2, bar, self.BAR)
            # Dark bars with white numbers; an empty answer is an outlined bar with its 0.
            painter.setBrush(QBrush(QColor("#1f4e79") if value else QColor("white")))
            painter.setPen(QPen(QColor("#1f4e79"), 2))
            painter.drawRect(bar_rect)
            painter.setPen(QPen(QColor("white") if value else QColor("black")))
            painter.drawText(bar_rect.adjusted(8, 0, -8, 0),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
        painter.end()


class ProjectorWindow(QWidget):
    """What the room sees; it refreshes itself when the pack changes."""

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.lang = (ws.get_workshop(pack, workshop_id).languages or ["en"])[0]
        self.exercise_id: str | None = None  # None: follow the facilitator's current one
        self._shown: Any = None
        self.charts: dict[str, BarChart] = {}
        self.notes: list[QLabel] = []
        self.station_chart: Any = None  # a StationChart, built for the first station
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(PROJECTOR_STYLE)
        self.setWindowTitle(_("Projector"))
        self.setAccessibleName(_("Projector"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        self.title = self._label("title", _("Exercise"))
        self.prompt = self._label("", _("Prompt"))
        self.status = self._label("", _("Status"))
        for label in (self.title, self.prompt, self.status):
            layout.addWidget(label)
        self.main_layout = layout
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.resize(1280, 800)
        self.refresh()
        watch_pack(pack, self, self.on_changes)

    def _label(self, object_name: str, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setObjectName(object_name)
        return label

    def show_on_best_screen(self, full_screen: bool = True) -> None:
        """Show on the second screen if there is one (the first is the facilitator's)."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].availableGeometry())
        if full_screen and len(screens) > 1:
            self.showFullScreen()
        else:
            self.show()

    def current_exercise(self) -> ws.Exercise | None:
        try:
            exercise_id = self.exercise_id or ws.get_workshop(
                self.pack, self.workshop_id).current_exercise_id
            return ws.get_exercise(self.pack, exercise_id) if exercise_id else None
        except TdeError:
            return None

    def _state(self, exercise: ws.Exercise | None) -> Any:
        """Everything shown, so the screen is rebuilt only when it changed."""
        if exercise is None:
            return None
        counts = ws.live_counts(self.pack, self.workshop_id).get(exercise.id, 0)
        if not exercise.revealed:
            return (exercise.id, exercise.title, exercise.status, counts, False)
        tallies = tuple((q.key, tuple(ws.tally(self.pack, exercise.id, q.key, self.lang)))
                        for q in exercise.questions if q.kind not in TEXT_KINDS)
        notes = tuple((n.question_key, n.answer_label, n.answer_text)
                      for n in ws.sticky_notes(self.pack, exercise.id))
        return (exercise.id, exercise.title, exercise.status, counts, True, tallies, notes)

    def on_changes(self, _changes: frozenset[Change]) -> None:
        """The pack changed: re-read it (the redraw happens only if the room's view did)."""
        self.refresh()

    def refresh(self) -> None:
        """Re-read the pack and redraw if anything the room sees has changed."""
        exercise = self.current_exercise()
        self._show_station(exercise)
        state = self._state(exercise)
        if state == self._shown:
            return
        self._shown = state
        self.charts = {}
        self.notes = []
        body = QWidget()
        body.setObjectName("results")
        column = QVBoxLayout(body)
        if exercise is None:
            self.title.setText(_("Welcome"))
            self.prompt.setText(_("The workshop will start soon."))
            self.status.clear()
        else:
            self._fill(exercise, state, column)
        column.addStretch(1)
        self.scroll.setWidget(body)

    def _show_station(self, exercise: ws.Exercise | None) -> None:
        """The current data-walk station's chart, above its prompts and results.

        It lives outside the results area, which is rebuilt on every new answer,
        so the chart is counted and drawn once per station, not once per answer.
        """
        view_id = exercise.view_id if exercise is not None else None
        if view_id is None and self.station_chart is None:
            return
        if self.station_chart is None:
            from tde_desktop.qt.workshop.station_chart import StationChart

            self.station_chart = StationChart(FONT_PT, max_bars=6)
            self.station_chart.caption.setStyleSheet(f"font-size: {FONT_PT - 6}pt;")
            self.main_layout.insertWidget(self.main_layout.indexOf(self.scroll),
                                          self.station_chart, 2)
        self.station_chart.show_view(self.pack.path, view_id)

    def _fill(self, exercise: ws.Exercise, state: Any, column: QVBoxLayout) -> None:
        questions = exercise.questions
        self.title.setText(exercise.text("title", self.lang))
        # Once results are revealed the room needs the space for them, not the instructions.
        self.prompt.setVisible(not exercise.revealed)
        self.prompt.setText(exercise.text("instructions_participant", self.lang))
        self.status.setText(_("{n} answered so far").format(n=state[3]))
        if not exercise.revealed:
            for q in questions:
                column.addWidget(self._label("heading", _("Question")))
                column.itemAt(column.count() - 1).widget().setText(label_text(q.text, self.lang))
            return
        tallies = dict(state[5])
        for q in questions:
            rows = tallies.get(q.key)
            if not rows:
                continue
            heading = self._label("heading", _("Question"))
            heading.setText(label_text(q.text, self.lang))
            column.addWidget(heading)
            chart = BarChart()
            chart.set_rows([(r.label, r.value) for r in rows], label_text(q.text, self.lang))
            column.addWidget(chart)
            self.charts[q.key] = chart
        groups: dict[tuple[str, str], list[str]] = {}
        for key, prompt, text in state[6]:
            groups.setdefault((key, prompt), []).append(text)
        for (key, prompt), texts in groups.items():
            heading = self._label("heading", _("Notes"))
            try:
                heading.setText(prompt or label_text(exercise.question(key).text, self.lang))
            except TdeError:
                heading.setText(prompt)
            column.addWidget(heading)
            grid = QGridLayout()
            for i, text in enumerate(texts):
                note = self._label("note", _("Note"))
                note.setText(text)
                grid.addWidget(note, i // 3, i % 3)
                self.notes.append(note)
            column.addLayout(grid)

    def displayed_tallies(self) -> dict[str, list[tuple[str, str]]]:
        """For each question shown as bars: (label, number written on the bar)."""
        return {key: chart.displayed() for key, chart in self.charts.items()}

    def displayed_notes(self) -> list[str]:
        return [n.text() for n in self.notes]
