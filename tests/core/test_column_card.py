"""Column cards on real columns, an empty dataset and an all-empty column."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

from tde_desktop.core.explore.column_card import column_card
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import ColumnInfo, Pack
from tde_desktop.core.text_direction import plain
from tests.core.conftest import LA311


def test_text_column_card(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    info = explorer_pack.dataset("vacant building notices")
    col = next(c for c in info.columns if c.name == "policedistrict")
    card = column_card(explorer_pack.conn, info.table_name, col)
    counts = Counter(r["policedistrict"] for r in vacants)
    assert card.rows == len(vacants) == 16_747
    assert card.missing == 0
    assert card.distinct == len(counts)
    top_value, top_count = counts.most_common(1)[0]
    assert card.top[0][:2] == (top_value, top_count)
    assert card.minimum is None
    assert card.histogram is None
    pct = round(100 * top_count / len(vacants))
    assert f"Most common: {top_value}, {pct}% of rows" in map(plain, card.summary())
    assert "Every row has a value" in card.summary()


def test_numeric_card_with_filter(explorer_pack: Pack, vacants: list[dict[str, str]]) -> None:
    info = explorer_pack.dataset("vacant building notices")
    col = next(c for c in info.columns if c.name == "councildistrict")
    f = Filter("policedistrict", "is", "EASTERN")
    card = column_card(explorer_pack.conn, info.table_name, col, [f])
    values = sorted(int(r["councildistrict"]) for r in vacants
                    if r["policedistrict"] == "EASTERN")
    assert card.rows == len(values)
    assert (card.minimum, card.maximum) == (values[0], values[-1])
    assert card.median == statistics.median_low(values)
    assert card.histogram is not None
    assert sum(b[-1] for b in card.histogram) == len(values)
    assert (f"Ranges from {values[0]} to {values[-1]}; half are at or below "
            f"{statistics.median_low(values)}") in map(plain, card.summary())


@pytest.mark.shared_data(LA311)
def test_missing_values_and_dates(explorer_pack: Pack) -> None:
    info = explorer_pack.dataset("LA 311")
    lat = next(c for c in info.columns if c.name == "latitude")
    card = column_card(explorer_pack.conn, info.table_name, lat)
    assert card.missing == 1753
    assert round(card.missing_pct) == 18
    assert "18% of rows have no value" in card.summary()
    created = next(c for c in info.columns if c.name == "createddate")
    card = column_card(explorer_pack.conn, info.table_name, created)
    assert str(card.minimum).startswith("2017-12-27")
    assert str(card.maximum).startswith("2017-12-31")
    assert card.histogram is not None
    assert [d for d, _n in card.histogram][0] == "2017-12-27"  # a short span is shown by day
    assert sum(n for _d, n in card.histogram) == 9999


def test_empty_dataset_and_all_missing_column(new_pack: Pack, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("ward,name\n", encoding="utf-8")
    info = import_file(new_pack, empty)
    for col in info.columns:
        card = column_card(new_pack.conn, info.table_name, col)
        assert (card.rows, card.missing, card.distinct, card.top) == (0, 0, 0, [])
        assert card.summary() == ["There are no rows to describe."]
    blank = tmp_path / "blank.csv"
    blank.write_text("ward,note\n1,\n2,\n3,\n", encoding="utf-8")
    info = import_file(new_pack, blank)
    note = next(c for c in info.columns if c.name == "note")
    card = column_card(new_pack.conn, info.table_name, note)
    assert (card.rows, card.missing, card.missing_pct, card.distinct) == (3, 3, 100.0, 0)
    assert card.minimum is None
    assert card.summary() == ["No row has a value in this column."]
    as_number = ColumnInfo("note", "note", "number")
    card = column_card(new_pack.conn, info.table_name, as_number)
    assert card.histogram is None
