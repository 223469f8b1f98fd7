"""The chart panel: bar, line, histogram or scatter of the current dataset and filters.

Numbers are aggregated in SQL on a worker (charts.chart_data), and the same
worker draws the Figure and renders it to an image with matplotlib's Agg
canvas (thread-safe for a figure of its own); the UI thread only puts the
finished image on screen, so a chart never freezes the window. A resize
renders the image again in the background, without counting again. This
module imports matplotlib, so the explorer imports it only when the Chart tab
is first opened.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import charts, figure_look, views
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import ColumnInfo, Pack
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.ops import error_text, run_op, show_message
from tde_desktop.qt.common.shown_text import TIP_LIMIT, shown_text
from tde_desktop.qt.explorer.column_labels import fill_column_box

NUMERIC = ("integer", "number")
DATES = ("date", "datetime")
CHART_DPI = 96


def on_screen(data: charts.ChartData) -> charts.ChartData:
    """``data`` with its words (title, caption, axis and bar labels) cut to what the screen
    lays out (:func:`shown_text`); saving the chart keeps them whole."""
    return dataclasses.replace(
        data, title=shown_text(data.title), caption=shown_text(data.caption, TIP_LIMIT),
        x_label=shown_text(data.x_label), y_label=shown_text(data.y_label),
        labels=[shown_text(label) for label in data.labels])


def render_chart(data: charts.ChartData, spec: charts.ChartSpec, width: int, height: int,
                 ratio: float, rc: dict[str, str] | None = None) -> tuple[Figure, QImage]:
    """Draw ``data`` on a new Figure of ``width`` x ``height`` logical pixels in the
    colours ``rc`` (:func:`theme.chart_rc`, read on the UI thread) and render it to an
    image; safe on a worker thread (no pyplot, no Qt widget, no global rcParams)."""
    figure = Figure(figsize=(max(width, 160) / CHART_DPI, max(height, 120) / CHART_DPI),
                    dpi=CHART_DPI * ratio)
    agg = FigureCanvasAgg(figure)
    with warnings.catch_warnings():
        # A narrow panel cannot fit every label; matplotlib says so, the chart is fine.
        warnings.simplefilter("ignore", UserWarning)
        charts.draw_chart(figure, data, spec)
        figure_look.apply_colours(figure, rc)
        agg.draw()
    return figure, _to_image(agg, ratio)


def _to_image(agg: FigureCanvasAgg, ratio: float) -> QImage:
    w, h = agg.get_width_height(physical=True)
    # copy(): the QImage must own its pixels once the figure's buffer goes away.
    image = QImage(bytes(agg.buffer_rgba()), w, h, QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(ratio)
    return image


class ChartImage(QLabel):
    """Shows a chart rendered elsewhere; ``_draw_pending`` is True until it is on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure: Figure | None = None
        self._draw_pending = False
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAutoFillBackground(True)  # the window's colour around the image
        # The image follows the panel's size, never the other way round.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.on_resize: Any = None

    def show_image(self, figure: Figure | None, image: QImage | None) -> None:
        self.figure = figure
        self.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self._draw_pending = False

    def draw(self) -> None:
        """Render :attr:`figure` again here, on the UI thread (only used to measure)."""
        if self.figure is None:
            return
        agg = FigureCanvasAgg(self.figure)
        agg.draw()
        self.show_image(self.figure, _to_image(agg, self.figure.dpi / CHART_DPI))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.on_resize is not None:
            self.on_resize()


def kind_names() -> dict[str, str]:
    return {"bar": _("Bar: rows per value"), "line": _("Line: rows over time"),
            "histogram": _("Histogram: how numbers are spread"),
            "scatter": _("Scatter: one number against another")}


def x_choices(kind: str, columns: list[ColumnInfo]) -> list[ColumnInfo]:
    """Columns that make sense on the x axis of ``kind``, the likeliest first."""
    if kind == "line":
        return [c for c in columns if c.type in DATES]
    if kind in ("histogram", "scatter"):
        return [c for c in columns if c.type in NUMERIC and not c.is_identifier]
    return sorted(columns, key=lambda c: (c.is_identifier, c.type in NUMERIC + DATES))


