"""Restore a pack from one of its backups: a list, newest first, and one button.

The main window calls :func:`show_restore_dialog`. Restoring replaces the pack
file, so the window's open connection must be closed first: the dialog calls
``before_restore`` (the window closes its pack there) just before it restores,
and returns the backup it restored, after which the window reopens the pack.
A failed restore leaves the pack as it was and says why in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack.backup import BackupInfo, list_backups, restore_backup


def reason_text(reason: str) -> str:
    """Why a backup was taken, in words."""
    return {"start": _("start of the workshop"), "end": _("end of the workshop"),
            "auto": _("automatic"), "manual": _("made by hand")}.get(reason, reason)


def backup_label(info: BackupInfo) -> str:
    """One line for the list: local date and time, reason, size."""
    when = info.created.astimezone().strftime("%Y-%m-%d %H:%M")
    return _("{when} — {reason} — {size} KB").format(
        when=when, reason=reason_text(info.reason), size=format_number(max(1, info.size // 1024)))


class RestoreDialog(QDialog):
    """Lists the backups of one pack; ``restored`` is set when one was restored."""

    def __init__(self, pack_path: Path, parent: QWidget | None = None,
                 before_restore: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.pack_path = Path(pack_path)
        self.before_restore = before_restore
        self.restored: Path | None = None
        self.kept: Path | None = None
        self.setWindowTitle(_("Restore a backup"))
        self.setAccessibleName(_("Restore a backup"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Choose the backup to go back to. The pack as it is now is kept as "
                         "a copy beside it, so nothing is lost."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Backups, newest first"))
        intro.setBuddy(self.list)
        for info in list_backups(self.pack_path):
            item = QListWidgetItem(backup_label(info))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Restore message"))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText(_("Restore"))
        self.restore_button.setAccessibleName(_("Restore"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.message.setText(_("There are no backups of this pack yet."))
            self.restore_button.setEnabled(False)
        self.list.itemDoubleClicked.connect(lambda _item: self.restore_selected())

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def restore_selected(self) -> None:
        """Restore the chosen backup; on failure say why and stay open."""
        chosen = self.selected()
        if chosen is None:
            return
        if self.before_restore is not None:
            self.before_restore()
        try:
            self.kept = restore_backup(chosen, self.pack_path)
        except TdeError as exc:
            self.message.setText(str(exc))
            return
        self.restored = chosen
        self.accept()


def show_restore_dialog(parent: QWidget | None, pack_path: Path,
                        before_restore: Callable[[], None] | None = None) -> Path | None:
    """Let the person pick a backup and restore it; returns the backup restored, or None.

    ``before_restore`` is called just before the pack file is replaced: close the
    pack there, and reopen it afterwards whatever this returns.
    """
    dialog = RestoreDialog(pack_path, parent, before_restore)
    dialog.exec()
    return dialog.restored
