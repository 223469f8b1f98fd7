"""Pack values inside sentences composed for the screen read in their own direction.

An address in "Most common: 2041 W NORTH AVE, 40% of rows" or in a record's details line
is wrapped in first-strong isolates (FSI ... PDI), so an Arabic window shows it as written;
the values the card and the record keep (and that are stored, compared or exported) carry
no marks.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tde_desktop.core.explore.column_card import column_card
from tde_desktop.core.explore.record_search import key_columns, record_by_rowid, search_records
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.text_direction import FSI, PDI, isolate, plain

ADDRESS = "2041 W NORTH AVE"


def _notices(pack: Pack, tmp_path: Path) -> tuple[str, list]:
    path = tmp_path / "notices.csv"
    rows = [["address", "referenceid", "status", "longitude"],
            [ADDRESS, "21-0001", "OPEN", "-76.61"],
            [ADDRESS, "21-0002", "CLOSED", "-76.65"],
            ["1200 N MONROE ST", "21-0003", "OPEN", "-76.58"],
            ["15 E 25TH ST", "21-0004", "", "-76.70"],
            ["", "21-0005", "OPEN", "-76.60"]]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    info = import_file(pack, path)
    return info.table_name, info.columns


def _marked(text: str) -> bool:
    return FSI in text or PDI in text


def test_column_card_isolates_its_values_only_in_sentences(new_pack: Pack,
                                                           tmp_path: Path) -> None:
    table, columns = _notices(new_pack, tmp_path)
    address = next(c for c in columns if c.name == "address")
    card = column_card(new_pack.conn, table, address)
    assert f"Most common: {isolate(ADDRESS)}, 40% of rows" in card.summary()
    assert card.top[0][0] == ADDRESS  # the value the card's table (and any copy) uses
    assert not any(_marked(str(v)) for v, _n, _pct in card.top)

    longitude = next(c for c in columns if c.name == "longitude")
    card = column_card(new_pack.conn, table, longitude)
    assert card.type == "number"
    lines = card.summary()
    # "-76.7" would read "76.7-" inside an Arabic sentence without its isolate
    assert (f"Ranges from {isolate('-76.7')} to {isolate('-76.58')}; "
            f"half are at or below {isolate('-76.61')}") in lines
    assert (card.minimum, card.maximum) == (-76.7, -76.58)
    # sentences without a value have nothing to isolate
    assert not _marked(lines[-1])
    assert not _marked(lines[-2])


def test_record_details_isolate_values_and_keep_fields_plain(new_pack: Pack,
                                                             tmp_path: Path) -> None:
    table, columns = _notices(new_pack, tmp_path)
    keys = key_columns(columns)
    [first, second] = search_records(new_pack.conn, table, keys, "north")
    assert first.headline() == ADDRESS  # the kiosk and the phone pages isolate it themselves
    details = first.details()
    assert isolate("21-0001") in details
    assert isolate("OPEN") in details
    assert details.count(FSI) == details.count(PDI) == 2 * len(first.pairs()) == 4
    # each pair reads in its label's direction: "status: open", never "open :status"
    assert details == (f"{isolate('referenceid: ' + isolate('21-0001'))}  \u00b7  "
                       f"{isolate('status: ' + isolate('OPEN'))}")
    assert plain(details) == "referenceid: 21-0001  \u00b7  status: OPEN"
    # what is kept, compared and stored carries no marks
    assert not any(_marked(label) or _marked(value) for label, value in first.fields)
    assert first.pairs() == [("referenceid", "21-0001"), ("status", "OPEN")]
    assert ADDRESS in [v for _l, v in second.fields]
    # an empty value is left out of the line, not isolated as ""
    fourth = record_by_rowid(new_pack.conn, table, keys, 4)
    assert fourth is not None
    assert fourth.pairs() == [("referenceid", "21-0004")]
    assert fourth.details() == isolate(f"referenceid: {isolate('21-0004')}")
    [stored] = new_pack.conn.execute(
        f'SELECT address FROM "{table}" WHERE rowid = ?', (first.rowid,)).fetchone()
    assert stored == ADDRESS
