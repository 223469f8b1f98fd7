"""Every column type rule, through both engines that apply it.

The rules are written once, in ``core/importers/type_rules.py``. The Python path
(``column_types``: Python ``re`` over chunks of strings) and the fast CSV path
(``arrow_types``: RE2 over Arrow columns) are both built from them. Each rule below is
one column of example values with the kind it must be read as and the values SQLite
must then hold; both engines must give exactly that. A kind added to the rules
without an example here fails ``test_every_kind_has_an_example``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tde_desktop.core.importers import arrow_types
from tde_desktop.core.importers import type_rules as rules
from tde_desktop.core.importers.column_types import ColumnState, converter

Stored = list[tuple[str, object]]  # (SQLite storage class, value) of each cell


@dataclass(frozen=True)
class Rule:
    says: str
    values: tuple[str, ...]
    kind: str
    stored: tuple[object, ...]


def _rule(says: str, values: list[str], kind: str, stored: list[object]) -> Rule:
    return Rule(says, tuple(values), kind, tuple(stored))


RULES = [
    _rule("whole numbers", ["1", "-20", "0", "-0", ""], "integer", [1, -20, 0, 0, None]),
    _rule("twelve digits are still a number", ["123456789012", "5"], "integer",
          [123456789012, 5]),
    _rule("thousands separators, when every value agrees", ["1,000", "25", "-1,234,567"],
          "integer_sep", [1000, 25, -1234567]),
    _rule("a separator out of place makes text", ["1,00", "25"], "text", ["1,00", "25"]),
    _rule("decimals", ["1.5", "-2e3", ".5", "0", "1E-7"], "number",
          [1.5, -2000.0, 0.5, 0.0, 1e-7]),
    _rule("a long number with a fraction is a decimal", ["1234567890123.5"], "number",
          [1234567890123.5]),
    _rule("decimals with thousands separators", ["1,234.5", "2", "3,000"], "number_sep",
          [1234.5, 2.0, 3000.0]),
    _rule("a leading zero is an identifier", ["007", "12"], "text", ["007", "12"]),
    _rule("more than twelve digits are an identifier", ["1234567890123", "5"], "text",
          ["1234567890123", "5"]),
    _rule("a plus sign makes text", ["+5", "6"], "text", ["+5", "6"]),
    _rule("an exponent of four digits makes text", ["1e0005"], "text", ["1e0005"]),
    _rule("a point with no digit after it makes text", ["5."], "text", ["5."]),
    _rule("digits of other scripts are text", ["١٢٣", "٤٥"], "text", ["١٢٣", "٤٥"]),
    _rule("missing markers in a column of numbers", ["1", "N/A", "NA", "-", "null", ""],
          "integer", [1, None, None, None, None, None]),
    _rule("missing markers in a text column are kept", ["abc", "NA", "-", ""], "text",
          ["abc", "NA", "-", None]),
    _rule("markers alone: nothing is known", ["NA", "", "-"], "unknown", ["NA", None, "-"]),
    _rule("ISO dates as written", ["2023-01-05", "2024-02-29", "NA"], "date_iso",
          ["2023-01-05", "2024-02-29", None]),
    _rule("no 13th month", ["2023-13-05"], "text", ["2023-13-05"]),
    _rule("ISO date-times as written",
          ["2023-01-05T10:00:00", "2023-01-05 10:00", "2024-03-01T00:00:00Z",
           "2024-03-01T00:00:00.5+01:00"], "datetime_iso",
          ["2023-01-05T10:00:00", "2023-01-05 10:00", "2024-03-01T00:00:00Z",
           "2024-03-01T00:00:00.5+01:00"]),
    _rule("US dates become ISO", ["1/5/2023", "12/31/99", "2/29/2024", ""], "date_mdy",
          ["2023-01-05", "1999-12-31", "2024-02-29", None]),
    _rule("a date that reads both ways is month first", ["1/2/2023"], "date_mdy",
          ["2023-01-02"]),
    _rule("day-first dates become ISO", ["13/1/2023", "1/2/23"], "date_dmy",
          ["2023-01-13", "2023-02-01"]),
    _rule("a column mixing both readings is text", ["13/1/2023", "1/13/2023"], "text",
          ["13/1/2023", "1/13/2023"]),
    _rule("two-digit years: below the pivot the 2000s", ["1/1/69", "1/1/70", "1/1/00"],
          "date_mdy", ["2069-01-01", "1970-01-01", "2000-01-01"]),
    _rule("US date-times with a 12-hour clock",
          ["1/5/2023 1:05 PM", "12/31/2023 12:30:01 am", "3/4/2019 12:05PM", "3/4/75 7:05"],
          "datetime_mdy",
          ["2023-01-05T13:05:00", "2023-12-31T00:30:01", "2019-03-04T12:05:00",
           "1975-03-04T07:05:00"]),
    _rule("day-first date-times", ["13/1/2023 12:00", "31/12/2023 23:59:59"], "datetime_dmy",
          ["2023-01-13T12:00:00", "2023-12-31T23:59:59"]),
    _rule("portal date-times of one fixed width",
          ["01/05/2023 01:05:00 PM", "12/31/2023 12:00:00 AM", "", "N/A"], "datetime_mdy",
          ["2023-01-05T13:05:00", "2023-12-31T00:00:00", None, None]),
    _rule("portal dates of one fixed width, day first", ["13/01/2023", "01/02/2023"],
          "date_dmy", ["2023-01-13", "2023-02-01"]),
    _rule("fixed-width 24-hour date-times", ["01/05/2023 13:05:00", "12/31/2023 00:00:09"],
          "datetime_mdy", ["2023-01-05T13:05:00", "2023-12-31T00:00:09"]),
]


def _store(kind: str, values: list[object]) -> Stored:
    """What a real SQLite column of ``kind``'s affinity holds after inserting ``values``."""
    with sqlite3.connect(":memory:") as conn:
        conn.execute(f"CREATE TABLE t (v {rules.affinity(kind)})")
        # (the Python path turns empty cells into NULL in the INSERT, as the writer does)
        conn.executemany("INSERT INTO t VALUES (NULLIF(?, ''))", [(v,) for v in values])
        return conn.execute("SELECT typeof(v), v FROM t ORDER BY rowid").fetchall()


