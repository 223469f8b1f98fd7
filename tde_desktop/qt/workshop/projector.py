"""The projector view: a second window, in large type, for the whole room.

It shows one thing at a time. Before the reveal: the current exercise's title,
its prompt and questions (and a data-walk station's chart). After the
facilitator revealed the results: one result panel filling the window, either a
question's tally as big bars with the number written on every bar, or a board
of approved notes; Right, Page Down or Space shows the next panel, Left or Page
Up the previous one. Free text appears only after the facilitator approved it.

The exercise shown is the workshop's current one (set by the console's Start,
Reveal and "Show on projector"). The window re-reads the pack only when it
changed (:func:`ops.watch_pack`) and redraws only when what the room sees
changed, so the room sees no flicker. It opens no larger than its screen; F11
toggles full screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.ops import watch_pack
from tde_desktop.qt.workshop.join_badge import JoinBadge
from tde_desktop.qt.workshop.projector_panels import (
    FONT_PT,
    NOTES_PER_BOARD,
    BarChart,
    NotesBoard,
    Panel,
    discard,
    format_value,
    plain_label,
    question_points,
)

__all__ = ["FONT_PT", "BarChart", "ProjectorWindow", "format_value"]

#: kinds whose answers are shown as text (after approval), not as bars
TEXT_KINDS = ("sticky_note", "open_text", "question_asked")
#: the largest window it opens as (smaller on a smaller screen)
DEFAULT_SIZE = QSize(1280, 800)
PROJECTOR_STYLE = f"""
QWidget#projector {{ background: white; }}
QWidget#projector * {{ font-size: {FONT_PT}pt; color: black; }}
QLabel#title {{ font-size: 44pt; font-weight: bold; }}
QLabel#heading {{ font-size: 32pt; font-weight: bold; margin-top: 8px; }}
QLabel#question {{ font-weight: bold; margin-top: 6px; }}
QLabel#note {{ background: #fff3a0; border: 2px solid #555; padding: 12px; }}
QLabel#small {{ font-size: 20pt; color: #333; }}
"""


def fit_size(available: QSize, wanted: QSize = DEFAULT_SIZE) -> QSize:
    """``wanted``, shrunk to fit inside ``available`` (a screen's free area)."""
    return QSize(min(wanted.width(), available.width()),
                 min(wanted.height(), available.height()))


#: what the projector has drawn before its first refresh (no state equals it, so the
#: waiting page of a workshop not yet started is drawn too)
_NOTHING_DRAWN = object()


class ProjectorWindow(QWidget):
    """What the room sees; it refreshes itself when the pack changes."""

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.lang = (ws.get_workshop(pack, workshop_id).languages or ["en"])[0]
        self.exercise_id: str | None = None  # None: follow the facilitator's current one
        self._shown: Any = _NOTHING_DRAWN  # never equal to a state: the first refresh draws
        self.charts: dict[str, BarChart] = {}
        self.notes: list[QLabel] = []
        self.panels: list[Panel] = []
        self.station_chart: Any = None  # a StationChart, built for the first station
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(PROJECTOR_STYLE)
        self.setWindowTitle(_("Projector"))
        self.setAccessibleName(_("Projector"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        self.title = plain_label("", "title", _("Exercise"))
        layout.addWidget(self.title)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self._build_prompt_page()
        self._build_results_page()
        self.status = plain_label("", "small", _("Status"))
        layout.addWidget(self.status)
        self.join_badge = JoinBadge()  # the QR code while phones may join
        layout.addWidget(self.join_badge)
        self.resize(self._fitting_size())
        self.refresh()
        watch_pack(pack, self, self.on_changes)

    def _build_prompt_page(self) -> None:
        page = QWidget()
        self.prompt_layout = QVBoxLayout(page)
        self.prompt_layout.setContentsMargins(0, 0, 0, 0)
        self.prompt = plain_label("", "", _("Prompt"))
        self.prompt_layout.addWidget(self.prompt)
        self.questions = QVBoxLayout()
        self.prompt_layout.addLayout(self.questions)
        self.prompt_layout.addStretch(1)
        self.pages.addWidget(page)

    def _build_results_page(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.panel_stack = QStackedWidget()
        self.panel_stack.setAccessibleName(_("Results"))
        column.addWidget(self.panel_stack, 1)
        self.pager = plain_label("", "small", _("Which result is shown"))
        column.addWidget(self.pager)
        self.pages.addWidget(page)

    # -- the window ----------------------------------------------------------------------

    def _fitting_size(self) -> QSize:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return fit_size(screen.availableGeometry().size()) if screen else DEFAULT_SIZE

    def show_on_best_screen(self, full_screen: bool = True) -> None:
        """Show on the second screen if there is one (the first is the facilitator's),
        never larger than that screen."""
        screens = QGuiApplication.screens()
        target = screens[1] if len(screens) > 1 else QGuiApplication.primaryScreen()
        if target is not None:
            area = target.availableGeometry()
            self.resize(fit_size(area.size()))
            if len(screens) > 1:
                self.move(area.topLeft())  # onto the projector's screen
            # On the only screen the window manager places it: moved to the top-left
            # before it is shown, its title bar went above the screen, out of reach.
        if full_screen and len(screens) > 1:
            self.showFullScreen()
        else:
            self.show()

    def toggle_full_screen(self) -> bool:
        """F11 (or the Workshop menu): full screen on or off; returns the new state."""
        if self.isFullScreen():
            self.showNormal()
            self.resize(self._fitting_size())
            return False
        self.showFullScreen()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.show_panel(self.panel_stack.currentIndex() + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.show_panel(self.panel_stack.currentIndex() - 1)
        elif key == Qt.Key.Key_F11 or (key == Qt.Key.Key_Escape and self.isFullScreen()):
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def show_join(self, url: str, svg: str) -> None:
        """Show the address phones join at and its QR code; ``""`` hides them."""
        self.join_badge.set_join(url, svg)

    def show_wifi(self, name: str, password: str) -> None:
        """Show the room's Wi-Fi as the first step while phones may join (``""``: none)."""
        self.join_badge.set_wifi(name, password)

    def show_panel(self, index: int) -> int:
        """Show result panel ``index`` (clamped); returns the index shown."""
        if not self.panels:
            return -1
        index = max(0, min(index, len(self.panels) - 1))
        self.panel_stack.setCurrentIndex(index)
        pager = _("{i} of {n} \u2014 press \u2192 for the next") if index + 1 < len(
            self.panels) else _("{i} of {n}")
        self.pager.setText(pager.format(i=index + 1, n=len(self.panels))
                           if len(self.panels) > 1 else "")
        return index

    # -- reading -------------------------------------------------------------------------

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
        notes = tuple(moderation.approved_notes(self.pack, exercise.id))  # as corrected
        return (exercise.id, exercise.title, exercise.status, counts, True, tallies, notes)

    def on_changes(self, _changes: frozenset[Change]) -> None:
        """The pack changed: re-read it (the redraw happens only if the room's view did)."""
        self.refresh()

    def refresh(self) -> None:
        """Re-read the pack and redraw if anything the room sees has changed."""
        exercise = self.current_exercise()
        state = self._state(exercise)
        if state == self._shown:
            return
        same_exercise = (isinstance(self._shown, tuple) and state is not None
                         and self._shown[0] == state[0] and self._shown[4] == state[4])
        self._shown = state
        self.join_badge.set_big(state is None)  # large on the waiting page
        if state is None or not state[4]:
            self._clear_results()
        if exercise is None:
            self._show_station(None)
            self.title.setText(_("Welcome"))
            self.prompt.setText(_("The workshop will start soon."))
            self._fill_questions(None)
            self.status.clear()
            self.status.hide()  # nothing to count yet: its line goes to the join codes
            self.pages.setCurrentIndex(0)
            return
        self.status.show()
        self.title.setText(exercise.text("title", self.lang))
        self.status.setText(ngettext("{n} answered so far", "{n} answered so far", state[3]
                                     ).format(n=state[3]))
        if not exercise.revealed:
            self.prompt.setText(exercise.text("instructions_participant", self.lang))
            # A station's chart needs the room's eyes (and the space); its questions are
            # on every participant's screen.
            self._fill_questions(None if exercise.view_id else exercise)
            self._show_station(exercise)
            self.pages.setCurrentIndex(0)
            return
        current = self.panel_stack.currentIndex() if same_exercise else 0
        self._fill_results(exercise, state)
        self.pages.setCurrentIndex(1)
        self.show_panel(current)

    def _fill_questions(self, exercise: ws.Exercise | None) -> None:
        """Show ``exercise``'s questions (none for ``None``), replacing the ones shown."""
        while self.questions.count():
            item = self.questions.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                discard(widget)
        questions = exercise.questions if exercise is not None else []
        points = question_points(len(questions))
        for q in questions:
            label = plain_label(label_text(q.text, self.lang), "question", _("Question"))
            label.setStyleSheet(f"font-size: {points}pt;")
            self.questions.addWidget(label)

    def _show_station(self, exercise: ws.Exercise | None) -> None:
        """The current data-walk station's chart, below its prompt (before the reveal).

        It is built once and kept, so the chart is counted and drawn once per
        station, not once per answer.
        """
        view_id = exercise.view_id if exercise is not None else None
        if view_id is None and self.station_chart is None:
            return
        if self.station_chart is None:
            from tde_desktop.qt.workshop.station_chart import StationChart

            # Every bar has its number: no value axis, so the room sees more bars.
            self.station_chart = StationChart(FONT_PT, max_bars=8, value_axis=False)
            self.station_chart.caption.setStyleSheet(f"font-size: {FONT_PT - 6}pt;")
            self.prompt_layout.insertWidget(self.prompt_layout.count() - 1,
                                            self.station_chart, 1)
            # The chart takes all the height the prompt leaves (the blank stretch below it
            # took a quarter); without a chart the stretch still keeps the prompt on top.
            self.prompt_layout.setStretch(self.prompt_layout.count() - 1, 0)
        self.station_chart.show_view(self.pack.path, view_id)

    def _fill_results(self, exercise: ws.Exercise, state: Any) -> None:
        """One panel per question with bars, then one board per group of approved notes."""
        self._clear_results()
        for q in exercise.questions:
            rows = dict(state[5]).get(q.key)
            if not rows:
                continue
            chart = BarChart()
            chart.lang = self.lang
            chart.set_rows([(r.label, r.value) for r in rows], label_text(q.text, self.lang))
            self.charts[q.key] = chart
            self._add_panel(label_text(q.text, self.lang), chart)
        groups: dict[tuple[str, str], list[str]] = {}
        for key, prompt, text in state[6]:
            groups.setdefault((key, prompt), []).append(text)
        for (key, prompt), texts in groups.items():
            try:
                heading = prompt or label_text(exercise.question(key).text, self.lang)
            except TdeError:
                heading = prompt
            for start in range(0, len(texts), NOTES_PER_BOARD):
                board = NotesBoard(texts[start:start + NOTES_PER_BOARD])
                self.notes.extend(board.labels)
                self._add_panel(heading, board)
        if not self.panels:
            self._add_panel(_("Nothing to show yet"), plain_label(
                _("Answers appear here once they are in (free text once approved)."), "", ""))
            self.panels[-1].setObjectName("empty")

    def _clear_results(self) -> None:
        while self.panel_stack.count():
            old = self.panel_stack.widget(0)
            assert old is not None
            self.panel_stack.removeWidget(old)
            discard(old)
        self.charts, self.notes, self.panels = {}, [], []

    def _add_panel(self, heading: str, body: QWidget) -> None:
        panel = Panel(heading, body)
        self.panels.append(panel)
        self.panel_stack.addWidget(panel)

    def displayed_tallies(self) -> dict[str, list[tuple[str, str]]]:
        """For each question shown as bars: (label, number written on the bar)."""
        return {key: chart.displayed() for key, chart in self.charts.items()}

    def displayed_notes(self) -> list[str]:
        return [n.text() for n in self.notes]
