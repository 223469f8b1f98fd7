"""Creating the QApplication and the first window, cheaply.

pandas, matplotlib and openpyxl are not imported here: the window is shown
first, and the modules that need them import them when first used.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tde_desktop import APP_NAME, APP_TITLE, ORG_NAME, __version__


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the names QSettings and the installers use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    return app


def choose_start_pack(explicit: Path | None) -> Path | None:
    """The pack to open at start: the one asked for, the sample pack, the most recent, or none."""
    if explicit is not None:
        return explicit
    from tde_desktop.paths import sample_pack_path
    from tde_desktop.qt.settings import recent_packs

    sample = sample_pack_path()
    if sample.exists():
        return sample
    recent = recent_packs()
    return recent[0] if recent else None


def run(pack: Path | None, lang: str | None) -> int:
    """Show the main window, then open the start pack once the event loop runs."""
    logging.basicConfig(level=logging.INFO)
    app = make_app()
    from tde_desktop.core import i18n
    from tde_desktop.qt import settings

    chosen = lang or settings.language()
    i18n.set_language(chosen if chosen in i18n.SUPPORTED_LANGUAGES else "en")
    from tde_desktop.qt.main_window import MainWindow

    window = MainWindow()
    window.show()
    start = choose_start_pack(pack)
    if start is not None:
        # Opened after the first paint, so the window appears at once.
        QTimer.singleShot(0, lambda: window.open_pack(start))
    return int(app.exec())
