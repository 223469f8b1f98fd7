"""What every chart and map figure shares: a title and caption that wrap, and colours.

Titles and captions are wrapped to the figure's width (``textwrap``), never cut:
a narrow side panel shows "Vacant building notices by / City Council district"
on two lines instead of "...notices by Cit". :func:`finish_layout` then leaves
room for exactly the lines drawn. :func:`apply_colours` repaints a drawn figure
with a few matplotlib ``rcParams`` keys (the Qt theme's high contrast gives
light ink on black); it changes only that figure, never the global rcParams,
so it is safe on a worker thread while another figure is drawn elsewhere.

Every language reads in a chart (:func:`literal_text`): DejaVu Sans has no Chinese,
Japanese or Korean letters, so each text gets a list of fonts, DejaVu Sans first and
then a CJK font found on the machine (matplotlib falls back glyph by glyph).
matplotlib 3.11 built with libraqm joins Arabic letters and orders right-to-left text
itself, so text is given to it as written; an older matplotlib does neither, and there
text holding Arabic, Persian or Hebrew is shaped (``arabic-reshaper``) and put in
display order (``python-bidi``) line by line. In a right-to-left language titles and
captions start at the right edge.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop.core.i18n import current_language, is_rtl

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
#: fonts with Chinese (and Japanese and Korean) letters, by system: Windows, macOS, Linux
CJK_FONTS = ("Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB",
             "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Droid Sans Fallback", "Malgun Gothic",
             "Apple SD Gothic Neo", "Noto Sans CJK KR")
#: letters of scripts written right to left (Hebrew, Arabic, Syriac, Thaana, NKo and
#: the Arabic presentation forms)
_RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_SHAPED = "_tde_shaped"  # the text a Text or a tick formatter was last shaped to


#: where those fonts' files usually are, for a matplotlib font list made before one
#: was installed (matplotlib keeps its list of the machine's fonts in a cache)
CJK_FONT_FILES = (
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf", "C:/Windows/Fonts/malgun.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


@functools.cache
def font_families() -> tuple[str, ...]:
    """The fonts every chart and map text asks for, in order: DejaVu Sans (matplotlib's
    own, always there), then at most two CJK fonts this machine has. Looked up once,
    in matplotlib's font list and, when that lacks them, at the usual file places."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    have = {entry.name for entry in manager.ttflist}
    found = [name for name in CJK_FONTS if name in have]
    for path in CJK_FONT_FILES if not found else ():
        if Path(path).is_file():
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable font file
                continue
            found.append(manager.ttflist[-1].name)
    return ("DejaVu Sans", *dict.fromkeys(found[:2]))


@functools.cache
def lays_out_text_itself() -> bool:
    """True when this matplotlib joins and orders right-to-left text itself (it is built
    with libraqm, as the 3.11 wheels are). Shaping the text first would then turn it
    round a second time: letters unjoined, words backwards."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", ""))


def shaped(text: str) -> str:
    """``text`` as matplotlib must be given it to read right: as written where matplotlib
    lays out complex text itself; otherwise Arabic letters joined and every line holding
    right-to-left letters in display order. Other text is unchanged."""
    if not _RTL_LETTERS.search(text) or lays_out_text_itself():
        return text
    return shaped_by_hand(text)


def shaped_by_hand(text: str) -> str:
    """``text`` with Arabic letters joined (arabic-reshaper) and each line holding
    right-to-left letters put in display order (python-bidi): what an older matplotlib,
    which draws letters one by one from left to right, needs."""
    if not _RTL_LETTERS.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return "\n".join(get_display(arabic_reshaper.reshape(line)) if _RTL_LETTERS.search(line)
                     else line for line in text.split("\n"))


def _wide(text: str) -> int:
    """Columns ``text`` takes: Chinese, Japanese and Korean letters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def chars_across(figure: Figure, fontsize: float, share: float = 1.0) -> int:
    """How many characters of ``fontsize`` points fit across ``share`` of the figure."""
    width_pt = figure.get_figwidth() * 72 * share - 2 * EDGE_PT
    return max(12, int(width_pt / (fontsize * GLYPH_WIDTH)))


