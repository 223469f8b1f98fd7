"""US and day-first dates become ISO-8601 text, the same way one by one or a chunk at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tde_desktop.core.importers.column_types import _convert_date, _convert_dates


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
