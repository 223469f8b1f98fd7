"""Charts of one dataset: counted in SQL, drawn with matplotlib on a Figure.

:func:`chart_data` does all aggregation in SQL (GROUP BY), so a chart of 2.5
million rows loads at most a few thousand numbers. :func:`draw_chart` draws on
any ``matplotlib.figure.Figure`` (the Qt layer passes the one inside its
canvas); it never uses pyplot, so it is safe off the main thread.

Charts are readable without colour: bars carry their values as text, fonts are
at least 11 pt, and each chart has a title, axis labels and a caption saying
how many rows it shows and which filters apply.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore import figure_look
from tde_desktop.core.explore.facets import UNIT_SQL, date_buckets, numeric_buckets
from tde_desktop.core.explore.filters import (
    Filter,
    describe_filters,
    format_value,
    is_iso_date_sql,
    is_number_sql,
    where_for,
)
from tde_desktop.core.explore.paging import count_rows
from tde_desktop.core.explore.tidied import mapping_sql, tidy_map
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import LocalNumber, format_number
from tde_desktop.core.pack import quote

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KINDS = ("bar", "line", "histogram", "scatter")
UNITS = ("day", "week", "month", "year")
MAX_SCATTER = 5_000
FONT = 12
HATCHES = ("//", "\\\\", "xx", "..", "++", "oo")


@dataclass
class ChartSpec:
    """What to chart: ``kind`` of chart, the ``x`` column, an optional ``y`` column.

    bar: rows per value of x (or the sum of y), the ``top`` most frequent;
    line: rows per ``unit`` of the date column x (or the sum of y);
    histogram: how the numbers in x are spread; scatter: x against y.
    """

    kind: str
    x: str
    y: str | None = None
    unit: str = "month"
    top: int = 15
    title: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TdeError(_("{kind} is not a kind of chart; use one of: {kinds}.").format(
                kind=self.kind, kinds=", ".join(KINDS)))
        if self.unit not in UNITS:
            raise TdeError(_("{unit} is not a time unit; use day, week, month or year.").format(
                unit=self.unit))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChartSpec:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        try:
            return cls(kind=str(d["kind"]), x=str(d["x"]), y=d.get("y"),
                       unit=str(d.get("unit", "month")), top=int(d.get("top", 15)),
                       title=str(d.get("title", "")))
        except (KeyError, TypeError, ValueError):
            raise TdeError(_("A saved chart is damaged and was ignored.")) from None


@dataclass
class ChartData:
    """The numbers behind a chart plus its default title, caption and axis labels.

    bar and line use ``labels``/``values``; histogram uses ``labels`` (bucket
    names), ``values`` and ``edges``; scatter uses ``x``/``y``.
    """

    kind: str
    title: str
    caption: str
    x_label: str
    y_label: str
    labels: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    edges: list[float] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    rows: int = 0
    #: a bar chart's number of groups before the top ones were kept
    groups: int = 0


def _dataset_title(conn: sqlite3.Connection, table: str) -> str:
    try:
        row = conn.execute("SELECT title FROM _tde_datasets WHERE table_name = ?",
                           (table,)).fetchone()
    except sqlite3.Error:
        row = None
    title = str(row[0]) if row else table
    return title[:1].upper() + title[1:]


def column_labels(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column name -> plain label (from the data dictionary), for captions and axis labels."""
    from tde_desktop.core.explore.labels import column_labels as plain_labels

    return plain_labels(conn, table)


def _caption(rows: int, filters: Sequence[Filter], labels: dict[str, str],
             extra: str = "") -> str:
    text = ngettext("{n:,} row", "{n:,} rows", rows).format(n=LocalNumber(rows))
    described = describe_filters(filters, labels)
    text += "; " + (_("filters: {filters}").format(filters=described) if described
                    else _("no filters"))
    return text + (f"; {extra}" if extra else "")


