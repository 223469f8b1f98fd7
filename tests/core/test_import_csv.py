"""The CSV importer on every real delimited file we have, plus synthetic edge cases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tde_desktop.core.errors import ImportFailed
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack, quote
from tests.conftest import shared


def rows(pack: Pack, table: str, where: str = "", params: tuple[object, ...] = ()) -> list[tuple]:
    return pack.conn.execute(f"SELECT * FROM {quote(table)} {where}", params).fetchall()


def col_types(info) -> dict[str, str]:
    return {c.original_name: c.type for c in info.columns}


def test_baltimore_vacants_keep_block_and_lot_zeros(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("samples/baltimore/vacant_building_notices.csv"))
    assert (info.row_count, info.column_count) == (16_747, 9)
    types = col_types(info)
    assert types["block"] == "text"
    assert types["lot"] == "text"
    assert types["councildistrict"] == "integer"
    assert types["noticedate"] == "datetime"
    first = rows(new_pack, info.table_name, "WHERE rowid = 1")[0]
    assert first[0] == "0001"
    assert first[4] == "003"
    assert info.warnings == []
    assert len(info.sha256) == 64


def test_baltimore_demolition_clean(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("samples/baltimore/demolition_list_clean.csv"))
    assert (info.row_count, info.column_count) == (1_850, 8)
    types = col_types(info)
    assert types["lat"] == "number"
    assert types["long"] == "number"
    # "NA" in a text column is a value (it may be a code), not a missing marker
    na = new_pack.conn.execute(
        f"SELECT count(*) FROM {info.table_name} WHERE projected_release_to_contractor = 'NA'"
    ).fetchone()[0]
    assert na > 0


def test_la_311_us_timestamps_become_iso(new_pack: Pack) -> None:
    path = shared("samples/los_angeles/myla311_service_requests_2017_subset.csv")
    info = import_file(new_pack, path)
    assert (info.row_count, info.column_count) == (9_999, 33)
    types = col_types(info)
    assert types["CreatedDate"] == "datetime"
    assert types["Latitude"] == "number"
    first = new_pack.conn.execute(
        f"SELECT srnumber, createddate, updateddate FROM {info.table_name} WHERE rowid = 1"
    ).fetchone()
    # 12/31/2017 11:59:58 PM and 04/09/2018 09:25:28 AM
    assert first == ("1-870704831", "2017-12-31T23:59:58", "2018-04-09T09:25:28")
    missing_lat = next(c.missing_count for c in info.columns if c.name == "latitude")
    assert missing_lat == 1_753
    assert (info.latitude_column, info.longitude_column) == ("latitude", "longitude")
    assert info.crs == "EPSG:4326"


def test_montreal_latin1_semicolon_ragged(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/montreal_bike_counts_2012_latin1_semicolon.csv"))
    assert (info.row_count, info.column_count) == (310, 10)
    headers = [c.original_name for c in info.columns]
    assert "Brébeuf (données non disponibles)" in headers
    assert "Côte-Sainte-Catherine" in headers
    assert info.import_options["delimiter"] == ";"
    assert info.import_options["encoding"] in ("cp1252", "latin-1")
    assert any("295 rows had fewer fields" in w for w in info.warnings)
    # day-first dates: 13/01/2012 exists, so 01/02/2012 is the first of February
    dates = [r[0] for r in new_pack.conn.execute(f"SELECT date FROM {info.table_name}")]
    assert dates[0] == "2012-01-01"
    assert dates[31] == "2012-02-01"
    assert col_types(info)["Berri 1"] == "integer"


def test_nyc_sales_bom_trimmed_header_and_numbers(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/nyc_rolling_sales_manhattan_bom_crlf.csv"))
    assert (info.row_count, info.column_count) == (16_784, 21)
    assert info.columns[0].original_name == "BOROUGH"  # the BOM is gone
    sale = next(c for c in info.columns if c.original_name == "SALE PRICE")
    assert sale.name == "sale_price"
    assert sale.type == "integer"
    assert new_pack.conn.execute(
        f"SELECT typeof(sale_price), typeof(land_square_feet) FROM {info.table_name} "
        "WHERE land_square_feet IS NOT NULL LIMIT 1").fetchone() == ("integer", "integer")
    first = new_pack.conn.execute(
        f"SELECT land_square_feet, sale_date FROM {info.table_name} WHERE rowid = 1").fetchone()
    assert first == (1725, "2023-11-02")


def test_cr_only_line_ends(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/baltimore_demolition_list_raw_cr_only.csv"))
    assert info.row_count == 2_172
    assert info.column_count == 20
    names = [c.name for c in info.columns]
    assert names.count("neighborhood_2") == 1
    assert col_types(info)["Start"] == "date"
    start = new_pack.conn.execute(f"SELECT start FROM {info.table_name} LIMIT 1").fetchone()[0]
    assert start == "2018-02-15"  # 2/15/18


def test_973_columns(new_pack: Pack) -> None:
    info = import_file(new_pack, shared("messy/nyc_nta_acs_2023_wide_973_columns.csv"))
    assert (info.row_count, info.column_count) == (262, 973)
    assert info.columns[2].original_name == "B01001_001E"


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "") -> Path:
    with path.open("w", encoding=encoding, newline=newline) as f:
        f.write(text)
    return path


def test_identifiers_and_missing_markers(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "ids.csv",
                "zip,fips,price,country,amount,when\n"
                "02134,36061000100,\"625,000\",NA,N/A,2023-01-05\n"
                "10001,36061000200,\"1,200\",US,12.5,\n"
                "90026,36061000300,99,NA,3,2023-02-01\n")
    info = import_file(new_pack, src)
    types = col_types(info)
    assert types == {"zip": "text", "fips": "text", "price": "integer", "country": "text",
                     "amount": "number", "when": "date"}
    data = rows(new_pack, info.table_name)
    assert data[0] == ("02134", "36061000100", 625000, "NA", None, "2023-01-05")
    assert data[1][5] is None
    assert {c.name: c.missing_count for c in info.columns}["amount"] == 1


def test_long_digit_strings_stay_text(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "long.csv", "account,amount\n1234567890123456,1.5\n9999999999999,2\n")
    info = import_file(new_pack, src)
    assert col_types(info) == {"account": "text", "amount": "number"}
    assert [r[0] for r in rows(new_pack, info.table_name)] == ["1234567890123456",
                                                               "9999999999999"]
    big = [str(10**12 + i) for i in range(30_000)]  # the fast path sees these too
    info = import_file(new_pack, write(tmp_path / "big.csv", "n\n" + "\n".join(big) + "\n"))
    assert col_types(info) == {"n": "text"}


def test_thousands_only_when_whole_column_agrees(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "mixed.csv", 'a\n"1,200"\n"12,5"\n')
    info = import_file(new_pack, src)
    assert col_types(info)["a"] == "text"
    assert [r[0] for r in rows(new_pack, info.table_name)] == ["1,200", "12,5"]


def test_ragged_long_rows_widen_the_table(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "ragged.csv", "a,b\n1,2\n3,4,5,6\n7\n")
    info = import_file(new_pack, src)
    assert info.row_count == 3
    assert [c.name for c in info.columns] == ["a", "b", "column_3", "column_4"]
    data = rows(new_pack, info.table_name)
    assert data == [(1, 2, None, None), (3, 4, 5, 6), (7, None, None, None)]
    assert any("widened" in w and "column_3 to column_4" in w for w in info.warnings)
    assert any("fewer fields" in w and "4" in w for w in info.warnings)


def test_headers_trimmed_empty_and_duplicate(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "h.csv", " Name ,,Name,rowid\nx,y,z,w\n")
    info = import_file(new_pack, src)
    assert [c.original_name for c in info.columns] == ["Name", "column_2", "Name (2)", "rowid"]
    assert [c.name for c in info.columns] == ["name", "column_2", "name_2", "rowid_2"]
    assert len(info.warnings) == 2


def test_embedded_newlines_and_quotes(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "q.csv", 'id,text\n1,"line one\nline two"\n2,"say ""hi"""\n')
    info = import_file(new_pack, src)
    assert [r[1] for r in rows(new_pack, info.table_name)] == ["line one\nline two", 'say "hi"']


