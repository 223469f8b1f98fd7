"""The windowed app logs to a rotating file in the data folder, named in Help > About."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.qt.shell import logs


@pytest.fixture
def fresh_logging() -> Iterator[None]:
    from PySide6.QtCore import qInstallMessageHandler

    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    logs._state["file"] = None
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook = hook
    qInstallMessageHandler(None)
    logs._state["file"] = None


@pytest.mark.usefixtures("fresh_logging")
def test_log_file_rotates_and_keeps_uncaught_errors(tmp_path: Path, qtbot: Any,
                                                    make_main_window: Any) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / logs.LOG_NAME
    assert logs.setup_logging() == path  # a second call changes nothing
    handler = next(h for h in logging.getLogger().handlers
                   if isinstance(h, RotatingFileHandler))
    assert handler.maxBytes == logs.MAX_BYTES
    assert handler.backupCount == logs.BACKUPS
    logging.getLogger("tde_desktop.qt.common.ops").error("Unexpected error in background work")
    try:
        raise ValueError("a bug nobody caught")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "Unexpected error in background work" in text
    assert "ValueError: a bug nobody caught" in text  # with its traceback
    window = make_main_window()
    about = window.show_about()
    qtbot.addWidget(about)
    assert str(path) in about.log_file.text()


def test_about_names_the_default_log_file_before_logging_starts(qtbot: Any) -> None:
    from tde_desktop.qt.shell.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.log_path.name == logs.LOG_NAME
    assert dialog.log_path.parent.name == "logs"
    assert str(dialog.log_path) in dialog.log_file.text()
