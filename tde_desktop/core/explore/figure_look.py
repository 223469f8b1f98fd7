"""What every chart and map figure shares: a title and caption that wrap, and colours.

Titles and captions are wrapped to the figure's width (``textwrap``), never cut:
a narrow side panel shows "Vacant building notices by / City Council district"
on two lines instead of "...notices by Cit". :func:`finish_layout` then leaves
room for exactly the lines drawn. :func:`apply_colours` repaints a drawn figure
with a few matplotlib ``rcParams`` keys (the Qt theme's high contrast gives
light ink on black); it changes only that figure, never the global rcParams,
so it is safe on a worker thread while another figure is drawn elsewhere.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: average glyph width as a share of the font size (DejaVu Sans, mixed case)
GLYPH_WIDTH = 0.58
#: line height as a share of the font size
LINE_HEIGHT = 1.3
#: space kept around the figure's edge (points)
EDGE_PT = 6.0
#: the gid of a scatter of points, so that :func:`apply_colours` finds it
POINTS_GID = "tde-points"


def chars_across(figure: Figure, fontsize: float, share: float = 1.0) -> int:
    """How many characters of ``fontsize`` points fit across ``share`` of the figure."""
    width_pt = figure.get_figwidth() * 72 * share - 2 * EDGE_PT
    return max(12, int(width_pt / (fontsize * GLYPH_WIDTH)))


def wrap_to(figure: Figure, text: str, fontsize: float, share: float = 1.0) -> str:
    """``text`` broken into lines that fit across ``share`` of the figure's width."""
    if not text:
        return ""
    width = chars_across(figure, fontsize, share)
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True,
                                   break_on_hyphens=False)) or text


def put_title(figure: Figure, title: str, fontsize: float) -> float:
    """Draw ``title`` wrapped across the top of the figure; returns its height as a share
    of the figure's height (what the axes must leave free)."""
    wrapped = wrap_to(figure, title, fontsize)
    if not wrapped:
        return 0.0
    height_pt = figure.get_figheight() * 72
    edge = EDGE_PT / height_pt
    figure.text(EDGE_PT / (figure.get_figwidth() * 72), 1 - edge, wrapped,
                fontsize=fontsize, ha="left", va="top", gid="tde-title")
    lines = wrapped.count("\n") + 1
    return min(0.45, (lines * fontsize * LINE_HEIGHT + 2 * EDGE_PT) / height_pt)


def put_caption(figure: Figure, caption: str, fontsize: float) -> float:
    """Draw ``caption`` wrapped along the bottom; returns its height as a share of the
    figure's height."""
    wrapped = wrap_to(figure, caption, fontsize)
    if not wrapped:
        return 0.0
    height_pt = figure.get_figheight() * 72
    figure.text(EDGE_PT / (figure.get_figwidth() * 72), EDGE_PT / height_pt, wrapped,
                fontsize=fontsize, ha="left", va="bottom", gid="tde-caption")
    lines = wrapped.count("\n") + 1
    return min(0.45, (lines * fontsize * LINE_HEIGHT + 2 * EDGE_PT) / height_pt)


def finish_layout(figure: Figure, top: float, bottom: float, right: float = 0.0) -> None:
    """Fit the axes (tick labels and axis labels included) between a title taking
    ``top`` and a caption (and legend) taking ``bottom`` of the figure's height, leaving
    ``right`` of its width free (a legend beside the plot)."""
    if 1 - top - bottom < 0.15:  # a tiny figure: keep some room for the plot itself
        top, bottom = min(top, 0.3), min(bottom, 0.3)
    for _pass in range(2):  # the second pass sees tick labels placed by the first
        figure.tight_layout(rect=(0, bottom, 1 - right, 1 - top), pad=0.6)


def literal_text(figure: Figure) -> None:
    """Show every text of ``figure`` as written: a title or value holding dollar signs
    ("$5 to $10") is never read as mathematics."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        text.set_parse_math(False)


def apply_colours(figure: Figure, rc: Mapping[str, str] | None) -> None:
    """Repaint ``figure`` with the colours in ``rc`` (matplotlib rcParams keys:
    ``figure.facecolor``, ``axes.facecolor``, ``axes.edgecolor``, ``text.color``,
    ``xtick.color``, ``ytick.color``, ``patch.facecolor`` for bars, ``lines.color``
    for lines and points, ``legend.facecolor``, ``legend.edgecolor``). Keys left out keep
    their colour; an empty ``rc`` changes nothing."""
    if not rc:
        return
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    if "figure.facecolor" in rc:
        figure.set_facecolor(rc["figure.facecolor"])
    for text in figure.findobj(Text):
        if "text.color" in rc:
            text.set_color(rc["text.color"])
    for ax in figure.axes:
        if "axes.facecolor" in rc:
            ax.set_facecolor(rc["axes.facecolor"])
        if "axes.edgecolor" in rc:
            for spine in ax.spines.values():
                spine.set_edgecolor(rc["axes.edgecolor"])
        if "xtick.color" in rc:
            ax.tick_params(axis="x", colors=rc["xtick.color"])
        if "ytick.color" in rc:
            ax.tick_params(axis="y", colors=rc["ytick.color"])
        if "patch.facecolor" in rc:
            for patch in ax.patches:
                if isinstance(patch, Rectangle):
                    patch.set_facecolor(rc["patch.facecolor"])
        if "lines.color" in rc:
            for line in ax.lines:
                if isinstance(line, Line2D):
                    line.set_color(rc["lines.color"])
            for points in ax.collections:
                if points.get_gid() == POINTS_GID:
                    points.set_facecolor(rc["lines.color"])
    legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes)]
    for legend in legends:
        if legend is None:
            continue
        frame = legend.get_frame()
        if "legend.facecolor" in rc:
            frame.set_facecolor(rc["legend.facecolor"])
        if "legend.edgecolor" in rc:
            frame.set_edgecolor(rc["legend.edgecolor"])
