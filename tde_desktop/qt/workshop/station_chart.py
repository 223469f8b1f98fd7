"""The chart of a data-walk station: the saved view's figure, large, with its caption.

A data-walk exercise points at a saved view (dataset, filters and a chart). The
kiosk shows that chart beside the station's prompts, the projector above them.
The chart yields room: it asks for little height and takes what the answers
leave. Its title, axis labels and caption are in the language asked for (a
kiosk participant's choice), counted with that language on the worker thread
only (:func:`~tde_desktop.core.i18n.thread_language`). The
numbers are counted in the background (:func:`ops.run_op`, on a read-only
connection of its own) and drawn on the UI thread; a station's chart is counted
once per window and reused while its prompts are answered. The figure's dots
per inch follow the screen's font size, so axis labels and bar numbers are as
readable as the text around them. This module imports matplotlib, so it is
imported only when a station is first shown.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import charts, figure_look, views
from tde_desktop.core.i18n import N_, _, current_language, ngettext, thread_language, translate
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.ops import error_text, run_op

#: the chart titles of the bundled agenda's saved views, so that their stations follow the
#: participant's language; a title a facilitator types stays as typed
AGENDA_CHART_TITLES = (
    N_("Vacant building notices by neighbourhood"), N_("Vacant building notices by year"),
    N_("Vacant building notices by council district"),
    N_("Buildings with a notice from before 2010"),
)

#: the figure is scaled so draw_chart's 12 pt text reads like this size on screen (pt)
CHART_BODY_PT = 14
#: a bar and its gap take this many lines of the chart's text, so names never overlap
LINES_PER_BAR = 1.6


@dataclass
class StationFigure:
    """What a station shows: its view's chart spec and the counted numbers."""

    view_id: int
    spec: charts.ChartSpec
    data: charts.ChartData
    lang: str = "en"
    #: the caption when only n of the bars fit the canvas, by n (bar charts)
    fewer: dict[int, str] = field(default_factory=dict)


def _showing(n: int, groups: int) -> str:
    return ngettext("showing {n} of {total} group", "showing {n} of {total} groups",
                    groups).format(n=n, total=groups)


def _fewer_bar_captions(data: charts.ChartData) -> dict[int, str]:
    """The caption for each smaller number of bars, in the current language."""
    if data.kind != "bar" or len(data.labels) < 2:
        return {}
    groups = max(data.groups, len(data.labels))
    base = data.caption.removesuffix("; " + _showing(len(data.labels), groups))
    return {n: f"{base}; {_showing(n, groups)}" for n in range(1, len(data.labels))}


def station_figure(pack_path: Path, view_id: int, max_bars: int = 10,
                   lang: str | None = None) -> StationFigure:
    """Count the chart of saved view ``view_id`` (off the UI thread; read-only).

    A bar chart keeps at most ``max_bars`` bars, so each is tall enough to read
    from across a room; its caption then says how many groups are not shown. The
    captions for fewer bars (a small canvas shows fewer) are made here too.
    Texts are in ``lang`` (default: the app's language).
    """
    lang = lang or current_language()
    with thread_language(lang):
        return _station_figure(pack_path, view_id, max_bars, lang)


def _station_figure(pack_path: Path, view_id: int, max_bars: int, lang: str) -> StationFigure:
    from tde_desktop.core.pack import Pack

    with Pack.open(pack_path, read_only=True) as pack:
        view = views.load_view(pack, view_id)
        if view.chart is None:
            raise TdeError(_("The saved view {name} has no chart.").format(name=view.name))
        info = pack.dataset(view.dataset_id)
        spec = view.chart
        if spec.kind == "bar" and spec.top > max_bars:
            spec = replace(spec, top=max_bars)
        if spec.title:
            spec = replace(spec, title=translate(spec.title, lang))
        data = charts.chart_data(pack.conn, info.table_name, spec, view.filters)
    # Long names would push the bars off a big-type screen.
    data.labels = [t if len(t) <= 26 else t[:25] + "\u2026" for t in data.labels]
    return StationFigure(view_id, spec, data, lang, _fewer_bar_captions(data))


