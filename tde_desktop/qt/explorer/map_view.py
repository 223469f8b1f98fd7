"""The map panel: points of the current dataset, optionally counted per boundary area.

Works offline: boundaries are GeoJSON datasets in the pack, drawn with
matplotlib (no web tiles). This module imports matplotlib, so the explorer
imports it only when the Map tab is first opened.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from tde_desktop.core.explore import figure_look, maps
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.ops import error_text, run_op
from tde_desktop.qt.common.shown_text import TIP_LIMIT, shown_text
from tde_desktop.qt.explorer.column_labels import fill_column_box


class MapView(QWidget):
    """Boundary and join choosers above a matplotlib map; follows the explorer's filters."""

    def __init__(self, explorer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explorer = explorer
        self.map_data: maps.MapData | None = None
        self.boundary_box = ElidedComboBox()
        self.boundary_box.setAccessibleName(_("Areas to count in"))
        self.join_box = ElidedComboBox()
        self.join_box.setAccessibleName(_("Column naming the area of each row"))
        self.area_name_box = ElidedComboBox()
        self.area_name_box.setAccessibleName(_("Column naming each area"))
        self.figure = Figure(figsize=(6, 5), dpi=96)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName(_("Map"))
        self.canvas.setMinimumSize(320, 260)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # errors can quote pack text
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("A&reas:"), self.boundary_box)
        form.addRow(_("&Match rows by:"), self.join_box)
        form.addRow(_("Area &names in:"), self.area_name_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.message)
        self._generation = 0
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(self._redraw)
        self.boundary_box.currentIndexChanged.connect(self._boundary_changed)
        self.join_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.area_name_box.currentIndexChanged.connect(lambda _i: self.refresh())
        explorer.dataset_changed.connect(self._dataset_changed)
        self._dataset_changed()

    def _boundaries(self) -> list[Any]:
        pack = self.explorer.pack
        return [d for d in pack.datasets() if d.geometry_column] if pack else []

    def _dataset_changed(self) -> None:
        info = self.explorer.dataset
        self.boundary_box.blockSignals(True)
        self.boundary_box.clear()
        self.boundary_box.addItem(_("(no areas: points only)"), None)
        for d in self._boundaries():
            if info is None or d.id != info.id:
                self.boundary_box.addItem(shown_text(d.title), d.id)
        # A dataset with a neighbourhood-like column and one boundary: offer the join.
        if self.boundary_box.count() > 1:
            self.boundary_box.setCurrentIndex(1)
        self.boundary_box.blockSignals(False)
        self._boundary_changed(refresh=False)

    def _boundary_changed(self, *_args: object, refresh: bool = True) -> None:
        info, pack = self.explorer.dataset, self.explorer.pack
        boundary_id = self.boundary_box.currentData()
        for box in (self.join_box, self.area_name_box):
            box.blockSignals(True)
            box.clear()
        self.join_box.addItem(_("location (point in area)"), None)
        if info is not None and pack is not None and boundary_id is not None:
            boundary = pack.dataset(boundary_id)
            area_columns = [c for c in boundary.columns if c.type == "text"
                            and c.name != boundary.geometry_column]
            fill_column_box(self.area_name_box, area_columns)
            named = next((i for i, c in enumerate(area_columns) if c.name.lower() == "name"), 0)
            self.area_name_box.setCurrentIndex(named)
            text_columns = [c for c in info.columns if c.type == "text"]
            fill_column_box(self.join_box, text_columns)
            likely = next((i for i, c in enumerate(text_columns)
                           if "neighbo" in c.name.lower() or c.name.lower() in ("nc", "nta")),
                          None)
            if likely is not None:
                self.join_box.setCurrentIndex(likely + 1)
        for box in (self.join_box, self.area_name_box):
            box.blockSignals(False)
        has_areas = boundary_id is not None
        self.join_box.setEnabled(has_areas)
        self.area_name_box.setEnabled(has_areas)
        if refresh:
            self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw the map for the current filters (in the background)."""
        info, pack = self.explorer.dataset, self.explorer.pack
        self._generation += 1
        if info is None or pack is None:
            return
        generation = self._generation
        filters = list(self.explorer.filters)
        boundary_id = self.boundary_box.currentData()
        join_col, area_col = self.join_box.currentData(), self.area_name_box.currentData()
        join = (str(join_col), str(area_col)) if join_col and area_col else None
        dataset_id = info.id
        self.message.setText(_("Drawing the map..."))

        def work(p: Pack, _progress: object) -> maps.MapData:
            boundary = p.dataset(boundary_id) if boundary_id is not None else None
            return maps.map_layers(p, p.dataset(dataset_id), filters, boundary=boundary,
                                   choropleth_join=join)

        run_op(self, work, pack_path=pack.path, label=_("Drawing the map"),
               on_done=lambda data: self._draw(generation, data),
               on_error=lambda exc: self._failed(generation, exc))

    def _draw(self, generation: int, data: maps.MapData) -> None:
        if generation != self._generation:
            return
        self.map_data = data
        with warnings.catch_warnings():
            # A narrow panel cannot fit every label; matplotlib says so, the map is still fine.
            warnings.simplefilter("ignore", UserWarning)
            maps.draw_map(self.figure, dataclasses.replace(  # drawn: words cut, kept whole
                data, title=shown_text(data.title), caption=shown_text(data.caption, TIP_LIMIT)))
            figure_look.apply_colours(self.figure, theme.chart_rc())
        self.canvas.draw_idle()
        self.canvas.setAccessibleDescription(
            f"{shown_text(data.title)}. {shown_text(data.caption, TIP_LIMIT)}")
        self.message.setText("")  # the caption is drawn on the map itself

    def _redraw(self) -> None:
        """Draw the areas already counted again (new size or colours)."""
        if self.map_data is not None:
            self._draw(self._generation, self.map_data)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # high contrast on or off
            self._redraw()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Title, legend columns and ticks are laid out for the figure's width.
        if self.map_data is not None:
            self._resize_timer.start()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.map_data = None
            self.figure.clear()
            self.canvas.draw_idle()
            self.message.setText(error_text(exc))
