"""The data explorer: filter bar, grid and side panels for one dataset at a time.

The explorer owns the current state (dataset, filters, matching count) and
tells its panels when it changes. Panels are built the first time their tab is
opened, so matplotlib is imported only when a chart or a map is first shown,
and only the visible panel recomputes when the filters change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore import paging
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.labels import plain_label
from tde_desktop.core.explore.tidy import tidy_steps
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.qt.common.ops import run_op
from tde_desktop.qt.common.side_tabs import SideTabs
from tde_desktop.qt.explorer.column_finder import ColumnFinder
from tde_desktop.qt.explorer.dataset_card import DatasetCard
from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel
from tde_desktop.qt.explorer.dataset_view import DatasetView
from tde_desktop.qt.explorer.dictionary_editor import DictionaryEditor
from tde_desktop.qt.explorer.filter_bar import FilterBar

#: sorting a table bigger than this first builds an index in the background
INDEX_IN_BACKGROUND_ROWS = 20_000

#: (tab title, module, class) of panels built on first use
LAZY_PANELS: list[tuple[Callable[[], str], str, str]] = [
    (lambda: _("Values"), "tde_desktop.qt.explorer.facet_panel", "FacetPanel"),
    (lambda: _("Column"), "tde_desktop.qt.explorer.column_card_view", "ColumnCardView"),
    (lambda: _("Chart"), "tde_desktop.qt.explorer.chart_view", "ChartView"),
    (lambda: _("Map"), "tde_desktop.qt.explorer.map_view", "MapView"),
]


def narrow_choosers(panel: QWidget) -> None:
    """Let the panel's drop-down lists be narrower than their longest entry, so every
    panel fits the same side width (the full text shows when the list opens)."""
    for box in panel.findChildren(QComboBox):
        box.setMinimumContentsLength(8)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)


class Explorer(QWidget):
    """Browse one dataset: filters, grid, card, dictionary and the lazy panels."""

    dataset_changed = Signal()
    filters_applied = Signal()
    count_changed = Signal(int, int)  # matching, total
    current_column_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack: Pack | None = None
        self.dataset: DatasetInfo | None = None
        self.filters: list[Filter] = []
        self.count: int | None = None
        self.model: DatasetTableModel | None = None
        self._generation = 0
        self._panels: dict[int, Any] = {}
        self._dirty: set[int] = set()

        self.filter_bar = FilterBar()
        self.index_button = QPushButton(_("Make search faster"))
        self.index_button.setAccessibleName(_("Build the search index"))
        self.index_button.setToolTip(_("Builds a word index so text searches are instant."))
        self.index_button.hide()
        self.export_button = QPushButton(_("Export this view..."))
        self.export_button.setAccessibleName(_("Export this view"))
        self.export_button.setToolTip(_("Saves the rows that match the filters as an Excel "
                                        "or CSV file."))
        self.view = DatasetView()
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.index_button, 0, Qt.AlignmentFlag.AlignTop)
        grid_layout.addLayout(top)
        grid_layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        grid_layout.addLayout(bottom)

        self.card = DatasetCard()
        self.dictionary = DictionaryEditor()
        self.column_finder = ColumnFinder(self.view)
        self.tabs = SideTabs()
        self.tabs.setAccessibleName(_("Dataset panels"))
        self.tabs.addTab(self.card, _("About"))
        self.tabs.addTab(self.dictionary, _("Dictionary"))
        self.tabs.addTab(self.column_finder, _("Columns"))
        self._lazy_start = self.tabs.count()
        for title, _module, _cls in LAZY_PANELS:
            self.tabs.addTab(QWidget(), title())

        for panel in (self.card, self.dictionary, self.column_finder):
            narrow_choosers(panel)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(grid_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.filter_bar.filters_changed.connect(self.apply_filters)
        self.filter_bar.search_requested.connect(self.search)
        self.index_button.clicked.connect(self.build_search_index)
        self.export_button.clicked.connect(self.ask_export)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self.sort)
        self.dictionary.description_saved.connect(self._description_saved)
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- dataset and filters -------------------------------------------------------------

    def set_dataset(self, pack: Pack | None, info: DatasetInfo | None) -> None:
        """Show ``info`` from ``pack`` with no filters (None shows nothing)."""
        self._generation += 1
        self.pack, self.dataset = pack, info
        self.filters = []
        self.count = info.row_count if info is not None else None
        old = self.model
        if pack is not None and info is not None:
            self.model = DatasetTableModel(pack.conn, info, count=info.row_count, parent=self,
                                           pack_path=pack.path)
            self.view.setModel(self.model)
            self.view.selectionModel().currentChanged.connect(self._current_changed)
        else:
            self.model = None
            self.view.setModel(None)
        if old is not None:
            old.deleteLater()
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.filter_bar.set_columns(info.columns if info else [])
        if info is not None:
            self.filter_bar.show_count(self.count, info.row_count)
        else:  # nothing to count (a new, empty pack): no "Counting rows..." left behind
            self.filter_bar.count_label.clear()
        self.index_button.setVisible(False)
        self.export_button.setEnabled(info is not None)
        self.card.set_dataset(info, tidy_steps(pack, info.id) if pack and info else [])
        self.dictionary.set_dataset(pack, info)
        self.column_finder.set_columns(info.columns if info else [])
        self._dirty = set(self._panels)
        self.dataset_changed.emit()
        self._refresh_current_panel()
        if info is not None:
            self.count_changed.emit(info.row_count, info.row_count)

    def apply_filters(self, filters: list[Filter]) -> None:
        """Apply ``filters``: the count is made in the background, then the grid follows."""
        if self.dataset is None or self.pack is None:
            return
        self._generation += 1
        generation = self._generation
        self.filters = list(filters)
        self.filter_bar.show_filters(self.filters)
        total = self.dataset.row_count
        if not self.filters:
            self._filters_counted(generation, total)
            return
        self.filter_bar.show_count(None, total)
        table, chosen = self.dataset.table_name, list(self.filters)
        run_op(self, lambda pack, _progress: paging.count_rows(pack.conn, table, chosen),
               pack_path=self.pack.path, label=_("Counting matching rows"),
               on_done=lambda n: self._filters_counted(generation, int(n)))

    def _filters_counted(self, generation: int, count: int) -> None:
        if generation != self._generation or self.model is None or self.dataset is None:
            return  # a newer request (or another dataset) replaced this one
        self.count = count
        self.model.set_filters(self.filters, count)
        self.filter_bar.show_count(count, self.dataset.row_count)
        self.count_changed.emit(count, self.dataset.row_count)
        self._dirty = set(self._panels)
        self.filters_applied.emit()
        self._refresh_current_panel()

    def add_filter(self, f: Filter) -> None:
        self.apply_filters([*self.filters, f])

    def labels(self) -> dict[str, str]:
        """column name -> plain label, for describing filters."""
        return {c.name: plain_label(c) for c in (self.dataset.columns if self.dataset else [])}

    def ask_export(self) -> None:
        """"Export this view...": the matching rows to an Excel or CSV file."""
        from tde_desktop.qt.explorer.view_actions import ask_export_view

        ask_export_view(self)

    # -- search ---------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Replace any text search with ``text`` (empty removes it)."""
        kept = [f for f in self.filters if f.op != "search"]
        if text:
            kept.append(Filter("*", "search", text))
            has_index = bool(self.dataset and self.dataset.has_fts)
            self.index_button.setVisible(not has_index)
        self.apply_filters(kept)

    def build_search_index(self) -> None:
        """Build the text index in the background; searching works without it, only slower."""
        if self.pack is None or self.dataset is None:
            return
        from tde_desktop.core.explore import search

        dataset_id = self.dataset.id

        def work(pack: Pack, progress: Any) -> None:
            search.build_fts(pack, pack.dataset(dataset_id), progress=progress)

        def done(_result: object) -> None:
            if self.dataset is not None and self.dataset.id == dataset_id:
                self.dataset.has_fts = True
                self.index_button.hide()
                self.apply_filters(self.filters)

        run_op(self, work, pack_path=self.pack.path, label=_("Building the search index"),
               on_done=done)

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder) -> None:
        """Sort by a header click; big tables get their index built in the background first.

        A column whose index exists already is sorted at once: one look at
        sqlite_master on this connection is cheaper than a trip to a worker. A
        read-only pack cannot take an index, so it is sorted without one.
        """
        if self.model is None or self.pack is None or self.dataset is None or column < 0:
            return
        name = self.model.columns[column].name
        model = self.model
        table = self.dataset.table_name
        exists = self.pack.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
            (f"idx_{table}_{name}",)).fetchone()
        if exists or self.pack.read_only:
            model.sort(column, order)
            return
        if self.dataset.row_count <= INDEX_IN_BACKGROUND_ROWS:
            paging.ensure_index(self.pack.conn, table, name)
            model.sort(column, order)
            return
        run_op(self, lambda pack, _p: paging.ensure_index(pack.conn, table, name),
               pack_path=self.pack.path, label=_("Preparing to sort"), cancellable=False,
               on_done=lambda _r: model.sort(column, order) if model is self.model else None)

    # -- panels ---------------------------------------------------------------------------------

    def current_column(self) -> str | None:
        """The column of the grid's current cell (the first column if none)."""
        if self.dataset is None or not self.dataset.columns:
            return None
        index = self.view.currentIndex()
        column = index.column() if index.isValid() else 0
        return self.dataset.columns[column].name

    def _current_changed(self, current: Any, previous: Any) -> None:
        if current.isValid() and (not previous.isValid() or
                                  current.column() != previous.column()):
            name = self.current_column()
            if name:
                self.current_column_changed.emit(name)

    def panel(self, position: int) -> Any:
        """The panel at tab ``position``, building a lazy one if needed."""
        if position < self._lazy_start:
            return self.tabs.widget(position)
        if position not in self._panels:
            _title, module, cls = LAZY_PANELS[position - self._lazy_start]
            widget = getattr(importlib.import_module(module), cls)(self)
            narrow_choosers(widget)
            self.tabs.blockSignals(True)
            current = self.tabs.currentIndex()
            old = self.tabs.widget(position)
            assert old is not None
            self.tabs.removeTab(position)
            self.tabs.insertTab(position, widget, LAZY_PANELS[position - self._lazy_start][0]())
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            old.deleteLater()
            self._panels[position] = widget
            self._dirty.add(position)
        return self._panels[position]

    def show_panel(self, cls_name: str) -> Any:
        """Bring the named lazy panel (e.g. "ChartView") to the front and return it."""
        for i, (_title, _module, cls) in enumerate(LAZY_PANELS):
            if cls == cls_name:
                position = self._lazy_start + i
                widget = self.panel(position)
                self.tabs.setCurrentIndex(position)
                self._refresh_current_panel()
                return widget
        raise KeyError(cls_name)

    def _tab_changed(self, position: int) -> None:
        if position >= self._lazy_start:
            self.panel(position)
        # The panel keeps its width from tab to tab: nothing is resized here.
        self._refresh_current_panel()

    def _refresh_current_panel(self) -> None:
        position = self.tabs.currentIndex()
        if position in self._panels and position in self._dirty:
            self._dirty.discard(position)
            self._panels[position].refresh()

    def _description_saved(self, _name: str, _language: str, _text: str) -> None:
        if self.model is not None and self.dataset is not None:
            self.model.set_descriptions(self.dataset.columns)