class StationChart(QWidget):
    """A matplotlib canvas and a caption; :meth:`show_view` fills it, ``None`` hides it."""

    drawn = Signal(int)  # the view id now on screen

    def __init__(self, font_pt: float, max_bars: int = 8, parent: QWidget | None = None,
                 *, value_axis: bool = True) -> None:
        super().__init__(parent)
        self.font_pt = float(font_pt)
        self.max_bars = max_bars
        #: False: a bar chart has no value axis (each bar has its number), so more bars fit
        self.value_axis = value_axis
        self.view_id: int | None = None
        self.lang: str | None = None
        self.shown: StationFigure | None = None
        self._cache: dict[tuple[int, str], StationFigure] = {}
        self._redraw = QTimer(self, singleShot=True, interval=120)
        self._redraw.timeout.connect(
            lambda: self.shown is not None and self._draw(self.shown))
        self.figure = Figure(figsize=(8, 5), dpi=self._dpi())
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName(_("Chart"))
        # Small on purpose: the chart takes the room the answers leave, never theirs.
        self.canvas.setMinimumSize(200, 160)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(_("About this chart"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)
        self.hide()

    def _dpi(self) -> float:
        # Text in points grows with the figure's dpi: scale it so 12 pt in draw_chart
        # reads like the window's own body text.
        return 96 * min(2.0, max(1.0, self.font_pt / CHART_BODY_PT))

    def bars_that_fit(self) -> int:
        """How many bars the drawn chart's plot area holds at about 1.6 lines of chart
        text each (at least one), what the title and axes leave of the canvas."""
        if not self.figure.axes:
            return 1
        line_px = charts.FONT / 72 * self.figure.dpi
        return max(1, int(self.figure.axes[0].bbox.height / (LINES_PER_BAR * line_px)))

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def set_font_points(self, font_pt: float) -> None:
        """Follow the window's new body size (text size or window height changed)."""
        if float(font_pt) == self.font_pt:
            return
        self.font_pt = float(font_pt)
        self.figure.set_dpi(self._dpi())
        # A new dpi keeps the figure's inches, so it would outgrow the canvas (title cut,
        # axes laid out for a figure twice as big): keep the canvas's pixel size instead.
        pixels = self.canvas.device_pixel_ratio / self.figure.dpi
        self.figure.set_size_inches(self.canvas.width() * pixels,
                                    self.canvas.height() * pixels, forward=False)
        if self.shown is not None:
            self._draw(self.shown)

    def show_view(self, pack_path: Path, view_id: int | None, lang: str | None = None) -> None:
        """Show the chart of saved view ``view_id`` (counted in the background) with its
        texts in ``lang`` (default: the app's language), or hide when ``view_id`` is None."""
        if view_id is None:
            self.view_id = None
            self.hide()
            return
        lang = lang or current_language()
        if (view_id, lang) == (self.view_id, self.lang):
            self.show()
            return
        self.view_id, self.lang = view_id, lang
        self.show()
        cached = self._cache.get((view_id, lang))
        if cached is not None:
            self._draw(cached)
            return
        self.figure.clear()
        self.canvas.draw_idle()
        self.caption.setText(translate("Drawing the chart...", lang))
        max_bars = self.max_bars
        run_op(self, lambda _progress: station_figure(pack_path, view_id, max_bars, lang),
               label=_("Counting for the chart"), cancellable=False, quiet=True,
               on_done=self._counted, on_error=lambda exc: self._failed(view_id, exc))

    def _counted(self, result: StationFigure) -> None:
        self._cache[(result.view_id, result.lang)] = result
        if (result.view_id, result.lang) == (self.view_id, self.lang):
            self._draw(result)

    def _draw(self, result: StationFigure) -> None:
        # Bar labels are written here, in the participant's language too (16.747).
        with warnings.catch_warnings(), thread_language(result.lang):
            # matplotlib warns when a label cannot fit; the chart is still right.
            warnings.simplefilter("ignore", UserWarning)
            # The caption is shown below as wrapping text; the title wraps in the figure.
            # A bar chart's title names its groups: a sideways label beside the bars
            # would only crowd the names on a big-type screen.
            data = replace(result.data, caption="")
            caption = result.data.caption
            if data.kind == "bar":
                data = replace(data, x_label="")
            self._draw_chart(data, result.spec)
            fit = self.bars_that_fit() if data.kind == "bar" else len(data.labels)
            if fit < len(data.labels):  # the names of more bars would overlap: fewer
                data = replace(data, labels=data.labels[:fit], values=data.values[:fit])
                caption = result.fewer.get(fit, caption)
                self._draw_chart(data, result.spec)
            figure_look.apply_colours(self.figure, theme.chart_rc())  # high contrast too
        self.canvas.draw_idle()
        self.shown = result
        self.caption.setText(caption)
        self.canvas.setAccessibleDescription(f"{result.data.title}. {caption}")
        # Plain labels on the chart; the raw column names stay in the tooltip.
        self.canvas.setToolTip(", ".join(c for c in (result.spec.x, result.spec.y) if c))
        self.drawn.emit(result.view_id)

    def _draw_chart(self, data: charts.ChartData, spec: charts.ChartSpec) -> None:
        charts.draw_chart(self.figure, data, spec)
        if self.value_axis or data.kind != "bar" or not self.figure.axes:
            return
        # The numbers are written on the bars: the value axis below them (ticks and
        # "rows") only takes the height of a bar or two from a big-type screen.
        ax = self.figure.axes[0]
        ax.xaxis.set_visible(False)
        height = max(1.0, self.figure.get_figheight() * self.figure.dpi)
        self.figure.subplots_adjust(bottom=min(0.3, 0.1 * self.figure.dpi / height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._redraw.start()  # the title wraps and the axes fit the new size

    def _failed(self, view_id: int, exc: BaseException) -> None:
        if view_id == self.view_id:
            self.figure.clear()
            self.canvas.draw_idle()
            self.caption.setText(error_text(exc))

    def forget(self) -> None:
        """Drop counted charts (the data may have changed)."""
        self._cache.clear()
        self.view_id = None
