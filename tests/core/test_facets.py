"""Facets and buckets: top values, number ranges and date periods, counted from the CSV."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.facets import date_buckets, facet, numeric_buckets
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311, table


def test_facet_top_values_and_other(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    counts = Counter(r["neighborhood"] for r in vacants)
    result = facet(conn, t, "neighborhood", limit=10)
    assert result.values[0] == ("BROADWAY EAST", counts["BROADWAY EAST"])
    assert [n for _v, n in result.values] == sorted(counts.values(), reverse=True)[:10]
    assert result.other == len(vacants) - sum(n for _v, n in result.values)
    assert result.distinct == len(counts)
    filtered = facet(conn, t, "policedistrict", [Filter("councildistrict", "is", 7)])
    expected = Counter(r["policedistrict"] for r in vacants if r["councildistrict"] == "7")
    assert dict(filtered.values) == dict(expected)
    assert filtered.other == 0


@pytest.mark.shared_data(LA311)
def test_facets_and_buckets_with_empty_cells(explorer_pack: Pack) -> None:
    conn, la = explorer_pack.conn, table(explorer_pack, "LA 311")
    assert facet(conn, la, "latitude", limit=1).values == [(None, 1753)]  # NULL is the top
    wide = numeric_buckets(conn, la, "latitude", buckets=10)
    assert len(wide) == 10
    assert sum(n for _lo, _hi, n in wide) == 9999 - 1753
    assert wide[0][0] == pytest.approx(33.706145428)
    assert wide[-1][1] == pytest.approx(34.32939)


def test_numeric_and_date_buckets(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    districts = Counter(int(r["councildistrict"]) for r in vacants)
    buckets = numeric_buckets(conn, t, "councildistrict")
    assert [(int(lo), n) for lo, _hi, n in buckets] == sorted(districts.items())
    years = dict(date_buckets(conn, t, "noticedate", unit="year"))
    assert years == {**dict.fromkeys(map(str, range(1993, 2020)), 0),
                     **Counter(r["noticedate"][:4] for r in vacants)}
    months = date_buckets(conn, t, "noticedate", [Filter("noticedate", "gt", "2018-06")],
                          unit="month")
    assert months[0][0] == "2018-06"
    assert months[-1][0] == "2019-02"
    assert sum(n for _m, n in months) == sum(1 for r in vacants if r["noticedate"] > "2018-06")
    weeks = date_buckets(conn, t, "noticedate", [Filter("noticedate", "gt", "2019-01-01")],
                         unit="week")
    assert all(dt.date.fromisoformat(w).weekday() == 0 for w, _n in weeks)
    with pytest.raises(TdeError):
        date_buckets(conn, t, "noticedate", unit="fortnight")
