"""Counts on screen are written in the person's language: "16.747 filas" in Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core import i18n
from tde_desktop.qt.common import ops
from tests.qt.conftest import wait_idle


@pytest.fixture
def spanish() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("es")
    yield
    i18n.set_language(before)


def test_spanish_counts_use_spanish_marks(spanish: None, make_main_window: Any,
                                          baltimore_pack: Path, qtbot: Any) -> None:
    window = make_main_window(baltimore_pack)
    wait_idle(qtbot)
    notices = next(d for d in window.pack.datasets() if d.row_count > 10_000)
    window.dataset_list.select_id(notices.id)
    wait_idle(qtbot)
    written = f"{notices.row_count:,}".replace(",", ".")  # 16.747
    qtbot.waitUntil(lambda: written in window.count_label.text())
    assert "," not in window.count_label.text()
    listed = [window.dataset_list.item(i).text() for i in range(window.dataset_list.count())]
    assert any(written in text for text in listed), listed
    facets = window.explorer.show_panel("FacetPanel")
    facets.set_column("councildistrict")
    ops.wait_for_all()
    qtbot.waitUntil(lambda: facets.list.count() > 0)
    counts = [facets.list.item(i).text().rsplit(" ", 1)[-1] for i in range(facets.list.count())]
    # English writes 1,439; Spanish leaves four digits alone (1439) and marks five (16.747)
    assert any(len(c) == 4 for c in counts), counts
    assert not any("," in c for c in counts), counts


def test_projector_bars_write_numbers_in_the_workshop_language(qtbot: Any) -> None:
    from tde_desktop.qt.workshop.projector import BarChart

    chart = BarChart()
    qtbot.addWidget(chart)
    chart.lang = "es"
    chart.set_rows([("Sí", 12345.0), ("No", 2.5)], "¿Está vacío?")
    assert chart.displayed() == [("Sí", "12.345"), ("No", "2,5")]
    chart.lang = "en"
    assert chart.displayed() == [("Sí", "12,345"), ("No", "2.5")]


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tde_desktop.sample_pack import build

    return build(out=tmp_path_factory.mktemp("sample") / "sample.tdepack")


def test_station_bar_labels_follow_the_participants_language(qtbot: Any,
                                                             sample_pack: Path) -> None:
    """A Spanish participant on an English interface reads 5125 on the bars (Spanish
    leaves four digits alone), not 5,125."""
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.workshop.station_chart import StationChart, station_figure

    assert i18n.current_language() == "en"
    with Pack.open(sample_pack) as pack:
        workshop = ws.list_workshops(pack)[0]
        views = [e.view_id for e in ws.list_exercises(pack, workshop.id) if e.view_id]
    chart = StationChart(14)
    qtbot.addWidget(chart)
    chart.resize(700, 500)
    chart.show()
    labels: list[str] = []
    for view_id in views:  # the station whose bars pass a thousand
        counted = station_figure(sample_pack, view_id, lang="es")
        if counted.data.kind != "bar" or max(counted.data.values, default=0) < 1000:
            continue
        chart.view_id, chart.lang = counted.view_id, counted.lang
        chart._counted(counted)
        labels = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
        break
    assert any(len(t) == 4 and t.isdigit() for t in labels), labels
    assert not any("," in t for t in labels), labels
