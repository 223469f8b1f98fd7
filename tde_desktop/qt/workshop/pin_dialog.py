"""The facilitator PIN: asked before any facilitator screen, and to leave the kiosk.

The PIN is checked by :func:`tde_desktop.core.workshop.workshops.check_pin` (a salted
hash in the pack); this dialog never stores or logs it. The dialog is opened
with ``open()`` (not ``exec()``) so the kiosk keeps running behind it and tests
can type into it; ``unlocked`` is emitted once the right PIN was given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
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


class PinDialog(QDialog):
    """Asks for the facilitator PIN of one workshop; wrong PINs show a sentence."""

    unlocked = Signal()

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None,
                 reason: str = "") -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop_id = workshop_id
        self.attempts = 0
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

    def _fit_width(self) -> None:
        # Room for a sentence at the current text size, asked by the prompt so that the
        # layout (and so the dialog's minimum) knows it; remade when the text size changes,
        # so going back from 200% to 100% lets the dialog shrink again.
        self.prompt.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 26)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_width()
        super().changeEvent(event)

    def try_unlock(self) -> bool:
        """Check the typed PIN; on success emit ``unlocked`` and close."""
        if ws.check_pin(self.pack, self.workshop_id, self.edit.text()):
            self.edit.clear()
            self.unlocked.emit()
            self.accept()
            return True
        self.attempts += 1
        self.edit.clear()
        self.error.setText(_("That PIN is not right. Please try again."))
        self.adjustSize()  # the dialog grows to show the whole sentence, never clips it
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
