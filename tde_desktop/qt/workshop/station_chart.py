"""The chart of a data-walk station: the saved view's figure, large, with its caption.

A data-walk exercise points at a saved view (dataset, filters and a chart). The
kiosk and the projector show that chart above the station's prompts. The
numbers are counted in the background (:func:`ops.run_op`, on a read-only
connection of its own) and drawn on the UI thread; a station's chart is counted
once per window and reused while its prompts are answered. The figure's dots
per inch follow the screen's font size, so axis labels and bar numbers are as
readable as the text around them. This module imports matplotlib, so it is
imported only when a station is first shown.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import charts, views
from tde_desktop.core.i18n import _
from tde_desktop.qt.common.ops import error_text, run_op

#: the figure is scaled so draw_chart's 12 pt text reads like this size on screen (pt)
CHART_BODY_PT = 14


@dataclass
class StationFigure:
    """What a station shows: its view's chart spec and the counted numbers."""

    view_id: int
    spec: charts.ChartSpec
    data: charts.ChartData


def station_figure(pack_path: Path, view_id: int, max_bars: int = 10) -> StationFigure:
    """Count the chart of saved view ``view_id`` (off the UI thread; read-only).

    A bar chart keeps at most ``max_bars`` bars, so each is tall enough to read
    from across a room; its caption then says how many groups are not shown.
    """
    from tde_desktop.core.pack import Pack

    with Pack.open(pack_path, read_only=True) as pack:
        view = views.load_view(pack, view_id)
        if view.chart is None:
            raise TdeError(_("The saved view {name} has no chart.").format(name=view.name))
        info = pack.dataset(view.dataset_id)
        spec = view.chart
        if spec.kind == "bar" and spec.top > max_bars:
            spec = replace(spec, top=max_bars)
        data = charts.chart_data(pack.conn, info.table_name, spec, view.filters)
    # Long names would push the bars off a big-type screen.
    data.labels = [t if len(t) <= 26 else t[:25] + "\u2026" for t in data.labels]
    return StationFigure(view_id, spec, data)


class StationChart(QWidget):
    """A matplotlib canvas and a caption; :meth:`show_view` fills it, ``None`` hides it."""

    drawn = Signal(int)  # the view id now on screen

    def __init__(self, font_pt: float, max_bars: int = 8,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.font_pt = float(font_pt)
        self.max_bars = max_bars
        self.view_id: int | None = None
        self.shown: StationFigure | None = None
        self._cache: dict[int, StationFigure] = {}
        # Text in points grows with the figure's dpi: scale it so 12 pt in draw_chart
        # reads like the window's own body text.
        dpi = 96 * min(2.0, max(1.0, self.font_pt / CHART_BODY_PT))
        self.figure = Figure(figsize=(8, 5), dpi=dpi)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName(_("Chart"))
        self.canvas.setMinimumHeight(min(320, round(16 * self.font_pt)))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(_("About this chart"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)
        self.hide()

    def show_view(self, pack_path: Path, view_id: int | None) -> None:
        """Show the chart of saved view ``view_id`` (counted in the background), or hide."""
        if view_id is None:
            self.view_id = None
            self.hide()
            return
        if view_id == self.view_id:
            self.show()
            return
        self.view_id = view_id
        self.show()
        cached = self._cache.get(view_id)
        if cached is not None:
            self._draw(cached)
            return
        self.figure.clear()
        self.canvas.draw_idle()
        self.caption.setText(_("Drawing the chart..."))
        run_op(self, lambda _progress: station_figure(pack_path, view_id, self.max_bars),
               label=_("Counting for the chart"), cancellable=False, quiet=True,
               on_done=self._counted, on_error=lambda exc: self._failed(view_id, exc))

    def _counted(self, result: StationFigure) -> None:
        self._cache[result.view_id] = result
        if result.view_id == self.view_id:
            self._draw(result)

    def _draw(self, result: StationFigure) -> None:
        with warnings.catch_warnings():
            # matplotlib warns when a label cannot fit; the chart is still right.
            warnings.simplefilter("ignore", UserWarning)
            charts.draw_chart(self.figure, result.data, result.spec)
            # The caption is shown below as wrapping text, and the title across the top:
            # a left-aligned axes title would start after the long category names.
            for text in list(self.figure.texts):
                text.remove()
            for ax in self.figure.axes:
                ax.set_title("", loc="left")
            self.figure.suptitle(result.data.title, x=0.01, ha="left",
                                 fontsize=charts.FONT + 3)
            self.figure.tight_layout()
        self.canvas.draw_idle()
        self.shown = result
        self.caption.setText(result.data.caption)
        self.canvas.setAccessibleDescription(f"{result.data.title}. {result.data.caption}")
        self.drawn.emit(result.view_id)

    def _failed(self, view_id: int, exc: BaseException) -> None:
        if view_id == self.view_id:
            self.figure.clear()
            self.canvas.draw_idle()
            self.caption.setText(error_text(exc))

    def forget(self) -> None:
        """Drop counted charts (the data may have changed)."""
        self._cache.clear()
        self.view_id = None
