"""Asked when a pack is already open in another copy of the app: read-only or not at all.

The lock itself is :mod:`tde_desktop.core.pack.lock`; this only words the question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from tde_desktop.core.i18n import _
from tde_desktop.core.pack.lock import LockInfo, PackInUse


def in_use_text(lock_info: LockInfo | PackInUse) -> str:
    """The sentence naming who holds the pack."""
    if isinstance(lock_info, PackInUse):
        return str(lock_info)
    return _("This pack is already open in tde-desktop on {host} (process {pid}, since "
             "{since}).").format(host=lock_info.hostname, pid=lock_info.pid,
                                 since=lock_info.since_local())


class ReadOnlyQuestion(QMessageBox):
    """Two buttons: open read-only, or cancel."""

    def __init__(self, lock_info: LockInfo | PackInUse, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(_("Pack already open"))
        self.setTextFormat(Qt.TextFormat.PlainText)  # names a person and a computer
        self.setText(in_use_text(lock_info))
        self.setInformativeText(_("You can look at it here without changing it, or close it "
                                  "in the other window first."))
        self.read_only_button = self.addButton(_("Open read-only"),
                                               QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.read_only_button)
        self.setEscapeButton(self.cancel_button)


def ask_read_only(parent: QWidget | None, lock_info: LockInfo | PackInUse) -> bool:
    """True if the person chose to open the pack read-only."""
    box = ReadOnlyQuestion(lock_info, parent)
    box.exec()
    return box.clickedButton() is box.read_only_button