def wrap_to(figure: Figure, text: str, fontsize: float, share: float = 1.0) -> str:
    """``text`` broken into lines that fit across ``share`` of the figure's width."""
    if not text:
        return ""
    width = chars_across(figure, fontsize, share)
    width = max(6, width * len(text) // max(1, _wide(text)))  # CJK letters are wide
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True,
                                   break_on_hyphens=False)) or text


def _start(figure: Figure) -> tuple[float, str]:
    """Where a line of text starts: the left edge, or the right one in a right-to-left
    language (x as a share of the figure's width, and the alignment)."""
    edge = EDGE_PT / (figure.get_figwidth() * 72)
    return (1 - edge, "right") if is_rtl(current_language()) else (edge, "left")


def put_title(figure: Figure, title: str, fontsize: float) -> float:
    """Draw ``title`` wrapped across the top of the figure; returns its height as a share
    of the figure's height (what the axes must leave free)."""
    wrapped = wrap_to(figure, title, fontsize)
    if not wrapped:
        return 0.0
    height_pt = figure.get_figheight() * 72
    edge = EDGE_PT / height_pt
    x, ha = _start(figure)
    figure.text(x, 1 - edge, wrapped, fontsize=fontsize, ha=ha, va="top", gid="tde-title")
    lines = wrapped.count("\n") + 1
    return min(0.45, (lines * fontsize * LINE_HEIGHT + 2 * EDGE_PT) / height_pt)


def put_caption(figure: Figure, caption: str, fontsize: float) -> float:
    """Draw ``caption`` wrapped along the bottom; returns its height as a share of the
    figure's height."""
    wrapped = wrap_to(figure, caption, fontsize)
    if not wrapped:
        return 0.0
    height_pt = figure.get_figheight() * 72
    x, ha = _start(figure)
    figure.text(x, EDGE_PT / height_pt, wrapped, fontsize=fontsize, ha=ha, va="bottom",
                gid="tde-caption")
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
    """Show every text of ``figure`` as written, in any language: a title or value
    holding dollar signs ("$5 to $10") is never read as mathematics; every text and tick
    label asks for :func:`font_families` (Chinese reads, never boxes); right-to-left
    text, tick labels included, is :func:`shaped`. Calling it again changes nothing."""
    from matplotlib.text import Text

    families = list(font_families())
    ticks = {id(label) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]
             for label in (tick.label1, tick.label2)}
    for text in figure.findobj(Text):
        text.set_parse_math(False)
        if text.get_fontfamily() == ["sans-serif"]:  # the default; a chosen font stays
            text.set_fontfamily(families)
        if id(text) not in ticks:  # tick labels: shaped in their formatter, once
            _shape_text(text)
    for ax in figure.axes:
        ax.tick_params(labelfontfamily=families)
        for axis in (ax.xaxis, ax.yaxis):  # tick labels are remade from these at draw
            _shape_tick_labels(axis)


def _shape_tick_labels(axis: Any) -> None:
    """Shape the labels a FixedFormatter or a FuncFormatter (what ``set_ticks(pos, labels)``
    makes) gives; number formatters are left alone (digits need no shaping)."""
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    formatter = axis.get_major_formatter()
    if getattr(formatter, _SHAPED, False):
        return
    if isinstance(formatter, FixedFormatter):
        formatter.seq = [shaped(str(label)) for label in formatter.seq]
    elif isinstance(formatter, FuncFormatter):
        given = formatter.func

        def shaped_label(x: float, pos: int | None = None) -> str:
            return shaped(str(given(x, pos)))

        formatter.func = shaped_label
    else:
        return
    setattr(formatter, _SHAPED, True)


def _shape_text(text: Any) -> None:
    current = text.get_text()
    if getattr(text, _SHAPED, None) == current:
        return  # shaped before: shaping twice would turn it back
    done = shaped(current)
    if done != current:
        text.set_text(done)
    setattr(text, _SHAPED, done)


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
