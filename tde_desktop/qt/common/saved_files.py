"""Where save dialogs open, and telling people where a file went (with "Open folder").

Save dialogs open in the last folder used (remembered between runs), else the
person's Documents folder; never the app's own folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from tde_desktop.core.i18n import _
from tde_desktop.qt.common import settings

#: the last "saved" box shown (tests read it)
last_saved_box: QMessageBox | None = None


def start_folder() -> Path:
    """The folder a save or open dialog starts in, always an existing one: the last one
    used, else Documents, else the home folder."""
    remembered = settings.last_folder()
    if remembered is not None:
        return remembered
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    # A missing Documents folder would make the dialog fall back to the app's own folder.
    documents = Path(location) if location else None
    return documents if documents is not None and documents.is_dir() else Path.home()


def remember(path: Path) -> None:
    """Remember the folder of ``path`` (or ``path`` itself if it is a folder)."""
    settings.set_last_folder(path if path.is_dir() else path.parent)


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager; False if that could not be done."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_saved(parent: QWidget | None, path: Path, text: str) -> QMessageBox:
    """A non-blocking message saying where ``path`` went, with an "Open folder" button."""
    global last_saved_box
    box = QMessageBox(QMessageBox.Icon.Information, _("Saved"), text,
                      QMessageBox.StandardButton.Close, parent)
    box.button(QMessageBox.StandardButton.Close).setText(_("Close"))
    open_button = box.addButton(_("Open folder"), QMessageBox.ButtonRole.ActionRole)
    folder = path if path.is_dir() else path.parent
    open_button.clicked.connect(lambda: open_folder(folder))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a path is never markup
    box.setWindowModality(Qt.WindowModality.NonModal)  # work goes on while it shows
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    last_saved_box = box
    return box
