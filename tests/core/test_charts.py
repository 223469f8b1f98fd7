"""Chart data counted in SQL, and charts drawn to PNG and SVG."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.charts import ChartSpec, chart_data, draw_chart, save_chart
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311, table


def test_bar_chart_counts_and_text(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    t = table(explorer_pack, "vacant building notices")
    spec = ChartSpec("bar", "neighborhood")
    data = chart_data(explorer_pack.conn, t, spec)
    counts = Counter(r["neighborhood"] for r in vacants).most_common(15)
    assert list(zip(data.labels, data.values, strict=True)) == [(k, float(v)) for k, v in counts]
    assert data.title == "Vacant building notices by neighborhood (top 15)"
    assert data.caption.startswith("16,747 rows; no filters")
    filtered = chart_data(explorer_pack.conn, t, spec, [Filter("councildistrict", "is", 7)])
    assert filtered.caption.startswith("2,213 rows; filters: councildistrict is 7")
    assert sum(filtered.values) <= 2213


def test_line_and_histogram(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    t = table(explorer_pack, "vacant building notices")
    line = chart_data(explorer_pack.conn, t, ChartSpec("line", "noticedate", unit="year"))
    per_year = Counter(r["noticedate"][:4] for r in vacants)
    assert dict(zip(line.labels, line.values, strict=True))["2018"] == per_year["2018"]
    assert line.title == "Vacant building notices per year"
    hist = chart_data(explorer_pack.conn, t, ChartSpec("histogram", "councildistrict"))
    assert sum(hist.values) == 16_747
    assert len(hist.edges) == len(hist.values) + 1


@pytest.mark.shared_data(LA311)
def test_scatter_and_summed_bar(explorer_pack: Pack) -> None:
    la = table(explorer_pack, "LA 311")
    scatter = chart_data(explorer_pack.conn, la, ChartSpec("scatter", "longitude", "latitude"))
    assert len(scatter.x) == len(scatter.y) == 5000  # 8,246 located rows, sampled to 5,000
    assert "showing 5,000 sampled points" in scatter.caption
    again = chart_data(explorer_pack.conn, la, ChartSpec("scatter", "longitude", "latitude"))
    assert again.x == scatter.x  # the same view always shows the same sample
    summed = chart_data(explorer_pack.conn, la, ChartSpec("bar", "cd", y="tbmrow", top=3))
    assert len(summed.values) == 3
    assert summed.title == "TBMRow by CD (top 3)"


def test_charts_written_as_png_and_svg(explorer_pack: Pack, tmp_path: Path) -> None:
    t = table(explorer_pack, "vacant building notices")
    for kind, x, y in [("bar", "policedistrict", None), ("line", "noticedate", None),
                       ("histogram", "councildistrict", None),
                       ("scatter", "councildistrict", "councildistrict")]:
        spec = ChartSpec(kind, x, y, unit="year")
        data = chart_data(explorer_pack.conn, t, spec)
        if kind in ("bar", "scatter"):
            png = save_chart(data, spec, tmp_path / f"{kind}.png")
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert png.stat().st_size > 10_000
        else:
            svg = save_chart(data, spec, tmp_path / f"{kind}.svg")
            text = svg.read_text(encoding="utf-8")
            assert "<svg" in text
            assert "<path" in text
            assert len(text) > 5000
    with pytest.raises(TdeError):
        save_chart(data, spec, tmp_path / "chart.gif")


def test_draw_on_a_given_figure_and_empty_result(explorer_pack: Pack) -> None:
    from matplotlib.figure import Figure

    t = table(explorer_pack, "vacant building notices")
    spec = ChartSpec("bar", "neighborhood", top=5)
    figure = Figure()
    draw_chart(figure, chart_data(explorer_pack.conn, t, spec), spec)
    ax = figure.axes[0]
    title = next(t for t in figure.texts if t.get_gid() == "tde-title")
    assert title.get_text() == "Vacant building notices by neighborhood (top 5)"
    value_labels = [c.get_text() for c in ax.texts]
    assert "905" in value_labels  # bars carry their values as text
    assert min(t.get_fontsize() for t in ax.get_yticklabels()) >= 11
    none = chart_data(explorer_pack.conn, t, spec, [Filter("neighborhood", "is", "Atlantis")])
    draw_chart(figure, none, spec)
    assert len(figure.axes) == 1
    assert figure.axes[0].texts[0].get_text() == "No rows match these filters."


def test_spec_round_trip_and_errors() -> None:
    spec = ChartSpec("line", "noticedate", unit="week", title="Notices")
    assert ChartSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(TdeError):
        ChartSpec("pie", "x")
    with pytest.raises(TdeError):
        ChartSpec.from_dict({"x": "a"})
