"""The facilitator console's steps: start, stop, reveal, show, next, undo, end.

Every step runs through :meth:`ConsoleActions.do`: it writes, keeps the inverse
for Undo, redraws the console and reports what changed so every projector and
other console redraws at once (see :func:`ops.report_changes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.workshop import room_state
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.ops import report_changes

if TYPE_CHECKING:
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

AGENDA = frozenset({Change.AGENDA, Change.WORKSHOP})


class ConsoleActions:
    """Mixed into :class:`FacilitatorConsole`; ``self`` is the console."""

    confirm_box: QMessageBox | None  # the open "are you sure" box, for tests

    def do(self: FacilitatorConsole, what: str, action: Callable[[], object],
           inverse: Callable[[], object] | None,
           changes: frozenset[Change] = AGENDA) -> bool:
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

    def _show(self: FacilitatorConsole, exercise_id: str | None) -> Callable[[], object]:
        """The step that puts ``exercise_id`` on the projector (for an inverse)."""
        return lambda: room_state.show_on_projector(self.pack, self.workshop_id, exercise_id)

    def _current(self: FacilitatorConsole) -> str | None:
        return ws.get_workshop(self.pack, self.workshop_id).current_exercise_id

    def start_selected(self: FacilitatorConsole) -> None:
        exercise = self.selected()
        if exercise is None:
            return
        was_open = exercise.status == "open"
        was_running = ws.get_workshop(self.pack, self.workshop_id).status == "running"
        shown = self._current()

        def undo() -> None:
            if not was_open:
                ws.close_exercise(self.pack, exercise.id)
            room_state.show_on_projector(self.pack, self.workshop_id, shown)

        started = self.do(_("Started: {title}").format(title=exercise.title),
                          lambda: ws.open_exercise(self.pack, exercise.id), undo)
        if started and not was_running:
            self.workshop_started.emit(self.workshop_id)

    def stop_selected(self: FacilitatorConsole) -> None:
        exercise = self.selected()
        if exercise is not None and exercise.status == "open":
            self.do(_("Stopped: {title}").format(title=exercise.title),
                    lambda: ws.close_exercise(self.pack, exercise.id),
                    lambda: ws.open_exercise(self.pack, exercise.id))

    def toggle_reveal(self: FacilitatorConsole) -> None:
        """Reveal (or hide) the selected exercise's results; revealing also puts that
        exercise on the projector."""
        exercise = self.selected()
        if exercise is None:
            return
        show = not exercise.revealed
        shown = self._current()

        def step() -> None:
            ws.reveal(self.pack, exercise.id, show)
            if show:
                room_state.show_on_projector(self.pack, self.workshop_id, exercise.id)

        def undo() -> None:
            ws.reveal(self.pack, exercise.id, not show)
            room_state.show_on_projector(self.pack, self.workshop_id, shown)

        self.do(_("Results shown") if show else _("Results hidden"), step, undo)

    def show_selected(self: FacilitatorConsole) -> None:
        """Put the selected exercise on the projector (its prompt, or its results)."""
        exercise = self.selected()
        if exercise is not None:
            self.do(_("On the projector: {title}").format(title=exercise.title),
                    self._show(exercise.id), self._show(self._current()),
                    frozenset({Change.WORKSHOP}))

    def start_workshop(self: FacilitatorConsole) -> None:
        """Open the agenda's first exercise and show it; Next exercise moves on."""
        if self.exercises:
            self.select(self.exercises[0].id)
            self.start_selected()

    def next_exercise(self: FacilitatorConsole) -> None:
        """Start the exercise after the one on the projector, in agenda order. The
        earlier one stays open for people still answering; Stop closes it."""
        ids = [e.id for e in self.exercises]
        current = self._current()
        at = ids.index(current) + 1 if current in ids else 0
        if at >= len(ids):
            self.message.setText(_("That was the last exercise of the agenda."))
            return
        self.select(ids[at])
        self.start_selected()

    def undo(self: FacilitatorConsole) -> None:
        """Undo the last start, stop, reveal, show or moderation step (withdrawals cannot
        be undone)."""
        if not self.undo_stack:
            return
        what, inverse, changes = self.undo_stack.pop()
        self.do(_("Undone: {what}").format(what=what), inverse, None, changes)

    def end(self: FacilitatorConsole) -> QMessageBox:
        """Ask first; ending closes every exercise and opens the Next steps."""
        box = QMessageBox(QMessageBox.Icon.Question, _("End the workshop"),
                          _("End the workshop now? Every open exercise closes and the "
                            "participant screen stops offering them."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setAccessibleName(_("End the workshop"))
        box.button(QMessageBox.StandardButton.Yes).setText(_("End workshop"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep going"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(self.end_now)
        box.open()
        self.confirm_box = box
        return box

    def end_now(self: FacilitatorConsole) -> None:
        if self.do(_("The workshop has ended. Please write the next steps."),
                   lambda: ws.end_workshop(self.pack, self.workshop_id), None):
            self.workshop_ended.emit(self.workshop_id)
        self.edit_next_steps()