class ChartView(QWidget):
    """Kind and column choosers above a matplotlib canvas; follows the explorer's filters."""

    def __init__(self, explorer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explorer = explorer
        self.data: charts.ChartData | None = None
        self.spec: charts.ChartSpec | None = None
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName(_("Kind of chart"))
        for kind, text in kind_names().items():
            self.kind_box.addItem(text, kind)
        self.x_box = ElidedComboBox()
        self.x_box.setAccessibleName(_("Column along the bottom"))
        self.y_box = ElidedComboBox()
        self.y_box.setAccessibleName(_("Number to add up"))
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName(_("Time unit"))
        for unit, text in (("day", _("per day")), ("week", _("per week")),
                           ("month", _("per month")), ("year", _("per year"))):
            self.unit_box.addItem(text, unit)
        self.unit_box.setCurrentIndex(2)
        self.save_button = QPushButton(_("Save &image..."))
        self.save_button.setAccessibleName(_("Save the chart as an image"))
        self.view_button = QPushButton(_("Save a&s view..."))
        self.view_button.setAccessibleName(_("Save this chart and its filters as a view"))
        self.canvas = ChartImage()
        self.canvas.setAccessibleName(_("Chart"))
        self.canvas.setMinimumSize(320, 240)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(self._rerender)
        self.canvas.on_resize = self._resize_timer.start
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # errors can quote pack text
        self.message.setWordWrap(True)

        row1 = QHBoxLayout()
        row1.addWidget(self.kind_box, 1)
        row1.addWidget(self.unit_box)
        row2 = QHBoxLayout()
        for text, box in ((_("&X:"), self.x_box), (_("&Y:"), self.y_box)):
            label = QLabel(text)
            label.setBuddy(box)
            row2.addWidget(label)
            row2.addWidget(box, 1)
        # The message has a line of its own: beside the buttons it would widen the panel.
        row3 = QHBoxLayout()
        row3.addWidget(self.save_button)
        row3.addWidget(self.view_button)
        row3.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.message)
        layout.addLayout(row3)
        self._generation = 0
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.x_box, self.y_box, self.unit_box):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.save_button.clicked.connect(self.ask_save_image)
        self.view_button.clicked.connect(self.ask_save_view)
        explorer.dataset_changed.connect(self._kind_changed)
        self._kind_changed()

    def columns(self) -> list[ColumnInfo]:
        info = self.explorer.dataset
        return list(info.columns) if info else []

    def _kind_changed(self) -> None:
        kind = str(self.kind_box.currentData())
        columns = self.columns()
        for box in (self.x_box, self.y_box):
            box.blockSignals(True)
            box.clear()
        fill_column_box(self.x_box, x_choices(kind, columns))
        if kind == "bar":
            self._choose_default_x(columns)
        if kind != "scatter":
            self.y_box.addItem(_("(count rows)"), None)
        if kind != "histogram":
            fill_column_box(self.y_box, [c for c in columns
                                         if c.type in NUMERIC and not c.is_identifier])
        if kind == "scatter" and self.y_box.count() > 1:
            self.y_box.setCurrentIndex(1)
        for box in (self.x_box, self.y_box):
            box.blockSignals(False)
        self.y_box.setEnabled(kind != "histogram")
        self.unit_box.setVisible(kind == "line")
        self.refresh()

    def _choose_default_x(self, columns: list[ColumnInfo]) -> None:
        """Start a bar chart on a column with a few groups (a district), not an address."""
        info, pack = self.explorer.dataset, self.explorer.pack
        if info is None or pack is None:
            return
        from tde_desktop.core.explore.chart_defaults import default_bar_column

        name = default_bar_column(pack.conn, info.table_name, columns)
        position = self.x_box.findData(name) if name is not None else -1
        if position >= 0:
            self.x_box.setCurrentIndex(position)

    def set_spec(self, spec: charts.ChartSpec) -> None:
        """Show ``spec`` (from a saved view, say)."""
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(spec.kind)))
        for box, value in ((self.x_box, spec.x), (self.y_box, spec.y),
                           (self.unit_box, spec.unit)):
            position = box.findData(value)
            if position >= 0:
                box.setCurrentIndex(position)
        self.refresh()

    def current_spec(self) -> charts.ChartSpec | None:
        x = self.x_box.currentData()
        if x is None:
            return None
        return charts.ChartSpec(kind=str(self.kind_box.currentData()), x=str(x),
                                y=self.y_box.currentData(), unit=str(self.unit_box.currentData()))

    def refresh(self) -> None:
        """Recount and redraw for the current choices and filters (counting in the background)."""
        info, pack = self.explorer.dataset, self.explorer.pack
        spec = self.current_spec()
        self._generation += 1
        if info is None or pack is None or spec is None:
            self.canvas.show_image(None, None)
            self.message.setText(_("This dataset has no column for this kind of chart.")
                                 if info is not None else "")
            self.data = None
            return
        generation = self._generation
        filters = list(self.explorer.filters)
        self.message.setText(_("Drawing..."))
        self.canvas._draw_pending = True
        size = self._size()

        def work(p: Pack, _progress: object) -> tuple[charts.ChartData, Figure, QImage]:
            data = charts.chart_data(p.conn, info.table_name, spec, filters)
            return (data, *render_chart(on_screen(data), spec, *size))

        run_op(self, work, pack_path=pack.path, label=_("Counting for the chart"),
               on_done=lambda result: self._show(generation, spec, *result),
               on_error=lambda exc: self._failed(generation, exc))

    def _size(self) -> tuple[int, int, float, dict[str, str]]:
        return (self.canvas.width(), self.canvas.height(), self.canvas.devicePixelRatioF(),
                theme.chart_rc())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # high contrast on or off
            self._resize_timer.start()

    def _show(self, generation: int, spec: charts.ChartSpec, data: charts.ChartData,
              figure: Figure, image: QImage) -> None:
        if generation != self._generation:
            return
        self.spec, self.data = spec, data
        self.canvas.show_image(figure, image)
        shown = on_screen(data)
        self.canvas.setAccessibleDescription(f"{shown.title}. {shown.caption}")
        self.message.setText("")

    def _rerender(self) -> None:
        """After a resize: draw the numbers already counted again at the new size."""
        if self.data is None or self.spec is None:
            return
        generation, data, spec, size = self._generation, self.data, self.spec, self._size()
        run_op(self, lambda _progress: render_chart(on_screen(data), spec, *size), quiet=True,
               label=_("Drawing the chart"), cancellable=False,
               on_done=lambda result: self._show(generation, spec, data, *result))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.canvas.show_image(None, None)
            self.message.setText(error_text(exc))

    @property
    def figure(self) -> Figure | None:
        """The figure on screen (drawn on a worker)."""
        return self.canvas.figure

    # -- saving ----------------------------------------------------------------------------

    def save_image(self, path: Path) -> Path | None:
        """Save the chart shown as PNG or SVG (by suffix)."""
        if self.data is None or self.spec is None:
            return None
        try:
            return charts.save_chart(self.data, self.spec, path)
        except TdeError as exc:
            show_message(self, str(exc))
            return None

    def ask_save_image(self) -> None:
        from tde_desktop.qt.common import saved_files

        name, _sel = QFileDialog.getSaveFileName(
            self, _("Save the chart"), str(saved_files.start_folder() / "chart.png"),
            _("PNG image (*.png);;SVG drawing (*.svg)"))
        if not name:
            return
        saved_files.remember(Path(name))
        saved = self.save_image(Path(name))
        if saved is not None:
            saved_files.show_saved(self, saved, _("Saved the chart to {path}.").format(
                path=saved))

    def save_view(self, name: str) -> int | None:
        """Save dataset, filters and chart as a named view in the pack; returns its id."""
        pack, info = self.explorer.pack, self.explorer.dataset
        if pack is None or info is None:
            return None
        try:
            return views.save_view(pack, name, info.id, list(self.explorer.filters),
                                   self.current_spec())
        except TdeError as exc:
            show_message(self, str(exc))
            return None

    def ask_save_view(self) -> None:
        name, ok = QInputDialog.getText(self, _("Save as view"),
                                        _("Name of the view (exercises can use it):"))
        if ok and name.strip() and self.save_view(name) is not None:
            show_message(self, _("The view {name} was saved in the pack.").format(name=name),
                         icon=QMessageBox.Icon.Information)
