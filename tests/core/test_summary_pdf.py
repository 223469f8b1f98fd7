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
                     "Who came", "Top votes", "Parks (16 dots)", "Inspection dates",
                     "Lights", "Audit", "DPW"):
        assert expected in text, expected
    # Small counts are never printed as numbers; withdrawn words never appear.
    assert "Came before: fewer than 5" in text
    assert "Hidden Lane" not in text
    assert WITHDRAWN_TEXT not in text


def test_counts_below_the_threshold_are_hidden(new_pack: Pack, built: dict[str, Any]) -> None:
    content = summary_content(new_pack, built["workshop"].id, suppress_below=5)
    assert content.attendance[0] == "People who signed in: 11"
    assert content.requests == ["Inspection dates (fewer than 5)"]
    assert content.themes == ["safety (fewer than 5)"]
    assert shown(4, 5) == "fewer than 5"
    assert shown(5, 5) == "5"
    assert shown(0, 5) == "0"
    assert summary_content(new_pack, built["workshop"].id,
                           suppress_below=1).requests == ["Inspection dates (1)"]


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
    assert themes == ["streetlights (fewer than 5)", "broken (fewer than 5)"]
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