def chart_data(conn: sqlite3.Connection, table: str, spec: ChartSpec,
               filters: Sequence[Filter] = ()) -> ChartData:
    """Aggregate ``table`` for ``spec`` under ``filters``, in SQL.

    A bar chart keeps the ``top`` largest groups (the caption says how many
    groups there were); a scatter keeps at most 5,000 points, chosen by a fixed
    pseudo-random order so the same view always shows the same points.
    """
    labels = column_labels(conn, table)
    xl = labels.get(spec.x, spec.x)
    yl = labels.get(spec.y, spec.y) if spec.y else ""
    rows = count_rows(conn, table, filters)
    name = _dataset_title(conn, table)
    x = quote(spec.x)
    if spec.kind == "bar":
        measure = f"total({quote(spec.y)})" if spec.y else "count(*)"
        where, params = where_for(conn, table, filters)
        grouped = f"SELECT {x} AS k, {measure} AS m FROM {quote(table)} {where} GROUP BY {x}"
        mapping = tidy_map(conn, table, spec.x)
        if mapping:  # tidied values are one bar: map the groups, not every row
            grouped = (f"SELECT {mapping_sql('k0', mapping)} AS k, total(m0) AS m FROM "
                       f"(SELECT {x} AS k0, {measure} AS m0 FROM {quote(table)} {where} "
                       f"GROUP BY {x}) GROUP BY 1")
        result = conn.execute(
            f"SELECT k, m, count(*) OVER () FROM ({grouped}) ORDER BY m DESC, k LIMIT ?",
            [*params, max(1, spec.top)]).fetchall()
        groups = int(result[0][2]) if result else 0
        title = (_("{y} by {x}").format(y=yl, x=xl) if spec.y
                 else _("{name} by {x}").format(name=name, x=xl))
        if groups > spec.top:
            title += " " + _("(top {n})").format(n=spec.top)
        extra = (ngettext("showing {n} of {total} group", "showing {n} of {total} groups",
                          groups).format(n=len(result), total=groups)
                 if groups > len(result) else "")
        return ChartData("bar", spec.title or title, _caption(rows, filters, labels, extra),
                         xl, _("total {y}").format(y=yl) if spec.y else _("rows"),
                         labels=[format_value(r[0]) for r in result],
                         values=[float(r[1]) for r in result], rows=rows, groups=groups)
    if spec.kind == "line":
        if spec.y:
            pairs = _sum_per_period(conn, table, spec, filters)
        else:
            pairs = [(k, float(v)) for k, v in date_buckets(conn, table, spec.x, filters,
                                                            unit=spec.unit)]
        per = {"day": _("per day"), "week": _("per week"), "month": _("per month"),
               "year": _("per year")}[spec.unit]
        title = (_("{y} {per}").format(y=yl, per=per) if spec.y
                 else _("{name} {per}").format(name=name, per=per))
        return ChartData("line", spec.title or title, _caption(rows, filters, labels),
                         xl, _("total {y}").format(y=yl) if spec.y else _("rows"),
                         labels=[k for k, _v in pairs], values=[v for _k, v in pairs],
                         rows=rows)
    if spec.kind == "histogram":
        buckets = numeric_buckets(conn, table, spec.x, filters)
        edges = [b[0] for b in buckets] + ([buckets[-1][1]] if buckets else [])
        return ChartData("histogram", spec.title or _("How {x} is spread").format(x=xl),
                         _caption(rows, filters, labels), xl, _("rows"),
                         labels=[f"{format_value(lo)}–{format_value(hi)}"
                                 for lo, hi, _n in buckets],
                         values=[float(n) for _lo, _hi, n in buckets], edges=edges, rows=rows)
    if not spec.y:
        raise TdeError(_("A scatter chart needs a second column."))
    y = quote(spec.y)
    where, params = where_for(conn, table, filters,
                              [is_number_sql(spec.x), is_number_sql(spec.y)])
    points = conn.execute(
        f"SELECT {x}, {y} FROM {quote(table)} {where} "
        f"ORDER BY (rowid * 1103515245 + 12345) % 2147483648 LIMIT ?",
        [*params, MAX_SCATTER]).fetchall()
    extra = (ngettext("showing {n:,} sampled point", "showing {n:,} sampled points",
                      len(points)).format(n=LocalNumber(len(points)))
             if len(points) >= MAX_SCATTER else "")
    return ChartData("scatter", spec.title or _("{y} against {x}").format(y=yl, x=xl),
                     _caption(rows, filters, labels, extra), xl, yl,
                     x=[float(p[0]) for p in points], y=[float(p[1]) for p in points],
                     rows=rows)


