"""Filters: every operation counts what the CSV says, values are bound, phrases read well."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.filters import (
    Filter,
    is_iso_date_sql,
    is_number_sql,
    where_clause,
    where_for,
)
from tde_desktop.core.explore.paging import count_rows
from tde_desktop.core.pack import Pack
from tests.core.conftest import LA311, csv_rows, table


def test_every_filter_op_counts_like_the_csv(explorer_pack: Pack,
                                             vacants: list[dict[str, str]]) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")

    def n(pred) -> int:  # type: ignore[no-untyped-def]
        return sum(1 for r in vacants if pred(r))

    cases = [
        (Filter("councildistrict", "is", 7), n(lambda r: r["councildistrict"] == "7")),
        (Filter("councildistrict", "is", "7"), n(lambda r: r["councildistrict"] == "7")),
        (Filter("policedistrict", "is_not", "WESTERN"),
         n(lambda r: r["policedistrict"] != "WESTERN")),
        (Filter("neighborhood", "contains", "park"),
         n(lambda r: "park" in r["neighborhood"].lower())),
        (Filter("block", "starts_with", "00"), n(lambda r: r["block"].startswith("00"))),
        (Filter("noticedate", "between", "2017-03-01", "2017-05-31"),
         n(lambda r: "2017-03-01" <= r["noticedate"][:10] <= "2017-05-31")),
        (Filter("councildistrict", "between", 3, 5),
         n(lambda r: 3 <= int(r["councildistrict"]) <= 5)),
        (Filter("councildistrict", "gt", 10), n(lambda r: int(r["councildistrict"]) > 10)),
        (Filter("noticedate", "lt", "2000-01-01"), n(lambda r: r["noticedate"] < "2000-01-01")),
        (Filter("neighborhood", "in", ("EASTERWOOD", "BROADWAY EAST")),
         n(lambda r: r["neighborhood"] in ("EASTERWOOD", "BROADWAY EAST"))),
        (Filter("lot", "empty"), n(lambda r: r["lot"] == "")),
        (Filter("lot", "not_empty"), n(lambda r: r["lot"] != "")),
    ]
    for f, expected in cases:
        assert count_rows(conn, t, [f]) == expected, f.describe()
    assert cases[0][1] == 2213  # a pinned figure, so a wrong CSV reading also fails


@pytest.mark.shared_data(LA311)
def test_filters_on_missing_values_and_wildcards(explorer_pack: Pack) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "LA 311")
    la = csv_rows(LA311)
    no_lat = sum(1 for r in la if not r["Latitude"])
    assert no_lat == 1753
    assert count_rows(conn, t, [Filter("latitude", "empty")]) == no_lat
    assert count_rows(conn, t, [Filter("latitude", "is", None)]) == no_lat
    assert count_rows(conn, t, [Filter("latitude", "in", (None,))]) == no_lat
    # "is not" keeps empty cells: they are not that value either
    assert count_rows(conn, t, [Filter("mobileos", "is_not", "iOS")]) == sum(
        1 for r in la if r["MobileOS"] != "iOS")
    # % and _ typed by a person are literal characters, not LIKE wildcards
    assert count_rows(conn, t, [Filter("address", "contains", "%")]) == sum(
        1 for r in la if "%" in r["Address"])
    assert count_rows(conn, t, [Filter("ncname", "contains", "_")]) == 0
    assert count_rows(conn, t, [Filter("ncname", "in", ())]) == 0


def test_combined_filters_and_where_clause(explorer_pack: Pack,
                                           vacants: list[dict[str, str]]) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    filters = [Filter("councildistrict", "is", 13), Filter("noticedate", "gt", "2018-01-01"),
               Filter("neighborhood", "contains", "east")]
    expected = sum(1 for r in vacants if r["councildistrict"] == "13"
                   and r["noticedate"] > "2018-01-01" and "east" in r["neighborhood"].lower())
    assert expected > 0
    assert count_rows(conn, t, filters) == expected
    sql, params = where_clause(filters)
    assert sql.startswith("WHERE ")
    assert sql.count("?") == len(params) == 3
    assert "east" not in sql  # values are bound, never formatted into SQL
    assert where_clause([]) == ("", [])
    hostile = Filter("neighborhood", "is", "x' OR '1'='1")
    assert count_rows(conn, t, [hostile]) == 0


def test_describe_and_round_trip() -> None:
    assert Filter("ward", "is", 7).describe() == "ward is 7"
    assert Filter("created", "between", "2017-03-01", "2017-05-31").describe() == (
        "created between 1 March 2017 and 31 May 2017")
    assert Filter("description", "contains", "pothole").describe() == "description contains pothole"
    assert Filter("zip", "empty").describe("zip code") == "zip code is empty"
    assert Filter("ward", "in", (7, 8, 9)).describe() == "ward is 7, 8 or 9"
    assert Filter("n", "gt", 3).describe() == "n is more than 3"
    assert Filter("d", "lt", dt.date(2019, 2, 7)).describe() == "d is before 7 February 2019"
    for f in [Filter("ward", "in", (7, None)), Filter("d", "between", dt.date(2017, 1, 1),
                                                      "2017-12-31"), Filter("*", "search", "x")]:
        d = f.to_dict()
        assert json.loads(json.dumps(d)) == d
        back = Filter.from_dict(json.loads(json.dumps(d)))
        assert back.to_dict() == d
    assert Filter.from_dict(Filter("ward", "in", (7, 8)).to_dict()).value == (7, 8)
    with pytest.raises(TdeError):
        Filter("ward", "like")
    with pytest.raises(TdeError):
        Filter.from_dict({"op": "is"})


def test_where_for_adds_conditions_and_searches_without_an_index(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("CREATE TABLE t (note TEXT, n INTEGER, day TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [
        ("broken lamp", 1, "2017-03-01"), ("Lamp post down", 7, "2017-03-02T10:00:00"),
        ("pothole", 9, "not a date"), ("lamp", None, None), ("lamp", "seven", "")])
    assert where_for(conn, "t", []) == ("", [])
    # extra conditions come after the filters; their parameters follow the returned ones
    where, params = where_for(conn, "t", [Filter("note", "contains", "lamp")],
                              [is_number_sql("n"), "n > ?"])
    rows = conn.execute(f"SELECT rowid FROM t {where}", [*params, 5]).fetchall()
    assert rows == [(2,)]
    # no text index: the search still works, word by word, without case
    where, params = where_for(conn, "t", [Filter("*", "search", "LAMP post")])
    assert conn.execute(f"SELECT rowid FROM t {where}", params).fetchall() == [(2,)]
    sql, p = where_clause([Filter("*", "search", "lamp")], "t")
    with pytest.raises(sqlite3.OperationalError):  # where_clause alone needs the index
        conn.execute(f"SELECT rowid FROM t {sql}", p)
    numbers = conn.execute(f"SELECT rowid FROM t WHERE {is_number_sql('n')}").fetchall()
    assert numbers == [(1,), (2,), (3,)]
    dates = conn.execute(f"SELECT rowid FROM t WHERE {is_iso_date_sql('day')}").fetchall()
    assert dates == [(1,), (2,)]
    conn.close()
