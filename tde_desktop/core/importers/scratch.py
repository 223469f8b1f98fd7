"""Scratch database files of imports, and removing those whose import was killed.

The fast CSV path writes into a scratch SQLite file in the temporary folder before
copying into the pack (see :mod:`.fast_csv`). A killed import leaves its file behind,
possibly hundreds of megabytes. Each name carries its owner's process id and start
time, so the next import, or the next start of the app, removes the files whose
process is gone at once, and never a file of an import still running elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_SCRATCH_PREFIX = "tde-import-"
#: a scratch file named without its owner's process id (made by an older version) and
#: this old belongs to an import that was killed: the next import removes it
STALE_SCRATCH_SECONDS = 6 * 3600


@contextlib.contextmanager
def scratch_file() -> Iterator[Path]:
    """A new scratch database file in the temporary folder, removed afterwards.

    Its name carries this process's id and start time, so that a later import (or the
    next start of the app) can tell that its owner is gone and remove it.
    """
    remove_abandoned_scratch_files()
    fd, name = tempfile.mkstemp(prefix=f"{scratch_prefix()}-", suffix=".sqlite")
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        for leftover in (path, path.with_name(path.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _process_start(pid: int) -> str:
    """When process ``pid`` started, in the OS's own units ('' where it cannot be told).

    With the pid it tells one process from a later one that was given the same pid.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]  # field 22, starttime (after the name)


def scratch_prefix(pid: int | None = None) -> str:
    """The start of the names of the scratch files made by process ``pid`` (default: this)."""
    pid = os.getpid() if pid is None else pid
    return f"{_SCRATCH_PREFIX}{pid}-{_process_start(pid) or 0}"


def _owner_alive(pid: int, start: str) -> bool:
    if Path("/proc").is_dir():  # Linux: the pid and its start time both match
        return (start == "0" and Path(f"/proc/{pid}").exists()) or _process_start(pid) == start
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # query limited information
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)  # POSIX: signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def remove_abandoned_scratch_files() -> int:
    """Remove the scratch files of imports whose process is gone; returns how many.

    The owner is read from the name (process id and start time). Files named the old
    way, without an owner, are removed once they are :data:`STALE_SCRATCH_SECONDS` old.
    Files of running imports, in this process or another, are left alone.
    """
    removed = 0
    cutoff = time.time() - STALE_SCRATCH_SECONDS
    for leftover in Path(tempfile.gettempdir()).glob(_SCRATCH_PREFIX + "*"):
        parts = leftover.name[len(_SCRATCH_PREFIX):].split("-")
        with contextlib.suppress(OSError):
            if len(parts) >= 3 and parts[0].isdigit():
                gone = not _owner_alive(int(parts[0]), parts[1])
            else:
                gone = leftover.stat().st_mtime < cutoff
            if gone:
                leftover.unlink()
                removed += 1
    return removed
