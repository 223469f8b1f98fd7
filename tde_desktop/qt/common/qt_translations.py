"""Qt's own texts (Cancel, Yes, No, Open, Save in file and message dialogs) in the
interface language, from the catalogues that ship with Qt."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

_qt_translators: list[QTranslator] = []


def install_qt_translations(lang: str) -> bool:
    """Translate Qt's own texts (Cancel, Yes, No, Open, Save in file and message dialogs)
    into ``lang`` from the catalogues that ship with Qt; English removes them.
    True when a catalogue was loaded. Dialogs made afterwards use it."""
    app = QApplication.instance()
    if app is None:
        return False
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    if lang == "en":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{lang}", folder):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True
