"""The one-page "What we heard" PDF: one A4 page, real text, small counts hidden."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.summary_pdf import shown, summary_content, write_summary_pdf
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w
from tests.core.conftest import WITHDRAWN_TEXT, build_workshop

_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)


def pdf_text(data: bytes) -> str:
    """The text drawn on the pages (matplotlib writes Type 42 text as UTF-16 codes)."""
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for block in re.findall(rb"BT(.*?)ET", content, re.S):
            raw = b"".join(re.sub(rb"\\([()\\])", rb"\1", s) for s in _STRING.findall(block))
            parts.append(raw.decode("utf-16-be", errors="replace"))
    return "\n".join(parts)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.fixture
def built(new_pack: Pack, tmp_path: Path) -> dict[str, Any]:
    return build_workshop(new_pack, tmp_path)


def test_one_a4_page_with_the_title_and_sections(new_pack: Pack, built: dict[str, Any],
                                                 tmp_path: Path) -> None:
    out = write_summary_pdf(new_pack, built["workshop"].id, tmp_path / "heard.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert page_count(data) == 1
    assert re.search(rb"/MediaBox \[\s*0 0 595\.\d+ 841\.\d+\s*\]", data)
    text = pdf_text(data)
    for expected in ("What we heard", "Vacant lots night", "2024-05-01", "Library",
                     "Who came", "Top votes", "Parks (16 dots)", "Repairs (9 dots)",
                     "Lights", "Audit", "DPW"):
        assert expected in text, expected
    # Small counts of people are never printed, nor the count that would give them away
    # (8 first time + 3 returning = 11); vote tallies are not people and are printed.
    assert "is not shown" in text
    assert "First workshop:" not in text
    assert "Inspection dates" not in text  # a data request nobody approved
    # ... which is not said to be missing: the page says it waits for approval
    assert "No data requests were made." not in text
    assert "Data requests are listed here once the facilitator approves them." in text
    assert "Hidden Lane" not in text
    assert WITHDRAWN_TEXT not in text


def test_counts_below_the_threshold_are_hidden(new_pack: Pack, built: dict[str, Any]) -> None:
    content = summary_content(new_pack, built["workshop"].id, suppress_below=5)
    assert content.attendance[0] == "People who signed in: 11"
    assert content.requests == []  # nobody approved the request yet
    assert content.requests_waiting == 1
    assert content.themes == ["safety (1)"]  # story tags are a tally, not people
    assert shown(4, 5) == "fewer than 5"
    assert shown(5, 5) == "5"
    assert shown(0, 5) == "0"
    request = next(n for n in moderation.notes(new_pack, built["workshop"].id)
                   if n.original == "Inspection dates")
    moderation.set_status(new_pack, request.id, moderation.APPROVED)
    assert summary_content(new_pack, built["workshop"].id).requests == ["Inspection dates (1)"]
    content = summary_content(new_pack, built["workshop"].id, suppress_below=1)
    assert content.attendance[1] == "First workshop: 8 · Came before: 3"


def test_themes_fall_back_to_frequent_words_of_approved_notes(new_pack: Pack,
                                                              tmp_path: Path) -> None:
    ws = w.create_workshop(new_pack, "Walk")
    ex = w.add_exercise(new_pack, ws.id, type="data_walk", title="Station", config={
        "questions": [{"key": "note", "kind": "sticky_note", "text": "Notice?"}]})
    texts = ["The streetlights are broken", "Broken streetlights near the park",
             "We need more streetlights", "Secret unapproved complaint about streetlights"]
    for i, text in enumerate(texts):
        p = w.add_participant(new_pack, ws.id)
        answer = r.submit_answer(new_pack, workshop_id=ws.id, exercise_id=ex.id,
                                 participant_id=p.id, question_key="note", answer=text)
        if i < 3:
            r.approve(new_pack, answer.id)
    themes = summary_content(new_pack, ws.id).themes
    assert themes == ["streetlights (3): “The streetlights are broken”",
                      "broken (2): “The streetlights are broken”"]
    out = write_summary_pdf(new_pack, ws.id, tmp_path / "walk.pdf")
    text = pdf_text(out.read_bytes())
    assert "streetlights" in text
    assert "unapproved" not in text
    assert "No votes were taken." in text


def test_a_long_workshop_still_fits_one_page(new_pack: Pack, built: dict[str, Any],
                                              tmp_path: Path) -> None:
    step = {"heard": "People want the lights on the bridge fixed " * 4, "action": "Audit",
            "owner": "DPW", "due": "2024-07-01"}
    w.set_next_steps(new_pack, built["workshop"].id, [step] * 12)
    data = write_summary_pdf(new_pack, built["workshop"].id, tmp_path / "long.pdf").read_bytes()
    assert page_count(data) == 1
    assert "More in the results workbook." in pdf_text(data)


def test_refusals_and_cancel_leave_earlier_file(new_pack: Pack, built: dict[str, Any],
                                                tmp_path: Path) -> None:
    out = tmp_path / "heard.pdf"
    out.write_bytes(b"earlier")
    with pytest.raises(TdeError, match=r"\.pdf"):
        write_summary_pdf(new_pack, built["workshop"].id, tmp_path / "heard.png")

    def stop(done: int, total: int, message: str) -> None:
        if message.startswith("Drawing"):
            raise Cancelled

    with pytest.raises(Cancelled):
        write_summary_pdf(new_pack, built["workshop"].id, out, progress=stop)
    assert out.read_bytes() == b"earlier"
    with pytest.raises(TdeError, match="no longer exists"):
        write_summary_pdf(new_pack, "no-such-workshop", out)


def test_handout_prints_only_moderated_text_and_no_place_words(new_pack: Pack,
                                                              tmp_path: Path) -> None:
    ws = w.create_workshop(new_pack, "Paseo", languages=["en", "es"])
    ex = w.add_exercise(new_pack, ws.id, type="data_walk", title="Station", config={
        "questions": [{"key": "note", "kind": "sticky_note", "text": "Notice?"}]})
    texts = ["Casas vacías en la ave Monroe, basura", "Basura en las casas de la ave Monroe",
             "Trash on Monroe Ave", '=HYPERLINK("http://evil.example","Demolition schedule")']
    for i, text in enumerate(texts):
        p = w.add_participant(new_pack, ws.id)
        answer = r.submit_answer(new_pack, workshop_id=ws.id, exercise_id=ex.id,
                                 participant_id=p.id, question_key="note", answer=text)
        if i < 3:
            moderation.set_status(new_pack, answer.id, moderation.APPROVED)
    themes = summary_content(new_pack, ws.id).themes
    words = [t.split(" (")[0] for t in themes]
    assert words == ["monroe", "basura"]
    assert themes[1] == "basura (2): “…vacías en la ave Monroe, basura”"
    text = pdf_text(write_summary_pdf(new_pack, ws.id, tmp_path / "p.pdf").read_bytes())
    assert "HYPERLINK" not in text


def test_a_sign_no_font_has_prints_as_a_box_not_an_error(new_pack: Pack, built: dict[str, Any],
                                                         tmp_path: Path) -> None:
    # pytest turns warnings from tde_desktop into errors: a missing glyph must not stop it.
    workshop = built["workshop"]
    with new_pack.atomic():
        new_pack.conn.execute("UPDATE _tde_workshops SET title = ? WHERE id = ?",
                              ("Market night \u060b", workshop.id))
    out = write_summary_pdf(new_pack, workshop.id, tmp_path / "sign.pdf")
    assert page_count(out.read_bytes()) == 1
    assert "Market night" in pdf_text(out.read_bytes())
