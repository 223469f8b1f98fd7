"""The console locks while a participant screen (kiosk) is open.

A participant who reaches the console (Alt+Tab, a click on the task bar) finds
only a locked page: no answers, no Withdraw, no End workshop. The facilitator
types the PIN to come back; the console locks again as soon as it loses focus
while a kiosk is still open. Leaving the kiosk with the PIN unlocks the console
too, since the PIN was just given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import theme
from tde_desktop.qt.workshop.pin_dialog import PinDialog, ask_pin


class LockPage(QWidget):
    """What a locked console shows: one sentence and an Unlock button."""

    unlocked = Signal()

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop_id = workshop_id
        self.kiosks: list[QWidget] = []
        self.pin_dialog: PinDialog | None = None
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        text = QLabel(_("The participant screen is open, so the facilitator console is "
                        "locked. Type the facilitator PIN to come back."))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet(f"font-size: {theme.scaled(16)}pt;")
        text.setAccessibleName(_("Console locked"))
        layout.addWidget(text)
        self.unlock_button = QPushButton(_("&Unlock..."))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.clicked.connect(lambda _c=False: self.ask())
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)

    def ask(self) -> PinDialog | None:
        """Ask the PIN; ``unlocked`` is emitted once it was right."""
        self.pin_dialog = ask_pin(self, self.pack, self.workshop_id, self.unlocked.emit,
                                  _("To come back to the facilitator console, type the "
                                    "facilitator PIN."))
        return self.pin_dialog

    def kiosk_open(self) -> bool:
        """Whether a participant screen watched here is still open."""
        self.kiosks = [k for k in self.kiosks if isValid(k) and k.isVisible()]
        return bool(self.kiosks)

    def watch(self, kiosk: QWidget, lock: Callable[[], None],
              unlock: Callable[[], None]) -> None:
        """Lock now; unlock when the kiosk is left with the PIN."""
        self.kiosks.append(kiosk)
        unlocked = getattr(kiosk, "unlocked", None)
        if unlocked is not None:
            unlocked.connect(unlock)
        lock()
