"""Backups of a pack, taken while it is open, and a restore that never half-writes.

* :func:`make_backup` copies the open pack with SQLite's online backup API (a
  consistent snapshot, WAL content included, even while answers arrive) into
  ``<pack stem>.backups/`` beside the pack, or into the portable data folder
  when the app runs portable. The copy is written under a temporary name,
  checked with ``PRAGMA integrity_check``, synced to disk and only then given
  its final name: a file listed by :func:`list_backups` is always whole.
* :func:`thin_backups` keeps the last ten and one per day before that.
* :func:`restore_backup` checks the backup, keeps the current pack as
  ``<name>.before-restore-<time>.tdepack``, and replaces the pack through a
  temporary file in the same folder and one ``os.replace``: at every instant
  the pack is either the old one or the restored one.
* :class:`BackupScheduler` decides, from the caller's clock, when an automatic
  backup is due (every few minutes while answers arrive); it has no timer of its
  own, so the Qt layer drives it from a QTimer and tests from a fake clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tde_desktop.core.errors import ProgressCallback, TdeError, report
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import PACK_SUFFIX, Pack
from tde_desktop.core.pack.format import APPLICATION_ID, SCHEMA_VERSION

REASONS = ("start", "end", "auto", "manual")
KEEP_LAST = 10
_NAME = re.compile(r"^(?P<stem>.*)_(?P<ts>\d{8}-\d{6}Z)(?:-\d+)?_(?P<reason>[a-z]+)"
                   + re.escape(PACK_SUFFIX) + "$")
_TS_FORMAT = "%Y%m%d-%H%M%SZ"


class BackupFailed(TdeError):
    """A backup could not be made or restored; the pack itself is unchanged."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what its name says about it."""

    path: Path
    created: dt.datetime
    reason: str
    size: int


def backups_folder(pack_path: str | Path) -> Path:
    """Where the backups of ``pack_path`` go (not created here).

    ``<pack stem>.backups/`` beside the pack; in portable mode a folder of the
    same name under the portable data folder, so a borrowed laptop keeps nothing.
    """
    pack_path = Path(pack_path)
    name = f"{pack_path.stem}.backups"
    try:
        from tde_desktop import portable

        if portable.is_portable():
            return portable.data_dir() / "backups" / name
    except (ImportError, OSError):
        pass
    return pack_path.with_name(name)


