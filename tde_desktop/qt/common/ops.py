"""The one helper for background work, in the shape of Anki's CollectionOp/QueryOp.

``run_op(parent, fn, on_done=...)`` runs ``fn(progress)`` on a QThreadPool worker
and hands its result back on the UI thread. Feature code never touches threads:

- SQLite connections belong to one thread, so a worker never borrows the UI's
  pack. Pass ``pack_path=`` and ``fn`` is called as ``fn(pack, progress)`` with a
  pack opened on the worker and closed afterwards.
- A progress dialog appears only if the work takes longer than ~600 ms, so quick
  queries do not flash a dialog; ``quiet=True`` work (automatic backups, a
  station's chart) never shows one.
- A pack the window opened read-only (another copy of the app holds it) is
  opened read-only on the worker too: see :func:`set_read_only`.
- Cancel makes the next ``progress(...)`` call raise :class:`Cancelled`; core
  functions roll back when that happens.
- A :class:`TdeError` is shown as its one sentence; anything else is logged with
  its traceback and shown as a plain sentence.
- Work that writes says what it changed (``changes=``, kinds from
  :class:`~tde_desktop.core.workshop.room_state.Change`); once it is done, every
  screen that called :func:`watch_pack` on that pack hears it. Writes made on the
  UI thread say so with :func:`report_changes`. Writes nobody reported (another
  connection, the phone server) are found by a one-second probe of
  ``PRAGMA data_version``, the only statement a watched pack sees while idle.
"""

from __future__ import annotations

import html
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from tde_desktop.core.errors import Cancelled, TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.workshop.room_state import ALL_CHANGES, Change, probe
from tde_desktop.qt.common.shown_text import shown_tip

log = logging.getLogger(__name__)

#: how long work may run before a progress dialog appears
DIALOG_DELAY_MS = 600

# Ops in flight, kept alive here until their results are delivered.
_running: set[Op] = set()
# Packs that background work must open read-only (the window opened them so).
_read_only: set[Path] = set()


def set_read_only(pack_path: str | Path, read_only: bool) -> None:
    """Make every later op with ``pack_path=`` open that pack read-only (or not)."""
    path = Path(pack_path).resolve()
    if read_only:
        _read_only.add(path)
    else:
        _read_only.discard(path)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progress = Signal(int, int, str)


class _Worker(QRunnable):
    def __init__(self, op: Op) -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        op = self.op
        try:
            try:
                result = op.call()
            except Cancelled:
                op.signals.cancelled.emit()
            except BaseException as exc:  # delivered to the UI thread, never swallowed
                op.signals.failed.emit(exc)
            else:
                op.signals.done.emit(result)
        except RuntimeError:
            # The app is shutting down and the signal object is gone: no one is waiting.
            log.info("Background work finished after its receiver was closed")


