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

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.paths import sample_pack_path
from tde_desktop.qt.common import settings

#: the sample pack's PIN for the demo workshop (it is a demonstration, not a secret)
SAMPLE_PIN = "1234"
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
    """What the app is, what to do next, where results go, and whose data this is."""

    def __init__(self, parent: QWidget | None = None, attribution: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to TDE Desktop"))
        self.setAccessibleName(_("Welcome to TDE Desktop"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel(_("Welcome to TDE Desktop"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
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
        self.attribution = QLabel(attribution or DEFAULT_ATTRIBUTION)
        self.attribution.setAccessibleName(_("Data attribution"))
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)  # the pack's own words
        self.attribution.setObjectName("attribution")
        for label in (intro, steps, self.attribution):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
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

    def _remember(self, _result: int) -> None:
        if self.dont_show.isChecked():
            settings.set_show_welcome(False)


def show_welcome(parent: QWidget | None, attribution: str = "") -> WelcomeDialog:
    """Open the welcome dialog without blocking (tests and the event loop keep running)."""
    dialog = WelcomeDialog(parent, attribution)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
