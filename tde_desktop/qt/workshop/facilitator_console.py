"""The facilitator's console for running one workshop (reached only through the PIN).

The agenda shows each exercise with its time box, a countdown once it is open,
the live count of participants who answered and which one is on the projector.
"Start workshop" opens the first exercise; "Next exercise" moves on in agenda
order; each selected exercise can be started, stopped, revealed or shown on the
projector. A second tab moderates free text (:mod:`.moderation`).

The pack is re-read only when it changed: every step here reports what it
changed (:mod:`.console_actions`), and writes made elsewhere (the kiosk, the
phone server) are found by :func:`ops.watch_pack`'s cheap probe. Counts come
from ``COUNT`` queries; the one-second timer only redraws countdowns. While a
participant screen is open the console is locked behind the PIN (:mod:`.console_lock`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import room_state
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.room_state import ALL_CHANGES, Change
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.ops import report_changes, show_message, watch_pack
from tde_desktop.qt.common.table_cells import cell
from tde_desktop.qt.workshop.console_actions import ConsoleActions
from tde_desktop.qt.workshop.console_lock import LockPage
from tde_desktop.qt.workshop.console_room import PhonesPanel
from tde_desktop.qt.workshop.console_table import AgendaTable
from tde_desktop.qt.workshop.moderation import ModerationPanel

COLUMNS = ("#", "Exercise", "Time box", "Time left", "Status", "Answered", "Results")


def countdown(exercise: ws.Exercise, now: dt.datetime | None = None) -> str:
    """'Time left 07:42', 'Over time by 01:05' or '' for an exercise that is not open."""
    if exercise.status != "open" or not exercise.opened_at or not exercise.time_box_minutes:
        return ""
    now = now or dt.datetime.now(dt.UTC)
    opened = dt.datetime.fromisoformat(exercise.opened_at)
    left = int(exercise.time_box_minutes * 60 - (now - opened).total_seconds())
    mm_ss = f"{abs(left) // 60:02d}:{abs(left) % 60:02d}"
    return _("{t} left").format(t=mm_ss) if left >= 0 else _("over by {t}").format(t=mm_ss)


class MessageLine(QLabel):
    """The console's last message; it takes no room (a row of the agenda) while empty."""

    def __init__(self) -> None:
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    button.clicked.connect(lambda _c=False: slot())
    return button


