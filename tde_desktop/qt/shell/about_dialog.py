"""Help > About: the version, the licence and whose data the open pack holds."""

from __future__ import annotations

import platform

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tde_desktop import APP_TITLE, __version__
from tde_desktop.core.i18n import _

LICENCE = "MIT"


class AboutDialog(QDialog):
    """Version, licence, the data attribution; selectable text so it can be copied."""

    def __init__(self, parent: QWidget | None = None, attribution: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About TDE Desktop"))
        self.setAccessibleName(_("About TDE Desktop"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        from PySide6 import __version__ as qt_version

        self.version = QLabel(f"<b>{APP_TITLE}</b> " + _("version {version}").format(
            version=__version__))
        self.licence = QLabel(_("Free software under the {licence} licence. Built with "
                                "Python {python} and Qt for Python {qt}.").format(
            licence=LICENCE, python=platform.python_version(), qt=qt_version))
        self.purpose = QLabel(_("For community data workshops that run without the internet, "
                                "following the Tactical Data Engagement method."))
        self.attribution = QLabel(attribution or _("No pack is open."))
        self.attribution.setAccessibleName(_("Data attribution"))
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)  # the pack's own words
        from tde_desktop.qt.shell.logs import current_log_file, default_log_file

        self.log_path = current_log_file() or default_log_file()
        self.log_file = QLabel(_("If something goes wrong, the details are in the log file: "
                                 "{path}").format(path=self.log_path))
        self.log_file.setAccessibleName(_("Log file"))
        for label in (self.version, self.licence, self.purpose, self.attribution,
                      self.log_file):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None, attribution: str = "") -> AboutDialog:
    dialog = AboutDialog(parent, attribution)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
