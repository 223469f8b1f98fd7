"""Charts read in Chinese and Arabic: every glyph is in a font (no boxes), Arabic letters
are joined and put in display order, and a right-to-left title starts at the right."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tde_desktop.core import i18n
from tde_desktop.core.explore import charts, figure_look

ARABIC_TITLE = "إشعارات المباني الشاغرة حسب الحي"
ARABIC_PLACES = ["المدينة القديمة", "الميناء", "Hampden"]
CHINESE_TITLE = "按 议会选区 统计的 空置建筑通知"
#: Arabic presentation forms: letters as joined shapes, what a shaped string holds
PRESENTATION = range(0xFE70, 0xFEFD)


def bar_data(title: str, labels: list[str]) -> charts.ChartData:
    return charts.ChartData(kind="bar", title=title, caption=title, x_label=title,
                            y_label="n", labels=labels, values=[5.0, 3.0, 1.0][:len(labels)],
                            rows=9)


def drawn(data: charts.ChartData, lang: str) -> Figure:
    figure = Figure(figsize=(8, 5), dpi=80)
    FigureCanvasAgg(figure)
    with i18n.thread_language(lang):
        charts.draw_chart(figure, data, charts.ChartSpec(kind="bar", x="x"))
    return figure


def by_gid(figure: Figure, gid: str) -> Any:
    return next(t for t in figure.texts if t.get_gid() == gid)


def no_missing_glyph(figure: Figure, path: Path) -> None:
    """Saving warns "Glyph ... missing from font(s)" for every box drawn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(path, format="png")
    assert path.stat().st_size > 5_000


def test_arabic_chart_title_is_shaped_once_and_starts_at_the_right(tmp_path: Path) -> None:
    figure = drawn(bar_data(ARABIC_TITLE, ARABIC_PLACES), "ar")
    title = by_gid(figure, "tde-title")
    shown = title.get_text()
    assert shown == figure_look.shaped(ARABIC_TITLE)
    if figure_look.lays_out_text_itself():
        # matplotlib joins and orders the letters: shaping them first would turn the
        # title round twice (letters apart, words backwards).
        assert shown == ARABIC_TITLE
    else:
        assert any(ord(c) in PRESENTATION for c in shown)  # letters joined
        assert "إشعارات" not in shown  # no longer in logical order
    assert title.get_horizontalalignment() == "right"
    assert title.get_position()[0] > 0.9
    no_missing_glyph(figure, tmp_path / "ar.png")
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert figure_look.shaped("الميناء") in ticks
    assert "Hampden" in ticks
    assert figure.axes[0].get_xlabel() == "n"


def test_shaping_twice_changes_nothing(tmp_path: Path) -> None:
    figure = drawn(bar_data(ARABIC_TITLE, ARABIC_PLACES), "ar")
    figure.savefig(tmp_path / "once.png")  # tick labels are remade at each draw
    before = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    figure_look.literal_text(figure)
    figure.savefig(tmp_path / "twice.png")
    after = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert after == before
    assert figure_look.shaped("الميناء") in after
    assert figure.axes[0].yaxis.get_major_formatter()(1, 1) == figure_look.shaped("الميناء")


def test_english_chart_is_left_aligned_and_unchanged() -> None:
    figure = drawn(bar_data("Notices by district", ["North", "South"]), "en")
    title = by_gid(figure, "tde-title")
    assert (title.get_text(), title.get_horizontalalignment()) == ("Notices by district",
                                                                   "left")
    assert title.get_fontfamily()[0] == "DejaVu Sans"


def test_mixed_lines_are_shaped_one_by_one_for_an_older_matplotlib() -> None:
    text = "Ward 7\nالحي السابع 7"
    lines = figure_look.shaped_by_hand(text).split("\n")
    assert lines[0] == "Ward 7"
    assert lines[1].startswith("7")  # the number sits left of the Arabic words
    assert any(ord(c) in PRESENTATION for c in lines[1])
    assert figure_look.shaped_by_hand("plain $5") == "plain $5"
    assert figure_look.shaped("plain $5") == "plain $5"


def test_matplotlib_here_lays_out_arabic_itself() -> None:
    # The wheels this app ships (matplotlib 3.11, installers/constraints.txt) carry
    # libraqm; if a build without it is ever installed, shaping by hand takes over.
    import matplotlib

    if matplotlib.__version_info__ >= (3, 11):
        assert figure_look.lays_out_text_itself()
    assert figure_look.shaped(ARABIC_TITLE) == (
        ARABIC_TITLE if figure_look.lays_out_text_itself()
        else figure_look.shaped_by_hand(ARABIC_TITLE))


def test_chinese_chart_has_every_glyph(tmp_path: Path) -> None:
    if len(figure_look.font_families()) < 2:
        pytest.skip("no CJK font on this machine (Debian: fonts-noto-cjk or "
                    "fonts-droid-fallback)")
    figure = drawn(bar_data(CHINESE_TITLE, ["第7区", "第3区"]), "zh_CN")
    title = by_gid(figure, "tde-title")
    assert title.get_fontfamily() == list(figure_look.font_families())
    no_missing_glyph(figure, tmp_path / "zh.png")


def test_chinese_title_wraps_by_its_wide_letters() -> None:
    figure = Figure(figsize=(3, 2))
    latin = figure_look.wrap_to(figure, "x" * 60, 12)
    wide = figure_look.wrap_to(figure, "字" * 60, 12)
    assert wide.count("\n") > latin.count("\n")
    assert max(len(line) for line in wide.split("\n")) <= len(latin.split("\n")[0]) // 2 + 1
