"""Two instances: the second is told who holds the pack; stale locks are taken over."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import lock
from tde_desktop.core.pack.lock import PackInUse, acquire, lock_path, read_lock
from tde_desktop.core.pack.storage_check import cloud_service, storage_warning
from tests.reliability.conftest import Scenario, spawn, wait_ready

HOLDER = r"""
import sys
from tde_desktop.core.pack.lock import acquire
held = acquire(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print("holding", flush=True)
sys.stdin.readline()  # until killed or told to release
held.release()
print("released", flush=True)
"""


def test_a_second_process_gets_pack_in_use_naming_the_holder(
        pack_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("two instances", "a real second process holds the lock: PackInUse with its "
                 "process id and time; released lock is free again; killed holder reclaimed")
    pack_path.touch()
    holder = spawn(HOLDER, str(pack_path))
    assert holder.stdin is not None
    assert holder.stdout is not None
    try:
        wait_ready(holder)
        assert holder.stdout.readline() == "holding\n"
        with pytest.raises(PackInUse) as info:
            acquire(pack_path)
        message = str(info.value)
        assert str(holder.pid) in message
        assert "\n" not in message
        assert isinstance(info.value, TdeError)
        assert info.value.info.pid == holder.pid
        assert info.value.info.since_local() in message
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "released\n"
        holder.wait(timeout=30)
        assert not lock_path(pack_path).exists()
        with acquire(pack_path) as mine:
            assert read_lock(pack_path) == mine.info
        s.trial(2)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    # A holder that was killed leaves its file behind: the next app takes it over.
    killed = spawn(HOLDER, str(pack_path))
    wait_ready(killed)
    killed.kill()
    killed.communicate(timeout=30)
    assert read_lock(pack_path) is not None
    assert read_lock(pack_path).pid == killed.pid  # type: ignore[union-attr]
    taken = acquire(pack_path)
    assert taken.info.pid == os.getpid()
    taken.release()
    s.trial()


def _write_lock(pack_path: Path, **fields: object) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    data = {"pid": os.getpid(), "hostname": socket.gethostname(), "app_version": "0.1.0",
            "since": now, "heartbeat": now, "token": "theirs", **fields}
    lock_path(pack_path).write_text(json.dumps(data))


def test_stale_locks_are_taken_over_and_live_ones_are_not(pack_path: Path) -> None:
    # Live: our own pid, fresh heartbeat.
    _write_lock(pack_path)
    with pytest.raises(PackInUse):
        acquire(pack_path)
    # Another computer with a fresh heartbeat: respected, and named.
    _write_lock(pack_path, hostname="hall-laptop-2", pid=4242)
    with pytest.raises(PackInUse, match="hall-laptop-2"):
        acquire(pack_path)
    # Another computer, silent for longer than STALE_AFTER: taken over.
    old = (dt.datetime.now(dt.UTC) - lock.STALE_AFTER - dt.timedelta(minutes=1)).isoformat()
    _write_lock(pack_path, hostname="hall-laptop-2", pid=4242, since=old, heartbeat=old)
    acquire(pack_path).release()
    # A process id that is not running here: taken over.
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    _write_lock(pack_path, pid=int(done.stdout))
    acquire(pack_path).release()
    # A torn, empty lock file from a crash long ago: taken over.
    lock_path(pack_path).write_text("")
    old_time = dt.datetime.now().timestamp() - 60
    os.utime(lock_path(pack_path), (old_time, old_time))
    held = acquire(pack_path)
    assert read_lock(pack_path) == held.info
    held.release()
    assert not lock_path(pack_path).exists()


def test_heartbeat_refresh_and_release_only_touch_our_own_lock(pack_path: Path) -> None:
    held = acquire(pack_path)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert held.refresh(later)
    assert read_lock(pack_path).heartbeat == later.isoformat()  # type: ignore[union-attr]
    # Someone took the lock over (we looked dead): we neither refresh nor delete theirs.
    _write_lock(pack_path, token="someone-else")
    assert not held.refresh()
    held.release()
    assert read_lock(pack_path).token == "someone-else"  # type: ignore[union-attr]
    held.release()  # twice is fine


@pytest.mark.parametrize(("mount", "fs", "warned"), [
    ("/mnt/share", "cifs", True), ("/mnt/share", "nfs4", True),
    ("/mnt/share", "fuse.sshfs", True), ("/mnt/share", "ext4", False),
    ("/mnt/share", "fuseblk", False), ("/mnt/other", "nfs", False),
])
def test_network_mounts_are_warned_about(mount: str, fs: str, warned: bool) -> None:
    mounts = f"/dev/sda1 / ext4 rw 0 0\nserver:/x {mount} {fs} rw 0 0\n"
    message = storage_warning("/mnt/share/work/pack.tdepack", mounts_text=mounts,
                              platform="linux")
    assert (message is not None) is warned
    if message:
        assert "network" in message


@pytest.mark.parametrize(("path", "service"), [
    ("/home/ana/Dropbox/workshops/a.tdepack", "Dropbox"),
    ("C:/Users/ana/OneDrive - City of Baltimore/a.tdepack", "OneDrive"),
    ("/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/a.tdepack", "iCloud Drive"),
    ("G:/My Drive/a.tdepack", "Google Drive"),
    ("/home/ana/Box/a.tdepack", "Box"),
    ("/home/ana/Documents/a.tdepack", None),
    ("/home/ana/Dropbox.tdepack", None),
])
def test_cloud_folders_are_named(path: str, service: str | None) -> None:
    assert cloud_service(path) == service
    message = storage_warning(path, mounts_text="", platform="linux")
    if service:
        assert message is not None
        assert service in message
    else:
        assert message is None


def test_unc_paths_are_network_and_real_local_paths_are_quiet(tmp_path: Path) -> None:
    assert storage_warning(r"\\cityhall\share\pack.tdepack", platform="win32") is not None
    assert storage_warning(tmp_path / "pack.tdepack") is None
