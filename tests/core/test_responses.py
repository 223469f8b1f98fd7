"""Answer validation, storage exactly as typed, idempotent submits, undo and withdrawal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.answer_checks import AnswerRejected, clean_text, validate_answer
from tde_desktop.core.workshop.exercises import Question
from tde_desktop.core.workshop.responses import (
    get_response,
    list_responses,
    submit_answer,
    undo_last_answer,
)


def _opts(*codes: str) -> list[dict[str, Any]]:
    return [{"code": c, "label": {"en": c.title(), "es": c.upper()}} for c in codes]


QUESTIONS = [
    {"key": "text", "kind": "open_text", "text": "Say"},
    {"key": "note", "kind": "sticky_note", "text": "Note", "options": _opts("notice")},
    {"key": "pick", "kind": "single_choice", "text": "Pick", "options": _opts("a", "b")},
    {"key": "many", "kind": "multiple_choice", "text": "Many", "options": _opts("a", "b", "c"),
     "max_choices": 2},
    {"key": "rate", "kind": "rating", "text": "Rate", "scale_min": 1, "scale_max": 5},
    {"key": "rate_skip", "kind": "rating", "text": "Rate", "allow_skip": True},
    {"key": "rank", "kind": "ranking", "text": "Rank", "options": _opts("a", "b", "c")},
    {"key": "dots", "kind": "dot_vote", "text": "Dots", "options": _opts("a", "b", "c"),
     "dots": 3},
    {"key": "flat", "kind": "dot_vote", "text": "Dots", "options": _opts("a", "b", "c"),
     "dots": 2, "stacking": False},
    {"key": "money", "kind": "budget", "text": "Money", "total": 1000,
     "options": [{"code": "a", "label": {"en": "A", "es": "A"}, "cost": 600},
                 {"code": "b", "label": {"en": "B", "es": "B"}}]},
]


@dataclass
class Ctx:
    pack: Pack
    workshop_id: str
    exercise_id: str
    participant_id: str

    def submit(self, key: str, answer: Any, **kw: Any) -> Any:
        return submit_answer(self.pack, workshop_id=self.workshop_id,
                             exercise_id=self.exercise_id, participant_id=kw.pop(
                                 "participant_id", self.participant_id),
                             question_key=key, answer=answer, device_id="kiosk-1", **kw)


@pytest.fixture
def ctx(new_pack: Pack) -> Ctx:
    workshop = ws.create_workshop(new_pack, "Rules")
    exercise = ws.add_exercise(new_pack, workshop.id, type="open_text", title="All kinds",
                               config={"questions": QUESTIONS})
    person = ws.add_participant(new_pack, workshop.id)
    return Ctx(new_pack, workshop.id, exercise.id, person.id)


def _stored(ctx: Ctx, response_id: str) -> tuple[str, str]:
    return ctx.pack.conn.execute("SELECT answer_text, answer FROM _tde_responses WHERE id = ?",
                                 (response_id,)).fetchone()


@pytest.mark.parametrize(("key", "answer", "message"), [
    ("money", {"a": 600, "b": 401}, "budget is 1,000"),
    ("money", {"a": 700}, "at most 600"),
    ("money", {"a": -5}, "negative"),
    ("rank", {"a": 1, "b": 1, "c": 2}, "same rank"),
    ("rank", ["a", "a", "b"], "only one place"),
    ("dots", {"a": 2, "b": 2}, "3 dots"),
    ("dots", {"a": 1.5}, "whole"),
    ("flat", {"a": 2}, "one dot per choice"),
    ("rate", 6, "from 1 to 5"),
    ("rate", 0, "from 1 to 5"),
    ("rate", None, "point on the scale"),
    ("rate", "many", "number"),
    ("pick", "z", "choices offered"),
    ("many", ["a", "b", "c"], "at most 2"),
    ("many", ["a", "a"], "only once"),
    ("text", "x" * 10_001, "too long"),
    ("text", "  \n ", "write something"),
    ("text", 42, "should be text"),
    ("nope", "x", "no question"),
])
def test_bad_answers_are_refused_and_nothing_is_stored(
        ctx: Ctx, key: str, answer: Any, message: str) -> None:
    with pytest.raises(AnswerRejected, match=message) as info:
        ctx.submit(key, answer)
    assert "\n" not in str(info.value)
    assert list_responses(ctx.pack, ctx.workshop_id, include_deleted=True) == []


def test_good_answers_are_normalised(ctx: Ctx) -> None:
    money = ctx.submit("money", {"a": 600, "b": 400})
    assert money.amount == 1000
    assert {i["code"]: i["amount"] for i in money.items} == {
        "a": 600, "b": 400}
    rank = ctx.submit("rank", {"c": 1, "a": 5})
    assert rank.answer == ["c", "a"]
    assert [i["rank"] for i in rank.items] == [1, 2]
    dots = ctx.submit("dots", ["a", "a", "b"])
    assert dots.answer == {"a": 2, "b": 1}
    assert dots.amount == 3
    rate = ctx.submit("rate", 4)
    assert rate.rating == 4.0
    assert rate.answer_code == "4"
    skip = ctx.submit("rate_skip", None)
    assert skip.rating is None
    assert skip.answer_code == "skip"
    many = ctx.submit("many", ["b", "a"], lang="es")
    assert many.tags == ["b", "a"]
    assert many.answer_label == "B; A"
    text = ctx.submit("text", "x" * 10_000)
    assert len(text.answer_text) == 10_000


@pytest.mark.parametrize("text", [
    "Mi barrio 🏚️🔥👍🏽 está vacío",
    "שלום, הבניין ריק",  # right-to-left, Hebrew
    "\u202bمرحبا\u202c بالعالم",  # Arabic with embedding marks (format characters, kept)
    "=HYPERLINK(\"http://x\")",
    "+1 -1 @cmd",
    "tab\there\nnew line",
    "  leading and trailing spaces  ",
])
def test_text_is_stored_exactly(ctx: Ctx, text: str, pack_path: Path) -> None:
    response = ctx.submit("text", text)
    ctx.pack.close()
    with Pack.open(pack_path) as pack:
        assert get_response(pack, response.id).answer_text == text
        assert get_response(pack, response.id).answer == text


def test_control_characters_are_removed(ctx: Ctx) -> None:
    response = ctx.submit("text", "bell\x07 null\x00 esc\x1b[0m cr\r\nok\x7f")
    assert response.answer_text == "bell null esc[0m cr\nok"
    assert _stored(ctx, response.id)[0] == "bell null esc[0m cr\nok"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_clean_text_only_removes_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    kept = [ch for ch in text if ch in "\n\t" or not (ord(ch) < 32 or 127 <= ord(ch) < 160
                                                    or 0xD800 <= ord(ch) <= 0xDFFF)]
    assert cleaned == "".join(kept)


def test_same_response_id_twice_makes_one_row(ctx: Ctx) -> None:
    first = ctx.submit("note", {"text": "double click", "prompt": "notice"}, response_id="r-1")
    again = ctx.submit("note", {"text": "double click", "prompt": "notice"}, response_id="r-1")
    assert first.id == again.id == "r-1"
    assert again.seq == first.seq  # an identical re-send writes nothing
    assert len(list_responses(ctx.pack, ctx.workshop_id)) == 1
    with pytest.raises(AnswerRejected):
        ctx.submit("text", "other question", response_id="r-1")


def test_single_answer_kinds_replace_and_notes_add_up(ctx: Ctx) -> None:
    first = ctx.submit("pick", "a")
    second = ctx.submit("pick", "b")
    assert second.id == first.id
    assert second.answer == "b"
    assert second.seq > first.seq
    ctx.submit("note", "one")
    ctx.submit("note", "two")
    rows = list_responses(ctx.pack, ctx.workshop_id)
    assert sorted(r.answer_text for r in rows if r.question_key == "note") == ["one", "two"]
    assert [r.answer for r in rows if r.question_key == "pick"] == ["b"]


def test_undo_takes_back_only_my_last_answer(ctx: Ctx) -> None:
    other = ws.add_participant(ctx.pack, ctx.workshop_id)
    mine = ctx.submit("note", "mine")
    last = ctx.submit("note", "my last")
    theirs = ctx.submit("note", "theirs", participant_id=other.id)
    undone = undo_last_answer(ctx.pack, ctx.participant_id)
    assert undone is not None
    assert undone.id == last.id
    assert undone.deleted
    live = {r.id for r in list_responses(ctx.pack, ctx.workshop_id)}
    assert live == {mine.id, theirs.id}
    tombstones = list_responses(ctx.pack, ctx.workshop_id, include_deleted=True)
    assert {r.id for r in tombstones} == {mine.id, last.id, theirs.id}
    assert undo_last_answer(ctx.pack, ctx.participant_id).id == mine.id  # type: ignore[union-attr]
    assert undo_last_answer(ctx.pack, ctx.participant_id) is None
    # Re-sending an undone answer (a late retry) does not bring it back.
    ctx.submit("note", "my last", response_id=last.id)
    assert {r.id for r in list_responses(ctx.pack, ctx.workshop_id)} == {theirs.id}


def test_withdrawn_participant_cannot_answer_and_text_is_erased(ctx: Ctx,
                                                               pack_path: Path) -> None:
    secret = "My neighbour Ms Zyxwvut at 123 Secret St"
    ctx.submit("text", secret)
    ctx.submit("note", secret + " again")
    assert ws.withdraw_participant(ctx.pack, ctx.participant_id) == 2
    with pytest.raises(AnswerRejected, match="withdrawn"):
        ctx.submit("text", "back again")
    ctx.pack.close()
    raw = b"".join(p.read_bytes() for p in pack_path.parent.glob(pack_path.name + "*"))
    assert b"Zyxwvut" not in raw


def test_submit_inside_a_transaction_is_refused(ctx: Ctx) -> None:
    with ctx.pack.atomic(), pytest.raises(RuntimeError):
        ctx.submit("text", "x")


def test_answers_to_another_workshop_are_refused(ctx: Ctx) -> None:
    other = ws.create_workshop(ctx.pack, "Other")
    stranger = ws.add_participant(ctx.pack, other.id)
    with pytest.raises(AnswerRejected, match="sign in"):
        ctx.submit("text", "x", participant_id=stranger.id)



def test_an_edited_exercise_is_checked_as_edited_at_once(ctx: Ctx) -> None:
    # Parsed questions are reused between answers; an edit must still apply to the next one.
    ctx.submit("rate", 5)
    edited = [dict(q, scale_max=3) if q["key"] == "rate" else q for q in QUESTIONS
              if q["key"] != "text"]
    ws.update_exercise(ctx.pack, ctx.exercise_id, config={"questions": edited})
    with pytest.raises(AnswerRejected, match="from 1 to 3"):
        ctx.submit("rate", 5)
    with pytest.raises(AnswerRejected, match="no question"):
        ctx.submit("text", "gone")
    assert ctx.submit("rate", 3).rating == 3
    ws.update_exercise(ctx.pack, ctx.exercise_id, config={"questions": QUESTIONS})
    assert ctx.submit("rate", 5).rating == 5

def test_validate_answer_without_a_pack() -> None:
    question = Question.from_dict({"key": "f", "kind": "flag_record", "text": "Flag"})
    normal = validate_answer(question, {"flag": "missing", "comment": "No record for 12 Elm",
                                        "record_rowid": "17"}, lang="es")
    assert (normal.answer_code, normal.answer_label, normal.record_rowid) == (
        "missing", "Falta", 17)
    with pytest.raises(AnswerRejected):
        validate_answer(question, {"flag": "rude"})
