"""The city-hall workbook, re-opened with openpyxl and checked against the pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.errors import Cancelled
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import responses as r
from tests.core.conftest import PAYLOADS, WITHDRAWN_TEXT, build_workshop


@pytest.fixture
def built(new_pack: Pack, tmp_path: Path) -> dict[str, Any]:
    return build_workshop(new_pack, tmp_path)


@pytest.fixture
def book(new_pack: Pack, built: dict[str, Any], tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "results.xlsx"
    export_workbook(new_pack, built["workshop"].id, out)
    return openpyxl.load_workbook(out)


def _values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _all_text(wb: openpyxl.Workbook) -> str:
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_every_sheet_is_present(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        "About", "Participants", "Responses", "Votes", "Data requests", "Data quality flags",
        "Stories and quotes", "Questions asked", "Budget", "Assets", "Evaluation",
        "Next steps", "Metrics", "Codebook"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref, ws.title
        assert ws["A1"].font.bold


def test_responses_match_the_pack(new_pack: Pack, built: dict[str, Any],
                                  book: openpyxl.Workbook) -> None:
    rows = _values(book["Responses"])
    live = r.list_responses(new_pack, built["workshop"].id)
    assert len(rows) - 1 == len(live)
    codes = {p.id: p.code for p in built["people"]}
    assert [row[4] for row in rows[1:]] == [codes[x.participant_id] for x in live]
    # nothing is approved yet: every free text reads as awaiting approval
    assert [row[5] or "" for row in rows[1:]] == [
        "(awaiting approval)" if x.answer_text else "" for x in live]


@pytest.mark.parametrize("internal", [False, True])
def test_payloads_are_text_everywhere(new_pack: Pack, built: dict[str, Any], tmp_path: Path,
                                      internal: bool) -> None:
    if not internal:  # approved, so the default workbook shows them too
        for note in moderation.notes(new_pack, built["workshop"].id):
            moderation.set_status(new_pack, note.id, moderation.APPROVED)
    out = tmp_path / "payloads.xlsx"
    export_workbook(new_pack, built["workshop"].id, out, include_unmoderated=internal)
    book = openpyxl.load_workbook(out)
    ws = book["Responses"]
    cells = [row[5] for row in ws.iter_rows(min_row=2) if row[5].value in PAYLOADS]
    assert {c.value for c in cells} == set(PAYLOADS)
    assert {c.data_type for c in cells} == {"s"}
    request = book["Data requests"]["A2"]
    assert (request.value, request.data_type) == ("=tenants", "s")


def test_withdrawn_participant_appears_nowhere(built: dict[str, Any],
                                              book: openpyxl.Workbook) -> None:
    text = _all_text(book)
    assert WITHDRAWN_TEXT not in text
    assert built["gone"].code not in text
    assert len(_values(book["Participants"])) - 1 == 11


def test_contacts_only_when_asked_and_consented(new_pack: Pack, built: dict[str, Any],
                                               tmp_path: Path, book: openpyxl.Workbook) -> None:
    assert "resident3@example.org" not in _all_text(book)
    out = tmp_path / "with_contacts.xlsx"
    export_workbook(new_pack, built["workshop"].id, out, include_contacts=True)
    rows = _values(openpyxl.load_workbook(out)["Participants"])
    assert rows[0][-1] == "Contact (consented)"
    contacts = {row[0]: row[-1] for row in rows[1:]}
    assert contacts[built["people"][3].code] == "resident3@example.org"
    assert sum(1 for c in contacts.values() if c) == 1


def test_only_consented_stories_and_quotes(new_pack: Pack, built: dict[str, Any],
                                          book: openpyxl.Workbook, tmp_path: Path) -> None:
    assert _values(book["Stories and quotes"])[1:] == []  # nothing approved yet
    for note in moderation.notes(new_pack, built["workshop"].id):
        moderation.set_status(new_pack, note.id, moderation.APPROVED)
    out = tmp_path / "approved.xlsx"
    export_workbook(new_pack, built["workshop"].id, out)
    rows = _values(openpyxl.load_workbook(out)["Stories and quotes"])[1:]
    texts = [row[3] for row in rows]
    assert "Quoted story" in texts
    assert "Private story" not in texts
    # a story carries its own consent; other quotes need consent given at sign-in
    assert [row[8] for row in rows if row[0] == "Story"] == [built["people"][2].code]
    consenting = {p.code for p in built["people"] if p.consent_quote}
    quotes = [row for row in rows if row[0] == "Quote"]
    assert quotes
    assert {row[8] for row in quotes} <= consenting


def test_small_counts_are_suppressed(book: openpyxl.Workbook) -> None:
    rows = {(row[0], row[1]): row[3] for row in _values(book["Metrics"])[1:]}
    assert rows[("Participants signed in", None)] == 11
    # North 7, South 3, not given 1: the two small ones add up to 4, fewer than 5, so
    # North is hidden too, or 11 - 7 would give their sum away
    assert rows[("Neighbourhood", "North")] == "(hidden)"
    assert rows[("Neighbourhood", "South")] == "<5"
    assert rows[("Neighbourhood", "(not given)")] == "<5"
    assert rows[("Affiliation", "Tenants union")] == "<5"
    assert rows[("First time or repeat", "First time")] == "(hidden)"  # 8, beside 3 repeat
    assert rows[("First time or repeat", "Came before")] == "<5"


def test_threshold_is_configurable(new_pack: Pack, built: dict[str, Any],
                                  tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    export_workbook(new_pack, built["workshop"].id, out, suppress_below=3)
    rows = {(row[0], row[1]): row[3]
            for row in _values(openpyxl.load_workbook(out)["Metrics"])}
    assert rows[("Neighbourhood", "North")] == 7
    assert rows[("Neighbourhood", "South")] == "(hidden)"  # 3, hidden beside the 1
    assert rows[("Neighbourhood", "(not given)")] == "<3"
    assert rows[("First time or repeat", "First time")] == 8


def test_votes_tally_rank_and_chart(new_pack: Pack, built: dict[str, Any],
                                   book: openpyxl.Workbook, tmp_path: Path) -> None:
    rows = _values(book["Votes"])[1:]
    got = {row[3]: (row[4], row[5]) for row in rows}
    # 8 people put 2 dots on parks and 1 on lights; 3 put 3 on repairs (one withdrew)
    assert got == {"parks": (16, 1), "repairs": (9, 2), "lights": (8, 3)}
    import zipfile

    out = tmp_path / "charts.xlsx"
    export_workbook(new_pack, built["workshop"].id, out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert sum(n.startswith("xl/charts/chart") for n in names) >= 4  # votes, budget, 2 eval
        votes = z.read("xl/charts/chart1.xml").decode()
    # the votes chart: choices against dots, the value axis named
    assert "<c:f>Votes!$C$2:$C$4</c:f>" in votes
    assert "<c:f>Votes!$E$2:$E$4</c:f>" in votes
    assert "Dots or points" in votes[votes.index("<c:valAx>"):]


def test_flags_requests_carry_follow_up_columns(new_pack: Pack, built: dict[str, Any],
                                               tmp_path: Path) -> None:
    for note in moderation.notes(new_pack, built["workshop"].id):
        moderation.set_status(new_pack, note.id, moderation.APPROVED)
    out = tmp_path / "approved.xlsx"
    export_workbook(new_pack, built["workshop"].id, out)
    book = openpyxl.load_workbook(out)
    flags = _values(book["Data quality flags"])
    assert flags[0][-4:] == ["Status", "Owner", "Response", "Date"]
    # the record's identifier columns let the department find it
    assert flags[1][:6] == ["Lots", 1, "lot_id=0001", None, "Out of date", "outdated"]
    assert flags[1][6] == "+demolished"
    requests = _values(book["Data requests"])
    assert requests[0][-4:] == ["Status", "Owner", "Response", "Date"]
    assert requests[1][1] == "Inspection dates"


def test_about_next_steps_codebook(built: dict[str, Any], book: openpyxl.Workbook) -> None:
    about = dict((row[0], row[1]) for row in _values(book["About"])[1:])
    assert about["Workshop"] == "Vacant lots night"
    assert about["Dataset"] == "Lots"
    assert about["  licence"] == "CC-BY-4.0"
    steps = _values(book["Next steps"])
    assert steps[1][:3] == ["Lights", "Audit", "DPW"]
    codebook = _values(book["Codebook"])[1:]
    vote_codes = [row[6] for row in codebook if row[2] == "priorities"]
    assert vote_codes == ["parks", "lights", "repairs"]
    assert any(row[2] == "flag" and row[6] == "outdated" for row in codebook)


def test_evaluation_distribution_and_open_answers(book: openpyxl.Workbook) -> None:
    rows = _values(book["Evaluation"])[1:]
    overall = {row[1]: row[2:4] for row in rows if row[0] == "Overall?"}
    assert overall == {"Up": ["up", 9], "Down": ["down", 2]}
    # open answers are shared only once the facilitator approved them
    assert "@more chairs" not in [row[1] for row in rows]


def test_cancel_keeps_previous_file(new_pack: Pack, built: dict[str, Any],
                                   tmp_path: Path) -> None:
    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"previous")

    def stop(done: int, total: int, message: str) -> None:
        if done == 5:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_workbook(new_pack, built["workshop"].id, out, progress=stop)
    assert out.read_bytes() == b"previous"
    assert not list(tmp_path.glob(".keep*"))