def python_engine(values: tuple[str, ...], *, chunk: int = 0) -> tuple[str, Stored]:
    """The kind the Python path reads and what it stores (``chunk``: values per chunk)."""
    state = ColumnState()
    for start in range(0, len(values), chunk or len(values)):
        state.observe(values[start:start + (chunk or len(values))])
    kind = state.best()
    fresh = ColumnState()
    plain = fresh.observe(values)
    return kind, _store(kind, list(converter(kind)(values, plain)))


def arrow_engine(values: tuple[str, ...], *, distinct: bool = True) -> tuple[str, Stored]:
    """The kind the fast path reads and what it stores."""
    column = pa.array(values, type=pa.string())
    state = ColumnState()
    arrow_types.observe(state, column, distinct=distinct)
    kind = state.best()
    return kind, _store(kind, arrow_types.convert(kind, column).to_pylist())


def _expected(rule: Rule) -> tuple[str, Stored]:
    return rule.kind, _store(rule.kind, list(rule.stored))


@pytest.mark.parametrize("rule", RULES, ids=[r.says for r in RULES])
def test_both_engines_read_and_store_each_rule_alike(rule: Rule) -> None:
    expected = _expected(rule)
    assert python_engine(rule.values) == expected
    assert python_engine(rule.values, chunk=1) == expected  # chunks do not matter
    assert arrow_engine(rule.values) == expected
    assert arrow_engine(rule.values, distinct=False) == expected


def test_every_kind_has_an_example() -> None:
    assert {r.kind for r in RULES} == {*rules.KINDS, rules.TEXT, rules.UNKNOWN}


@pytest.mark.parametrize("marker", sorted(rules.MISSING_MARKERS))
def test_every_marker_is_missing_beside_numbers_and_kept_beside_text(marker: str) -> None:
    for values, kind, stored in [
        (("1", marker, "2"), "integer", [1, None, 2]),
        (("x", marker), "text", ["x", marker or None]),
    ]:
        assert python_engine(values) == arrow_engine(values) == (kind, _store(kind, stored))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), kind=st.sampled_from(sorted(rules.KINDS)))
def test_wider_kinds_take_every_value_of_the_narrower(data: st.DataObject, kind: str) -> None:
    """One check settles the wider kinds in the fast path: it must be true of the patterns."""
    value = data.draw(st.from_regex(re.compile(rules.KINDS[kind].pattern, re.ASCII),
                                    fullmatch=True))
    for wider in rules.WIDER.get(kind, ()):
        assert re.fullmatch(rules.KINDS[wider].pattern, value, re.ASCII), (kind, wider, value)


@settings(max_examples=120, deadline=None)
@given(data=st.data(), kinds=st.lists(st.sampled_from(sorted(rules.KINDS)), min_size=1,
                                      max_size=2))
def test_values_of_any_pattern_are_read_and_stored_alike(data: st.DataObject,
                                                         kinds: list[str]) -> None:
    """Columns drawn from one or two kinds' patterns (and markers): both engines agree."""
    cell = st.one_of(
        *(st.from_regex(re.compile(rules.KINDS[k].pattern, re.ASCII), fullmatch=True)
          for k in kinds),
        st.sampled_from(sorted(rules.MISSING_MARKERS)))
    values = tuple(data.draw(st.lists(cell, min_size=1, max_size=6)))
    assert python_engine(values) == arrow_engine(values)


def test_names_of_code_columns_keep_their_numbers_as_text() -> None:
    codes = ["zip", "county_fips", "group_id", "BBL", "census_tract", "lot"]
    measures = ["bbl_population_estimate", "idle_hours", "amount", "lots_sold"]
    assert [rules.is_code_column(n) for n in codes] == [True] * len(codes)
    assert [rules.is_code_column(n) for n in measures] == [False] * len(measures)


def test_every_type_a_facilitator_chooses_stores_as_a_kind() -> None:
    assert set(rules.FORCED_KINDS) == set(rules.USER_TYPES)
    for user_type, kind in rules.FORCED_KINDS.items():
        semantic = rules.semantic_type(kind)
        assert semantic == user_type
