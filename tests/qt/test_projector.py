"""The projector view: the numbers it draws, what it hides, and its type size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.workshop.projector import FONT_PT, ProjectorWindow, format_value


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def _answer(pack: Pack, workshop: ws.Workshop, exercise: ws.Exercise, key: str,
            answers: list[Any]) -> list[str]:
    people = []
    for answer in answers:
        person = ws.add_participant(pack, workshop.id)
        responses.submit_answer(pack, workshop_id=workshop.id, exercise_id=exercise.id,
                                participant_id=person.id, question_key=key, answer=answer)
        people.append(person.id)
    return people


def _projector(qtbot: Any, pack: Pack, workshop: ws.Workshop) -> ProjectorWindow:
    projector = ProjectorWindow(pack, workshop.id)
    qtbot.addWidget(projector)
    projector.show()
    qtbot.waitExposed(projector)
    return projector


def _expected(pack: Pack, exercise: ws.Exercise, key: str) -> list[tuple[str, str]]:
    return [(r.label, format_value(r.value)) for r in ws.tally(pack, exercise.id, key)]


def test_votes_and_ratings_after_reveal(qtbot: Any, pack: Pack) -> None:
    workshop = ws.create_from_agenda(pack, "data_walk_vacant_buildings")
    exercises = {e.type: e for e in ws.list_exercises(pack, workshop.id)}
    vote, evaluation = exercises["dot_vote"], exercises["evaluation"]
    _answer(pack, workshop, vote, "priorities",
            [{"board_up": 3}, {"rehab": 2, "lots": 1}, {"board_up": 1, "notify": 2}])
    _answer(pack, workshop, evaluation, "confidence", [4, 5, 4, None])
    ws.open_exercise(pack, vote.id)
    projector = _projector(qtbot, pack, workshop)
    assert projector.title.text() == vote.title
    assert projector.displayed_tallies() == {}  # nothing before the reveal
    assert "3 answered so far" in projector.status.text()
    ws.reveal(pack, vote.id)
    projector.refresh()
    shown = projector.displayed_tallies()["priorities"]
    assert shown == _expected(pack, vote, "priorities")
    assert dict(shown)["Secure empty buildings faster"] == "4"
    ws.open_exercise(pack, evaluation.id)
    ws.reveal(pack, evaluation.id)
    projector.refresh()
    ratings = projector.displayed_tallies()["confidence"]
    assert ratings == _expected(pack, evaluation, "confidence")
    assert ("Agree", "2") in ratings
    assert ("Skipped", "1") in ratings
    chart = projector.charts["confidence"]
    assert "Agree: 2" in chart.accessibleDescription()
    assert chart.grab().width() > 0
    assert projector.title.font().pointSize() >= FONT_PT


def test_free_text_only_after_approval(qtbot: Any, pack: Pack) -> None:
    workshop = ws.create_from_agenda(pack, "data_walk_vacant_buildings")
    station = ws.list_exercises(pack, workshop.id)[1]
    _answer(pack, workshop, station, "note",
            [{"text": "So many on my street", "prompt": "notice"},
             {"text": "Not my block", "prompt": "surprise"},
             {"text": "Where are the schools?", "prompt": "missing"}])
    ws.open_exercise(pack, station.id)
    ws.reveal(pack, station.id)
    projector = _projector(qtbot, pack, workshop)
    assert projector.displayed_notes() == []
    first, _second, third = ws.sticky_notes(pack, station.id, approved_only=False)
    ws.approve(pack, first.id)
    ws.approve(pack, third.id)
    projector.refresh()
    assert projector.displayed_notes() == ["So many on my street", "Where are the schools?"]
    headings = [w.text() for w in projector.findChildren(type(projector.title))
                if w.objectName() == "heading"]
    assert "What do you notice?" in headings
    assert "What is missing?" in headings
    assert "What surprises you?" not in headings
    ws.approve(pack, first.id, False)
    projector.refresh()
    assert projector.displayed_notes() == ["Where are the schools?"]


def test_refresh_redraws_only_on_change(qtbot: Any, pack: Pack) -> None:
    workshop = ws.create_from_agenda(pack, "data_walk_vacant_buildings")
    vote = [e for e in ws.list_exercises(pack, workshop.id) if e.type == "dot_vote"][0]
    ws.open_exercise(pack, vote.id)
    ws.reveal(pack, vote.id)
    projector = _projector(qtbot, pack, workshop)
    chart = projector.charts["priorities"]
    projector.refresh()
    assert projector.charts["priorities"] is chart  # nothing changed: same widgets
    _answer(pack, workshop, vote, "priorities", [{"lots": 2}])
    qtbot.waitUntil(lambda: projector.charts["priorities"] is not chart, timeout=3000)
    assert dict(projector.displayed_tallies()["priorities"])[
        "Turn lots into gardens and parks"] == "2"
