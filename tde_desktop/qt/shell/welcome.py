"""What the window shows when no pack is open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from tde_desktop.core.i18n import _


class WelcomePage(QWidget):
    """A short greeting with "Open a pack..." and "New pack..." buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Welcome"))
        title = QLabel(_("Welcome to TDE Desktop"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(_("A workshop pack holds the datasets for a community data workshop. "
                        "Open one, or start a new pack and import data files into it."))
        text.setWordWrap(True)
        text.setMaximumWidth(520)
        self.open_button = QPushButton(_("&Open a pack..."))
        self.open_button.setAccessibleName(_("Open a pack"))
        self.new_button = QPushButton(_("&New pack..."))
        self.new_button.setAccessibleName(_("New pack"))
        for b in (self.open_button, self.new_button):
            b.setMinimumWidth(220)
            b.setMinimumHeight(40)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (title, text, self.open_button, self.new_button):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
