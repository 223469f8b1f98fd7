"""A data-walk station's chart as a PNG for the phones, drawn on the laptop.

The saved view (dataset, filters, chart) is counted with the core's
:func:`~tde_desktop.core.explore.charts.chart_data` and drawn by matplotlib's Agg
backend (no screen, no Qt). A chart is drawn once per view and language and kept:
every phone at the station gets the same bytes. matplotlib is imported only when
the first station is shown.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass, replace

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import charts, views
from tde_desktop.core.i18n import _, translate
from tde_desktop.core.pack import Pack

#: a phone screen is narrow: a bar chart keeps its largest groups
MAX_BARS = 8

_lock = threading.Lock()  # matplotlib's text layout is not safe across threads
_cache: dict[tuple[str, int, str], StationPng] = {}


@dataclass(frozen=True)
class StationPng:
    """The picture and the words that describe it (for the image's alt text)."""

    png: bytes
    title: str
    caption: str


def station_png(pack: Pack, view_id: int, lang: str) -> StationPng:
    """The chart of saved view ``view_id`` with its texts in ``lang``, as PNG bytes.

    Raises :class:`TdeError` if the view has no chart. Drawn once per pack, view and
    language; the pack's rows never leave the laptop, only this picture.
    """
    key = (str(pack.path), view_id, lang)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    view = views.load_view(pack, view_id)
    if view.chart is None:
        raise TdeError(_("The saved view {name} has no chart.").format(name=view.name))
    spec = view.chart
    if spec.kind == "bar" and spec.top > MAX_BARS:
        spec = replace(spec, top=MAX_BARS)
    if spec.title:
        spec = replace(spec, title=translate(spec.title, lang))
    data = charts.chart_data(pack.conn, pack.dataset(view.dataset_id).table_name, spec,
                             view.filters)
    data.labels = [t if len(t) <= 22 else t[:21] + "\u2026" for t in data.labels]
    with _lock:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(4.8, 4.2), dpi=100)
        FigureCanvasAgg(figure)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            charts.draw_chart(figure, data, spec)
            for text in list(figure.texts):
                text.remove()  # the caption is shown as page text, readable at any zoom
            for ax in figure.axes:
                ax.set_title("")
            figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
    result = StationPng(out.getvalue(), data.title, data.caption)
    _cache[key] = result
    return result