class Op:
    """One piece of background work and its progress dialog; made by :func:`run_op`."""

    def __init__(self, parent: QWidget | None, fn: Callable[..., Any], *,
                 on_done: Callable[[Any], object] | None,
                 on_error: Callable[[BaseException], None] | None,
                 on_cancel: Callable[[], None] | None,
                 label: str, cancellable: bool, pack_path: Path | None,
                 changes: frozenset[Change] = frozenset()) -> None:
        self.parent = parent
        self.changes = changes
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.on_cancel = on_cancel
        self.label = label or _("Working...")
        self.cancellable = cancellable
        self.pack_path = pack_path
        self.cancel_event = threading.Event()
        self.finished = False
        self.dialog: QProgressDialog | None = None
        self.signals = _Signals()
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)
        self.signals.cancelled.connect(self._cancelled)
        self.signals.progress.connect(self._progress)
        self._last = (0, 0, "")
        self.timer = QTimer(self.signals)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._show_dialog)

    # -- worker side -------------------------------------------------------------

    def progress(self, done: int, total: int, message: str) -> None:
        """The callback handed to core code; raises Cancelled once Cancel was pressed."""
        if self.cancel_event.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total), str(message))

    def call(self) -> Any:
        if self.pack_path is None:
            return self.fn(self.progress)
        from tde_desktop.core.pack import Pack

        pack = Pack.open(self.pack_path, read_only=self.pack_path.resolve() in _read_only)
        try:
            return self.fn(pack, self.progress)
        finally:
            pack.close()

    # -- UI side ---------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self.cancel_event.set()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Stopping..."))

    def _show_dialog(self) -> None:
        if self.finished:
            return
        if self._parent_gone():
            return
        dialog = QProgressDialog(self.label, _("Cancel") if self.cancellable else "",
                                 0, 0, self.parent)
        dialog.setWindowTitle(self.label)
        dialog.setAccessibleName(self.label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self._progress(*self._last)
        dialog.show()

    def _progress(self, done: int, total: int, message: str) -> None:
        self._last = (done, total, message)
        dialog = self.dialog
        if dialog is None or self.cancel_event.is_set() or not isValid(dialog):
            return
        if message:
            dialog.setLabelText(f"{self.label}\n{message}")
        # QProgressDialog takes int; scale big totals (bytes) down to keep within range.
        scale = max(1, total // 1_000_000)
        dialog.setMaximum(total // scale if total > 0 else 0)
        # Last: a window-modal dialog's setValue() runs the event loop, which may deliver
        # the result and close this very dialog.
        dialog.setValue(min(done, total) // scale if total > 0 else 0)

    def _finish(self) -> None:
        self.finished = True
        self.timer.stop()
        if self.dialog is not None:
            if isValid(self.dialog):
                self.dialog.canceled.disconnect(self.cancel)
                self.dialog.close()
                self.dialog.deleteLater()
            self.dialog = None
        _running.discard(self)

    def _parent_gone(self) -> bool:
        # The screen that asked may have been closed meanwhile: drop its result quietly.
        return self.parent is not None and not isValid(self.parent)

    def _done(self, result: object) -> None:
        self._finish()
        if self.changes and self.pack_path is not None:
            report_changes(self.pack_path, self.changes)  # even if the asker has gone
        if self._parent_gone():
            return
        if self.on_done is not None:
            self.on_done(result)

    def _cancelled(self) -> None:
        self._finish()
        if self._parent_gone():
            return
        if self.on_cancel is not None:
            self.on_cancel()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if self._parent_gone():
            if not isinstance(exc, TdeError):
                log.error("Unexpected error in background work", exc_info=exc)
            return
        if self.on_error is not None:
            self.on_error(exc)
            return
        show_exception(self.parent, exc)


def run_op(
    parent: QWidget | None,
    fn: Callable[..., Any],
    *,
    on_done: Callable[[Any], object] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    label: str = "",
    cancellable: bool = True,
    pack_path: str | Path | None = None,
    quiet: bool = False,
    changes: Iterable[Change] = (),
) -> Op:
    """Run ``fn`` off the UI thread; ``on_done(result)`` is called on the UI thread.

    ``fn(progress)`` is called on a worker thread, or ``fn(pack, progress)`` with
    a pack of its own when ``pack_path`` is given. Exactly one of ``on_done``,
    ``on_error`` (default: a message box) or ``on_cancel`` runs afterwards.
    ``quiet`` work never shows a progress dialog. ``changes`` (with ``pack_path``)
    are reported to the pack's watchers once the work succeeded.
    """
    op = Op(parent, fn, on_done=on_done, on_error=on_error, on_cancel=on_cancel, label=label,
            cancellable=cancellable, pack_path=Path(pack_path) if pack_path else None,
            changes=frozenset(changes))
    _running.add(op)
    if not quiet:
        op.timer.start(DIALOG_DELAY_MS)
    QThreadPool.globalInstance().start(_Worker(op))
    return op


def running_ops() -> list[Op]:
    """Ops that have not yet delivered their result (used by tests and on quit)."""
    return list(_running)


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until every worker has finished (on quit); results are still delivered later."""
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))


def error_text(exc: BaseException) -> str:
    """One plain sentence for a person: the TdeError's own words, else a generic sentence."""
    if isinstance(exc, TdeError):
        return str(exc).splitlines()[0] if str(exc) else _("Something went wrong.")
    if isinstance(exc, MemoryError):
        return _("The computer ran out of memory while doing this.")
    return _("Something went wrong and the work was stopped. Details are in the log file.")


#: the last message box shown, so tests can read it without a modal loop
last_message: QMessageBox | None = None


def show_message(parent: QWidget | None, text: str, *, title: str = "",
                 icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """A plain, non-blocking message box (``open()``, not ``exec()``). ``text`` is shown
    exactly as written: names from a pack (``<b>X</b>``) are never read as markup."""
    global last_message
    box = QMessageBox(icon, title or _("TDE Desktop"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title or _("Message"))
    box.setAccessibleDescription(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    last_message = box
    return box


def plain_tooltip(text: str) -> str:
    """``text`` (pack words: a value, a title, a description) as a tooltip that shows it
    exactly as written. Qt guesses whether a tooltip is markup; this one is always rich
    text with every ``<`` and ``&`` escaped, line breaks kept, long lines wrapped, and at
    most :data:`~tde_desktop.qt.common.shown_text.TIP_LIMIT` characters of ``text``."""
    if not text:
        return ""
    return "<qt>" + html.escape(shown_tip(text)).replace("\n", "<br>") + "</qt>"


def show_exception(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Log unexpected errors with their traceback; show the person one sentence."""
    if not isinstance(exc, TdeError):
        log.error("Unexpected error in background work", exc_info=exc)
    return show_message(parent, error_text(exc))


# -- what changed ------------------------------------------------------------------------

#: how often a watched pack is probed for writes nobody reported
PROBE_MS = 1000


class PackWatcher(QObject):
    """Tells the screens showing one open pack when it changed; made by :func:`watch_pack`.

    Idle cost: one ``PRAGMA data_version`` a second, and only while a screen watches.
    """

    def __init__(self, pack: Any) -> None:
        super().__init__()
        self.pack = pack
        self.key = Path(pack.path).resolve()
        self.listeners: list[tuple[QObject, Callable[[frozenset[Change]], None]]] = []
        self.last = probe(pack)
        self.timer = QTimer(self)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _alive(self) -> list[tuple[QObject, Callable[[frozenset[Change]], None]]]:
        self.listeners = [(r, cb) for r, cb in self.listeners if isValid(r)]
        if not self.listeners:
            self.stop()
        return list(self.listeners)

    def stop(self) -> None:
        self.timer.stop()
        _watchers.pop(id(self.pack), None)

    def check(self) -> bool:
        """Probe the pack; tell every listener (all kinds) if someone wrote to it."""
        try:
            now = probe(self.pack)
        except (sqlite3.Error, AttributeError):  # the pack was closed under us
            self.stop()
            return False
        if now == self.last:
            return False
        self.last = now
        self.emit(ALL_CHANGES)
        return True

    def emit(self, changes: frozenset[Change]) -> None:  # type: ignore[override]
        for _receiver, callback in self._alive():
            callback(changes)


_watchers: dict[int, PackWatcher] = {}


def watch_pack(pack: Any, receiver: QObject,
               callback: Callable[[frozenset[Change]], None]) -> PackWatcher:
    """Call ``callback(kinds)`` on the UI thread whenever ``pack`` changes, for as long
    as ``receiver`` lives. Reported writes give their own kinds; a write found by the
    probe gives every kind."""
    watcher = _watchers.get(id(pack))
    if watcher is None or watcher.pack is not pack:
        watcher = _watchers[id(pack)] = PackWatcher(pack)
    watcher.listeners.append((receiver, callback))
    return watcher


def report_changes(pack_path: str | Path, changes: Iterable[Change], *,
                   origin: QObject | None = None) -> None:
    """Tell every screen watching the pack at ``pack_path`` what a write changed.

    ``origin`` (the screen that wrote, which has already redrawn) is not told again.
    """
    kinds = frozenset(changes)
    key = Path(pack_path).resolve()
    for watcher in [w for w in _watchers.values() if w.key == key]:
        try:
            watcher.last = probe(watcher.pack)
        except (sqlite3.Error, AttributeError):
            watcher.stop()
            continue
        for receiver, callback in watcher._alive():
            if receiver is not origin:
                callback(kinds)
