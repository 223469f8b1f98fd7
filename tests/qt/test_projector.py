"""The projector view: the numbers it draws, what it hides, and its type size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
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
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
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
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
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
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
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


def test_one_result_at_a_time_filling_the_window(qtbot: Any, pack: Pack) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    station = ws.list_exercises(pack, workshop.id)[1]
    _answer(pack, workshop, station, "note",
            [{"text": "A long note that must wrap on the projector rather than be cut "
                      "off at the edge of a single line, because people read it all",
              "prompt": "notice"}])
    _answer(pack, workshop, station, "match_experience", ["lower", "higher", "lower"])
    ws.approve(pack, ws.sticky_notes(pack, station.id, approved_only=False)[0].id)
    ws.open_exercise(pack, station.id)
    ws.reveal(pack, station.id)
    projector = _projector(qtbot, pack, workshop)
    projector.resize(1280, 720)
    qtbot.wait(20)
    assert projector.findChildren(QScrollArea) == []  # no strips scrolling on their own
    assert len(projector.panels) == 2  # the tally, then the board of notes
    chart = projector.charts["match_experience"]
    assert chart.isVisible()
    assert not projector.notes[0].isVisible()  # one thing at a time
    assert chart.height() > projector.height() // 2  # the bars fill the window
    qtbot.keyClick(projector, Qt.Key.Key_Right)
    note = projector.notes[0]
    assert note.isVisible()
    assert not chart.isVisible()
    assert note.wordWrap()
    assert note.textFormat() == Qt.TextFormat.PlainText
    assert note.height() > note.fontMetrics().height() * 1.5  # wrapped on several lines
    assert "2 of 2" in projector.pager.text()
    qtbot.keyClick(projector, Qt.Key.Key_Left)
    assert chart.isVisible()


def test_fits_the_screen_and_f11_toggles_full_screen(qtbot: Any, pack: Pack) -> None:
    from PySide6.QtCore import QSize, Qt

    from tde_desktop.qt.workshop.projector import fit_size

    assert fit_size(QSize(1366, 728)) == QSize(1280, 728)  # a 768 px laptop, less the panel
    assert fit_size(QSize(1920, 1040)) == QSize(1280, 800)
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    projector = ProjectorWindow(pack, workshop.id)
    qtbot.addWidget(projector)
    projector.show_on_best_screen(full_screen=False)
    qtbot.waitExposed(projector)
    available = projector.screen().availableGeometry()
    assert projector.frameGeometry().height() <= available.height() + 40
    assert projector.width() <= available.width()
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    assert projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    assert not projector.isFullScreen()


def test_the_next_exercise_replaces_the_questions_shown(qtbot: Any, pack: Pack) -> None:
    """Each exercise's questions replace the last one's at once (not when the event loop
    gets round to deleting them), and a long list still fits a 1280x720 projector."""
    from PySide6.QtWidgets import QLabel

    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    exercises = {e.type: e for e in ws.list_exercises(pack, workshop.id)}
    projector = _projector(qtbot, pack, workshop)
    projector.resize(1280, 720)
    for kind in ("sign_in", "evaluation"):
        projector.exercise_id = exercises[kind].id
        projector.refresh()
        qtbot.wait(20)
        shown = [w for w in projector.findChildren(QLabel)
                 if w.objectName() == "question" and w.isVisible()]
        assert [w.text() for w in shown] == [
            q.text["en"] for q in exercises[kind].questions]
        for label in shown:
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert projector.minimumSizeHint().height() <= 720


def test_a_workshop_not_started_shows_its_waiting_page(qtbot: Any, pack: Pack) -> None:
    """The projector opened before the first exercise (as the facilitator does while phones
    join) says the workshop will start soon; it was left blank above the join codes."""
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    projector = _projector(qtbot, pack, workshop)
    assert projector.title.text() == "Welcome"
    assert projector.prompt.text() == "The workshop will start soon."
    assert projector.title.isVisible()
    first = ws.list_exercises(pack, workshop.id)[0]
    ws.open_exercise(pack, first.id)
    projector.refresh()
    assert projector.title.text() == first.title
