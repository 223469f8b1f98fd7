"""What the dataset list's right-click menu does: edit details, replace, remove, undo.

A removal or a replacement can be undone from Edit > Undo until the pack is closed;
closing (or
opening) a pack empties the trash for good (see :mod:`tde_desktop.core.pack.datasets`).
All writes run through :func:`run_op`, on a connection of their own.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers.replace import Replacement
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.datasets import Removal
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common import settings
from tde_desktop.qt.common.ops import run_op, show_message
from tde_desktop.qt.explorer.dataset_details_dialog import DatasetDetailsDialog
from tde_desktop.qt.explorer.import_dialog import data_file_filter

log = logging.getLogger(__name__)


class DatasetActions(QObject):
    """Edit details..., Replace with a newer file..., Remove... and Edit > Undo (the last
    removal or replacement)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.undo_stack: list[Removal | Replacement] = []
        self.details_dialog: DatasetDetailsDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.undo_action = QAction(window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda _c=False: self.undo())
        window.addAction(self.undo_action)
        self._update_undo()
        dataset_list = window.dataset_list
        dataset_list.edit_requested.connect(self.ask_edit)
        dataset_list.replace_requested.connect(self.ask_replace)
        dataset_list.remove_requested.connect(self.ask_remove)

    # -- the Edit menu and the pack's life -------------------------------------------

    def fill_edit_menu(self, menu: QMenu) -> None:
        """Put Undo into ``menu`` (the menu bar is rebuilt after a language change)."""
        self._update_undo()
        menu.addAction(self.undo_action)

    def _update_undo(self) -> None:
        last = self.undo_stack[-1] if self.undo_stack else None
        if isinstance(last, Replacement):
            self.undo_action.setText(_("&Undo replace {title}").format(title=last.dataset.title))
        else:
            self.undo_action.setText(_("&Undo remove {title}").format(title=last.title)
                                     if last else _("&Undo"))
        self.undo_action.setEnabled(last is not None)

    def pack_opened(self) -> None:
        """Empty a trash a killed app left behind; nothing in it can be undone now."""
        self.undo_stack.clear()
        self._update_undo()
        pack = self.window.pack
        self.window.dataset_list.read_only = pack is None or pack.read_only
        if pack is None or pack.read_only or not pack.table_names() & {"_tde_trash"}:
            return
        from tde_desktop.core.pack.datasets import purge_trash

        run_op(self.window, lambda p, _progress: purge_trash(p), pack_path=pack.path,
               quiet=True, cancellable=False)

    def pack_closing(self, pack: Pack) -> None:
        """Make removals final: after the pack is closed they cannot be undone."""
        from tde_desktop.core.pack.datasets import purge_trash

        self.undo_stack.clear()
        self._update_undo()
        try:
            purge_trash(pack)
        except sqlite3.Error:
            # Another writer holds the file: the pack still closes, and the next
            # opening empties the trash (pack_opened).
            log.warning("The removed datasets could not be dropped at close", exc_info=True)

    def _path(self) -> Path | None:
        pack = self.window.pack
        return None if pack is None else Path(pack.path)

    def _refresh(self, dataset_id: int | None = None) -> None:
        """Show the catalogue as it is now, and ``dataset_id`` afresh (new rows, title)."""
        self.window.reload_datasets(select=dataset_id)
        if dataset_id is not None and self.window.pack is not None:
            self.window.show_dataset(dataset_id)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    # -- edit details ------------------------------------------------------------------

    def ask_edit(self, dataset_id: int) -> DatasetDetailsDialog | None:
        """Open the details dialog of ``dataset_id``; Save writes the changes."""
        pack = self.window.pack
        if pack is None:
            return None
        dialog = DatasetDetailsDialog(pack.dataset(dataset_id), self.window)
        dialog.accepted.connect(lambda: self._save_details(dataset_id, dialog.values()))
        self.details_dialog = dialog
        dialog.open()
        return dialog

    def _save_details(self, dataset_id: int, values: dict[str, str]) -> None:
        from tde_desktop.core.pack.datasets import edit_dataset

        path = self._path()
        if path is None:
            return
        settings.set_last_provenance(values["publisher"], values["licence"])

        def done(_info: object) -> None:
            self._status(_("Saved the details of {title}.").format(title=values["title"]))
            self._refresh(dataset_id)

        run_op(self.window, lambda p, _progress: edit_dataset(p, dataset_id, **values),
               pack_path=path, label=_("Saving"), cancellable=False, on_done=done)

    # -- replace ------------------------------------------------------------------------

    def ask_replace(self, dataset_id: int, path: Path | None = None) -> None:
        """Ask for the newer file (unless ``path``), then replace in the background."""
        pack_path = self._path()
        if pack_path is None or self.window.pack is None:
            return
        info = self.window.pack.dataset(dataset_id)
        if path is None:
            name, _sel = QFileDialog.getOpenFileName(
                self.window, _("Replace {title} with a newer file").format(title=info.title),
                "", data_file_filter())
            if not name:
                return
            path = Path(name)
        chosen = path

        def work(pack: Pack, progress: Any) -> Replacement:
            from tde_desktop.core.importers.replace import replace_dataset

            return replace_dataset(pack, dataset_id, chosen, progress=progress)

        def cancelled() -> None:
            self._status(_("The replacement was cancelled; nothing was changed."))

        run_op(self.window, work, pack_path=pack_path, on_done=self._replaced,
               on_cancel=cancelled, changes={Change.AGENDA},
               label=_("Importing {name}").format(name=chosen.name))

    def _replaced(self, report: Replacement) -> None:
        info = report.dataset
        lines = [_("{title} now holds {file}: {rows}.").format(
            title=info.title, file=info.original_filename,
            rows=ngettext("{n} row", "{n} rows", info.row_count).format(
                n=format_number(info.row_count)))]
        for items, text in (
                (report.kept_descriptions, _("Descriptions kept: {names}")),
                (report.dropped_descriptions, _("Descriptions dropped (column gone): {names}")),
                (report.kept_views, _("Saved views kept: {names}")),
                (report.dropped_views,
                 _("Saved views removed (a column they use is gone): {names}"))):
            if items:
                lines.append(text.format(names=", ".join(items)))
        if report.records_gone:
            lines.append(ngettext(
                "{n} flag is on a record no longer in the data; the workbook shows the "
                "record as it was.",
                "{n} flags are on records no longer in the data; the workbook shows the "
                "records as they were.", report.records_gone).format(n=report.records_gone))
        lines.append(_("You can undo this with Edit > Undo until you close the pack."))
        self.undo_stack.append(report)
        self._update_undo()
        self._refresh(info.id)
        show_message(self.window, "\n".join(lines), title=_("Dataset replaced"),
                     icon=QMessageBox.Icon.Information)

    # -- remove and undo ------------------------------------------------------------------

    def ask_remove(self, dataset_id: int) -> QMessageBox | None:
        """Ask, in plain words, whether to remove the dataset; Remove does it."""
        pack = self.window.pack
        if pack is None:
            return None
        info = pack.dataset(dataset_id)
        views = [r[0] for r in pack.conn.execute(
            "SELECT name FROM _tde_views WHERE dataset_id = ? ORDER BY name", (dataset_id,))]
        text = _("Remove {title} from this pack?").format(title=info.title)
        if views:
            text += "\n" + ngettext("Its saved view goes with it: {names}.",
                                    "Its saved views go with it: {names}.",
                                    len(views)).format(names=", ".join(views))
        text += "\n\n" + _("You can undo this with Edit > Undo until you close the pack.")
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove a dataset"), text,
                          QMessageBox.StandardButton.Cancel, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        remove = box.addButton(_("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAccessibleName(_("Remove a dataset"))
        box.setAccessibleDescription(text)
        box.buttonClicked.connect(
            lambda button: self.remove(dataset_id) if button is remove else None)
        self.confirm_box = box
        box.open()
        return box

    def remove(self, dataset_id: int) -> None:
        """Remove ``dataset_id`` in the background; Edit > Undo offers it back."""
        path = self._path()
        if path is None:
            return
        explorer = self.window.explorer
        if explorer.dataset is not None and explorer.dataset.id == dataset_id:
            explorer.set_dataset(None, None)  # its grid must not read a table being renamed
        run_op(self.window, lambda p, _progress: _remove(p, dataset_id), pack_path=path,
               label=_("Removing the dataset"), cancellable=False, on_done=self._removed,
               changes={Change.AGENDA})

    def _removed(self, removal: Removal) -> None:
        self.undo_stack.append(removal)
        self._update_undo()
        self._refresh()
        self._status(_("Removed {title}. Edit > Undo puts it back.").format(
            title=removal.title))

    def undo(self) -> None:
        """Put back the dataset removed last, or the version replaced last."""
        path = self._path()
        if path is None or not self.undo_stack:
            return
        removal = self.undo_stack.pop()
        self._update_undo()
        if isinstance(removal, Replacement):
            self._undo_replace(path, removal)
            return

        def work(pack: Pack, _progress: Any) -> int:
            from tde_desktop.core.pack.datasets import restore_dataset

            return restore_dataset(pack, removal.dataset_id).id

        def done(dataset_id: int) -> None:
            self._status(_("{title} is back.").format(title=removal.title))
            self._refresh(dataset_id)

        run_op(self.window, work, pack_path=path, label=_("Putting the dataset back"),
               cancellable=False, on_done=done, changes={Change.AGENDA})


    def _undo_replace(self, path: Path, report: Replacement) -> None:
        dataset_id, title = report.dataset.id, report.dataset.title
        explorer = self.window.explorer
        if explorer.dataset is not None and explorer.dataset.id == dataset_id:
            explorer.set_dataset(None, None)  # its grid must not read a table being swapped

        def work(pack: Pack, _progress: Any) -> int:
            from tde_desktop.core.importers.replace import undo_replace

            return undo_replace(pack, dataset_id).id

        def done(restored: int) -> None:
            self._status(_("{title} holds its earlier file again.").format(title=title))
            self._refresh(restored)

        run_op(self.window, work, pack_path=path, label=_("Putting the earlier file back"),
               cancellable=False, on_done=done, changes={Change.AGENDA})


def _remove(pack: Pack, dataset_id: int) -> Removal:
    from tde_desktop.core.pack.datasets import remove_dataset

    return remove_dataset(pack, dataset_id)

