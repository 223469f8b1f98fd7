"""Filters, counting, paging, facets and buckets on the real Baltimore and LA samples.

Every expected number is computed independently from the CSV file with the
csv module, never with the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.query import (
    Filter,
    count_rows,
    date_buckets,
    ensure_index,
    facet,
    fetch_row_by_number,
    fetch_rows,
    numeric_buckets,
    where_clause,
)
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import DatasetInfo, Pack
from tests.conftest import shared

VACANTS = "samples/baltimore/vacant_building_notices.csv"
LA311 = "samples/los_angeles/myla311_service_requests_2017_subset.csv"
NEIGHBORHOODS = "samples/baltimore/neighborhoods.geojson"


def csv_rows(relative: str) -> list[dict[str, str]]:
    with shared(relative).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class _GeoJsonSource:
    """Feeds GeoJSON features to the writer (used only until the GeoJSON importer lands)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.features = json.loads(path.read_text(encoding="utf-8"))["features"]
        self.props = list(self.features[0]["properties"])
        self.headers = [*self.props, "geometry"]

    def rows(self) -> Iterator[list[str]]:
        for feat in self.features:
            yield [str(feat["properties"].get(p) or "") for p in self.props] + [
                json.dumps(feat["geometry"])]

    def position(self) -> tuple[int, int]:
        return 0, 0

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def import_boundaries(pack: Pack, path: Path) -> DatasetInfo:
    """The neighbourhood polygons as a dataset, by the GeoJSON importer when it exists."""
    try:
        import tde_desktop.core.importers.geojson_import  # noqa: F401
    except ImportError:
        from tde_desktop.core.importers.writer import GeoColumns, Provenance, write_dataset

        return write_dataset(pack, _GeoJsonSource(path), Provenance(title="neighborhoods"),
                             geo=GeoColumns(crs="EPSG:4326", geometry="geometry"))
    return import_file(pack, path, title="neighborhoods")


_MASTER: list[Path] = []


def _master_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample pack once per test run; each test module gets a copy of the file."""
    if not _MASTER:
        path = tmp_path_factory.mktemp("explorer-master") / "master.tdepack"
        with Pack.create(path, title="Explorer") as pack:
            import_file(pack, shared(VACANTS), title="vacant building notices")
            import_file(pack, shared(LA311), title="LA 311")
            import_boundaries(pack, shared(NEIGHBORHOODS))
            pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _MASTER.append(path)
    return _MASTER[0]


@pytest.fixture(scope="module")
def explorer_pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pack]:
    """A pack with the vacant notices, LA 311 and the Baltimore neighbourhoods."""
    copy = tmp_path_factory.mktemp("explorer") / "x.tdepack"
    shutil.copyfile(_master_pack(tmp_path_factory), copy)
    pack = Pack.open(copy)
    yield pack
    pack.close()


@pytest.fixture(scope="module")
def vacants() -> list[dict[str, str]]:
    return csv_rows(VACANTS)


def table(pack: Pack, title: str) -> str:
    return pack.dataset(title).table_name


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


def test_paging_matches_offset_on_sorted_and_filtered_results(explorer_pack: Pack) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    ensure_index(conn, t, "neighborhood")
    assert ensure_index(conn, t, "neighborhood") == f"idx_{t}_neighborhood"
    cols = ["neighborhood", "block"]
    for filters, order, desc in [((), None, False), ((), "neighborhood", False),
                                 ((), "neighborhood", True), ((), None, True),
                                 ((Filter("councildistrict", "lt", 9),), "noticedate", True)]:
        where, params = where_clause(filters)
        direction = " DESC" if desc else ""
        order_sql = (f"ORDER BY \"{order}\"{direction}, rowid{direction}" if order
                     else f"ORDER BY rowid{direction}")
        reference = conn.execute(f'SELECT rowid, neighborhood, block FROM "{t}" {where} '
                                 f"{order_sql}", params).fetchall()
        paged: list[tuple[object, ...]] = []
        offset = 0
        while True:
            page = fetch_rows(conn, t, cols, filters, order, desc, offset=offset, limit=997)
            if not page:
                break
            paged.extend(page)
            offset += len(page)
        assert paged == [tuple(r) for r in reference]
        # jumps forward and back, which start from the nearest remembered page
        for jump in (12_345, 500, len(reference) - 3, 0):
            got = fetch_rows(conn, t, cols, filters, order, desc, offset=jump, limit=5)
            assert got == [tuple(r) for r in reference[jump:jump + 5]]
        assert fetch_row_by_number(conn, t, cols, 7, filters, order, desc) == tuple(reference[6])
        assert fetch_row_by_number(conn, t, cols, len(reference) + 1, filters, order, desc) is None


def test_paging_with_nulls_in_the_sort_column(explorer_pack: Pack) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "LA 311")
    for desc in (False, True):
        d = " DESC" if desc else ""
        reference = conn.execute(
            f'SELECT rowid, srnumber FROM "{t}" ORDER BY latitude{d}, rowid{d}').fetchall()
        paged = []
        for offset in range(0, len(reference), 1000):
            paged.extend(fetch_rows(conn, t, ["srnumber"], order_by="latitude", descending=desc,
                                    offset=offset, limit=1000))
        assert paged == [tuple(r) for r in reference]


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
    la = facet(conn, table(explorer_pack, "LA 311"), "latitude", limit=1)
    assert la.values == [(None, 1753)]  # NULL shown as None, and it is the biggest group


def test_numeric_and_date_buckets(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    conn, t = explorer_pack.conn, table(explorer_pack, "vacant building notices")
    districts = Counter(int(r["councildistrict"]) for r in vacants)
    buckets = numeric_buckets(conn, t, "councildistrict")
    assert [(int(lo), n) for lo, _hi, n in buckets] == sorted(districts.items())
    wide = numeric_buckets(conn, table(explorer_pack, "LA 311"), "latitude", buckets=10)
    assert len(wide) == 10
    assert sum(n for _lo, _hi, n in wide) == 9999 - 1753
    assert wide[0][0] == pytest.approx(33.706145428)
    assert wide[-1][1] == pytest.approx(34.32939)
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
