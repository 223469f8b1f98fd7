"""The main window's language, text size, contrast and screen fit (a mixin of MainWindow).

Kept apart from the window's pack handling; every method here rebuilds or
restyles what is on screen and leaves the open pack and selection alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.qt.common import settings, theme
from tde_desktop.qt.common.ops import show_message
from tde_desktop.qt.explorer.explorer import Explorer
from tde_desktop.qt.shell import window_fit
from tde_desktop.qt.shell.main_menus import build_menus
from tde_desktop.qt.shell.welcome import WelcomePage

if TYPE_CHECKING:
    from tde_desktop.qt.shell.main_window import MainWindow


class WindowLook:
    """Language, look and size for :class:`MainWindow` (which provides the widgets)."""

    # Provided by MainWindow.
    pack: Any
    explorer: Any
    workshop_menu: Any

    def set_language(self: MainWindow, code: str) -> None:
        """Switch the interface to ``code`` now, remember it, and use it in open workshops."""
        from tde_desktop.core import i18n

        if code not in i18n.SUPPORTED_LANGUAGES:
            return
        from tde_desktop.qt.common.qt_translations import install_qt_translations

        i18n.set_language(code)
        install_qt_translations(code)
        settings.set_language(code)
        if self.pack is not None:
            try:
                self.workshop_menu.set_language(code)
            except TdeError as exc:
                show_message(self, str(exc))
        self.retranslate()

    def ask_add_language(self: MainWindow) -> None:
        """Language > Add a language file: copy a translated ``.po`` into the data folder's
        ``languages/`` and switch to it; a broken file is refused in one line."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a translation file"), "", _("Translation files (*.po)"))
        if path:
            self.add_language(Path(path))

    def add_language(self: MainWindow, path: Path) -> str | None:
        """Copy ``path`` in as a language and switch to it; None (and one line shown)
        when the file is refused."""
        from tde_desktop.core import i18n

        try:
            code = i18n.add_language_file(path)
        except (ValueError, OSError) as exc:
            show_message(self, str(exc).splitlines()[0] if str(exc) else repr(exc))
            return None
        self.set_language(code)
        return code

    def retranslate(self: MainWindow) -> None:
        """Rebuild every visible text in the current language, keeping the pack and selection."""
        build_menus(self)
        old_welcome = self.welcome
        self.welcome = WelcomePage()
        self.welcome.open_button.clicked.connect(self.ask_open_pack)
        self.welcome.new_button.clicked.connect(self.ask_new_pack)
        self.stack.insertWidget(0, self.welcome)
        self.stack.removeWidget(old_welcome)
        old_welcome.deleteLater()
        self.dataset_list.setAccessibleName(_("Datasets in this pack"))
        self.count_label.setAccessibleName(_("Matching rows"))
        self._replace_explorer()
        self._update_actions()

    def _replace_explorer(self: MainWindow) -> None:
        old = self.explorer
        dataset_id = old.dataset.id if old.dataset is not None else None
        filters, tab, cell = list(old.filters), old.tabs.currentIndex(), old.view.currentIndex()
        splitter_state = old.splitter.saveState()
        if self.pack is not None:  # the row counts in the list are words too
            self.dataset_list.set_datasets(self.pack.datasets(), dataset_id)
        self.explorer = Explorer()
        self.explorer.count_changed.connect(self._show_count)
        self.splitter.replaceWidget(1, self.explorer)
        old.set_dataset(None, None)
        old.deleteLater()
        self.explorer.splitter.restoreState(splitter_state)
        if self.pack is not None and dataset_id is not None:
            self.show_dataset(dataset_id)
            if filters:
                self.explorer.apply_filters(filters)
            model = self.explorer.model
            if model is not None and cell.isValid():
                self.explorer.view.setCurrentIndex(model.index(cell.row(), cell.column()))
        self.explorer.tabs.setCurrentIndex(tab)

    def set_text_scale(self: MainWindow, scale: float) -> None:
        """View > Text size: scale the whole app's text (remembered); the window then fits
        its screen again, so going back to 100% also makes it smaller again."""
        from PySide6.QtWidgets import QApplication

        settings.set_text_scale(scale)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, scale=scale)
        action = getattr(self, "text_size_actions", {}).get(scale)
        if action is not None:
            action.setChecked(True)
        self.fit_to_screen()

    def fit_to_screen(self: MainWindow) -> None:
        """The default size, made to fit the screen (frame included)."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        window_fit.fit_to_screen(self)

    def toggle_full_screen(self: MainWindow) -> None:
        """View > Full screen (F11): on, or back as it was."""
        window_fit.toggle_full_screen(self)
        self.full_screen_action.setChecked(self.isFullScreen())

    def set_high_contrast(self: MainWindow, on: bool) -> None:
        """View > High contrast: white and yellow on black, thick focus borders (remembered)."""
        from PySide6.QtWidgets import QApplication

        settings.set_high_contrast(on)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, high_contrast=on)
        self.high_contrast_action.setChecked(on)
