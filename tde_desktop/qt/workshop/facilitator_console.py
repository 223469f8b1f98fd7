"""The facilitator's console for running one workshop (reached only through the PIN).

The agenda shows each exercise with its time box, a countdown once it is open,
and the live count of participants who answered. The pack is re-read only when
it changed: every action here reports what it changed, and writes made elsewhere
(the kiosk, the phone server) are found by :func:`ops.watch_pack`'s cheap probe.
Counts come from ``COUNT`` queries; the one-second timer only redraws countdowns.
From here the facilitator starts and stops exercises, approves free text for
the projector, reveals results, withdraws a participant, undoes the last step, prints paper handouts, types in paper
answers, edits the agenda and writes the Next steps at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import room_state
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.room_state import ALL_CHANGES, Change
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.ops import report_changes, show_message, watch_pack

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


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    button.clicked.connect(lambda _c=False: slot())
    return button


class FacilitatorConsole(QWidget):
    """Runs one workshop; the PIN has been checked before this is built."""

    workshop_started = Signal(str)  # the workshop id, when its first exercise opened
    workshop_ended = Signal(str)

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.exercises: list[ws.Exercise] = []
        self.undo_stack: list[tuple[str, Callable[[], object], frozenset[Change]]] = []
        self.confirm_box: QMessageBox | None = None
        self.kiosk: QWidget | None = None
        self.projector: QWidget | None = None
        self.dialogs: list[QWidget] = []  # editors and paper screens kept alive while open
        self._notes_state: object = None
        self.setAccessibleName(_("Facilitator console"))
        self.resize(1200, 780)
        self._build()
        self.reload()
        watch_pack(pack, self, self.on_changes)
        self.timer = QTimer(self)  # countdowns only: it reads nothing
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setAccessibleName(_("Workshop"))
        self.header.setStyleSheet(f"font-size: {theme.scaled(16)}pt; font-weight: bold;")
        layout.addWidget(self.header)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Agenda"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        side = QVBoxLayout()
        body.addLayout(side, 2)
        layout.addLayout(body, 1)

        run = QGroupBox(_("Selected exercise"))
        grid = QGridLayout(run)
        self.start_button = _button(_("&Start"), self.start_selected)
        self.stop_button = _button(_("S&top"), self.stop_selected)
        self.reveal_button = _button(_("&Reveal results"), self.toggle_reveal)
        self.edit_button = _button(_("&Edit agenda..."), self.edit_agenda)
        self.print_button = _button(_("&Print handout (PDF)..."), self.print_handout)
        self.paper_button = _button(_("Type &paper answers..."), self.paper_answers)
        for i, b in enumerate((self.start_button, self.stop_button, self.reveal_button,
                               self.edit_button, self.print_button, self.paper_button)):
            grid.addWidget(b, i // 2, i % 2)
        side.addWidget(run)

        notes = QGroupBox(_("Free text: tick to show it on the projector"))
        column = QVBoxLayout(notes)
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName(_("Free-text answers to approve"))
        self.notes_list.itemChanged.connect(self._note_ticked)
        column.addWidget(self.notes_list)
        side.addWidget(notes, 1)

        self.withdraw_button = _button(_("&Withdraw a participant..."), self.ask_withdraw)
        side.addWidget(self.withdraw_button)

        bottom = QHBoxLayout()
        self.kiosk_button = _button(_("Open the participant &screen"), self.open_kiosk)
        self.projector_button = _button(_("Open the pro&jector view"), self.open_projector)
        self.undo_button = _button(_("&Undo"), self.undo)
        self.next_steps_button = _button(_("Ne&xt steps..."), self.edit_next_steps)
        self.end_button = _button(_("E&nd workshop"), self.end)
        for b in (self.kiosk_button, self.projector_button, self.undo_button,
                  self.next_steps_button, self.end_button):
            bottom.addWidget(b)
        layout.addLayout(bottom)
        self.message = QLabel()
        self.message.setAccessibleName(_("Message"))
        layout.addWidget(self.message)

    # -- reading -------------------------------------------------------------------------

    def on_changes(self, changes: frozenset[Change]) -> None:
        """The pack changed (here, in the kiosk or elsewhere): re-read what is shown."""
        try:
            self.reload(changes)
        except TdeError:
            return  # the workshop was deleted meanwhile; the window stays as it was

    def reload(self, changes: frozenset[Change] = ALL_CHANGES) -> None:
        """Re-read what ``changes`` may have touched: agenda, counts, participants, notes."""
        workshop = ws.get_workshop(self.pack, self.workshop_id)
        self.setWindowTitle(_("Facilitator: {title}").format(title=workshop.title))
        if changes & {Change.AGENDA, Change.WORKSHOP}:
            self._reload_agenda()
        counts = ws.live_counts(self.pack, self.workshop_id)
        people = room_state.participant_count(self.pack, self.workshop_id)
        self.header.setText(_("{title} \u2014 {status} \u2014 {n} participants").format(
            title=workshop.title, status=_(workshop.status), n=people))
        for row, exercise in enumerate(self.exercises):
            self.table.item(row, 5).setText(str(counts.get(exercise.id, 0)))
        if changes & {Change.ANSWERS, Change.MODERATION, Change.PARTICIPANTS}:
            self._notes_state = None
        self._fill_notes()
        self.undo_button.setEnabled(bool(self.undo_stack))
        self._update_buttons()
        self.tick()

    def _reload_agenda(self) -> None:
        selected = self.selected()
        self.exercises = ws.list_exercises(self.pack, self.workshop_id)
        self.table.setRowCount(len(self.exercises))
        for row, exercise in enumerate(self.exercises):
            values = (str(row + 1), exercise.title,
                      _("{n} min").format(n=exercise.time_box_minutes), "",
                      _(exercise.status), "0", _("shown") if exercise.revealed else "")
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if self.exercises and self.table.currentRow() < 0:
            self.table.selectRow(0)
        elif selected is not None:
            ids = [e.id for e in self.exercises]
            if selected.id in ids:
                self.table.selectRow(ids.index(selected.id))

    def tick(self) -> None:
        """Every second: the countdowns, from what was read last (no pack reads)."""
        for row, exercise in enumerate(self.exercises):
            self.table.item(row, 3).setText(countdown(exercise))

    def selected(self) -> ws.Exercise | None:
        row = self.table.currentRow()
        return self.exercises[row] if 0 <= row < len(self.exercises) else None

    def select(self, exercise_id: str) -> None:
        ids = [e.id for e in self.exercises]
        self.table.selectRow(ids.index(exercise_id))

    def _update_buttons(self) -> None:
        """Button texts follow the selected exercise as stored (also after Undo)."""
        exercise = self.selected()
        self.reveal_button.setText(_("Hide results") if exercise and exercise.revealed
                                   else _("&Reveal results"))

    def _selection_changed(self) -> None:
        self._update_buttons()
        self._notes_state = None
        self._fill_notes()

    def _fill_notes(self) -> None:
        exercise = self.selected()
        notes = ws.sticky_notes(self.pack, exercise.id, approved_only=False) if exercise else []
        state = [(n.id, n.approved, n.answer_text) for n in notes]
        if state == self._notes_state:
            return
        self._notes_state = state
        self.notes_list.blockSignals(True)
        self.notes_list.clear()
        for note in notes:
            item = QListWidgetItem(f"{note.answer_label} \u2014 {note.answer_text}"
                                   if note.answer_label else note.answer_text)
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if note.approved
                               else Qt.CheckState.Unchecked)
            self.notes_list.addItem(item)
        self.notes_list.blockSignals(False)

    # -- actions -------------------------------------------------------------------------

    def _do(self, what: str, action: Callable[[], object],
            inverse: Callable[[], object] | None,
            changes: frozenset[Change] = frozenset({Change.AGENDA})) -> bool:
        """Run one write, keep its inverse for Undo, redraw what it changed and tell the
        other screens (projector, other consoles) about it."""
        try:
            action()
        except TdeError as exc:
            self.message.setText(str(exc))
            return False
        if inverse is not None:
            self.undo_stack.append((what, inverse, changes))
        self.message.setText(what)
        self.reload(changes)
        report_changes(self.pack.path, changes, origin=self)
        return True

    def start_selected(self) -> None:
        exercise = self.selected()
        if exercise is not None:
            was_open = exercise.status == "open"
            was_running = ws.get_workshop(self.pack, self.workshop_id).status == "running"
            started = self._do(_("Started: {title}").format(title=exercise.title),
                               lambda: ws.open_exercise(self.pack, exercise.id),
                               None if was_open else
                               lambda: ws.close_exercise(self.pack, exercise.id),
                               frozenset({Change.AGENDA, Change.WORKSHOP}))
            if started and not was_running:
                self.workshop_started.emit(self.workshop_id)

    def stop_selected(self) -> None:
        exercise = self.selected()
        if exercise is not None and exercise.status == "open":
            self._do(_("Stopped: {title}").format(title=exercise.title),
                     lambda: ws.close_exercise(self.pack, exercise.id),
                     lambda: ws.open_exercise(self.pack, exercise.id))

    def toggle_reveal(self) -> None:
        exercise = self.selected()
        if exercise is not None:
            show = not exercise.revealed
            self._do(_("Results shown") if show else _("Results hidden"),
                     lambda: ws.reveal(self.pack, exercise.id, show),
                     lambda: ws.reveal(self.pack, exercise.id, not show))

    def _note_ticked(self, item: QListWidgetItem) -> None:
        response_id = str(item.data(Qt.ItemDataRole.UserRole))
        show = item.checkState() == Qt.CheckState.Checked
        self._do(_("Note approved for the projector") if show else _("Note hidden"),
                 lambda: ws.approve(self.pack, response_id, show),
                 lambda: ws.approve(self.pack, response_id, not show),
                 frozenset({Change.MODERATION}))

    def approve_all(self) -> None:
        """Tick every free-text answer of the selected exercise."""
        for i in range(self.notes_list.count()):
            self.notes_list.item(i).setCheckState(Qt.CheckState.Checked)

    def undo(self) -> None:
        """Undo the last start, stop, reveal or approval (withdrawals cannot be undone)."""
        if not self.undo_stack:
            return
        what, inverse, changes = self.undo_stack.pop()
        self._do(_("Undone: {what}").format(what=what), inverse, None, changes)

    def ask_withdraw(self) -> QWidget:
        """Pick a participant from the list (code, time joined, answers) to withdraw."""
        from tde_desktop.qt.workshop.console_people import WithdrawDialog

        dialog = WithdrawDialog(self.pack, self.workshop_id, self)
        dialog.withdrawn.connect(lambda _pid, n: self.message.setText(
            _("Withdrawn: {n} answers removed.").format(n=n)))
        dialog.withdrawn.connect(lambda *_a: self.reload(
            frozenset({Change.PARTICIPANTS, Change.ANSWERS, Change.MODERATION})))
        dialog.open()
        self.withdraw_dialog = dialog
        return dialog

    def end(self) -> None:
        if self._do(_("The workshop has ended. Please write the next steps."),
                    lambda: ws.end_workshop(self.pack, self.workshop_id), None,
                    frozenset({Change.WORKSHOP, Change.AGENDA})):
            self.workshop_ended.emit(self.workshop_id)
        self.edit_next_steps()

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
        return self.projector

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
        super().closeEvent(event)  # type: ignore[arg-type]
