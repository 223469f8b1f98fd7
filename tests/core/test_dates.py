"""US and day-first dates become ISO-8601 text, the same way one by one or a chunk at once;
values that are not calendar dates never do, on the CSV (both paths) and Excel importers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tde_desktop.core.importers import fast_csv, import_file
from tde_desktop.core.importers.column_types import ColumnState, _convert_date, _convert_dates
from tde_desktop.core.importers.type_rules import semantic_type
from tde_desktop.core.pack import DatasetInfo, Pack, quote


@st.composite
def slash_dates(draw: st.DrawFn) -> str:
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    year = draw(st.one_of(st.integers(1900, 2099).map(str),
                          st.integers(0, 99).map(lambda y: f"{y:02d}")))
    pad = draw(st.booleans())
    text = f"{month:02d}/{day:02d}/{year}" if pad else f"{month}/{day}/{year}"
    if draw(st.booleans()):
        hour12 = draw(st.booleans())
        hour = draw(st.integers(0, 23))
        clock = f"{hour}:{draw(st.integers(0, 59)):02d}"
        if draw(st.booleans()):
            clock += f":{draw(st.integers(0, 59)):02d}"
        if hour12:
            clock += draw(st.sampled_from([" AM", " PM", "AM", "pm", " am"]))
        text += " " + clock
    return text


@given(st.lists(st.one_of(slash_dates(), st.sampled_from(["", "NA", "N/A"])), min_size=1),
       st.booleans())
def test_chunk_conversion_matches_one_by_one(values: list[str], day_first: bool) -> None:
    expected = [None if v in ("", "NA", "N/A") else _convert_date(v, day_first) for v in values]
    assert _convert_dates(tuple(values), day_first) == expected


def test_known_values() -> None:
    assert _convert_date("12/31/2017 11:59:42 PM", False) == "2017-12-31T23:59:42"
    assert _convert_date("01/10/2018 12:05 AM", False) == "2018-01-10T00:05:00"
    assert _convert_date("12/01/2018 12:05 PM", False) == "2018-12-01T12:05:00"
    assert _convert_date("2/15/18", False) == "2018-02-15"
    assert _convert_date("13/01/2012", True) == "2012-01-13"
    assert _convert_date("3/4/75 7:05", False) == "1975-03-04T07:05:00"
    assert _convert_dates(("3/4/2019 13:07 PM", "3/4/2019 0:07 AM"), False) == [
        "2019-03-04T13:07:00", "2019-03-04T00:07:00"]


# -- only real dates become dates, on every import path ----------------------------------

IMPOSSIBLE = ["2/31/2019", "31/02/2019", "2/29/2023", "4/31/2020", "2019-02-30", "29/02/2023"]


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_an_impossible_date_fits_no_date_kind(value: str) -> None:
    state = ColumnState()
    state.observe((value, "1/5/2019", ""))
    assert state.best() == "text"


@pytest.mark.parametrize("value", ["2/29/2024", "29/02/2000", "2/29/00", "2024-02-29",
                                   "4/30/2020", "12/31/99"])
def test_a_real_date_still_is_one(value: str) -> None:
    state = ColumnState()
    state.observe((value,))
    assert semantic_type(state.best()) == "date"


def _csv(tmp_path: Path, values: list[str]) -> Path:
    src = tmp_path / "dates.csv"
    src.write_text("id,when\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)),
                   encoding="utf-8")
    return src


@pytest.mark.parametrize("fast", [True, False], ids=["arrow", "python"])
@pytest.mark.parametrize("bad", ["2/31/2019", "31/02/2019"])
def test_csv_with_an_impossible_date_keeps_the_column_as_text(
        bad: str, fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = ["1/5/2019", "3/15/2019", bad, ""] if bad.startswith("2/") else \
        ["15/01/2019", "28/02/2019", bad, ""]
    used: list[bool] = []
    real = fast_csv.import_fast

    def spy(*args: Any, **kwargs: Any) -> DatasetInfo | None:
        info = real(*args, **kwargs) if fast else None
        used.append(info is not None)
        return info

    monkeypatch.setattr(fast_csv, "import_fast", spy)
    pack = Pack.create(tmp_path / "p.tdepack", title="t")
    try:
        info = import_file(pack, _csv(tmp_path, values))
        assert used == [fast]
        assert {c.original_name: c.type for c in info.columns}["when"] == "text"
        stored = [r[0] for r in pack.conn.execute(
            f"SELECT {quote('when')} FROM {quote(info.table_name)} ORDER BY rowid")]
        assert stored == [*values[:3], None]  # every value as written, never 2019-02-31
    finally:
        pack.close()


@pytest.mark.parametrize("fast", [True, False], ids=["arrow", "python"])
def test_csv_with_real_dates_still_becomes_iso(
        fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not fast:
        monkeypatch.setattr(fast_csv, "import_fast", lambda *a, **k: None)
    pack = Pack.create(tmp_path / "p.tdepack", title="t")
    try:
        info = import_file(pack, _csv(tmp_path, ["2/29/2024", "12/31/2019", "NA"]))
        assert {c.original_name: c.type for c in info.columns}["when"] == "date"
        stored = [r[0] for r in pack.conn.execute(
            f"SELECT {quote('when')} FROM {quote(info.table_name)} ORDER BY rowid")]
        assert stored == ["2024-02-29", "2019-12-31", None]
    finally:
        pack.close()


def test_excel_text_cells_with_an_impossible_date_stay_text(new_pack: Pack,
                                                            tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["id", "when", "ok"])
    for i, (when, ok) in enumerate([("1/5/2019", "1/5/2019"), ("2/31/2019", "2/28/2019"),
                                    ("3/1/2019", "2/29/2024")], start=1):
        ws.write_number(i, 0, i)
        ws.write_string(i, 1, when)
        ws.write_string(i, 2, ok)
    book.close()
    info = import_file(new_pack, path)
    types = {c.original_name: c.type for c in info.columns}
    assert (types["when"], types["ok"]) == ("text", "date")
    rows = new_pack.conn.execute(
        f"SELECT {quote('when')}, ok FROM {quote(info.table_name)} ORDER BY rowid").fetchall()
    assert rows == [("1/5/2019", "2019-01-05"), ("2/31/2019", "2019-02-28"),
                    ("3/1/2019", "2024-02-29")]
