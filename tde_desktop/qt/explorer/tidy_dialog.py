"""Tidy values: clusters of near-identical values of one column, merged with a click.

Opened from the Values panel. Clusters are found in the background (ops) from one
GROUP BY; each is a row with a checkbox, its values with their counts, and the value
to merge into (the most common, editable). "Merge selected" records one tidy step
per value in the pack (core/explore/tidy.py); the grid, facets and charts are then
counted again. The steps already made are listed below with their original values,
and "Undo selected" takes them back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore.tidy import (
    Cluster,
    TidyStep,
    find_clusters,
    merge_values,
    tidy_steps,
    undo_step,
)
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.ops import run_op
from tde_desktop.qt.common.shown_text import shown_text
from tde_desktop.qt.common.text_direction import ValueDirectionDelegate, isolate, plain

_CHECK, _VALUES, _ROWS, _INTO = range(4)


class TidyDialog(QDialog):
    """Clusters of ``column`` of the explorer's dataset, to merge; its steps, to undo."""

    def __init__(self, explorer: Any, column: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explorer = explorer
        self.column = column
        info = explorer.dataset
        self.table = info.table_name
        self.dataset_id = info.id
        label = next((c.original_name for c in info.columns if c.name == column), column)
        self.setWindowTitle(_("Tidy values of {column}").format(column=label))
        self.clusters: list[Cluster] = []
        self.steps: list[TidyStep] = []
        self.note = QLabel(_("Looking for near-identical values..."))
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.grid = QTableWidget(0, 4)
        self.grid.setAccessibleName(_("Clusters of near-identical values"))
        self.grid.setHorizontalHeaderLabels(
            [_("Merge"), _("Values (rows)"), _("Rows"), _("Merge into")])
        self.grid.horizontalHeader().setSectionResizeMode(_VALUES,
                                                          QHeaderView.ResizeMode.Stretch)
        self.grid.horizontalHeader().setHighlightSections(False)  # no bold, wider heading
        self._fit_headings()
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setItemDelegateForColumn(_INTO, ValueDirectionDelegate(self.grid))
        self.merge_button = QPushButton(_("&Merge selected"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.steps_list = QListWidget()
        self.steps_list.setAccessibleName(_("Tidy steps made, with the original values"))
        self.steps_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.undo_button = QPushButton(_("&Undo selected"))
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.grid, 3)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.merge_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(_("Steps made (the dataset keeps the original values):")))
        layout.addWidget(self.steps_list, 1)
        row2 = QHBoxLayout()
        row2.addStretch(1)
        row2.addWidget(self.undo_button)
        layout.addLayout(row2)
        layout.addWidget(buttons)
        self.resize(640, 520)
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Find clusters and steps again in the background; the tables follow."""
        pack = self.explorer.pack
        if pack is None:
            return
        self.merge_button.setEnabled(False)
        table, column, dataset_id = self.table, self.column, self.dataset_id

        def work(p: Pack, _progress: Any) -> tuple[list[Cluster], list[TidyStep]]:
            return find_clusters(p.conn, table, column), tidy_steps(p, dataset_id, column)

        run_op(self, work, pack_path=pack.path, label=_("Looking for near-identical values"),
               on_done=lambda result: self._show(*result))

    def _show(self, clusters: list[Cluster], steps: list[TidyStep]) -> None:
        self.clusters, self.steps = clusters, steps
        self.grid.setRowCount(len(clusters))
        for r, cluster in enumerate(clusters):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked)
            check.setData(Qt.ItemDataRole.AccessibleTextRole, _("Merge this cluster"))
            values = shown_text("; ".join(f"{isolate(shown_text(v))} ({format_number(n)})"
                                          for v, n in cluster.values))
            shown = QTableWidgetItem(values)
            shown.setData(Qt.ItemDataRole.AccessibleTextRole, plain(values))
            shown.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            rows = QTableWidgetItem(format_number(cluster.rows))
            rows.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            into = QTableWidgetItem(shown_text(cluster.suggested))
            into.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsEditable)
            for c, item in ((_CHECK, check), (_VALUES, shown), (_ROWS, rows), (_INTO, into)):
                self.grid.setItem(r, c, item)
        self._fit_headings()
        self.merge_button.setEnabled(bool(clusters))
        self.note.setText(ngettext(
            "{n} cluster of near-identical values. Tick the ones to merge and check the "
            "value each becomes.",
            "{n} clusters of near-identical values. Tick the ones to merge and check the "
            "value each becomes.", len(clusters)).format(n=len(clusters)) if clusters
            else _("No near-identical values found."))
        self.steps_list.clear()
        for step in steps:
            done = QListWidgetItem(_("{old} \u2192 {new}").format(
                old=isolate(shown_text(str(step.from_value))),
                new=isolate(shown_text(str(step.to_value)))))
            done.setData(Qt.ItemDataRole.UserRole, step.id)
            done.setData(Qt.ItemDataRole.AccessibleTextRole, plain(done.text()))
            self.steps_list.addItem(done)
        self.undo_button.setEnabled(bool(steps))

    def _fit_headings(self) -> None:
        """Every narrow column as wide as its heading and values ("Merge into" whole at
        200% text); a long suggested value takes at most a third of the grid."""
        header = self.grid.horizontalHeader()
        for column in (_CHECK, _ROWS, _INTO):
            self.grid.resizeColumnToContents(column)
        cap = max(header.sectionSizeHint(_INTO), self.grid.viewport().width() // 3)
        header.resizeSection(_INTO, min(header.sectionSize(_INTO), cap))

    # -- merging and undoing ---------------------------------------------------------------

    def chosen(self) -> list[tuple[list[str], str]]:
        """(values, target) for each ticked cluster with a target that is not empty."""
        result = []
        for r, cluster in enumerate(self.clusters):
            check, into = self.grid.item(r, _CHECK), self.grid.item(r, _INTO)
            target = into.text().strip() if into is not None else ""
            if target == shown_text(cluster.suggested).strip():  # untouched: the whole value
                target = cluster.suggested.strip()
            if check is not None and check.checkState() == Qt.CheckState.Checked and target:
                result.append(([v for v, _n in cluster.values], target))
        return result

    def merge_selected(self) -> None:
        pack, chosen = self.explorer.pack, self.chosen()
        if pack is None or not chosen:
            return
        dataset_id, column = self.dataset_id, self.column

        def work(p: Pack, _progress: Any) -> int:
            return sum(len(merge_values(p, dataset_id, column, values, into))
                       for values, into in chosen)

        self.merge_button.setEnabled(False)
        run_op(self, work, pack_path=pack.path, label=_("Merging values"),
               on_done=lambda _n: self._changed())

    def undo_selected(self) -> None:
        pack = self.explorer.pack
        ids = [int(item.data(Qt.ItemDataRole.UserRole))
               for item in self.steps_list.selectedItems()]
        if pack is None or not ids:
            return

        def work(p: Pack, _progress: Any) -> None:
            for step_id in ids:
                undo_step(p, step_id)

        self.undo_button.setEnabled(False)
        run_op(self, work, pack_path=pack.path, label=_("Undoing tidy steps"),
               on_done=lambda _r: self._changed())

    def _changed(self) -> None:
        """The grid, facets and charts count again with the steps as they now are."""
        explorer = self.explorer
        explorer.apply_filters(list(explorer.filters))
        if explorer.pack is not None and explorer.dataset is not None:  # the card lists steps
            explorer.card.set_dataset(explorer.dataset,
                                      tidy_steps(explorer.pack, explorer.dataset.id))
        self.reload()
