"""Where the app keeps its own files: the user profile, or beside the app when portable.

A facilitator can carry the app on a USB stick from one borrowed laptop to the
next. If a file named ``portable.txt`` (or a folder named ``data``) sits next to
the executable, settings, recent files, backups and logs live in ``data/``
beside it and nothing is written to the user profile. Otherwise they live in
the usual per-user place for the operating system.

This module never imports Qt: the Qt layer reads :func:`settings_path` and
points QSettings at it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tde_desktop import APP_NAME

PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "data"
# Set by a kiosk set-up or a test to force one data folder, portable or not.
DATA_DIR_ENV = "TDE_DATA_DIR"


def app_dir() -> Path | None:
    """The folder that holds the frozen app's executable, or None when run from source.

    For a macOS ``.app`` this is the folder that contains the bundle, because a
    file dropped inside ``Contents/MacOS`` is not something a person would do.
    """
    if not getattr(sys, "frozen", False):
        return None
    exe_dir = Path(sys.executable).resolve().parent
    if sys.platform == "darwin" and exe_dir.name == "MacOS" and exe_dir.parent.name == "Contents":
        bundle = exe_dir.parent.parent
        if bundle.suffix == ".app":
            return bundle.parent
    return exe_dir


def is_portable() -> bool:
    """True when the frozen app has ``portable.txt`` or a ``data/`` folder beside it."""
    folder = app_dir()
    if folder is None:
        return False
    return (folder / PORTABLE_MARKER).is_file() or (folder / PORTABLE_DATA).is_dir()


def _profile_dir() -> Path:
    """The per-user data folder the operating system expects for an app like this."""
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / APP_NAME
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base) if base else home / ".local" / "share") / APP_NAME


def data_dir(create: bool = True) -> Path:
    """The folder for settings, recent files, backups and logs.

    In order: ``$TDE_DATA_DIR`` if set; ``data/`` beside the executable in
    portable mode; the user profile otherwise. With ``create`` the folder
    exists on return. A portable folder that cannot be created (a read-only
    stick) falls back to the user profile rather than failing to start.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        chosen = Path(override)
    elif is_portable():
        folder = app_dir()
        assert folder is not None  # is_portable() is only true for a frozen app
        chosen = folder / PORTABLE_DATA
    else:
        chosen = _profile_dir()
    if create:
        try:
            chosen.mkdir(parents=True, exist_ok=True)
        except OSError:
            if chosen == _profile_dir():
                raise
            chosen = _profile_dir()
            chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def settings_path() -> Path | None:
    """The folder QSettings should use (INI format), or None for the platform's usual store.

    Not None only in portable mode or with ``$TDE_DATA_DIR``: then the Qt layer calls
    ``QSettings.setDefaultFormat(IniFormat)`` and ``QSettings.setPath(IniFormat,
    UserScope, str(folder))``, and the settings file becomes
    ``<folder>/<organisation>/<app>.ini``. None leaves QSettings alone (the registry
    on Windows, a plist on macOS, ``~/.config`` on Linux), as a normal install expects.
    """
    if not os.environ.get(DATA_DIR_ENV) and not is_portable():
        return None
    folder = data_dir() / "settings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backups_dir() -> Path:
    """Where automatic pack backups go; exists on return."""
    folder = data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def logs_dir() -> Path:
    """Where log files go; exists on return."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
