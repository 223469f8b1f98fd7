"""Data-walk stations show their saved view's chart on the kiosk and the projector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from tde_desktop.core.explore import views
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws


@pytest.fixture(scope="module")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tde_desktop.sample_pack import build

    return build(out=tmp_path_factory.mktemp("sample") / "sample.tdepack")


@pytest.fixture
def pack(sample_template: Path, tmp_path: Path) -> Iterator[Pack]:
    import shutil

    path = tmp_path / "sample.tdepack"
    shutil.copyfile(sample_template, path)
    with Pack.open(path) as opened:
        yield opened


def _station(pack: Pack) -> tuple[ws.Workshop, ws.Exercise]:
    workshop = ws.list_workshops(pack)[0]
    station = next(e for e in ws.list_exercises(pack, workshop.id)
                   if e.type == "data_walk" and e.view_id is not None)
    ws.open_exercise(pack, station.id)
    return workshop, station


def _bars(figure: Any) -> list[Rectangle]:
    return [p for ax in figure.axes for p in ax.patches
            if isinstance(p, Rectangle) and p.get_width() > 0]


def _assert_chart(qtbot: Any, chart: Any, pack: Pack, view_id: int) -> None:
    qtbot.waitUntil(lambda: chart.shown is not None and chart.shown.view_id == view_id,
                    timeout=10_000)
    view = views.load_view(pack, view_id)
    assert view.chart is not None
    assert view.chart.title
    assert chart.isVisible()
    assert len(_bars(chart.figure)) >= 1
    # the title may wrap over two lines; it is never cut
    shown = " ".join(" ".join(t.get_text().split()) for t in chart.figure.findobj(Text))
    assert view.chart.title in shown
    # the plain-language caption is on screen too, and says how many rows the chart counts
    assert "rows" in chart.caption.text()
    # all the counted bars, or as many as the canvas fits with the caption saying so
    bars = len(_bars(chart.figure))
    assert chart.caption.text() == (chart.shown.data.caption if bars == len(
        chart.shown.data.labels) else chart.shown.fewer[bars])


def test_kiosk_station_shows_its_chart_above_the_prompts(qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.kiosk import Kiosk

    workshop, station = _station(pack)
    kiosk = Kiosk(pack, workshop.id)
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 900)
    kiosk.show()
    kiosk.start()
    assert kiosk.steps[0].exercise.id == station.id
    chart = kiosk.station_chart
    assert chart is not None
    _assert_chart(qtbot, chart, pack, station.view_id)
    layout = kiosk.question_layout
    assert layout.indexOf(chart) < layout.indexOf(kiosk.question_label)
    # drawn at the kiosk's type size: the figure's text scales with its dpi
    assert chart.figure.dpi >= 96 * 20 / 14 - 1
    # the next prompt of the same station keeps the chart without counting again
    first = chart.shown
    kiosk.widget.set_value("Lots of empty houses on my street")
    assert kiosk.next()
    assert kiosk.steps[kiosk.index].exercise.id == station.id
    assert chart.shown is first
    assert chart.isVisible()


def test_kiosk_hides_the_chart_for_exercises_without_a_view(qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.kiosk import Kiosk

    workshop = ws.list_workshops(pack)[0]
    sign_in = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "sign_in")
    ws.open_exercise(pack, sign_in.id)
    kiosk = Kiosk(pack, workshop.id)
    qtbot.addWidget(kiosk)
    kiosk.show()
    kiosk.start()
    assert kiosk.station_chart is None  # no station, no matplotlib


def test_projector_shows_the_current_station_chart(qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    workshop, station = _station(pack)
    projector = ProjectorWindow(pack, workshop.id)
    qtbot.addWidget(projector)
    projector.show()
    assert projector.title.text() == station.title
    chart = projector.station_chart
    assert chart is not None
    _assert_chart(qtbot, chart, pack, station.view_id)
    # answers arriving rebuild the results, not the chart
    shown = chart.shown
    ws.add_participant(pack, workshop.id)
    projector.refresh()
    assert chart.shown is shown


def test_station_chart_uses_plain_labels_and_keeps_raw_names_in_the_tooltip(
        qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.kiosk import Kiosk

    workshop = ws.list_workshops(pack)[0]
    by_year = next(e for e in ws.list_exercises(pack, workshop.id)
                   if e.view_id is not None and views.load_view(pack, e.view_id).chart.x ==
                   "noticedate")
    ws.open_exercise(pack, by_year.id)
    kiosk = Kiosk(pack, workshop.id)
    qtbot.addWidget(kiosk)
    kiosk.show()
    kiosk.start()
    chart = kiosk.station_chart
    qtbot.waitUntil(lambda: chart.shown is not None, timeout=10_000)
    axis = chart.figure.axes[0].get_xlabel()
    assert axis.startswith("Date the city issued")  # the dictionary's words
    assert "noticedate" not in axis
    assert "noticedate" not in chart.caption.text()
    assert chart.canvas.toolTip() == "noticedate"


def test_larger_text_keeps_the_chart_inside_its_canvas_with_a_wrapped_title(
        qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.station_chart import StationChart, station_figure

    _workshop, station = _station(pack)
    assert station.view_id is not None
    counted = station_figure(pack.path, station.view_id, lang="en")
    chart = StationChart(14)
    qtbot.addWidget(chart)
    chart.resize(600, 320)
    chart.show()
    chart.view_id, chart.lang = counted.view_id, counted.lang
    chart._counted(counted)  # drawn at 100% text
    chart.set_font_points(28)  # View > Text size 200%: the dpi doubles
    chart.canvas.draw()
    canvas = chart.canvas
    assert chart.figure.bbox.width == pytest.approx(canvas.width() * canvas.device_pixel_ratio)
    assert chart.figure.bbox.height == pytest.approx(canvas.height() * canvas.device_pixel_ratio)
    renderer = canvas.get_renderer()
    title = next(t for t in chart.figure.texts if t.get_gid() == "tde-title")
    assert "\n" in title.get_text()  # wrapped for the larger text, not cut
    assert title.get_window_extent(renderer).x1 <= chart.figure.bbox.width


def test_a_small_canvas_at_large_text_shows_fewer_bars_whose_names_do_not_overlap(
        qtbot: Any, pack: Pack) -> None:
    from tde_desktop.qt.workshop.station_chart import StationChart, station_figure

    _workshop, station = _station(pack)
    assert station.view_id is not None
    counted = station_figure(pack.path, station.view_id, max_bars=8, lang="en")
    assert len(counted.data.labels) == 8
    assert counted.data.groups > 8
    chart = StationChart(28)  # View > Text size 200%
    qtbot.addWidget(chart)
    chart.resize(560, 700)
    chart.show()
    chart.view_id, chart.lang = counted.view_id, counted.lang
    chart._counted(counted)
    chart.canvas.draw()
    fit = chart.bars_that_fit()
    assert 3 <= fit < 8
    assert len(_bars(chart.figure)) == fit
    assert f"showing {fit} of {counted.data.groups} groups" in chart.caption.text()
    names = [t.get_window_extent(chart.canvas.get_renderer())
             for t in chart.figure.axes[0].get_yticklabels() if t.get_text()]
    assert len(names) == fit
    names.sort(key=lambda box: box.y0)
    assert all(low.y1 <= high.y0 for low, high in zip(names, names[1:], strict=False))
    # a taller canvas shows all eight again, with the counted caption
    chart.resize(560, 1400)
    qtbot.waitUntil(lambda: len(_bars(chart.figure)) == 8, timeout=5_000)
    assert chart.caption.text() == counted.data.caption
