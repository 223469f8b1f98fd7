"""Where the app writes what went wrong: a rotating log file in the user's data folder.

The windowed app on Windows has no console (``sys.stderr`` is None), so anything
logged would vanish. :func:`setup_logging` sends the log to
``<data folder>/logs/tde-desktop.log`` (the portable folder when the app runs
portable), keeps at most four files of 1 MB, and also logs Qt's own warnings
and any exception nobody caught, with its traceback: people see one plain
sentence, the log keeps the details. Help > About names the file.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "tde-desktop.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_state: dict[str, Path | None] = {"file": None}


def default_log_file() -> Path:
    """Where the log goes (the folder is not created here)."""
    from tde_desktop import portable

    try:
        return portable.data_dir(create=False) / "logs" / LOG_NAME
    except OSError:
        return Path(tempfile.gettempdir()) / LOG_NAME


def current_log_file() -> Path | None:
    """The file this process logs to, or None before :func:`setup_logging`."""
    return _state["file"]


def _log_uncaught(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    logging.getLogger("tde_desktop").critical("Uncaught error", exc_info=(kind, exc, tb))


def _qt_message(mode: object, context: object, message: str) -> None:
    from PySide6.QtCore import QtMsgType

    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)  # type: ignore[call-overload]
    logging.getLogger("qt").log(level, "%s", message)


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Log to a rotating file in ``folder`` (default: the data folder's ``logs``) and,
    when there is a console, to it too; returns the log file. Safe to call twice."""
    if _state["file"] is not None:
        return _state["file"]
    try:
        if folder is None:
            from tde_desktop import portable

            folder = portable.logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
            delay=True)
        path = folder / LOG_NAME
    except OSError:
        # A read-only profile must not stop the app from starting: log to the temp folder.
        path = Path(tempfile.gettempdir()) / LOG_NAME
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    if sys.stderr is not None:  # None in the windowed app on Windows
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
    sys.excepthook = _log_uncaught
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_qt_message)
    _state["file"] = path
    logging.getLogger(__name__).info("Log file: %s", path)
    return path
