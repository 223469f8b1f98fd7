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
from tde_desktop.qt.common.qt_translations import install_qt_translations


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the names QSettings and the installers use, the icon and theme."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    from tde_desktop.qt.common import theme

    if not theme.is_applied():
        # Every entry point (app, self-test, screenshots) gets the same look; run() then
        # applies the person's own text size and contrast.
        theme.apply_theme(app)
    return app


def choose_start_pack(explicit: Path | None, sample: bool = False) -> Path | None:
    """The pack to open at start: the one asked for, the most recent, or on first launch a
    fresh copy of the sample pack in the user's data folder (never the bundled file).
    ``sample`` asks for that copy even when other packs were opened since."""
    if explicit is not None:
        return explicit
    from tde_desktop.qt.common.settings import recent_packs

    recent = [] if sample else recent_packs()
    if recent:
        return recent[0]
    from tde_desktop.qt.shell.first_run import copy_sample_pack

    try:
        return copy_sample_pack()
    except OSError:
        logging.getLogger(__name__).exception("Could not copy the sample pack")
        return None


def run(pack: Path | None, lang: str | None, sample: bool = False) -> int:
    """Show the main window, then open the start pack (``sample``: the sample pack's copy)
    once the event loop runs."""
    from tde_desktop.qt.shell.logs import setup_logging

    setup_logging()
    app = make_app()
    from tde_desktop.core import i18n
    from tde_desktop.qt.common import settings, theme

    chosen = lang or settings.language()
    i18n.set_language(chosen if chosen in i18n.SUPPORTED_LANGUAGES else "en")
    install_qt_translations(i18n.current_language())
    theme.apply_theme(app, scale=settings.text_scale(), high_contrast=settings.high_contrast())
    from tde_desktop.qt.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    start = choose_start_pack(pack, sample)

    def begin() -> None:
        from tde_desktop.core.importers.scratch import remove_abandoned_scratch_files
        from tde_desktop.qt.common.ops import run_op

        # Scratch files of imports killed earlier, removed off the UI thread without a word.
        run_op(window, lambda _progress: remove_abandoned_scratch_files(), quiet=True,
               cancellable=False, on_error=lambda _exc: None)
        if start is not None:
            window.open_pack(start)
        if settings.show_welcome():
            window.show_welcome()

    # Opened after the first paint, so the window appears at once.
    QTimer.singleShot(0, begin)
    return int(app.exec())
