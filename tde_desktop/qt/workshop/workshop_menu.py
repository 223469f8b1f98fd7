"""The Workshop menu of the main window: create a workshop, run it, show the projector.

The main window calls :func:`install_workshop_menu` once. Every facilitator
screen opened from here (console, participant screen) is behind the workshop's
PIN; creating a workshop sets that PIN. Creating runs through :mod:`ops` (it
writes dozens of rows and hashes the PIN), with a pack of its own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenuBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from tde_desktop.core.i18n import _, current_language
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.core.workshop.templates import load_agendas
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.ops import Op, run_op, show_message
from tde_desktop.qt.workshop.pin_dialog import PinDialog, ask_pin


class NewWorkshopDialog(QDialog):
    """Agenda, title, date, venue and the facilitator PIN (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New workshop"))
        self.setAccessibleName(_("New workshop"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.agenda_box = ElidedComboBox(min_chars=50)  # agenda titles whole, if they fit
        lang = current_language()
        for name, agenda in sorted(load_agendas().items()):
            self.agenda_box.addItem(label_text(agenda.title, lang), name)
        self.title_edit = QLineEdit()
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("2025-05-17")
        self.venue_edit = QLineEdit()
        self.language_box = QComboBox()
        self.language_box.addItem(_("English and Spanish"), ["en", "es"])
        self.language_box.addItem(_("Spanish and English"), ["es", "en"])
        self.language_box.addItem(_("English only"), ["en"])
        self.language_box.addItem(_("Spanish only"), ["es"])
        # Created with the Spanish interface: the kiosk starts in Spanish.
        self.language_box.setCurrentIndex(1 if lang == "es" else 0)
        self.pin_edit = QLineEdit()
        self.pin_again = QLineEdit()
        for edit in (self.pin_edit, self.pin_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in ((_("Agenda"), self.agenda_box),
                              (_("Title (empty: the agenda's)"), self.title_edit),
                              (_("Date"), self.date_edit), (_("Venue"), self.venue_edit),
                              (_("Languages"), self.language_box),
                              (_("Facilitator PIN"), self.pin_edit),
                              (_("PIN again"), self.pin_again)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setAccessibleName(_("Message"))
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if len(self.pin_edit.text()) < 4:
            self.error.setText(_("Please choose a PIN of at least 4 characters."))
        elif self.pin_edit.text() != self.pin_again.text():
            self.error.setText(_("The two PINs are not the same."))
        else:
            self.accept()

    def values(self) -> dict[str, Any]:
        return {"agenda": self.agenda_box.currentData(), "title": self.title_edit.text().strip(),
                "date": self.date_edit.text().strip(), "venue": self.venue_edit.text().strip(),
                "languages": self.language_box.currentData(), "pin": self.pin_edit.text()}


class WorkshopMenu:
    """The menu's actions and the workshop windows they opened (kept alive here)."""

    def __init__(self, main_window: Any, menu_bar: QMenuBar) -> None:
        self.main = main_window
        self.windows: list[QWidget] = []
        self.pin_dialog: PinDialog | None = None
        self.new_dialog: NewWorkshopDialog | None = None
        self.build_menu(menu_bar)

    def build_menu(self, menu_bar: QMenuBar) -> None:
        """Add the menu to ``menu_bar`` (again after a language change; windows are kept)."""
        self.menu = menu_bar.addMenu(_("&Workshop"))
        self.workshop_actions = []
        for text, slot in ((_("&New workshop from an agenda..."), self.ask_new_workshop),
                           (_("&Run a workshop (facilitator)..."), self.ask_console),
                           (_("&Participant screen..."), self.ask_kiosk),
                           (_("Pro&jector view"), self.ask_projector)):
            action = self.menu.addAction(text)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.workshop_actions.append(action)
        self.projector_action = action
        self.full_screen_action = self.menu.addAction(_("Projector &full screen"))
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.triggered.connect(lambda _c=False: self.toggle_projectors())
        self.menu.aboutToShow.connect(self._update)

    @property
    def pack(self) -> Any:
        return getattr(self.main, "pack", None)

    def projectors(self) -> list[QWidget]:
        """Every open projector window: opened here or from a console."""
        from tde_desktop.qt.workshop.projector import ProjectorWindow

        return [w for w in self.open_windows() if isinstance(w, ProjectorWindow)]

    def toggle_projectors(self) -> int:
        """F11 in the main window: every projector full screen on or off; how many."""
        found = self.projectors()
        for projector in found:
            projector.toggle_full_screen()  # type: ignore[attr-defined]
        return len(found)

    def _update(self) -> None:
        has_pack = self.pack is not None
        # Read-only (another copy holds the pack): only the projector, which only reads.
        writable = has_pack and not self.pack.read_only
        for action in self.workshop_actions:
            action.setEnabled(writable or (has_pack and action is self.projector_action))
        self.full_screen_action.setEnabled(bool(self.projectors()))

    # -- creating ------------------------------------------------------------------------

    def ask_new_workshop(self) -> NewWorkshopDialog | None:
        if self.pack is None:
            return None
        dialog = NewWorkshopDialog(self.main)
        dialog.accepted.connect(lambda: self.create(**dialog.values()))
        dialog.open()
        self.new_dialog = dialog
        return dialog

    def create(self, agenda: str, title: str = "", pin: str = "", **fields: Any) -> Op | None:
        """Create the workshop off the UI thread, then open its console."""
        if self.pack is None:
            return None
        fields = {k: v for k, v in fields.items() if v}

        def work(pack: Any, _progress: Any) -> str:
            return create_from_agenda(pack, agenda, title=title or None, pin=pin,
                                      **fields).id

        return run_op(self.main, work, pack_path=self.pack.path, cancellable=False,
                      label=_("Creating the workshop..."), on_done=self.open_console_unlocked)

    # -- choosing ------------------------------------------------------------------------

    def _choose(self) -> str | None:
        workshops = ws.list_workshops(self.pack) if self.pack is not None else []
        if not workshops:
            show_message(self.main, _("There is no workshop yet: create one first."))
            return None
        if len(workshops) == 1:
            return workshops[0].id
        names = [f"{w.title} ({w.date or w.created_at[:10]})" for w in workshops]
        name, ok = QInputDialog.getItem(self.main, _("Choose a workshop"), _("Workshop:"),
                                        names, 0, False)
        return workshops[names.index(name)].id if ok else None

    def ask_console(self, workshop_id: str | None = None) -> PinDialog | None:
        workshop_id = workshop_id or self._choose()
        if workshop_id is None:
            return None
        self.pin_dialog = ask_pin(self.main, self.pack, workshop_id,
                                  lambda: self.open_console_unlocked(workshop_id))
        return self.pin_dialog

    def ask_kiosk(self, workshop_id: str | None = None) -> PinDialog | None:
        workshop_id = workshop_id or self._choose()
        if workshop_id is None:
            return None
        self.pin_dialog = ask_pin(self.main, self.pack, workshop_id,
                                  lambda: self.open_kiosk(workshop_id))
        return self.pin_dialog

    def ask_projector(self, workshop_id: str | None = None) -> QWidget | None:
        workshop_id = workshop_id or self._choose()
        if workshop_id is None:
            return None
        from tde_desktop.qt.workshop.projector import ProjectorWindow

        projector = ProjectorWindow(self.pack, workshop_id)
        self.windows.append(projector)
        projector.show_on_best_screen()
        return projector

    # -- opening (only after the PIN) -----------------------------------------------------

    def open_console_unlocked(self, workshop_id: str, show: bool = True) -> QWidget:
        from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

        console = FacilitatorConsole(self.pack, workshop_id)
        guard = getattr(self.main, "guard", None)
        if guard is not None:  # a workshop's start and end are backed up at once
            console.workshop_started.connect(lambda _wid: guard.backup_now("start"))
            console.workshop_ended.connect(lambda _wid: guard.backup_now("end"))
        self.windows.append(console)
        if show:
            console.show()
        return console

    def open_kiosk(self, workshop_id: str, full_screen: bool = True) -> QWidget:
        from tde_desktop.qt.workshop.kiosk import Kiosk

        kiosk = Kiosk(self.pack, workshop_id)
        self.windows.append(kiosk)
        for console in self.consoles():  # locked while the kiosk is open
            if getattr(console, "workshop_id", None) == workshop_id:
                console.watch_kiosk(kiosk)  # type: ignore[attr-defined]
        if full_screen:
            kiosk.showFullScreen()
        else:
            kiosk.show()
        return kiosk

    def open_windows(self) -> list[QWidget]:
        """Every live window that reads the open pack: those opened here, what the consoles
        opened (kiosk, projector, editors), and any other window holding the same pack."""
        found: list[QWidget] = []
        for window in self.windows:
            found.append(window)
            for name in ("kiosk", "projector"):
                child = getattr(window, name, None)
                if isinstance(child, QWidget):
                    found.append(child)
            found.extend(w for w in getattr(window, "dialogs", []) if isinstance(w, QWidget))
        pack = self.pack
        if pack is not None:
            found.extend(w for w in QApplication.topLevelWidgets()
                         if w is not self.main and getattr(w, "pack", None) is pack)
        unique: list[QWidget] = []
        for w in found:
            if isValid(w) and w not in unique:
                unique.append(w)
        return unique

    def close_all(self) -> int:
        """Close every workshop window before the pack closes; returns how many were open.

        Their timers would otherwise read a closed connection. The kiosk is closed
        without its PIN here: the facilitator is closing the whole pack.
        """
        windows = self.open_windows()
        for window in windows:
            timer = getattr(window, "timer", None)
            if timer is not None and isValid(timer):
                timer.stop()
            if hasattr(window, "allow_close"):
                window.allow_close = True
            window.close()
            window.deleteLater()
        self.windows.clear()
        for dialog in (self.pin_dialog, self.new_dialog):
            if dialog is not None and isValid(dialog):
                dialog.close()
        self.pin_dialog = self.new_dialog = None
        return len(windows)

    def set_language(self, lang: str) -> list[str]:
        """Make ``lang`` the first language of every workshop with a window open, so the
        kiosk uses it for the next participant; returns the workshops changed."""
        pack = self.pack
        if pack is None:
            return []
        changed: list[str] = []
        ids = {getattr(w, "workshop_id", None) or getattr(getattr(w, "workshop", None), "id",
                                                          None)
               for w in self.open_windows()}
        for workshop_id in sorted(i for i in ids if i):
            workshop = ws.get_workshop(pack, workshop_id)
            order = [lang] + [code for code in workshop.languages if code != lang]
            if order != workshop.languages:
                ws.update_workshop(pack, workshop_id, languages=order)
                changed.append(workshop_id)
        for window in self.open_windows():
            if hasattr(window, "retranslate_welcome") and \
                    getattr(window, "participant", None) is None:
                window.lang = lang  # type: ignore[attr-defined]
                window.retranslate_welcome()
        return changed

    def consoles(self) -> list[QWidget]:
        from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

        return [w for w in self.windows if isinstance(w, FacilitatorConsole)]


def install_workshop_menu(main_window: Any, menu_bar: QMenuBar) -> WorkshopMenu:
    """Add the Workshop menu to ``menu_bar``; the main window must keep ``pack``
    (the open Pack or None). Returns the controller, also kept on the window as
    ``workshop_menu``."""
    controller = getattr(main_window, "workshop_menu", None)
    if isinstance(controller, WorkshopMenu):
        controller.build_menu(menu_bar)
        return controller
    controller = WorkshopMenu(main_window, menu_bar)
    main_window.workshop_menu = controller
    return controller
