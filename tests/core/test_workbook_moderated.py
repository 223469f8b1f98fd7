"""What leaves the laptop is moderated: the workbook shows a participant's free text only
once the facilitator approved it (corrected where corrected), on every sheet; an internal
copy with every answer as written is an explicit choice that the About sheet names.

Each test re-opens the written workbook with openpyxl and checks the free-text cells one
by one against the pack's answers and their moderation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.csv_export import export_results_csv
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.results.workbook_data import awaiting_approval
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import workshops as w
from tests.core.conftest import PAYLOADS, build_workshop

AWAITING = "(awaiting approval)"
REJECTED = "(not approved)"
#: (sheet, header, the answer field shown there) for every free-text column outside the
#: Responses sheet; "" is the answer's own text (answer_text, corrected when approved).
FREE_COLUMNS = [
    ("Data requests", "Who needs it", "who"), ("Data requests", "What data", ""),
    ("Data requests", "Department", "department"),
    ("Data quality flags", "Comment", ""),
    ("Questions asked", "Question", ""), ("Questions asked", "Other data needed", "other_data"),
    ("Questions asked", "Where it could come from", "source"),
    ("Assets", "Name", ""),
]


@pytest.fixture
def built(new_pack: Pack, tmp_path: Path) -> dict[str, Any]:
    return build_workshop(new_pack, tmp_path)


def _export(pack: Pack, built: dict[str, Any], out: Path, **options: Any) -> openpyxl.Workbook:
    export_workbook(pack, built["workshop"].id, out, **options)
    return openpyxl.load_workbook(out)


def _column(book: openpyxl.Workbook, sheet: str, header: str) -> list[Any]:
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    i = rows[0].index(header)
    return [row[i] for row in rows[1:]]


def _answers(pack: Pack, workshop_id: str) -> list[dict[str, Any]]:
    """The live answers of present participants in seq order, with their moderation."""
    import json

    rows = pack.conn.execute(
        "SELECT r.answer, r.answer_text, r.approved, coalesce(m.rejected, 0), "
        "coalesce(m.edited_text, ''), e.type FROM _tde_responses r "
        "JOIN _tde_exercises e ON e.id = r.exercise_id "
        "JOIN _tde_participants p ON p.id = r.participant_id "
        "LEFT JOIN _tde_moderation m ON m.response_id = r.id "
        "WHERE r.workshop_id = ? AND r.deleted = 0 AND p.withdrawn_at IS NULL ORDER BY r.seq",
        (workshop_id,)).fetchall()
    return [{"answer": json.loads(a), "text": t, "approved": bool(ok), "rejected": bool(no),
             "edited": ed, "type": kind} for a, t, ok, no, ed, kind in rows]


def _expected(a: dict[str, Any], field: str, internal: bool) -> str:
    """What the cell of ``field`` ("" for the answer's own text) must read."""
    raw = a["text"] if not field else (a["answer"].get(field, "") if isinstance(
        a["answer"], dict) else "")
    if not raw:
        return ""
    if internal:
        return str(raw)
    if not a["approved"]:
        return REJECTED if a["rejected"] else AWAITING
    return str(a["edited"] or raw) if not field else str(raw)


def _check_every_free_cell(pack: Pack, built: dict[str, Any], book: openpyxl.Workbook,
                           internal: bool) -> int:
    answers = _answers(pack, built["workshop"].id)
    shown = [v or "" for v in _column(book, "Responses", "Answer text")]
    assert shown == [_expected(a, "", internal) for a in answers]
    checked = len(shown)
    kinds = {"Data requests": "data_request", "Data quality flags": "check_data",
             "Questions asked": "explore_question", "Assets": "asset_map"}
    for sheet, header, field in FREE_COLUMNS:
        mine = [a for a in answers if a["type"] == kinds[sheet]]
        cells = [v or "" for v in _column(book, sheet, header)]
        assert cells == [_expected(a, field, internal) for a in mine], (sheet, header)
        checked += len(cells)
    return checked


def test_unapproved_text_is_a_marker_on_every_sheet(new_pack: Pack, built: dict[str, Any],
                                                    tmp_path: Path) -> None:
    book = _export(new_pack, built, tmp_path / "pending.xlsx")
    assert _check_every_free_cell(new_pack, built, book, internal=False) > 20
    everything = {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                  for v in row if v is not None}
    for raw in [*PAYLOADS, "=tenants", "+demolished", "Inspection dates", "Why so many?",
                "permits", "Rec centre", "@more chairs", "Quoted story"]:
        assert raw not in everything, raw
    about = [str(v) for row in book["About"].iter_rows(values_only=True) for v in row if v]
    assert any("only once the facilitator approved it" in line for line in about)


def test_approved_corrected_and_rejected(new_pack: Pack, built: dict[str, Any],
                                         tmp_path: Path) -> None:
    wid = built["workshop"].id
    notes = moderation.notes(new_pack, wid)
    assert awaiting_approval(new_pack, wid) == len(notes) == 18
    by_text = {n.original: n for n in notes}
    moderation.edit_text(new_pack, by_text["Inspection dates"].id, "Inspection dates, 2024")
    for text in ("Inspection dates", "+demolished", "Rec centre", PAYLOADS[0]):
        moderation.set_status(new_pack, by_text[text].id, moderation.APPROVED)
    moderation.set_status(new_pack, by_text["Why so many?"].id, moderation.REJECTED)
    assert awaiting_approval(new_pack, wid) == 13
    book = _export(new_pack, built, tmp_path / "some.xlsx")
    _check_every_free_cell(new_pack, built, book, internal=False)
    assert _column(book, "Data requests", "What data") == ["Inspection dates, 2024"]
    assert _column(book, "Data requests", "Who needs it") == ["=tenants"]  # approved answer
    assert _column(book, "Data quality flags", "Comment") == ["+demolished"]
    assert _column(book, "Questions asked", "Question") == [REJECTED]
    assert _column(book, "Questions asked", "Other data needed") == [REJECTED]
    assert _column(book, "Assets", "Name") == ["Rec centre"]


def test_internal_copy_has_everything_and_says_so(new_pack: Pack, built: dict[str, Any],
                                                  tmp_path: Path) -> None:
    wid = built["workshop"].id
    note = next(n for n in moderation.notes(new_pack, wid) if n.original == "Why so many?")
    moderation.edit_text(new_pack, note.id, "Why so many lots?")
    moderation.set_status(new_pack, note.id, moderation.REJECTED)
    book = _export(new_pack, built, tmp_path / "internal.xlsx", include_unmoderated=True)
    _check_every_free_cell(new_pack, built, book, internal=True)
    assert _column(book, "Questions asked", "Question") == ["Why so many?"]  # as written
    about = [str(v) for row in book["About"].iter_rows(values_only=True) for v in row if v]
    assert any("Internal copy, not to be forwarded" in line for line in about)
    # the quote sheets stay approved-only even in an internal copy
    assert [r for r in book["Stories and quotes"].iter_rows(min_row=2, values_only=True)] == []


def test_sign_in_text_is_never_a_note(new_pack: Pack, tmp_path: Path) -> None:
    """Free text typed at sign-in is a demographic detail: never awaiting approval."""
    from tde_desktop.core.workshop.agenda import add_exercise_from_template
    from tde_desktop.core.workshop.responses import submit_answer

    workshop = w.create_workshop(new_pack, "Sign-in only")
    sign_in = add_exercise_from_template(new_pack, workshop.id, "sign_in")
    key = next(q.key for q in sign_in.questions if q.kind == "open_text")
    person = w.add_participant(new_pack, workshop.id)
    submit_answer(new_pack, workshop_id=workshop.id, exercise_id=sign_in.id,
                  participant_id=person.id, question_key=key, answer="12 Hidden Lane")
    assert awaiting_approval(new_pack, workshop.id) == 0
    out = tmp_path / "signin.xlsx"
    export_workbook(new_pack, workshop.id, out)
    cells = _column(openpyxl.load_workbook(out), "Responses", "Answer text")
    assert cells == ["(sign-in detail, not shown)"]


def test_markers_in_the_workbooks_language(new_pack: Pack, built: dict[str, Any],
                                           tmp_path: Path) -> None:
    book = _export(new_pack, built, tmp_path / "es.xlsx", lang="es")
    sheet = book.sheetnames[2]
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    texts = {row[5] for row in rows[1:] if row[5]}
    assert len(texts) == 1
    assert texts != {AWAITING}  # translated, not English


def test_results_csv_files_are_moderated_too(new_pack: Pack, built: dict[str, Any],
                                             tmp_path: Path) -> None:
    (tmp_path / "csv").mkdir()
    paths = export_results_csv(new_pack, built["workshop"].id, tmp_path / "csv", "w")
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in paths)
    assert AWAITING in text
    assert "Inspection dates" not in text


def test_cli_says_how_many_await_and_offers_the_internal_copy(
        new_pack: Pack, built: dict[str, Any], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tde_desktop.cli.main import main

    path = new_pack.path
    new_pack.close()
    out = tmp_path / "cli.xlsx"
    assert main(["export", str(path), str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ('18 notes await your approval; the workbook shows them as '
                        '"(awaiting approval)" until you approve them in the console.')
    assert _column(openpyxl.load_workbook(out), "Assets", "Name") == [AWAITING]
    internal = tmp_path / "internal.xlsx"
    assert main(["export", str(path), str(internal), "--include-unmoderated"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "18 notes await your approval; this internal copy includes them as written.")
    assert _column(openpyxl.load_workbook(internal), "Assets", "Name") == ["Rec centre"]
