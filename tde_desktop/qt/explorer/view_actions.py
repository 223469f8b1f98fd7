"""The explorer's view as a file, and saved views: Data > Saved views... and "Export this view...".

A saved view is a dataset, its filters and a chart, kept in the pack under a
name (see :mod:`tde_desktop.core.explore.views`). Opening one selects the dataset,
applies the filters and shows the chart; exporting the view writes exactly
the rows the grid shows, with the filters recorded on an About sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import views
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.core.safe_names import safe_file_stem
from tde_desktop.qt.common import saved_files
from tde_desktop.qt.common.ops import Op, run_op, show_message

VIEW_FILTER = "{xlsx} (*.xlsx);;{csv} (*.csv)"


def ask_export_view(explorer: Any) -> Op | None:
    """Ask where to save the rows the explorer shows (xlsx or csv), then export them."""
    if explorer.dataset is None:
        return None
    name, chosen = QFileDialog.getSaveFileName(
        explorer, _("Export this view"),
        str(saved_files.start_folder()
            / (safe_file_stem(explorer.dataset.title, "view") + ".xlsx")),
        VIEW_FILTER.format(xlsx=_("Excel workbook"), csv=_("CSV file")))
    if not name:
        return None
    path = Path(name)
    saved_files.remember(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_name(path.name + (".csv" if "csv" in chosen else ".xlsx"))
    return export_view(explorer, path)


def export_view(explorer: Any, path: Path) -> Op | None:
    """Write the explorer's dataset, with its current filters, to ``path`` in the background."""
    if explorer.dataset is None or explorer.pack is None:
        return None
    dataset_id, filters = explorer.dataset.id, list(explorer.filters)
    model = explorer.model
    order_by = model.order_by if model is not None else None
    descending = bool(model.descending) if model is not None else False

    def work(pack: Pack, progress: Any) -> Any:
        from tde_desktop.core.explore.export_view import export_dataset

        return export_dataset(pack, dataset_id, path, filters=filters, order_by=order_by,
                              descending=descending, progress=progress)

    def done(result: Any) -> None:
        text = ngettext("Saved {n} row to {path}.", "Saved {n} rows to {path}.",
                        result.rows).format(n=format_number(result.rows), path=result.path)
        window = explorer.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 10_000)
        saved_files.show_saved(explorer, Path(result.path), text)

    return run_op(explorer, work, pack_path=explorer.pack.path, label=_("Exporting the view"),
                  on_done=done)


def apply_view(window: Any, view: views.SavedView) -> None:
    """Show ``view`` in ``window``: its dataset, its filters and (if it has one) its chart."""
    window.dataset_list.select_id(view.dataset_id)
    explorer = window.explorer
    if explorer.dataset is None or explorer.dataset.id != view.dataset_id:
        window.show_dataset(view.dataset_id)
    explorer.apply_filters(list(view.filters))
    if view.chart is not None:
        explorer.show_panel("ChartView").set_spec(view.chart)


class SavedViewsDialog(QDialog):
    """The pack's saved views: open one, or delete one."""

    def __init__(self, window: Any, pack: Pack, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.pack = pack
        self.setWindowTitle(_("Saved views"))
        self.setAccessibleName(_("Saved views"))
        self.setMinimumSize(420, 320)
        layout = QVBoxLayout(self)
        intro = QLabel(_("A view is a dataset with its filters and chart, saved from the "
                         "Chart tab. Exercises can show a view to every group."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Saved views"))
        self.list.itemActivated.connect(lambda _item: self.open_current())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setAccessibleName(_("Open the view"))
        self.delete_button = QPushButton(_("&Delete"))
        self.delete_button.setAccessibleName(_("Delete the view"))
        close = QPushButton(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        titles = {d.id: d.title for d in self.pack.datasets()}
        for view in views.list_views(self.pack):
            item = QListWidgetItem(f"{view.name} \u2014 {titles.get(view.dataset_id, '?')}")
            item.setData(Qt.ItemDataRole.UserRole, view.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(_("(no saved views yet)"))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        has = self.list.currentItem() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def open_current(self) -> None:
        view_id = self._current_id()
        if view_id is None:
            return
        try:
            apply_view(self.window_, views.load_view(self.pack, view_id))
        except TdeError as exc:
            show_message(self, str(exc))
            return
        self.accept()

    def delete_current(self) -> None:
        view_id = self._current_id()
        if view_id is not None:
            views.delete_view(self.pack, view_id)
            self.reload()
