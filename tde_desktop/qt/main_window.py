"""The main window: menus, the open pack, the dataset list and the explorer.

The window holds one Pack open on the UI thread for reading and for small,
quick writes (a column description). Long work (imports, counts, indexes) runs
through :mod:`tde_desktop.qt.ops` with a pack of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from tde_desktop import APP_TITLE
from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import PACK_SUFFIX, Pack
from tde_desktop.qt import settings
from tde_desktop.qt.dataset_list import DatasetList
from tde_desktop.qt.explorer import Explorer
from tde_desktop.qt.ops import Op, run_op, show_message
from tde_desktop.qt.welcome import WelcomePage

PACK_FILTER = "{packs} (*.tdepack);;{all} (*)"


class MainWindow(QMainWindow):
    """One window per running app; shows the welcome page until a pack is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack: Pack | None = None
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.setAcceptDrops(True)
        self.resize(1200, 760)

        self.welcome = WelcomePage()
        self.dataset_list = DatasetList()
        self.explorer = Explorer()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.dataset_list)
        self.splitter.addWidget(self.explorer)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 980])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Matching rows"))
        self.statusBar().addPermanentWidget(self.count_label)

        self._build_menus()
        self.welcome.open_button.clicked.connect(self.ask_open_pack)
        self.welcome.new_button.clicked.connect(self.ask_new_pack)
        self.dataset_list.dataset_chosen.connect(self.show_dataset)
        self.explorer.count_changed.connect(self._show_count)
        self._restore_layout()
        self._update_actions()

    # -- menus ---------------------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.new_action = self._action(_("&New pack..."), self.ask_new_pack,
                                       QKeySequence.StandardKey.New)
        self.open_action = self._action(_("&Open..."), self.ask_open_pack,
                                        QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu(_("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.import_action = self._action(_("&Import data file..."), self.ask_import,
                                          "Ctrl+I")
        self.close_action = self._action(_("&Close pack"), self.close_pack,
                                         QKeySequence.StandardKey.Close)
        self.quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        file_menu.insertAction(self.recent_menu.menuAction(), self.new_action)
        file_menu.insertAction(self.recent_menu.menuAction(), self.open_action)
        for action in (self.import_action, self.close_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        data_menu = bar.addMenu(_("&Data"))
        self.filter_action = self._action(
            _("&Filter rows..."), lambda: self.explorer.filter_bar.column_box.setFocus(),
            "Ctrl+L")
        self.search_action = self._action(
            _("&Search text..."), lambda: self.explorer.filter_bar.search_edit.setFocus(),
            QKeySequence.StandardKey.Find)
        self.clear_filters_action = self._action(
            _("&Remove all filters"), lambda: self.explorer.apply_filters([]), "Ctrl+Shift+L")
        self.goto_action = self._action(_("&Go to row..."),
                                        lambda: self.explorer.view.ask_go_to_row(), "Ctrl+G")
        self.grid_action = self._action(_("Go to the &grid"),
                                        lambda: self.explorer.view.setFocus(), "Ctrl+1")
        self.datasets_action = self._action(_("Go to the &dataset list"),
                                            lambda: self.dataset_list.setFocus(), "Ctrl+0")
        for action in (self.filter_action, self.search_action, self.clear_filters_action,
                       self.goto_action, self.grid_action, self.datasets_action):
            data_menu.addAction(action)
        data_menu.addSeparator()
        panels = [(_("&About this dataset"), 0), (_("D&ictionary"), 1), (_("&Columns"), 2),
                  (_("&Values"), 3), (_("Column &card"), 4), (_("C&hart"), 5), (_("&Map"), 6)]
        self.panel_actions = [
            self._action(text, lambda p=position: self._show_tab(p), f"Alt+{position + 1}")
            for text, position in panels]
        for action in self.panel_actions:
            data_menu.addAction(action)

        from tde_desktop.qt.workshop_menu import install_workshop_menu

        install_workshop_menu(self, bar)
        language_menu = bar.addMenu(_("&Language"))
        from tde_desktop.core.i18n import SUPPORTED_LANGUAGES

        for code, name in SUPPORTED_LANGUAGES.items():
            language_menu.addAction(self._action(name, lambda c=code: self._set_language(c)))

    def _show_tab(self, position: int) -> None:
        self.explorer.tabs.setCurrentIndex(position)
        self.explorer.tabs.currentWidget().setFocus()

    def _set_language(self, code: str) -> None:
        settings.set_language(code)
        show_message(self, _("The new language is used the next time the app starts."),
                     icon=QMessageBox.Icon.Information)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = settings.recent_packs()
        for i, path in enumerate(recent):
            action = self.recent_menu.addAction(f"&{i + 1} {path.name}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_pack(p))
        if not recent:
            self.recent_menu.addAction(_("(no recent packs)")).setEnabled(False)

    def _update_actions(self) -> None:
        has_pack = self.pack is not None
        for action in (self.import_action, self.close_action, self.filter_action,
                       self.search_action, self.clear_filters_action, self.goto_action):
            action.setEnabled(has_pack)
        self.stack.setCurrentWidget(self.splitter if has_pack else self.welcome)
        title = f"{self.pack.title or self.pack.path.stem} \u2014 {APP_TITLE}" if has_pack \
            else APP_TITLE
        self.setWindowTitle(title)

    # -- packs ---------------------------------------------------------------------------

    def ask_open_pack(self) -> None:
        name, _sel = QFileDialog.getOpenFileName(
            self, _("Open a workshop pack"), "",
            PACK_FILTER.format(packs=_("Workshop packs"), all=_("All files")))
        if name:
            self.open_pack(Path(name))

    def ask_new_pack(self) -> None:
        name, _sel = QFileDialog.getSaveFileName(
            self, _("New workshop pack"), "",
            PACK_FILTER.format(packs=_("Workshop packs"), all=_("All files")))
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != PACK_SUFFIX:
            path = path.with_name(path.name + PACK_SUFFIX)
        title, ok = QInputDialog.getText(self, _("New workshop pack"), _("Title of the pack:"),
                                         text=path.stem.replace("_", " "))
        if ok:
            self.new_pack(path, title.strip() or path.stem)

    def new_pack(self, path: Path, title: str) -> bool:
        """Create an empty pack at ``path`` and open it."""
        try:
            Pack.create(path, title=title).close()
        except TdeError as exc:
            show_message(self, str(exc))
            return False
        return self.open_pack(path)

    def open_pack(self, path: str | Path) -> bool:
        """Open the pack at ``path`` in place of the current one; False (and a message) if not."""
        path = Path(path)
        try:
            pack = Pack.open(path)
        except TdeError as exc:
            show_message(self, str(exc))
            return False
        self.close_pack()
        self.pack = pack
        settings.add_recent_pack(path)
        self._update_actions()
        self.reload_datasets()
        return True

    def close_pack(self) -> None:
        """Close the open pack (if any) and show the welcome page."""
        self.explorer.set_dataset(None, None)
        self.dataset_list.clear()
        if self.pack is not None:
            self.pack.close()
            self.pack = None
        self.count_label.clear()
        self._update_actions()

    def reload_datasets(self, select: int | None = None) -> None:
        """Re-read the catalogue (after an import) and show ``select`` or the first dataset."""
        if self.pack is None:
            return
        datasets = self.pack.datasets()
        self.dataset_list.set_datasets(datasets, select)
        if not datasets:
            self.explorer.set_dataset(None, None)
            self.count_label.setText(_("This pack has no datasets yet: import a data file."))
        else:
            chosen = self.dataset_list.current_id()
            if self.explorer.dataset is None or self.explorer.dataset.id != chosen:
                self.show_dataset(chosen if chosen is not None else datasets[0].id)

    def show_dataset(self, dataset_id: int) -> None:
        if self.pack is None:
            return
        try:
            info = self.pack.dataset(dataset_id)
        except TdeError as exc:
            show_message(self, str(exc))
            return
        self.explorer.set_dataset(self.pack, info)

    def _show_count(self, matching: int, total: int) -> None:
        if matching == total:
            self.count_label.setText(_("{n} rows").format(n=f"{total:,}"))
        else:
            self.count_label.setText(_("{n} of {total} rows match").format(
                n=f"{matching:,}", total=f"{total:,}"))

    # -- importing -------------------------------------------------------------------------

    def ask_import(self, path: Path | None = None) -> None:
        if self.pack is None:
            show_message(self, _("Open or create a pack first, then import data files into it."))
            return
        from tde_desktop.qt.import_dialog import ImportDialog

        dialog = ImportDialog(self, path)
        if dialog.exec() and dialog.chosen_path() is not None:
            self.import_file(dialog.chosen_path(), **dialog.options())  # type: ignore[arg-type]

    def import_file(self, path: Path, **options: Any) -> Op | None:
        """Import ``path`` into the open pack in the background, with progress and Cancel."""
        if self.pack is None:
            show_message(self, _("Open or create a pack first, then import data files into it."))
            return None

        def work(pack: Pack, progress: Any) -> int:
            from tde_desktop.core.importers import import_file

            return import_file(pack, path, progress=progress, **options).id

        def done(dataset_id: int) -> None:
            self.statusBar().showMessage(_("Imported {name}.").format(name=path.name), 8000)
            self.reload_datasets(select=dataset_id)

        def cancelled() -> None:
            self.statusBar().showMessage(_("The import was cancelled; nothing was added."), 8000)

        return run_op(self, work, pack_path=self.pack.path, on_done=done, on_cancel=cancelled,
                      label=_("Importing {name}").format(name=path.name))

    # -- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[Path]) -> None:
        """A dropped .tdepack is opened; any other file is imported into the open pack."""
        packs = [p for p in paths if p.suffix.lower() == PACK_SUFFIX]
        if packs:
            self.open_pack(packs[0])
            return
        for path in paths:
            self.import_file(path)

    # -- layout memory -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = settings.load_bytes("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.load_bytes("window/state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/explorer_splitter", self.explorer.splitter)):
            saved = settings.load_bytes(key)
            if saved is not None:
                splitter.restoreState(saved)

    def save_layout(self) -> None:
        settings.save_bytes("window/geometry", self.saveGeometry())
        settings.save_bytes("window/state", self.saveState())
        settings.save_bytes("window/splitter", self.splitter.saveState())
        settings.save_bytes("window/explorer_splitter", self.explorer.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.close_pack()
        super().closeEvent(event)
