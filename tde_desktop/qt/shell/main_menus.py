"""The main window's menus, built (and rebuilt after a language change) in one place.

Every action is also added to the window itself, so its shortcut works while
the menu bar is hidden; a rebuild removes the old ones first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, _, current_language
from tde_desktop.qt.common import theme


def _action(window: Any, text: str, slot: Any, shortcut: Any = None, *,
            checkable: bool = False) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    window.menu_actions.append(action)
    return action


def fill_recent_menu(window: Any) -> None:
    """File > Open Recent: the packs opened lately, newest first."""
    from tde_desktop.qt.common import settings

    window.recent_menu.clear()
    recent = settings.recent_packs()
    for i, path in enumerate(recent):
        action = window.recent_menu.addAction(f"&{i + 1} {path.name}")
        action.setToolTip(str(path))
        action.triggered.connect(lambda _c=False, p=path: window.open_pack(p))
    if not recent:
        window.recent_menu.addAction(_("(no recent packs)")).setEnabled(False)


def build_menus(window: Any) -> None:
    """(Re)build File, Data, View, Workshop, Language and Help in the current language."""
    for old in getattr(window, "menu_actions", []):
        window.removeAction(old)
        old.deleteLater()
    window.menu_actions = []
    bar = window.menuBar()
    bar.clear()
    _file_menu(window, bar.addMenu(_("&File")))
    window.dataset_actions.fill_edit_menu(bar.addMenu(_("&Edit")))
    _data_menu(window, bar.addMenu(_("&Data")))
    _view_menu(window, bar.addMenu(_("&View")))
    _workshop_menu(window, bar)
    _language_menu(window, bar.addMenu(_("&Language")))
    help_menu = bar.addMenu(_("&Help"))
    window.welcome_action = _action(window, _("&Welcome and first steps"),
                                    window.show_welcome)
    window.about_action = _action(window, _("&About TDE Desktop"), window.show_about)
    help_menu.addAction(window.welcome_action)
    help_menu.addAction(window.about_action)


def _file_menu(window: Any, menu: Any) -> None:
    w = window
    w.new_action = _action(w, _("&New pack..."), w.ask_new_pack, QKeySequence.StandardKey.New)
    w.open_action = _action(w, _("&Open..."), w.ask_open_pack, QKeySequence.StandardKey.Open)
    menu.addAction(w.new_action)
    menu.addAction(w.open_action)
    w.recent_menu = menu.addMenu(_("Open &Recent"))
    w.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(w))
    w.import_action = _action(w, _("&Import data file..."), w.ask_import, "Ctrl+I")
    w.merge_action = _action(w, _("&Merge packs..."), w.results.ask_merge)
    w.results_only_action = _action(w, _("&Save results only..."),
                                    w.results.ask_save_results_only)
    w.restore_action = _action(w, _("Restore from a &backup..."), w.ask_restore)
    w.close_action = _action(w, _("&Close pack"), w.close_pack, QKeySequence.StandardKey.Close)
    w.quit_action = _action(w, _("&Quit"), w.close, QKeySequence.StandardKey.Quit)
    for action in (w.import_action, None, w.merge_action, w.results_only_action,
                   w.restore_action, None, w.close_action, None, w.quit_action):
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def _data_menu(window: Any, menu: Any) -> None:
    w = window
    def explorer() -> Any:  # the explorer is replaced on a language change
        return w.explorer

    w.filter_action = _action(w, _("&Filter rows..."),
                              lambda: explorer().filter_bar.column_box.setFocus(), "Ctrl+L")
    w.search_action = _action(w, _("&Search text..."),
                              lambda: explorer().filter_bar.search_edit.setFocus(),
                              QKeySequence.StandardKey.Find)
    w.clear_filters_action = _action(w, _("&Remove all filters"),
                                     lambda: explorer().apply_filters([]), "Ctrl+Shift+L")
    w.goto_action = _action(w, _("&Go to row..."), lambda: explorer().view.ask_go_to_row(),
                            "Ctrl+G")
    w.grid_action = _action(w, _("Go to &the grid"), lambda: explorer().view.setFocus(),
                            "Ctrl+1")
    w.datasets_action = _action(w, _("Go to the &dataset list"),
                                lambda: w.dataset_list.setFocus(), "Ctrl+0")
    w.saved_views_action = _action(w, _("Sa&ved views..."), w.ask_saved_views, "Ctrl+Shift+V")
    w.export_view_action = _action(w, _("&Export this view..."), w.ask_export_view,
                                   "Ctrl+E")
    for action in (w.filter_action, w.search_action, w.clear_filters_action, w.goto_action,
                   w.grid_action, w.datasets_action, None, w.saved_views_action,
                   w.export_view_action, None):
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    panels = [_("&About this dataset"), _("D&ictionary"), _("Colum&ns"), _("Va&lues"),
              _("Column &card"), _("C&hart"), _("&Map")]
    w.panel_actions = [
        _action(w, text, lambda p=position: w._show_tab(p), f"Alt+{position + 1}")
        for position, text in enumerate(panels)]
    for action in w.panel_actions:
        menu.addAction(action)


def _view_menu(window: Any, menu: Any) -> None:
    w = window
    size_menu = menu.addMenu(_("&Text size"))
    group = QActionGroup(w)
    w.text_size_actions = {}
    for scale, shortcut in zip((1.0, 1.5, 2.0), ("Ctrl+Alt+1", "Ctrl+Alt+2", "Ctrl+Alt+3"),
                               strict=True):
        action = _action(w, f"{round(scale * 100)}%", lambda s=scale: w.set_text_scale(s),
                         shortcut, checkable=True)
        action.setChecked(abs(theme.text_scale() - scale) < 0.01)
        group.addAction(action)
        size_menu.addAction(action)
        w.text_size_actions[scale] = action
    w.high_contrast_action = _action(w, _("&High contrast"),
                                     lambda: w.set_high_contrast(
                                         w.high_contrast_action.isChecked()),
                                     "Ctrl+Alt+H", checkable=True)
    w.high_contrast_action.setChecked(theme.is_high_contrast())
    menu.addAction(w.high_contrast_action)
    menu.addSeparator()
    w.full_screen_action = _action(w, _("&Full screen"), w.toggle_full_screen, "F11",
                                   checkable=True)
    w.full_screen_action.setChecked(w.isFullScreen())
    menu.addAction(w.full_screen_action)


def _workshop_menu(window: Any, bar: Any) -> None:
    from tde_desktop.qt.workshop.workshop_menu import install_workshop_menu

    w = window
    controller = install_workshop_menu(w, bar)
    menu = controller.menu
    menu.addSeparator()
    w.export_workbook_action = _action(w, _("Export results to &Excel..."),
                                       w.results.ask_export_workbook, "Ctrl+Shift+E")
    w.export_pdf_action = _action(w, _("Export \"&What we heard\" PDF..."),
                                  w.results.ask_export_pdf)
    w.export_csv_action = _action(w, _("Export &CSV files..."), w.results.ask_export_csv)
    for action in (w.export_workbook_action, w.export_pdf_action, w.export_csv_action):
        menu.addAction(action)


def _language_menu(window: Any, menu: Any) -> None:
    """One entry per language found (shipped or dropped into ``languages/``), each named
    in its own words; a line for each file skipped; then Add a language file."""
    from tde_desktop.core.i18n import language_problems

    group = QActionGroup(window)
    window.language_actions = {}
    for code, name in SUPPORTED_LANGUAGES.items():
        action = _action(window, name, lambda c=code: window.set_language(c), checkable=True)
        action.setChecked(code == current_language())
        group.addAction(action)
        menu.addAction(action)
        window.language_actions[code] = action
    menu.addSeparator()
    for problem in language_problems():
        menu.addAction(_("Skipped: {problem}").format(problem=problem)).setEnabled(False)
    window.add_language_action = _action(window, _("&Add a language file..."),
                                         window.ask_add_language)
    menu.addAction(window.add_language_action)
