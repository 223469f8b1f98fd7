"""Full-text search (with hostile query text) and saved views."""

from __future__ import annotations

import pytest

from tde_desktop.core.errors import Cancelled, TdeError
from tde_desktop.core.explore.charts import ChartSpec
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.paging import count_rows, fetch_rows
from tde_desktop.core.explore.search import build_fts, fts_query
from tde_desktop.core.explore.views import delete_view, list_views, load_view, save_view
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311, csv_rows

HOSTILE = ['"', "pothole\"", "graffiti*", "NEAR(a b)", "(bulky", "AND", "a OR", "-", "^x",
           "col:value", "'; DROP TABLE x; --", "", "   ", "*", "NOT graffiti", '""""']


@pytest.mark.shared_data(LA311)
def test_cancelled_build_leaves_nothing(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("LA 311")
    calls = []

    def stop(done: int, total: int, message: str) -> None:
        calls.append(done)
        if done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        build_fts(explorer_pack, info, progress=stop)
    assert calls
    assert f"{info.table_name}_fts" not in explorer_pack.table_names()
    assert explorer_pack.dataset("LA 311").has_fts is False


@pytest.mark.shared_data(LA311)
def test_search_combines_with_filters(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("LA 311")
    t = info.table_name
    # Before the index exists, search falls back to LIKE; afterwards it uses FTS5.
    before = count_rows(explorer_pack.conn, t, [Filter("*", "search", "bulky items")])
    build_fts(explorer_pack, info)
    assert explorer_pack.dataset("LA 311").has_fts is True
    assert f"{t}_fts" in explorer_pack.table_names()
    la = csv_rows(LA311)
    bulky = sum(1 for r in la if any("bulky" in v.lower() for v in r.values()))
    search = Filter("*", "search", "Bulky")
    assert count_rows(explorer_pack.conn, t, [search]) == bulky
    owner = Filter("requestsource", "is", "Call")
    both = sum(1 for r in la if r["RequestSource"] == "Call"
               and any("bulky" in v.lower() for v in r.values()))
    assert count_rows(explorer_pack.conn, t, [search, owner]) == both
    assert both < bulky
    assert before == count_rows(explorer_pack.conn, t, [Filter("*", "search", "bulky items")])
    rows = fetch_rows(explorer_pack.conn, t, ["requesttype"], [search, owner], limit=5)
    assert len(rows) == 5
    assert search.describe() == "the text mentions Bulky"


@pytest.mark.shared_data(LA311)
def test_hostile_search_text_never_raises(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("LA 311")
    build_fts(explorer_pack, info)
    for text in HOSTILE:
        n = count_rows(explorer_pack.conn, info.table_name, [Filter("*", "search", text)])
        assert 0 <= n <= 9999, text
    assert fts_query('NEAR("a" b)') == '"NEAR" "a" "b"*'
    assert fts_query("*") == ""
    graffiti = count_rows(explorer_pack.conn, info.table_name,
                          [Filter("*", "search", "graffiti*")])
    assert graffiti == sum(1 for r in csv_rows(LA311)
                           if any("graffiti" in v.lower() for v in r.values()))


def test_views_round_trip(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("vacant building notices")
    filters = [Filter("councildistrict", "in", (7, 8)),
               Filter("noticedate", "between", "2017-03-01", "2017-05-31"),
               Filter("*", "search", "north ave")]
    chart = ChartSpec("bar", "neighborhood", top=10, title="Where notices are")
    vid = save_view(explorer_pack, "  Station 1:  vacants ", info.id, filters, chart)
    view = load_view(explorer_pack, "station 1: vacants")
    assert (view.id, view.name, view.dataset_id) == (vid, "Station 1: vacants", info.id)
    assert view.filters == filters
    assert view.chart == chart
    assert load_view(explorer_pack, vid) == view
    # saving under the same name replaces the view and keeps its id
    assert save_view(explorer_pack, "Station 1: vacants", info.id, filters[:1], None) == vid
    again = load_view(explorer_pack, vid)
    assert (again.filters, again.chart) == (filters[:1], None)
    other = save_view(explorer_pack, "another", info.id, [], None)
    assert [v.name for v in list_views(explorer_pack)] == ["another", "Station 1: vacants"]
    delete_view(explorer_pack, other)
    assert [v.id for v in list_views(explorer_pack)] == [vid]
    with pytest.raises(TdeError):
        load_view(explorer_pack, other)
    with pytest.raises(TdeError):
        save_view(explorer_pack, "  ", info.id, [], None)
    with pytest.raises(TdeError):
        save_view(explorer_pack, "x", 9999, [], None)
