"""One app at a time per pack: a small lock file beside the pack.

Two copies of the app writing one pack (a double click on the file while the
app already has it open, or two laptops on a shared folder) would not corrupt
SQLite, but each would show stale results and undo the other's edits. So the
app takes ``<pack>.lock`` when it opens a pack for writing:

* :func:`acquire` creates the lock file with ``O_EXCL`` (atomic on every
  local file system) holding JSON: process id, host name, app version, since
  when and the last heartbeat. A second instance gets :class:`PackInUse`,
  whose message names the process and the time, and can offer read-only.
* A lock is *stale*, and is taken over, when its process is not running on
  this host, or when its heartbeat is older than :data:`STALE_AFTER` (a laptop
  that crashed while the pack sat on a shared folder). The running app calls
  :meth:`Lock.refresh` every few minutes to keep its heartbeat fresh.
* :meth:`Lock.release` removes the file only if it is still ours.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tde_desktop import __version__
from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _

#: A lock whose heartbeat is older than this is taken over even if its process may run.
STALE_AFTER = dt.timedelta(hours=2)
#: How often the app should call :meth:`Lock.refresh` (well inside :data:`STALE_AFTER`).
HEARTBEAT_EVERY = dt.timedelta(minutes=5)


@dataclass
class LockInfo:
    """What a lock file says about the app that holds the pack."""

    pid: int
    hostname: str
    app_version: str
    since: str
    heartbeat: str
    token: str = ""

    def since_local(self) -> str:
        """``since`` as local wall-clock time (HH:MM, with the date if not today)."""
        try:
            moment = dt.datetime.fromisoformat(self.since).astimezone()
        except ValueError:
            return self.since
        if moment.date() == dt.datetime.now().astimezone().date():
            return moment.strftime("%H:%M")
        return moment.strftime("%Y-%m-%d %H:%M")


class PackInUse(TdeError):
    """Another running copy of the app has this pack open for writing."""

    def __init__(self, message: str, info: LockInfo) -> None:
        super().__init__(message)
        self.info = info


def lock_path(pack_path: str | Path) -> Path:
    """Where the lock of ``pack_path`` lives: ``<pack file name>.lock`` beside it."""
    pack_path = Path(pack_path)
    return pack_path.with_name(pack_path.name + ".lock")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def pid_running(pid: int) -> bool:
    """True if a process with this id runs on this computer (a zombie counts as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is just not ours
    # A killed child that nobody has reaped yet still answers signal 0; it is not running.
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", "rb") as f:
        return f.read().split(b")")[-1].split()[0] != b"Z"
    return True


def _windows_pid_running(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return True
    kernel32 = windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    try:
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_lock(pack_path: str | Path) -> LockInfo | None:
    """The current lock of ``pack_path``, or None if there is none or it is unreadable."""
    try:
        data: Any = json.loads(lock_path(pack_path).read_text(encoding="utf-8"))
        return LockInfo(pid=int(data["pid"]), hostname=str(data["hostname"]),
                        app_version=str(data.get("app_version", "")),
                        since=str(data["since"]), heartbeat=str(data.get("heartbeat", "")),
                        token=str(data.get("token", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(info: LockInfo, now: dt.datetime | None = None) -> bool:
    """True if the app that wrote ``info`` is evidently gone (see the module docstring)."""
    now = now or _now()
    if info.hostname == socket.gethostname() and not pid_running(info.pid):
        return True
    try:
        beat = dt.datetime.fromisoformat(info.heartbeat or info.since)
    except ValueError:
        return True
    if beat.tzinfo is None:
        beat = beat.replace(tzinfo=dt.UTC)
    return now - beat > STALE_AFTER


def in_use_message(pack_path: str | Path, info: LockInfo) -> str:
    """The plain sentence shown when another app holds the pack."""
    name = Path(pack_path).name
    if info.hostname == socket.gethostname():
        return _("{name} is already open in tde-desktop on this computer (process {pid}, "
                 "since {since}).").format(name=name, pid=info.pid, since=info.since_local())
    return _("{name} is already open in tde-desktop on {host} (process {pid}, since "
             "{since}).").format(name=name, host=info.hostname, pid=info.pid,
                                 since=info.since_local())


def refuse_if_held(pack_path: str | Path) -> None:
    """Raise :class:`PackInUse` if another running process holds the lock of
    ``pack_path`` (a lock that is stale, or held by this process, lets it through).

    Opening for writing checks this, so the ``tde`` command or a second app cannot
    write a pack the app has open; reading read-only is always allowed.
    """
    current = read_lock(pack_path)
    if current is None or is_stale(current):
        return
    if current.pid == os.getpid() and current.hostname == socket.gethostname():
        return
    raise PackInUse(in_use_message(pack_path, current), current)


class Lock:
    """A lock held by this process; release it when the pack is closed."""

    def __init__(self, pack_path: Path, info: LockInfo) -> None:
        self.pack_path = pack_path
        self.path = lock_path(pack_path)
        self.info = info
        self.released = False

    def _still_ours(self) -> bool:
        current = read_lock(self.pack_path)
        return current is not None and current.token == self.info.token

    def refresh(self, now: dt.datetime | None = None) -> bool:
        """Write a new heartbeat; False if the lock was taken over or removed meanwhile.

        The file is replaced whole (temporary file + rename), so a reader never
        sees half a lock.
        """
        if self.released or not self._still_ours():
            return False
        self.info.heartbeat = (now or _now()).isoformat()
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(self.info)), encoding="utf-8")
        os.replace(tmp, self.path)
        return True

    def release(self) -> None:
        """Remove the lock file if it is still ours; safe to call twice."""
        if self.released:
            return
        self.released = True
        if self._still_ours():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _create(path: Path, info: LockInfo) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(asdict(info)))
        f.flush()
        os.fsync(f.fileno())
    return True


def _reclaim(path: Path, stale: LockInfo | None) -> None:
    """Move a stale lock aside, put it back if it turned out to be a fresh one."""
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    try:
        data = json.loads(aside.read_text(encoding="utf-8"))
        moved_token = str(data.get("token", ""))
    except (OSError, ValueError, AttributeError):
        moved_token = ""
    if stale is not None and moved_token and moved_token != stale.token:
        # Another process took the lock between our read and the rename: give it back.
        with contextlib.suppress(OSError):
            os.link(aside, path)
    with contextlib.suppress(OSError):
        aside.unlink()


def acquire(pack_path: str | Path) -> Lock:
    """Take the lock of ``pack_path`` for this process, or raise :class:`PackInUse`.

    Guarantees: on return this process alone holds the lock file; a stale lock
    (process gone on this host, or no heartbeat for :data:`STALE_AFTER`) is
    taken over; a lock file left empty or torn by a crash is treated as stale
    once it is a few seconds old.
    """
    pack_path = Path(pack_path)
    path = lock_path(pack_path)
    now = _now()
    info = LockInfo(pid=os.getpid(), hostname=socket.gethostname(), app_version=__version__,
                    since=now.isoformat(), heartbeat=now.isoformat(), token=uuid.uuid4().hex)
    for _attempt in range(20):
        try:
            if _create(path, info):
                return Lock(pack_path, info)
        except OSError as exc:
            raise TdeError(_("The pack's folder cannot be written to: {reason}").format(
                reason=exc.strerror or exc)) from None
        current = read_lock(pack_path)
        if current is None:
            # Being written right now by another process, or torn by a crash long ago.
            try:
                age = time.time() - path.stat().st_mtime
            except FileNotFoundError:
                continue
            if age < 5:
                time.sleep(0.05)
                continue
            _reclaim(path, None)
            continue
        if not is_stale(current, now):
            raise PackInUse(in_use_message(pack_path, current), current)
        _reclaim(path, current)
    raise TdeError(_("The pack's lock could not be taken; please try again."))
