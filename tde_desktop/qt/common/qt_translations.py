"""Qt's own texts (Cancel, Yes, No, Open, Save in file and message dialogs) in the
interface language, from the catalogues that ship with Qt, and the reading direction
(right to left for Arabic, Persian, Hebrew and Urdu)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from tde_desktop.core.i18n import is_rtl

_qt_translators: list[QTranslator] = []


def direction(lang: str) -> Qt.LayoutDirection:
    """Right to left for a language written that way, else left to right."""
    return Qt.LayoutDirection.RightToLeft if is_rtl(lang) else Qt.LayoutDirection.LeftToRight


def install_qt_translations(lang: str) -> bool:
    """Translate Qt's own texts (Cancel, Yes, No, Open, Save in file and message dialogs)
    into ``lang`` from the catalogues that ship with Qt (``qtbase_zh_CN``, else
    ``qtbase_zh``); English removes them. The whole app reads in ``lang``'s direction:
    every window without a direction of its own mirrors for Arabic. True when a Qt
    catalogue was loaded (a city's language may have none: Qt's texts stay English)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    app.setLayoutDirection(direction(lang))
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    if lang == "en":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    base = lang.split("_")[0]
    if not any(translator.load(f"qtbase_{name}", folder) for name in dict.fromkeys((lang, base))):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True