def _fsync_dir(folder: Path) -> None:
    # A rename is durable only once the folder itself is synced (POSIX; Windows has no need).
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _check(path: Path) -> str:
    """'ok' if ``path`` is a whole, current-or-older pack; otherwise what is wrong."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return _("it is not a workshop pack")
        if conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
            return _("it was made by a newer version of tde-desktop")
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()


def _copy(source: sqlite3.Connection, target: Path, progress: ProgressCallback | None) -> None:
    """Copy ``source`` into a new file ``target`` in rollback-journal mode, synced."""
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        def step(_status: int, remaining: int, total: int) -> None:
            report(progress, total - remaining, total, _("Copying the pack"))

        source.backup(dest, pages=1024, progress=step)
        # The copy must not carry WAL mode with it: a backup is one self-contained file.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    _fsync_file(target)


def _timestamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime(_TS_FORMAT)


def make_backup(pack: Pack, reason: str, *, now: dt.datetime | None = None,
                progress: ProgressCallback | None = None) -> Path:
    """Back up the open ``pack`` and return the new file's path.

    ``reason`` is one of :data:`REASONS`. Guarantees: the returned file passed
    ``PRAGMA integrity_check`` and is synced to disk; on failure no file is left
    behind and :class:`BackupFailed` is raised. The pack is only read.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason: {reason}")
    folder = backups_folder(pack.path)
    stem = f"{pack.path.stem}_{_timestamp(now)}"
    final = folder / f"{stem}_{reason}{PACK_SUFFIX}"
    n = 2
    while final.exists():
        final = folder / f"{stem}-{n}_{reason}{PACK_SUFFIX}"
        n += 1
    tmp = folder / f".{final.name}.{os.getpid()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(pack.conn, tmp, progress)
        problem = _check(tmp)
        if problem != "ok":
            raise BackupFailed(_("The backup of {name} failed its check ({problem}); it was "
                                 "not kept.").format(name=pack.path.name, problem=problem))
        os.replace(tmp, final)
        _fsync_dir(folder)
    except sqlite3.Error as exc:
        raise BackupFailed(_("The backup of {name} could not be written: {reason}").format(
            name=pack.path.name, reason=exc)) from None
    except OSError as exc:
        raise BackupFailed(_("The backup of {name} could not be written: {reason}").format(
            name=pack.path.name, reason=exc.strerror or exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return final


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    created = dt.datetime.strptime(match["ts"], _TS_FORMAT).replace(tzinfo=dt.UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, created, match["reason"], size)


def _in_folder(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if (info := _parse(p)) is not None]
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def list_backups(pack_path: str | Path) -> list[BackupInfo]:
    """The backups of ``pack_path``, newest first (only whole files, never partial ones)."""
    return _in_folder(backups_folder(pack_path))


def thin_backups(folder: str | Path, keep_last: int = KEEP_LAST) -> list[Path]:
    """Delete older backups in ``folder``: keep the newest ``keep_last`` and, before
    those, the newest backup of each UTC day. Returns the deleted paths."""
    backups = _in_folder(Path(folder))
    days: set[dt.date] = set()
    deleted: list[Path] = []
    for i, info in enumerate(backups):
        day = info.created.date()
        if i < keep_last or day not in days:
            days.add(day)
            continue
        with contextlib.suppress(OSError):
            info.path.unlink()
            deleted.append(info.path)
    return deleted


def _keep_current(pack_path: Path, kept: Path) -> None:
    """Copy the current pack whole to ``kept`` and fold its WAL into the file."""
    try:
        current = sqlite3.connect(str(pack_path), isolation_level=None)
        try:
            current.execute("PRAGMA trusted_schema = OFF")
            _copy(current, kept, None)
            current.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            current.close()
    except sqlite3.Error:
        # A damaged pack (the usual reason to restore) may not copy through SQLite:
        # keep its bytes, WAL included, exactly as they are.
        with contextlib.suppress(OSError):
            kept.unlink()
        shutil.copyfile(pack_path, kept)
        wal = pack_path.with_name(pack_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        _fsync_file(kept)


def restore_backup(backup_path: str | Path, pack_path: str | Path, *,
                   progress: ProgressCallback | None = None) -> Path | None:
    """Make ``pack_path`` a copy of the backup; returns where the old pack was kept.

    The caller must have closed the pack (and keep holding its lock). Guarantees:
    a damaged, foreign or too-new backup is refused with :class:`BackupFailed`
    before anything changes; the current pack is first kept whole as
    ``<stem>.before-restore-<time>.tdepack`` (None is returned when there was no
    pack); the pack file is then swapped in one rename, so a crash at any moment
    leaves either the old pack or the restored one, never a mixture.
    """
    backup_path, pack_path = Path(backup_path), Path(pack_path)
    problem = _check(backup_path) if backup_path.is_file() else _("the file does not exist")
    if problem != "ok":
        raise BackupFailed(_("The backup {name} cannot be restored: {problem}.").format(
            name=backup_path.name, problem=problem))
    folder = pack_path.parent
    kept: Path | None = None
    tmp = folder / f".{pack_path.name}.restore-{os.getpid()}.partial"
    try:
        if pack_path.exists():
            stem = f"{pack_path.stem}.before-restore-{_timestamp(None)}"
            kept = pack_path.with_name(stem + PACK_SUFFIX)
            n = 2
            while kept.exists():  # two restores in one second keep both old packs
                kept = pack_path.with_name(f"{stem}-{n}{PACK_SUFFIX}")
                n += 1
            _keep_current(pack_path, kept)
        source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True,
                                 isolation_level=None)
        try:
            source.execute("PRAGMA trusted_schema = OFF")
            _copy(source, tmp, progress)
        finally:
            source.close()
        problem = _check(tmp)
        if problem != "ok":
            raise BackupFailed(_("The restored copy failed its check ({problem}); the pack "
                                 "is unchanged.").format(problem=problem))
        # A -wal left beside the pack would be replayed on top of the restored file. It is
        # empty after the checkpoint above, and a damaged pack's WAL went into the kept copy.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                pack_path.with_name(pack_path.name + suffix).unlink()
        os.replace(tmp, pack_path)
        _fsync_dir(folder)
    except sqlite3.Error as exc:
        raise BackupFailed(_("The backup could not be restored: {reason}").format(
            reason=exc)) from None
    except OSError as exc:
        raise BackupFailed(_("The backup could not be restored: {reason}").format(
            reason=exc.strerror or exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return kept


class BackupScheduler:
    """When to take an automatic backup, driven by the caller's clock.

    Call :meth:`maybe_backup` often (after each answer, or from a timer); it
    backs up at most every ``interval`` and only if the pack changed since the
    last backup, then thins the folder. It never raises for a failed backup:
    the error is kept in :attr:`last_error` for the UI to show, because a
    workshop must go on even when the backup disk is full.
    """

    def __init__(self, interval: dt.timedelta = dt.timedelta(minutes=5),
                 keep_last: int = KEEP_LAST) -> None:
        self.interval = interval
        self.keep_last = keep_last
        self.last_time: dt.datetime | None = None
        self.last_error: str | None = None
        self._last_marker: tuple[int, int, int] | None = None

    @staticmethod
    def _marker(pack: Pack) -> tuple[int, int, int]:
        # total_changes counts this connection's writes, data_version other connections'.
        seq = pack.conn.execute("SELECT coalesce(max(seq), 0) FROM _tde_responses").fetchone()
        version = pack.conn.execute("PRAGMA data_version").fetchone()
        return pack.conn.total_changes, int(version[0]), int(seq[0])

    def mark_backed_up(self, pack: Pack, now: dt.datetime) -> None:
        """Record a backup the caller made itself (at start or end of a workshop)."""
        self.last_time = now
        self._last_marker = self._marker(pack)

    def maybe_backup(self, pack: Pack, now: dt.datetime) -> Path | None:
        """Back up ``pack`` if due and changed; returns the new backup or None."""
        if self.last_time is not None and now - self.last_time < self.interval:
            return None
        marker = self._marker(pack)
        if marker == self._last_marker:
            return None
        try:
            path = make_backup(pack, "auto", now=now)
        except BackupFailed as exc:
            self.last_error = str(exc)
            self.last_time = now  # try again after another interval, not on every answer
            return None
        self.last_error = None
        self.last_time = now
        self._last_marker = marker
        thin_backups(path.parent, self.keep_last)
        return path
