"""What keeps the open pack safe: its lock, its backups and a word about risky storage.

The main window owns one :class:`PackGuard`. When a pack is opened the guard
takes its lock (:mod:`tde_desktop.core.pack.lock`); if another copy of the app holds
it, the person is asked whether to open it read-only. While the pack is open a
QTimer refreshes the lock's heartbeat, and another drives the core's
:class:`~tde_desktop.core.pack.backup.BackupScheduler`, so answers arriving during a
workshop are backed up every few minutes; a workshop's start and end are backed
up at once. Every backup runs through :func:`ops.run_op` on a connection of its
own and never shows a dialog: the window is never blocked by one.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import backup
from tde_desktop.core.pack import lock as pack_lock
from tde_desktop.qt.common import ops

log = logging.getLogger(__name__)

#: how often the guard asks the scheduler whether an automatic backup is due
BACKUP_CHECK_MS = 30_000


class MessageBar(QFrame):
    """A plain, non-blocking line of text across the top of the window, with Dismiss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#messageBar { background: #fff3cd; border: 1px solid #8a6d3b; }"
                           " QFrame#messageBar QLabel { color: black; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName(_("Message"))
        self.dismiss = QPushButton(_("Dismiss"))
        self.dismiss.setAccessibleName(_("Dismiss the message"))
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class PackGuard:
    """The lock, heartbeat and backups of the pack open in ``window``."""

    def __init__(self, window: Any, message_bar: MessageBar) -> None:
        self.window = window
        self.bar = message_bar
        self.lock: pack_lock.Lock | None = None
        self.scheduler = backup.BackupScheduler()
        self.backing_up = False
        self.backups_made: list[Path] = []
        self._warned: set[Path] = set()
        self.heartbeat = QTimer(window)
        self.heartbeat.setInterval(int(pack_lock.HEARTBEAT_EVERY.total_seconds() * 1000))
        self.heartbeat.timeout.connect(self.refresh_lock)
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.maybe_backup)

    # -- opening and closing ---------------------------------------------------------------

    def take(self, path: Path) -> tuple[str, pack_lock.Lock | None]:
        """Lock ``path`` for writing: ("write", lock); read-only by the person's choice:
        ("read", None); ("no", None) when the pack should not be opened at all.

        The lock already held for ``path`` (kept across a restore) is handed back.
        """
        if self.lock is not None and not self.lock.released and self.lock.pack_path == path:
            return "write", self.lock
        try:
            return "write", pack_lock.acquire(path)
        except pack_lock.PackInUse as exc:
            from tde_desktop.qt.shell import lock_dialog

            return ("read" if lock_dialog.ask_read_only(self.window, exc) else "no"), None
        except TdeError as exc:
            # A folder that cannot hold a lock file cannot take answers either.
            ops.show_message(self.window, str(exc))
            return "no", None

    def opened(self, path: Path, lock: pack_lock.Lock | None) -> None:
        """The pack is open (read-only without ``lock``): start the timers, warn once
        about risky storage."""
        read_only = lock is None
        self.lock = lock
        ops.set_read_only(path, read_only)
        self.scheduler = backup.BackupScheduler()
        if not read_only:
            self.heartbeat.start()
            self.backup_timer.start()
        if path not in self._warned:
            self._warned.add(path)
            from tde_desktop.core.pack.storage_check import storage_warning

            warning = storage_warning(path)
            if warning:
                self.bar.show_text(warning)

    def closed(self, path: Path | None, keep_lock: bool = False) -> None:
        """The pack was closed: stop the timers and (unless restoring) release the lock."""
        self.heartbeat.stop()
        self.backup_timer.stop()
        if path is not None:
            ops.set_read_only(path, False)
        if not keep_lock:
            self.release()

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def refresh_lock(self) -> bool:
        """Write a fresh heartbeat; say so plainly if another copy took the pack over."""
        if self.lock is None:
            return False
        try:
            ok = self.lock.refresh()
        except OSError as exc:
            log.warning("Lock heartbeat failed: %s", exc)
            return False
        if not ok:
            self.bar.show_text(_("Another copy of tde-desktop has taken over this pack. Close "
                                 "it here to avoid losing changes."))
        return ok

    def ask_restore(self) -> Path | None:
        """File > Restore from a backup...: the pack is closed (its lock kept), the
        chosen backup restored, and the pack opened again; returns the backup used."""
        pack = getattr(self.window, "pack", None)
        if pack is None or pack.read_only:
            return None
        path = Path(pack.path)
        closed: list[bool] = []

        def before_restore() -> None:
            ops.wait_for_all()  # no backup may be reading the pack while it is replaced
            self.window.close_pack(keep_lock=True)
            closed.append(True)

        from tde_desktop.qt.shell import backup_dialog

        restored = backup_dialog.show_restore_dialog(self.window, path, before_restore)
        if closed:
            self.window.open_pack(path)
        if restored is not None:
            self.window.statusBar().showMessage(
                _("Restored the backup {name}.").format(name=restored.name), 8000)
        return restored

    # -- backups ---------------------------------------------------------------------------

    def _pack_path(self) -> Path | None:
        pack = getattr(self.window, "pack", None)
        if pack is None or pack.read_only:
            return None
        return Path(pack.path)

    def backup_now(self, reason: str) -> ops.Op | None:
        """Back up the open pack now (workshop start or end), in the background."""
        path = self._pack_path()
        if path is None:
            return None
        scheduler = self.scheduler

        def work(pack: Any, _progress: Any) -> Path:
            now = dt.datetime.now(dt.UTC)
            made = backup.make_backup(pack, reason, now=now)
            scheduler.mark_backed_up(pack, now)
            backup.thin_backups(made.parent)
            return made

        return self._run(work, path)

    def maybe_backup(self) -> ops.Op | None:
        """Timer tick: let the scheduler back up if answers arrived since the last one."""
        path = self._pack_path()
        if path is None or self.backing_up:
            return None
        scheduler = self.scheduler

        def work(pack: Any, _progress: Any) -> Path | None:
            return scheduler.maybe_backup(pack, dt.datetime.now(dt.UTC))

        return self._run(work, path)

    def _run(self, work: Any, path: Path) -> ops.Op:
        self.backing_up = True

        def done(made: Path | None) -> None:
            self.backing_up = False
            if made is not None:
                self.backups_made.append(made)
                self.window.statusBar().showMessage(
                    _("Backup saved: {name}").format(name=made.name), 5000)
            elif self.scheduler.last_error:
                self.bar.show_text(self.scheduler.last_error)

        def failed(exc: BaseException) -> None:
            # A workshop goes on without a backup; the facilitator is told once, plainly.
            self.backing_up = False
            self.bar.show_text(ops.error_text(exc))
            if not isinstance(exc, TdeError):
                log.error("Backup failed", exc_info=exc)

        return ops.run_op(self.window, work, pack_path=path, on_done=done, on_error=failed,
                          label=_("Backing up the pack"), cancellable=False, quiet=True)