def _sum_per_period(conn: sqlite3.Connection, table: str, spec: ChartSpec,
                    filters: Sequence[Filter]) -> list[tuple[str, float]]:
    expr = UNIT_SQL[spec.unit].format(c=quote(spec.x))
    where, params = where_for(conn, table, filters, [is_iso_date_sql(spec.x)])
    result = conn.execute(
        f"SELECT {expr} AS k, total({quote(spec.y or '')}) FROM {quote(table)} {where} "
        f"GROUP BY k ORDER BY k", params).fetchall()
    return [(str(k), float(v)) for k, v in result if k is not None]


def _fmt(v: float) -> str:
    return format_number(v, 0 if float(v).is_integer() else 1)


def draw_chart(figure: Figure, data: ChartData, spec: ChartSpec) -> None:
    """Clear ``figure`` and draw ``data`` on it: title, axis labels, caption, value labels."""
    figure.clear()
    ax = figure.add_subplot(1, 1, 1)
    ax.tick_params(labelsize=FONT - 1)
    if not (data.values or data.x):
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No rows match these filters."), ha="center", va="center",
                fontsize=FONT + 2, transform=ax.transAxes)
    elif data.kind == "bar":
        # Horizontal bars keep long category names readable; largest on top.
        positions = list(range(len(data.labels)))[::-1]
        bars = ax.barh(positions, data.values, color="#4c72b0", edgecolor="black",
                       hatch=HATCHES[0])
        ax.set_yticks(positions, [lbl[:40] for lbl in data.labels])
        ax.bar_label(bars, labels=[_fmt(v) for v in data.values], padding=3, fontsize=FONT - 1)
        ax.set_xlabel(data.y_label, fontsize=FONT)
        ax.set_ylabel(data.x_label, fontsize=FONT)
        ax.margins(x=0.15)
    elif data.kind == "line":
        xs = list(range(len(data.labels)))
        ax.plot(xs, data.values, color="#4c72b0", marker="o" if len(xs) <= 60 else None,
                linewidth=2)
        step = max(1, len(xs) // 10)
        ax.set_xticks(xs[::step], data.labels[::step], rotation=30, ha="right")
        ax.set_xlabel(data.x_label, fontsize=FONT)
        ax.set_ylabel(data.y_label, fontsize=FONT)
        ax.set_ylim(bottom=0)
    elif data.kind == "histogram":
        lows = data.edges[:-1]
        widths = [b - a for a, b in zip(data.edges[:-1], data.edges[1:], strict=True)]
        bars = ax.bar(lows, data.values, width=widths, align="edge", color="#4c72b0",
                      edgecolor="black", hatch=HATCHES[0])
        if len(bars) <= 25:
            ax.bar_label(bars, labels=[_fmt(v) for v in data.values], padding=2,
                         fontsize=FONT - 2)
        ax.set_xlabel(data.x_label, fontsize=FONT)
        ax.set_ylabel(data.y_label, fontsize=FONT)
    else:
        ax.scatter(data.x, data.y, s=10, alpha=0.5, color="#4c72b0", marker="o",
                   gid=figure_look.POINTS_GID)
        ax.set_xlabel(data.x_label, fontsize=FONT)
        ax.set_ylabel(data.y_label, fontsize=FONT)
    # Title and caption wrap to the figure's width (never cut) and the axes take the rest.
    top = figure_look.put_title(figure, data.title, FONT + 3)
    bottom = figure_look.put_caption(figure, data.caption, FONT - 1)
    figure_look.literal_text(figure)  # pack text is never mathtext
    figure_look.finish_layout(figure, top, bottom)


def save_chart(data: ChartData, spec: ChartSpec, path: str | Path) -> Path:
    """Write the chart to ``path`` as PNG or SVG (chosen by the suffix); returns the path."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise TdeError(_("Charts can be saved as .png or .svg files."))
    figure = Figure(figsize=(10, 6.5), dpi=120)
    FigureCanvasAgg(figure)
    draw_chart(figure, data, spec)
    try:
        figure.savefig(str(path), format=fmt)
    except OSError as exc:
        raise TdeError(_("Cannot save {name}: {reason}").format(
            name=path.name, reason=exc.strerror)) from None
    return path
