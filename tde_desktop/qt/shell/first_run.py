"""The first launch: a private copy of the sample pack, and one welcome dialog.

The bundled sample pack is never opened, only copied: opening a SQLite file
can write to it (and the bundle may be read-only), and the next update of the
app replaces it. The copy lives in the user's data folder (beside the app in
portable mode), so what a facilitator does with it is theirs to keep.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.paths import sample_pack_path
from tde_desktop.qt.common import settings
from tde_desktop.qt.common.theme import FRAME_GUESS

#: the sample pack's PIN for the demo workshop (it is a demonstration, not a secret)
SAMPLE_PIN = "1234"
#: the welcome text's width in average characters: a comfortable line at any text size
LINE_CHARACTERS = 70
DEFAULT_ATTRIBUTION = ("Data: City of Baltimore (Open Baltimore), via The Baltimore Sun, "
                       "CC BY 4.0; neighbourhood boundaries via Code for America's "
                       "click_that_hood, MIT.")


def user_data_dir() -> Path:
    """The folder for the person's own packs: portable ``data/`` or the app data location."""
    from tde_desktop import portable

    if os.environ.get(portable.DATA_DIR_ENV) or portable.is_portable():
        folder = portable.data_dir()
    else:
        location = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation)
        folder = Path(location) if location else portable.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def copy_sample_pack(folder: Path | None = None) -> Path | None:
    """A copy of the bundled sample pack in ``folder`` (the user data folder by default).

    Reads the bundled file's bytes and nothing else, so it stays unchanged. An
    earlier copy is kept as it is (it may hold a workshop's answers). None when
    the app was built without a sample pack.
    """
    bundled = sample_pack_path()
    if not bundled.is_file():
        return None
    target = (folder or user_data_dir()) / bundled.name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(bundled, partial)
    os.replace(partial, target)
    # A write-ahead log with content belongs to the pack; an empty one does not matter.
    wal = bundled.with_name(bundled.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return target


def pack_attribution(pack: object) -> str:
    """The data attribution kept in the pack's meta (the sample's if the pack has none)."""
    meta = getattr(pack, "meta", None)
    text = ""
    if callable(meta):
        text = str(meta().get("attribution", "") or "")
    return text


class WelcomeDialog(QDialog):
    """What the app is, what to do next, where results go, and whose data this is.

    The three sections wrap in one body that opens tall enough to show them whole
    (wider at large text), and scrolls as one area only on a screen too small.
    """

    def __init__(self, parent: QWidget | None = None, attribution: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to TDE Desktop"))
        self.setAccessibleName(_("Welcome to TDE Desktop"))
        self.setMinimumWidth(560)
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel(_("Welcome to TDE Desktop"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(12)
        self.attribution = QLabel(attribution or DEFAULT_ATTRIBUTION)
        self.attribution.setAccessibleName(_("Data attribution"))
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)  # the pack's own words
        self.attribution.setObjectName("attribution")
        for label in (*_sections(), self.attribution):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            body_layout.addWidget(label)
        body_layout.addStretch(1)
        # The scroll area would take the body's minimum height, which Qt measures for
        # wrapped labels at a narrow width, and scroll for nothing; the height the
        # body needs comes from its height for the width it has instead.
        self.body.setMinimumHeight(1)
        self.body_area = QScrollArea()
        self.body_area.setObjectName("welcome_body")
        self.body_area.setWidget(self.body)
        self.body_area.setWidgetResizable(True)
        self.body_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.body_area, 1)
        self.dont_show = QCheckBox(_("Don't show this again"))
        self.dont_show.setAccessibleName(_("Don't show this again"))
        layout.addWidget(self.dont_show)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Start exploring"))
        self.ok_button.setAccessibleName(_("Start exploring"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.finished.connect(self._remember)
        self.ok_button.setFocus()

    def height_for(self, width: int) -> int:
        """The dialog's height at ``width`` with every section shown whole."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        # measured as if the scroll bar showed, or it could show for want of its own width
        bar = self.body_area.verticalScrollBar().sizeHint().width()
        total = margins.top() + margins.bottom() + self.body.heightForWidth(inner - bar)
        for i in range(layout.count()):
            item = layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.body_area:
                hint = (widget.heightForWidth(inner) if widget.hasHeightForWidth()
                        else widget.sizeHint().height())
                total += hint + layout.spacing()
        return total

    def opening_size(self, room: QSize) -> QSize:
        """The size to open at within ``room``: a comfortable line length, widened
        (up to ``room``) when the text would be taller than ``room``, never taller."""
        line = self.fontMetrics().averageCharWidth() * LINE_CHARACTERS
        width = min(room.width(), max(self.minimumSizeHint().width(), 560, line))
        while self.height_for(width) > room.height() and width < room.width():
            width = min(room.width(), width + max(1, room.width() // 10))
        return QSize(width, min(self.height_for(width), room.height()))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._sized:  # once: later the person's own resizing wins
            self._sized = True
            self.ensurePolished()
            screen = self.screen() or QGuiApplication.primaryScreen()
            room = screen.availableGeometry().size() - FRAME_GUESS
            self.resize(self.opening_size(room))
        super().showEvent(event)  # centres the dialog on its parent at that size

    def _remember(self, _result: int) -> None:
        if self.dont_show.isChecked():
            settings.set_show_welcome(False)


def _sections() -> tuple[QLabel, QLabel]:
    """The two texts of the welcome: what the app is, and what to do next."""
    intro = QLabel(_(
        "TDE Desktop helps you run a community data workshop without the internet. "
        "People look at open data about their neighbourhood, answer short exercises on "
        "this computer, and their answers go to city hall."))
    steps = QLabel("<p><b>{next}</b></p><ol>"
                   "<li>{explore}</li><li>{demo}</li><li>{own}</li><li>{results}</li>"
                   "</ol>".format(
                       next=_("What to do next"),
                       explore=_("Explore the data: choose a dataset on the left, filter "
                                 "it, and open the Chart and Map tabs."),
                       demo=_("Try the demo workshop \"Vacant buildings in my "
                              "neighbourhood\": Workshop menu, Run a workshop. The PIN "
                              "of the sample is {pin}.").format(pin=SAMPLE_PIN),
                       own=_("Use your own city's data: File menu, New pack, then "
                             "Import data file."),
                       results=_("When the workshop is over: Workshop menu, Export "
                                 "results to Excel. That workbook is what you send to "
                                 "city hall.")))
    steps.setTextFormat(Qt.TextFormat.RichText)
    return intro, steps


def show_welcome(parent: QWidget | None, attribution: str = "") -> WelcomeDialog:
    """Open the welcome dialog without blocking (tests and the event loop keep running)."""
    dialog = WelcomeDialog(parent, attribution)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