@pytest.mark.parametrize(("encoding", "delimiter", "newline"), [
    ("utf-8", ",", "\r\n"), ("utf-8-sig", "\t", "\n"), ("utf-16", "|", "\r\n"),
    ("cp1252", ";", "\r"),
])
def test_encodings_delimiters_line_ends(new_pack: Pack, tmp_path: Path, encoding: str,
                                        delimiter: str, newline: str) -> None:
    lines = [["ciudad", "número"], ["Montréal", "12"], ["Côte", "7"]]
    text = newline.join(delimiter.join(r) for r in lines) + newline
    src = write(tmp_path / "t.txt", text, encoding=encoding)
    info = import_file(new_pack, src)
    assert [c.original_name for c in info.columns] == ["ciudad", "número"]
    assert rows(new_pack, info.table_name) == [("Montréal", 12), ("Côte", 7)]


def test_utf8_broken_late_falls_back_to_cp1252(new_pack: Pack, tmp_path: Path) -> None:
    body = "name\n" + "plain\n" * 300_000
    src = tmp_path / "late.csv"
    src.write_bytes(body.encode() + "Brébeuf\n".encode("cp1252"))
    info = import_file(new_pack, src)
    last = new_pack.conn.execute(f"SELECT name FROM {info.table_name} "
                                 "ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert last == "Brébeuf"
    assert info.import_options["encoding"] == "cp1252"


def test_late_leading_zero_restarts_with_text(new_pack: Pack, tmp_path: Path) -> None:
    # the first chunk says integer; a much later value says identifier: nothing may be mangled
    body = ["code"] + [str(100 + i) for i in range(120_000)] + ["007"]
    src = write(tmp_path / "late_zero.csv", "\n".join(body) + "\n")
    info = import_file(new_pack, src)
    assert col_types(info)["code"] == "text"
    values = [r[0] for r in new_pack.conn.execute(f"SELECT code FROM {info.table_name}")]
    assert values[0] == "100"
    assert values[-1] == "007"
    assert len(values) == 120_001


def test_type_override(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "o.csv", "ward,score\n7,1\n12,2\n")
    info = import_file(new_pack, src, type_overrides={"ward": "text"})
    assert col_types(info) == {"ward": "text", "score": "integer"}
    assert rows(new_pack, info.table_name)[0] == ("7", 1)


def test_bad_override_changes_nothing(new_pack: Pack, tmp_path: Path) -> None:
    src = write(tmp_path / "o.csv", "ward\n7\n")
    with pytest.raises(ImportFailed, match="no column called"):
        import_file(new_pack, src, type_overrides={"nope": "text"})
    with pytest.raises(ImportFailed, match="not a column type"):
        import_file(new_pack, src, type_overrides={"ward": "colour"})
    assert new_pack.datasets() == []


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00" * 10, b"   \n\n"])
def test_empty_or_binary_refused(new_pack: Pack, tmp_path: Path, content: bytes) -> None:
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    with pytest.raises(ImportFailed):
        import_file(new_pack, src)
    assert new_pack.datasets() == []
    assert not [t for t in new_pack.table_names() if t.startswith("ds_")]


def test_header_only_gives_empty_dataset(new_pack: Pack, tmp_path: Path) -> None:
    info = import_file(new_pack, write(tmp_path / "e.csv", "a,b\n"))
    assert info.row_count == 0
    assert [c.name for c in info.columns] == ["a", "b"]


def test_too_many_columns_refused(new_pack: Pack, tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(2100))
    with pytest.raises(ImportFailed, match="2,100 columns"):
        import_file(new_pack, write(tmp_path / "wide.csv", header + "\n" + "1," * 2099 + "1\n"))
    assert new_pack.datasets() == []


def test_sha256_matches_file(new_pack: Pack) -> None:
    import hashlib

    path = shared("messy/nyc_rolling_sales_manhattan_bom_crlf.csv")
    info = import_file(new_pack, path)
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_counts_match_python_csv(new_pack: Pack) -> None:
    path = shared("samples/los_angeles/myla311_service_requests_2017_subset.csv")
    with path.open(newline="", encoding="utf-8") as f:
        expected = sum(1 for _ in csv.reader(f)) - 1
    info = import_file(new_pack, path)
    assert info.row_count == expected


@pytest.mark.parametrize("relative", [
    "samples/los_angeles/myla311_service_requests_2017_subset.csv",
    "messy/montreal_bike_counts_2012_latin1_semicolon.csv",
    "messy/baltimore_demolition_list_raw_cr_only.csv",
])
def test_missing_counts_match_the_stored_table(new_pack: Pack, relative: str) -> None:
    info = import_file(new_pack, shared(relative))
    for column in info.columns:
        stored = new_pack.conn.execute(
            f"SELECT count(*) FROM {quote(info.table_name)} WHERE {quote(column.name)} IS NULL"
        ).fetchone()[0]
        assert column.missing_count == stored, column.name
    assert info.row_count == new_pack.conn.execute(
        f"SELECT count(*) FROM {quote(info.table_name)}").fetchone()[0]


def test_undecodable_header_is_one_clear_error(new_pack: Pack, tmp_path: Path) -> None:
    # valid UTF-8 for the first megabyte sniffed, then invalid, all in the header line
    src = tmp_path / "h.csv"
    src.write_bytes(b"a" * (1 << 20) + b"\xff\xfe,b\n1,2\n")
    info = import_file(new_pack, src)  # falls back to cp1252 like any other late bad byte
    assert info.import_options["encoding"] == "cp1252"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x81\x8d,b\n1,2\n")
    with pytest.raises(ImportFailed):
        import_file(new_pack, bad, encoding="utf-8")
    assert len(new_pack.datasets()) == 1