class FacilitatorConsole(ConsoleActions, QWidget):
    """Runs one workshop; the PIN has been checked before this is built."""

    workshop_started = Signal(str)  # the workshop id, when its first exercise opened
    workshop_ended = Signal(str)

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.exercises: list[ws.Exercise] = []
        self.current_id: str | None = None  # the exercise on the projector
        self.undo_stack: list[tuple[str, Callable[[], object], frozenset[Change]]] = []
        self.confirm_box: QMessageBox | None = None
        self.kiosk: QWidget | None = None
        self.projector: QWidget | None = None
        self.withdraw_dialog: QWidget | None = None
        self.dialogs: list[QWidget] = []  # editors and paper screens kept alive while open
        self.setAccessibleName(_("Facilitator console"))
        self._build()
        self.resize(QSize(1200, 780).boundedTo(self.screen().availableGeometry().size()))
        self.reload()
        watch_pack(pack, self, self.on_changes)
        self.timer = QTimer(self)  # countdowns only: it reads nothing
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(page)
        self.lock_page = LockPage(self.pack, self.workshop_id)
        self.lock_page.unlocked.connect(self.unlock)
        self.stack.addWidget(self.lock_page)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # the workshop's title, as typed
        self.header.setAccessibleName(_("Workshop"))
        self.header.setWordWrap(True)
        # With large text a smaller heading, one line rather than two, leaves the agenda a row.
        points = theme.scaled(16 if theme.text_scale() <= 1.25 else 12)
        self.header.setStyleSheet(f"font-size: {points}pt; font-weight: bold;")
        layout.addWidget(self.header)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_agenda(), _("&Agenda"))
        self.moderation = ModerationPanel(self.pack, self.workshop_id, self.do)
        self.tabs.addTab(self.moderation, _("&Free text"))
        self.phones = PhonesPanel(self.pack, self.workshop_id)
        self.phones.join_changed.connect(self._show_join)
        self.phones.wifi_changed.connect(self._show_wifi)
        self.workshop_ended.connect(lambda _wid: self.phones.end_of_workshop())
        self.tabs.addTab(self.phones, _("Phones"))
        bottom = QGridLayout()
        self.kiosk_button = _button(_("Open the participant s&creen"), self.open_kiosk)
        self.projector_button = _button(_("Open the pro&jector view"), self.open_projector)
        self.undo_button = _button(_("&Undo"), self.undo)
        self.withdraw_button = _button(_("W&ithdraw a participant..."), self.ask_withdraw)
        self.next_steps_button = _button(_("Ne&xt steps..."), self.edit_next_steps)
        self.end_button = _button(_("End wor&kshop..."), self.end)
        per_row = 6 if theme.text_scale() <= 1.25 else 3
        for i, b in enumerate((self.kiosk_button, self.projector_button, self.undo_button,
                               self.withdraw_button, self.next_steps_button, self.end_button)):
            bottom.addWidget(b, i // per_row, i % per_row)
        layout.addLayout(bottom)
        self.message = MessageLine()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # may quote titles from the pack
        self.message.setAccessibleName(_("Message"))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    def _build_agenda(self) -> QWidget:
        """The agenda and its buttons: beside it at 100% text; below it with large text,
        so the exercise titles keep the width and the list shows more exercises."""
        tab = QWidget()
        large = theme.text_scale() > 1.25
        body = QVBoxLayout(tab) if large else QHBoxLayout(tab)
        self.table = AgendaTable([_(c) for c in COLUMNS])  # titles stretch and wrap
        self.table.itemSelectionChanged.connect(self._selection_changed)
        body.addWidget(self.table, 1)
        side = QGridLayout()
        body.addLayout(side)
        self.run_button = _button(_("Start &workshop"), self._run)
        self.run_button.setStyleSheet("font-weight: bold;")
        self.start_button = _button(_("&Start"), self.start_selected)
        self.stop_button = _button(_("S&top"), self.stop_selected)
        self.reveal_button = _button(_("&Reveal results"), self.toggle_reveal)
        self.show_button = _button(_("S&how on projector"), self.show_selected)
        self.edit_button = _button(_("&Edit agenda..."), self.edit_agenda)
        self.print_button = _button(_("&Print handout (PDF)..."), self.print_handout)
        self.paper_button = _button(_("T&ype paper answers..."), self.paper_answers)
        buttons = (self.run_button, self.start_button, self.stop_button, self.reveal_button,
                   self.show_button, self.edit_button, self.print_button, self.paper_button)
        per_row = 4 if large else 1
        for i, b in enumerate(buttons):
            side.addWidget(b, i // per_row, i % per_row)
        if not large:
            side.setRowStretch(len(buttons), 1)
        return tab

    @property
    def notes_list(self) -> QListWidget:
        return self.moderation.notes_list

    def approve_all(self) -> int:
        """Approve every waiting note of the exercise shown in the Free text tab."""
        return self.moderation.approve_all()

    # -- reading -------------------------------------------------------------------------

    def on_changes(self, changes: frozenset[Change]) -> None:
        """The pack changed (here, in the kiosk or elsewhere): re-read what is shown."""
        try:
            self.reload(changes)
        except TdeError:
            return  # the workshop was deleted meanwhile; the window stays as it was

    def reload(self, changes: frozenset[Change] = ALL_CHANGES) -> None:
        """Re-read what ``changes`` may have touched: agenda, counts, notes."""
        workshop = ws.get_workshop(self.pack, self.workshop_id)
        self.setWindowTitle(_("Facilitator: {title}").format(title=workshop.title))
        self.current_id = workshop.current_exercise_id
        if changes & {Change.AGENDA, Change.WORKSHOP}:
            self._reload_agenda()
        counts = ws.live_counts(self.pack, self.workshop_id)
        people = room_state.participant_count(self.pack, self.workshop_id)
        self.header.setText(ngettext("{title} \u2014 {status} \u2014 {n} participant",
                                     "{title} \u2014 {status} \u2014 {n} participants", people
                                     ).format(title=workshop.title, status=_(workshop.status),
                                              n=format_number(people)))
        for row, exercise in enumerate(self.exercises):
            cell(self.table, row, 5).setText(format_number(counts.get(exercise.id, 0)))
        if changes & {Change.ANSWERS, Change.MODERATION, Change.PARTICIPANTS, Change.AGENDA}:
            self.moderation.reload()
        self.undo_button.setEnabled(bool(self.undo_stack))
        self._update_buttons(workshop)
        self.tick()

    def _reload_agenda(self) -> None:
        selected = self.selected()
        self.exercises = ws.list_exercises(self.pack, self.workshop_id)
        self.moderation.set_exercises(self.exercises)
        self.table.setRowCount(len(self.exercises))
        for row, exercise in enumerate(self.exercises):
            results = _("shown") if exercise.revealed else ""
            if exercise.id == self.current_id:
                results = (results + " " + _("(on the projector)")).strip()
            values = (str(row + 1), exercise.title,
                      _("{n} min").format(n=exercise.time_box_minutes), "",
                      _(exercise.status), "0", results)
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.fit_results_column()
        self.table.resizeRowsToContents()
        if self.exercises and self.table.currentRow() < 0:
            self.table.selectRow(0)
        elif selected is not None:
            ids = [e.id for e in self.exercises]
            if selected.id in ids:
                self.table.selectRow(ids.index(selected.id))

    def tick(self) -> None:
        """Every second: the countdowns, from what was read last (no pack reads)."""
        for row, exercise in enumerate(self.exercises):
            cell(self.table, row, 3).setText(countdown(exercise))

    def selected(self) -> ws.Exercise | None:
        row = self.table.currentRow()
        return self.exercises[row] if 0 <= row < len(self.exercises) else None

    def select(self, exercise_id: str) -> None:
        ids = [e.id for e in self.exercises]
        self.table.selectRow(ids.index(exercise_id))

    def _update_buttons(self, workshop: ws.Workshop | None = None) -> None:
        """Button texts follow the stored state (also after Undo)."""
        exercise = self.selected()
        self.reveal_button.setText(_("Hide results") if exercise and exercise.revealed
                                   else _("&Reveal results"))
        if workshop is not None:
            started = workshop.status != "draft" or any(e.status != "waiting"
                                                        for e in self.exercises)
            self.run_button.setText(_("&Next exercise \u2192") if started
                                    else _("Start &workshop"))
            self.run_button.setAccessibleName(self.run_button.text().replace("&", ""))
            self._started = started

    def _run(self) -> None:
        """The big button: Start workshop first, Next exercise after."""
        if getattr(self, "_started", False):
            self.next_exercise()
        else:
            self.start_workshop()

    def _selection_changed(self) -> None:
        self._update_buttons()
        exercise = self.selected()
        self.moderation.show_exercise(exercise.id if exercise else None)

    # -- locking while the participant screen is open ----------------------------------

    def watch_kiosk(self, kiosk: QWidget) -> None:
        """Lock now, and whenever this window loses focus while ``kiosk`` is open."""
        self.lock_page.watch(kiosk, self.lock, self.unlock)

    def lock(self) -> None:
        self.stack.setCurrentWidget(self.lock_page)

    def unlock(self) -> None:
        self.stack.setCurrentIndex(0)

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def changeEvent(self, event: QEvent) -> None:
        if (event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow()
                and self.lock_page.kiosk_open()):
            self.lock()
        super().changeEvent(event)

    def ask_withdraw(self) -> QWidget:
        """Pick a participant from the list (code, time joined, answers) to withdraw."""
        from tde_desktop.qt.workshop.console_people import WithdrawDialog

        dialog = WithdrawDialog(self.pack, self.workshop_id, self)
        dialog.withdrawn.connect(lambda _pid, n: self.message.setText(
            ngettext("Withdrawn: {n} answer removed.", "Withdrawn: {n} answers removed.",
                     n).format(n=n)))
        dialog.withdrawn.connect(lambda *_a: self.reload(
            frozenset({Change.PARTICIPANTS, Change.ANSWERS, Change.MODERATION})))
        dialog.open()
        self.withdraw_dialog = dialog
        return dialog

    # -- other windows -------------------------------------------------------------------

    def _keep(self, widget: QWidget) -> QWidget:
        self.dialogs.append(widget)
        widget.show()
        return widget

    def open_kiosk(self, full_screen: bool = True) -> QWidget:
        from tde_desktop.qt.workshop.kiosk import Kiosk

        kiosk = Kiosk(self.pack, self.workshop_id)
        kiosk.participant_done.connect(lambda _pid: self.on_changes(ALL_CHANGES))
        self.kiosk = kiosk
        self.watch_kiosk(kiosk)
        if full_screen:
            kiosk.showFullScreen()
        else:
            kiosk.show()
        return kiosk

    def open_projector(self, full_screen: bool = True) -> QWidget:
        from tde_desktop.qt.workshop.projector import ProjectorWindow

        if self.projector is None:
            self.projector = ProjectorWindow(self.pack, self.workshop_id)
        self.projector.show_on_best_screen(full_screen)  # type: ignore[attr-defined]
        self._show_wifi(*self.phones.wifi())
        url, svg = self.phones.codes_on_projector()
        if url:
            self._show_join(url, svg)
        return self.projector

    def _show_join(self, url: str, svg: str) -> None:
        """The projector shows the QR code and address while phones may join."""
        if self.projector is not None:
            self.projector.show_join(url, svg)  # type: ignore[attr-defined]

    def _show_wifi(self, name: str, password: str) -> None:
        """The projector shows the room's Wi-Fi (with phones' join code) as typed."""
        if self.projector is not None:
            self.projector.show_wifi(name, password)  # type: ignore[attr-defined]

    def edit_agenda(self) -> QWidget:
        from tde_desktop.qt.workshop.agenda_editor import AgendaEditor

        editor = AgendaEditor(self.pack, self.workshop_id)
        editor.changed.connect(lambda: report_changes(self.pack.path, {Change.AGENDA}))
        exercise = self.selected()
        if exercise is not None:
            editor.select(exercise.id)
        return self._keep(editor)

    def print_handout(self, path: str | None = None) -> str | None:
        from tde_desktop.qt.workshop.paper import ask_handout_path, write_handout

        exercise = self.selected()
        if exercise is None:
            return None
        target = path or ask_handout_path(self, exercise)
        if not target:
            return None
        try:
            write_handout(self.pack, exercise.id, target)
        except TdeError as exc:
            show_message(self, str(exc))
            return None
        self.message.setText(_("Handout saved: {path}").format(path=target))
        return target

    def paper_answers(self) -> QWidget | None:
        from tde_desktop.qt.workshop.paper import PaperEntry

        exercise = self.selected()
        if exercise is None:
            return None
        entry = PaperEntry(self.pack, exercise.id)
        entry.saved.connect(lambda *_a: report_changes(
            self.pack.path, {Change.ANSWERS, Change.PARTICIPANTS}))
        return self._keep(entry)

    def edit_next_steps(self) -> QWidget:
        from tde_desktop.qt.results.next_steps import NextStepsEditor

        editor = NextStepsEditor(self.pack, self.workshop_id)
        return self._keep(editor)

    def closeEvent(self, event: object) -> None:
        self.timer.stop()
        self.phones.stop_now()
        super().closeEvent(event)  # type: ignore[arg-type]
