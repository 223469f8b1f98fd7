"""submit_answer's writer: a server's threads take turns only for the write itself, and
a withdrawal committed between the checks and the write still wins."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.answer_checks import AnswerRejected
from tde_desktop.core.workshop.responses import list_responses, submit_answer

QUESTIONS = [{"key": "rate", "kind": "rating", "text": "Rate", "scale_min": 1, "scale_max": 5},
             {"key": "note", "kind": "open_text", "text": "Say"}]


class Writer:
    """A lock that records whether a transaction was open when it was taken and left."""

    def __init__(self, pack: Pack, on_enter: Any = None) -> None:
        self.pack, self.on_enter = pack, on_enter
        self.lock = threading.Lock()
        self.seen: list[tuple[str, bool]] = []

    def __enter__(self) -> None:
        self.lock.acquire()
        self.seen.append(("enter", self.pack.conn.in_transaction))
        if self.on_enter:
            self.on_enter()

    def __exit__(self, *exc: object) -> None:
        self.seen.append(("exit", self.pack.conn.in_transaction))
        self.lock.release()


def _workshop(pack: Pack) -> tuple[str, str, str]:
    workshop = ws.create_workshop(pack, "Writer")
    exercise = ws.add_exercise(pack, workshop.id, type="evaluation", title="Two",
                               config={"questions": QUESTIONS})
    return workshop.id, exercise.id, ws.add_participant(pack, workshop.id).id


def test_the_writer_is_held_only_around_the_committed_write(new_pack: Pack) -> None:
    workshop_id, exercise_id, person = _workshop(new_pack)
    writer = Writer(new_pack)
    stored = submit_answer(new_pack, workshop_id=workshop_id, exercise_id=exercise_id,
                           participant_id=person, question_key="rate", answer=4,
                           writer=writer)
    assert stored.rating == 4
    # taken before BEGIN and left after COMMIT: nothing of the answer's is outside it
    assert writer.seen == [("enter", False), ("exit", False)]
    with pytest.raises(AnswerRejected, match="from 1 to 5"):
        submit_answer(new_pack, workshop_id=workshop_id, exercise_id=exercise_id,
                      participant_id=person, question_key="rate", answer=9, writer=writer)
    assert len(writer.seen) == 2  # a refused answer never waited for the writer
    assert not writer.lock.locked()


def test_a_withdrawal_between_the_checks_and_the_write_wins(new_pack: Pack,
                                                             pack_path: Path) -> None:
    workshop_id, exercise_id, person = _workshop(new_pack)
    new_pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def withdraw_elsewhere() -> None:  # the console, on its own connection
        with Pack.open(pack_path) as other:
            ws.withdraw_participant(other, person)

    writer = Writer(new_pack, withdraw_elsewhere)
    with pytest.raises(AnswerRejected, match="withdrawn"):
        submit_answer(new_pack, workshop_id=workshop_id, exercise_id=exercise_id,
                      participant_id=person, question_key="note", answer="late words",
                      writer=writer)
    assert not new_pack.conn.in_transaction
    assert not writer.lock.locked()
    assert list_responses(new_pack, workshop_id, include_deleted=True) == []


def test_answers_are_numbered_in_the_order_they_are_written(new_pack: Pack) -> None:
    workshop_id, exercise_id, person = _workshop(new_pack)
    kw = {"workshop_id": workshop_id, "exercise_id": exercise_id, "participant_id": person}
    first = submit_answer(new_pack, question_key="rate", answer=2, **kw)
    note = submit_answer(new_pack, question_key="note", answer="hello", **kw)
    again = submit_answer(new_pack, question_key="rate", answer=3, **kw)  # replaces first
    same = submit_answer(new_pack, question_key="rate", answer=3, response_id=again.id, **kw)
    assert again.id == first.id
    assert (first.seq, note.seq, again.seq, same.seq) == (1, 2, 3, 3)
