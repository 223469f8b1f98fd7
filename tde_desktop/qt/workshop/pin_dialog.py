"""The facilitator PIN: asked before any facilitator screen, and to leave the kiosk.

The PIN is checked by :func:`tde_desktop.core.workshop.pin.try_pin` (a salted hash in
the pack, with a back-off after five wrong tries); this dialog never stores or logs it.
While a pause runs, Unlock is off and the message counts the seconds down. The dialog
is opened with ``open()`` (not ``exec()``) so the kiosk keeps running behind it and
tests can type into it; ``unlocked`` is emitted once the right PIN was given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.pin import (
    GUARD,
    Outcome,
    PinAttempt,
    PinDamaged,
    PinGuard,
    try_pin,
)


class PinDialog(QDialog):
    """Asks for the facilitator PIN of one workshop; wrong PINs show a sentence."""

    unlocked = Signal()

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None,
                 reason: str = "", guard: PinGuard | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop_id = workshop_id
        self.guard = guard or GUARD
        self.attempts = 0
        # Ticks once a second while a pause runs, so the wait shown is always the wait left.
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        self.setWindowTitle(_("Facilitator PIN"))
        self.setAccessibleName(_("Facilitator PIN"))
        layout = QVBoxLayout(self)
        prompt = QLabel(reason or _("Facilitators only: please type the PIN."))
        prompt.setWordWrap(True)
        self.prompt = prompt
        layout.addWidget(prompt)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(_("PIN"))
        prompt.setBuddy(self.edit)
        layout.addWidget(self.edit)
        self.error = QLabel()
        self.error.setAccessibleName(_("PIN message"))
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self._fit_width()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Unlock"))
        self.ok_button.setAccessibleName(_("Unlock"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.tick()  # a pause started before this dialog opened still holds

    def _fit_width(self) -> None:
        # Room for a sentence at the current text size, asked by the prompt so that the
        # layout (and so the dialog's minimum) knows it; remade when the text size changes,
        # so going back from 200% to 100% lets the dialog shrink again.
        self.prompt.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 26)

    def showEvent(self, event: QShowEvent) -> None:
        # A window is not held to its wrapped text's height: on X11 this dialog opened at
        # its minimum, one line tall, and a two-line prompt was cut. Tall enough, always.
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            need = layout.totalHeightForWidth(self.width())
            if need > self.height():
                self.resize(self.width(), need)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_width()
        super().changeEvent(event)

    def _pack_key(self) -> str:
        return str(self.pack.path.resolve())  # the key try_pin gives the guard

    def wait_left(self) -> float:
        """Seconds before the next try is allowed (0 when Unlock may be pressed)."""
        return self.guard.wait_seconds(self._pack_key(), self.workshop_id)

    def tick(self) -> None:
        """Show the wait left and keep Unlock off during it; clear both when it ends."""
        left = self.wait_left()
        waiting = left > 0
        self.ok_button.setEnabled(not waiting)
        self.edit.setEnabled(not waiting)
        if waiting:
            self._say(PinAttempt(Outcome.WAIT, wait_seconds=left).message())
            if not self.countdown.isActive():
                self.countdown.start()
        elif self.countdown.isActive():
            self.countdown.stop()
            self._say("")
            self.edit.setFocus()

    def _say(self, text: str) -> None:
        if text != self.error.text():
            self.error.setText(text)
            self.adjustSize()  # the dialog grows to show the whole sentence, never clips it

    def try_unlock(self) -> bool:
        """Check the typed PIN; on success emit ``unlocked`` and close.

        A wrong PIN shows one sentence; after five, Unlock stays off for the pause the
        guard sets, with the seconds counting down; a damaged stored PIN shows its one
        sentence and never unlocks."""
        pin = self.edit.text()
        self.edit.clear()
        try:
            attempt = try_pin(self.pack, self.workshop_id, pin, guard=self.guard)
        except PinDamaged as exc:
            self._say(str(exc))
            return False
        if attempt.outcome is Outcome.UNLOCKED:
            self.unlocked.emit()
            self.accept()
            return True
        self.attempts += 1
        if attempt.outcome is Outcome.WAIT:
            self.tick()
        else:
            self._say(attempt.message())
        return False

def ask_pin(parent: QWidget | None, pack: Pack, workshop_id: str,
            on_unlocked: Callable[[], object], reason: str = "") -> PinDialog | None:
    """Open the PIN dialog (or, for a workshop without a PIN, unlock at once).

    Returns the dialog so the caller (or a test) can reach it; None if no PIN is set.
    """
    if not ws.get_workshop(pack, workshop_id).has_pin:
        on_unlocked()
        return None
    dialog = PinDialog(pack, workshop_id, parent, reason)
    dialog.unlocked.connect(on_unlocked)
    dialog.open()
    return dialog
