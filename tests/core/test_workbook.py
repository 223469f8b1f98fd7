"""The city-hall workbook, re-opened with openpyxl and checked against the pack."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.errors import Cancelled
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1",
            "-1+1", "\t=1+1", "\n=1+1"]
WITHDRAWN_TEXT = "I live at 12 Hidden Lane, please remove me"


def _opts(*codes: str) -> list[dict[str, Any]]:
    return [{"code": c, "label": {"en": c.title(), "es": c.upper()}} for c in codes]


def _q(key: str, kind: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": {"en": text, "es": text + " (es)"}, **extra}


def build_workshop(pack: Pack, tmp_path: Path) -> dict[str, Any]:
    """A workshop with one exercise of each reporting kind and 12 participants,
    one of whom withdraws after answering."""
    src = tmp_path / "lots.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["lot_id", "address", "status"])
        writer.writerows([["0001", "1 Main St", "vacant"], ["0002", "2 Main St", "open"]])
    info = import_file(pack, src, title="Lots", source_url="https://example.org/lots",
                       publisher="City", licence="CC-BY-4.0")
    ws = w.create_workshop(pack, "Vacant lots night", date="2024-05-01", venue="Library",
                           neighbourhood="North", host_department="Housing",
                           partners=["Tenants union"], tde_step="design")
    ex = {}
    specs = {
        "vote": ("dot_vote", [_q("priorities", "dot_vote", "Which matter most?",
                                 options=_opts("parks", "lights", "repairs"), dots=3)]),
        "request": ("data_request", [_q("wish", "data_request", "What data do you need?")]),
        "check": ("check_data", [_q("flag", "flag_record", "Is this record right?")]),
        "story": ("data_story", [_q("story", "story", "Tell a story")]),
        "notes": ("data_walk", [_q("note", "sticky_note", "What do you notice?")]),
        "budget": ("budget", [_q("alloc", "budget", "Spend it", total=100,
                                 options=[{"code": "a", "label": {"en": "Alpha"}, "cost": 80},
                                          {"code": "b", "label": {"en": "Beta"}, "cost": 80}])]),
        "asked": ("explore_question", [_q("ask", "question_asked", "Ask a question")]),
        "assets": ("asset_map", [_q("asset", "asset", "Name an asset",
                                    options=_opts("park", "school"))]),
        "eval": ("evaluation", [_q("overall", "single_choice", "Overall?",
                                   options=_opts("up", "down")),
                                _q("trust", "rating", "Trust the city will act?"),
                                _q("improve", "open_text", "What to improve?",
                                   required=False)]),
    }
    for name, (etype, questions) in specs.items():
        ex[name] = w.add_exercise(pack, ws.id, type=etype, title=name.title(),
                                  dataset_id=info.id if name == "check" else None,
                                  config={"questions": questions})
    people = []
    for i in range(12):
        hood = "North" if i < 7 else ("South" if i < 10 else "")
        people.append(r.add_participant(
            pack, ws.id, neighbourhood=hood, age_band="25-44" if i % 2 else "65+",
            affiliation="Tenants union" if i < 2 else "", first_time="first" if i < 8 else
            "repeat", consent_quote=i % 3 == 0, consent_contact=i == 3,
            contact="resident3@example.org" if i == 3 else ""))

    def answer(p: Any, name: str, key: str, value: Any) -> None:
        r.submit_answer(pack, workshop_id=ws.id, exercise_id=ex[name].id,
                        participant_id=p.id, question_key=key, answer=value)

    for i, p in enumerate(people):
        answer(p, "vote", "priorities", {"parks": 2, "lights": 1} if i < 8 else {"repairs": 3})
        answer(p, "notes", "note", PAYLOADS[i % len(PAYLOADS)])
        answer(p, "eval", "overall", "up" if i < 9 else "down")
        answer(p, "eval", "trust", 1 + i % 5)
    answer(people[0], "request", "wish", {"who": "=tenants", "what": "Inspection dates",
                                          "urgency": "high", "department": "Housing"})
    answer(people[1], "check", "flag", {"flag": "outdated", "comment": "+demolished",
                                        "dataset_id": info.id, "record_rowid": 1})
    answer(people[2], "story", "story", {"text": "Quoted story", "consent_quote": True,
                                         "tags": ["safety"]})
    answer(people[4], "story", "story", {"text": "Private story", "consent_quote": False})
    answer(people[5], "budget", "alloc", {"a": 60, "b": 40})
    answer(people[6], "asked", "ask", {"question": "Why so many?", "other_data": "permits",
                                       "source": "Housing"})
    answer(people[7], "assets", "asset", {"name": "Rec centre", "category": "park",
                                          "grade": 4})
    answer(people[6], "eval", "improve", "@more chairs")
    gone = people[11]
    answer(gone, "notes", "note", WITHDRAWN_TEXT)
    r.withdraw_participant(pack, gone.id)
    w.set_next_steps(pack, ws.id, [{"heard": "Lights", "action": "Audit", "owner": "DPW",
                                    "due": "2024-07-01", "how_told": "Email"}])
    return {"workshop": ws, "people": people, "gone": gone, "dataset": info, "ex": ex}


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
    assert [row[5] or "" for row in rows[1:]] == [x.answer_text for x in live]


def test_payloads_are_text_everywhere(book: openpyxl.Workbook) -> None:
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


def test_only_consented_stories_and_quotes(built: dict[str, Any],
                                          book: openpyxl.Workbook) -> None:
    rows = _values(book["Stories and quotes"])[1:]
    texts = [row[3] for row in rows]
    assert "Quoted story" in texts
    assert "Private story" not in texts
    # a story carries its own consent; other quotes need consent given at sign-in
    assert [row[6] for row in rows if row[0] == "Story"] == [built["people"][2].code]
    consenting = {p.code for p in built["people"] if p.consent_quote}
    quotes = [row for row in rows if row[0] == "Quote"]
    assert quotes
    assert {row[6] for row in quotes} <= consenting


def test_small_counts_are_suppressed(book: openpyxl.Workbook) -> None:
    rows = {(row[0], row[1]): row[2] for row in _values(book["Metrics"])[1:]}
    assert rows[("Participants signed in", None)] == 11
    assert rows[("Neighbourhood", "North")] == 7
    assert rows[("Neighbourhood", "South")] == "<5"
    assert rows[("Neighbourhood", "(not given)")] == "<5"
    assert rows[("Affiliation", "Tenants union")] == "<5"
    assert rows[("First time or repeat", "first")] == 8


def test_threshold_is_configurable(new_pack: Pack, built: dict[str, Any],
                                  tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    export_workbook(new_pack, built["workshop"].id, out, suppress_below=10)
    rows = {(row[0], row[1]): row[2] for row in _values(openpyxl.load_workbook(out)["Metrics"])}
    assert rows[("Neighbourhood", "North")] == "<10"


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


def test_flags_requests_carry_follow_up_columns(built: dict[str, Any],
                                               book: openpyxl.Workbook) -> None:
    flags = _values(book["Data quality flags"])
    assert flags[0][-4:] == ["Status", "Owner", "Response", "Date"]
    # the record's identifier columns let the department find it
    assert flags[1][:5] == ["Lots", 1, "lot_id=0001", None, "Out of date"]
    assert flags[1][5] == "+demolished"
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
    overall = {row[1]: row[2] for row in rows if row[0] == "Overall?"}
    assert overall == {"Up": 9, "Down": 2}
    assert rows[-1][:2] == ["What to improve?", "@more chairs"]


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
