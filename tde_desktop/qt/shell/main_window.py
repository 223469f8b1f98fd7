"""The main window: menus, the open pack, the dataset list and the explorer.

The window holds one Pack open on the UI thread for reading and for small,
quick writes (a column description). Long work (imports, counts, indexes) runs
through :mod:`tde_desktop.qt.common.ops` with a pack of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tde_desktop import APP_TITLE
from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import PACK_SUFFIX, Pack
from tde_desktop.qt.common import settings
from tde_desktop.qt.common.ops import Op, run_op, show_message
from tde_desktop.qt.common.saved_files import start_folder
from tde_desktop.qt.explorer.dataset_actions import DatasetActions
from tde_desktop.qt.explorer.dataset_list import DatasetList
from tde_desktop.qt.explorer.explorer import Explorer
from tde_desktop.qt.results.results_actions import ResultsActions
from tde_desktop.qt.shell import window_fit
from tde_desktop.qt.shell.main_menus import build_menus
from tde_desktop.qt.shell.pack_guard import MessageBar, PackGuard
from tde_desktop.qt.shell.welcome import WelcomePage

if TYPE_CHECKING:
    from tde_desktop.qt.workshop.workshop_menu import WorkshopMenu
from tde_desktop.qt.shell.window_look import WindowLook

PACK_FILTER = "{packs} (*.tdepack);;{all} (*)"


class MainWindow(WindowLook, QMainWindow):
    """One window per running app; shows the welcome page until a pack is open."""

    # Made in __init__ and again after a language change (window_look.py), by build_menus
    # (main_menus.py) and install_workshop_menu; declared so all of them are type-checked.
    welcome: WelcomePage
    stack: QStackedWidget
    dataset_list: DatasetList
    count_label: QLabel
    menu_actions: list[QAction]
    recent_menu: QMenu
    import_action: QAction
    merge_action: QAction
    results_only_action: QAction
    restore_action: QAction
    close_action: QAction
    filter_action: QAction
    search_action: QAction
    clear_filters_action: QAction
    goto_action: QAction
    saved_views_action: QAction
    export_view_action: QAction
    export_workbook_action: QAction
    export_pdf_action: QAction
    export_csv_action: QAction
    high_contrast_action: QAction
    full_screen_action: QAction
    workshop_menu: WorkshopMenu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack: Pack | None = None
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.setAcceptDrops(True)
        window_fit.fit_to_screen(self)

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
        self.message_bar = MessageBar()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.message_bar)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.guard = PackGuard(self, self.message_bar)

        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName(_("Matching rows"))
        self.statusBar().addPermanentWidget(self.count_label)

        self.results = ResultsActions(self)
        self.dataset_actions = DatasetActions(self)
        build_menus(self)
        self.welcome.open_button.clicked.connect(self.ask_open_pack)
        self.welcome.new_button.clicked.connect(self.ask_new_pack)
        self.dataset_list.dataset_chosen.connect(self.show_dataset)
        self.explorer.count_changed.connect(self._show_count)
        self._restore_layout()
        self._update_actions()

    # -- menus, language and look ---------------------------------------------------------

    def _show_tab(self, position: int) -> None:
        self.explorer.tabs.setCurrentIndex(position)
        self.explorer.tabs.currentWidget().setFocus()

    def attribution(self) -> str:
        """Whose data the open pack holds (its meta ``attribution``), or the sample's."""
        from tde_desktop.qt.shell.first_run import pack_attribution

        return pack_attribution(self.pack) if self.pack is not None else ""

    def show_welcome(self) -> QDialog:
        from tde_desktop.qt.shell.first_run import show_welcome

        return show_welcome(self, self.attribution())

    def show_about(self) -> QDialog:
        from tde_desktop.qt.shell.about_dialog import show_about

        return show_about(self, self.attribution())

    def ask_saved_views(self) -> QDialog | None:
        """Data > Saved views...: open (or delete) a view saved in the pack."""
        if self.pack is None:
            return None
        from tde_desktop.qt.explorer.view_actions import SavedViewsDialog

        dialog = SavedViewsDialog(self, self.pack)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def ask_restore(self) -> Path | None:
        """File > Restore from a backup...; the pack is reopened afterwards."""
        return self.guard.ask_restore()

    def ask_export_view(self) -> Op | None:
        from tde_desktop.qt.explorer.view_actions import ask_export_view

        return ask_export_view(self.explorer)

    def _update_actions(self) -> None:
        has_pack = self.pack is not None
        for action in (self.import_action, self.close_action, self.filter_action,
                       self.search_action, self.clear_filters_action, self.goto_action,
                       self.merge_action, self.results_only_action, self.saved_views_action,
                       self.export_view_action, self.export_workbook_action,
                       self.export_pdf_action, self.export_csv_action):
            action.setEnabled(has_pack)
        # A pack open read-only (another copy of the app has it) takes no changes.
        writable = has_pack and not self.read_only
        for action in (self.import_action, self.merge_action, self.restore_action):
            action.setEnabled(writable)
        self.stack.setCurrentWidget(self.splitter if has_pack else self.welcome)
        if self.pack is None:
            self.setWindowTitle(APP_TITLE)
            return
        name = self.pack.title or self.pack.path.stem
        if self.read_only:
            name = _("{name} (read-only)").format(name=name)
        self.setWindowTitle(f"{name} \u2014 {APP_TITLE}")

    @property
    def read_only(self) -> bool:
        """True when the open pack was opened read-only (another copy holds it)."""
        return self.pack is not None and self.pack.read_only

    # -- packs ---------------------------------------------------------------------------

    def ask_open_pack(self) -> None:
        name, _sel = QFileDialog.getOpenFileName(
            self, _("Open a workshop pack"), str(start_folder()),
            PACK_FILTER.format(packs=_("Workshop packs"), all=_("All files")))
        if name:
            self.open_pack(Path(name))

    def ask_new_pack(self) -> None:
        name, _sel = QFileDialog.getSaveFileName(
            self, _("New workshop pack"), str(start_folder()),
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
        mode, lock = self.guard.take(path)
        if mode == "no":
            return False
        try:
            pack = Pack.open(path, read_only=mode == "read")
        except TdeError as exc:
            if lock is not None and lock is not self.guard.lock:
                lock.release()
            show_message(self, str(exc))
            return False
        self.close_pack(keep_lock=lock is not None and lock is self.guard.lock)
        self.pack = pack
        self.guard.opened(path, lock)
        settings.add_recent_pack(path)
        self._update_actions()
        self.reload_datasets()
        self.dataset_actions.pack_opened()
        return True

    def close_pack(self, keep_lock: bool = False) -> None:
        """Close the workshop windows that use the pack, then the pack (releasing its lock
        unless ``keep_lock``, as a restore needs); show the welcome page."""
        menu = getattr(self, "workshop_menu", None)
        if menu is not None:
            menu.close_all()
        self.explorer.set_dataset(None, None)
        self.dataset_list.clear()
        path = self.pack.path if self.pack is not None else None
        if self.pack is not None:
            self.dataset_actions.pack_closing(self.pack)
            self.pack.close()
            self.pack = None
        self.guard.closed(path, keep_lock=keep_lock)
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
            self.count_label.setText(
                ngettext("{n} row", "{n} rows", total).format(n=format_number(total)))
        else:
            self.count_label.setText(ngettext(
                "{n} of {total} row match", "{n} of {total} rows match", total).format(
                n=format_number(matching), total=format_number(total)))

    # -- importing -------------------------------------------------------------------------

    def ask_import(self, path: Path | None = None) -> None:
        if self.pack is None:
            show_message(self, _("Open or create a pack first, then import data files into it."))
            return
        from tde_desktop.qt.explorer.import_dialog import ImportDialog

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
            window_fit.shrink_into_screen(self)  # saved on a bigger screen, say
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
