"""A whole workshop run in the core, on the Baltimore vacant-building notices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template, create_from_agenda
from tde_desktop.core.workshop.responses import list_responses, submit_answer, undo_last_answer
from tests.conftest import shared

AGENDA = "data_walk_vacant_buildings"
EXTRA_TEMPLATES = ("explore_question", "data_story", "budget", "ranking", "rating",
                   "single_choice", "multiple_choice", "open_text", "plan_feedback",
                   "asset_map")


@pytest.fixture
def baltimore(new_pack: Pack) -> Iterator[Pack]:
    from tde_desktop.core.importers import import_file

    import_file(new_pack, shared("samples/baltimore/vacant_building_notices.csv"))
    return new_pack


def _answers(kind_key: str, i: int, record_rowid: int) -> Any:
    """Participant ``i``'s answer (0, 1, 2) to each question, by exercise type/question key."""
    table: dict[str, list[Any]] = {
        "data_walk/note": [{"text": "So many on my street", "prompt": "notice"},
                           {"text": "¡Más de lo que pensaba! 😮", "prompt": "surprise"},
                           {"text": "لا أرى المدارس", "prompt": "missing"}],
        "data_walk/match_experience": ["lower", "about_right", "about_right"],
        "check_data/flag": [
            {"flag": "outdated", "comment": "Torn down in 2018", "correction": "demolished",
             "dataset_id": 1, "record_rowid": record_rowid},
            {"flag": "wrong", "comment": "Wrong block", "record_rowid": record_rowid},
            {"flag": "duplicate", "comment": "Listed twice"}],
        "dot_vote/priorities": [{"board_up": 3}, {"rehab": 2, "lots": 1},
                                {"board_up": 1, "rehab": 1, "notify": 1}],
        "data_request/request": [
            {"who": "Block club", "what": "Owner of each vacant house", "format": "map",
             "department": "Housing", "why": "To reach owners", "urgency": "high"},
            {"what": "Demolition schedule", "urgency": "medium"},
            {"what": "Fire calls at vacant buildings", "urgency": "high"}],
        "evaluation/overall": ["up", "up", "down"],
        "evaluation/learned": ["yes", "a_little", "yes"],
        "evaluation/confidence": [4, 5, None],
        "evaluation/trust": [2, 3, 3],
        "evaluation/worked": ["The maps", "Talking to neighbours", "Nada"],
        "evaluation/improve": ["More time", "Bigger text", "Food"],
        "evaluation/heard": [["flyer"], ["friend", "organisation"], ["flyer", "friend"]],
        "evaluation/again": ["yes", "maybe", "yes"],
        "explore_question/question": [
            {"question": "Which blocks have the most notices?", "other_data": "population",
             "source": "census"},
            {"question": "How long do buildings stay vacant?"},
            {"question": "¿Quién es dueño de los edificios?", "source": "tax records"}],
        "data_story/story": [
            {"text": "The house next door burned.", "tags": ["safety", "housing"],
             "consent_quote": True, "place": "Easterwood"},
            {"text": "We turned a lot into a garden.", "tags": ["environment"],
             "consent_quote": False},
            {"text": "Rats everywhere.", "tags": ["health", "housing"], "consent_quote": True}],
        "budget/allocation": [{"board_up": 60000, "green_lots": 40000},
                              {"homeownership": 80000, "repairs": 20000},
                              {"board_up": 50000}],
        "ranking/order": [["safety", "housing", "green", "jobs"],
                          {"housing": 1, "safety": 2, "jobs": 3, "green": 4},
                          ["safety", "jobs"]],
        "rating/agree": [5, 4, None],
        "single_choice/choice": ["repair", "reuse", "reuse"],
        "multiple_choice/choices": [["trash", "fires"], ["rodents"], ["trash"]],
        "open_text/answer": ["Fix the roofs", "Light the alleys", "=SUM(A1) is not a formula"],
        "plan_feedback/note": [{"category": "keep", "text": "Good start"},
                               {"category": "concern", "text": "Who pays?"},
                               {"category": "question", "text": "When?"}],
        "asset_map/asset": [
            {"name": "Library", "category": "service", "location": "North Ave", "grade": 5},
            {"name": "Church food bank", "category": "faith", "grade": 4, "note": "Tuesdays"},
            {"name": "Corner garden", "category": "place", "location": "Bentalou St"}],
    }
    return table[kind_key][i]


def _run_workshop(pack: Pack) -> tuple[ws.Workshop, list[ws.Participant]]:
    workshop = create_from_agenda(pack, AGENDA, date="2024-05-04", venue="Branch library",
                                     host_department="Housing", pin="2468")
    for name in EXTRA_TEMPLATES:
        add_exercise_from_template(pack, workshop.id, name)
    participants = [
        ws.add_participant(pack, workshop.id, neighbourhood="Easterwood", first_time="first",
                           consent_quote=True),
        ws.add_participant(pack, workshop.id, age_band="25_34", consent_contact=True,
                           contact="555-0100"),
        ws.add_participant(pack, workshop.id, is_group=True, group_size=3, first_time="repeat"),
    ]
    rowid = pack.conn.execute(
        f'SELECT rowid FROM "{pack.dataset("Vacant building notices").table_name}" LIMIT 1'
    ).fetchone()[0]
    for exercise in ws.list_exercises(pack, workshop.id):
        if exercise.type == "sign_in":
            continue
        ws.open_exercise(pack, exercise.id)
        for i, person in enumerate(participants):
            for question in exercise.questions:
                submit_answer(pack, workshop_id=workshop.id, exercise_id=exercise.id,
                              participant_id=person.id, question_key=question.key,
                              answer=_answers(f"{exercise.type}/{question.key}", i, rowid),
                              device_id=f"laptop-{i}")
        ws.close_exercise(pack, exercise.id)
    return workshop, participants


def _by_type(pack: Pack, workshop_id: str, type_: str) -> ws.Exercise:
    return next(e for e in ws.list_exercises(pack, workshop_id) if e.type == type_)


def _values(rows: list[Any]) -> dict[str, float]:
    return {r.code: r.value for r in rows}


def test_whole_workshop_tallies_and_withdrawal(baltimore: Pack) -> None:
    workshop, people = _run_workshop(baltimore)
    exercises = ws.list_exercises(baltimore, workshop.id)
    assert [e.type for e in exercises[:9]] == [
        "sign_in", "data_walk", "data_walk", "data_walk", "data_walk", "check_data",
        "dot_vote", "data_request", "evaluation"]
    assert {e.type for e in exercises} >= {"asset_map", "plan_feedback", "budget", "ranking"}
    assert all(e.view_id and e.dataset_id for e in exercises if e.type == "data_walk")
    answered = [e for e in exercises if e.type != "sign_in"]
    assert ws.live_counts(baltimore, workshop.id) == {
        e.id: (0 if e.type == "sign_in" else 3) for e in exercises}
    n_questions = sum(len(e.questions) for e in answered)
    assert len(list_responses(baltimore, workshop.id)) == 3 * n_questions

    dots = _by_type(baltimore, workshop.id, "dot_vote")
    assert _values(ws.tally(baltimore, dots.id, "priorities")) == {
        "board_up": 4, "demolish": 0, "rehab": 3, "lots": 1, "notify": 1}
    budget = _by_type(baltimore, workshop.id, "budget")
    assert _values(ws.tally(baltimore, budget.id, "allocation")) == {
        "board_up": 110000, "green_lots": 40000, "homeownership": 80000, "repairs": 20000}
    ranking = _by_type(baltimore, workshop.id, "ranking")
    # Borda points: 4 for first of four, 3 for second...
    assert _values(ws.tally(baltimore, ranking.id, "order")) == {
        "safety": 4 + 3 + 4, "housing": 3 + 4, "green": 2 + 1, "jobs": 1 + 2 + 3}
    rating = _by_type(baltimore, workshop.id, "rating")
    assert _values(ws.tally(baltimore, rating.id, "agree")) == {
        "1": 0, "2": 0, "3": 0, "4": 1, "5": 1, "skip": 1}
    evaluation = _by_type(baltimore, workshop.id, "evaluation")
    assert _values(ws.tally(baltimore, evaluation.id, "heard"))["friend"] == 2
    assert _values(ws.tally(baltimore, evaluation.id, "overall")) == {
        "up": 2, "middle": 0, "down": 1, "skip": 0}
    story = _by_type(baltimore, workshop.id, "data_story")
    assert _values(ws.tally(baltimore, story.id, "story"))["housing"] == 2
    flags = _by_type(baltimore, workshop.id, "check_data")
    assert _values(ws.tally(baltimore, flags.id, "flag")) == {
        "wrong": 1, "outdated": 1, "duplicate": 1, "missing": 0}
    station = exercises[1]
    assert _values(ws.tally(baltimore, station.id, "match_experience")) == {
        "lower": 1, "about_right": 2, "higher": 0, "dont_know": 0}

    removed = ws.withdraw_participant(baltimore, people[0].id)
    assert removed == n_questions
    assert _values(ws.tally(baltimore, dots.id, "priorities"))["board_up"] == 1
    assert _values(ws.tally(baltimore, ranking.id, "order"))["safety"] == 3 + 4
    assert ws.live_counts(baltimore, workshop.id)[dots.id] == 2
    assert all(r.participant_id != people[0].id
               for r in list_responses(baltimore, workshop.id, include_deleted=True))
    gone = ws.get_participant(baltimore, people[0].id)
    assert gone.withdrawn
    assert gone.neighbourhood == ""
    assert gone.first_time == ""
    assert [p.id for p in ws.list_participants(baltimore, workshop.id)] == [
        people[1].id, people[2].id]


def test_agenda_needs_its_dataset_and_leaves_nothing_behind(new_pack: Pack) -> None:
    with pytest.raises(TdeError, match="Vacant building notices"):
        create_from_agenda(new_pack, AGENDA)
    assert ws.list_workshops(new_pack) == []
    assert new_pack.conn.execute("SELECT count(*) FROM _tde_views").fetchone()[0] == 0


def test_agenda_views_open_in_the_explorer(baltimore: Pack) -> None:
    from tde_desktop.core.explore.charts import chart_data
    from tde_desktop.core.explore.views import load_view

    workshop = create_from_agenda(baltimore, AGENDA)
    table = baltimore.dataset("Vacant building notices").table_name
    stations = [e for e in ws.list_exercises(baltimore, workshop.id) if e.type == "data_walk"]
    assert len(stations) == 4
    for station in stations:
        assert station.view_id is not None
        view = load_view(baltimore, station.view_id)
        assert view.chart is not None
        data = chart_data(baltimore.conn, table, view.chart, view.filters)
        assert data.values
        assert sum(data.values) > 0
    assert stations[0].text("title", "es").startswith("Estación 1")
    # A second workshop from the same agenda reuses the saved views.
    again = create_from_agenda(baltimore, AGENDA, title="Second walk")
    assert [e.view_id for e in ws.list_exercises(baltimore, again.id) if e.view_id] == [
        s.view_id for s in stations]


def test_resume_after_close_and_reopen(baltimore: Pack, pack_path: Path) -> None:
    workshop = create_from_agenda(baltimore, AGENDA)
    exercises = ws.list_exercises(baltimore, workshop.id)
    person = ws.add_participant(baltimore, workshop.id)
    ws.open_exercise(baltimore, exercises[1].id)
    ws.open_exercise(baltimore, exercises[2].id)
    ws.close_exercise(baltimore, exercises[1].id)
    ws.reveal(baltimore, exercises[1].id)
    answer = submit_answer(baltimore, workshop_id=workshop.id, exercise_id=exercises[2].id,
                           participant_id=person.id, question_key="note",
                           answer={"text": "Hello", "prompt": "notice"})
    baltimore.close()

    with Pack.open(pack_path) as pack:
        again = ws.get_workshop(pack, workshop.id)
        assert again.status == "running"
        assert again.started_at
        assert again.current_exercise_id == exercises[2].id
        states = {e.id: e for e in ws.list_exercises(pack, workshop.id)}
        assert states[exercises[1].id].status == "closed"
        assert states[exercises[1].id].revealed
        assert states[exercises[2].id].status == "open"
        assert states[exercises[2].id].opened_at
        assert [r.id for r in list_responses(pack, workshop.id)] == [answer.id]
        ended = ws.end_workshop(pack, workshop.id)
        assert ended.status == "ended"
        assert ended.ended_at
        assert all(e.status != "open" for e in ws.list_exercises(pack, workshop.id))
        with pytest.raises(TdeError):
            ws.start_workshop(pack, workshop.id)


def test_agenda_editing_and_pin(new_pack: Pack) -> None:
    workshop = ws.create_workshop(new_pack, "Planning night", date="2024-06-01",
                                  partners=["Library"], languages=["es", "en"], pin="1357")
    assert ws.check_pin(new_pack, workshop.id, "1357")
    assert not ws.check_pin(new_pack, workshop.id, "1358")
    assert "1357" not in workshop.pin_hash
    assert "$" in workshop.pin_hash
    first = add_exercise_from_template(new_pack, workshop.id, "open_text")
    assert first.language == "es"
    assert first.title == "Pregunta abierta"
    assert first.text("title", "en") == "Open question"
    second = add_exercise_from_template(new_pack, workshop.id, "ranking")
    third = ws.add_exercise(new_pack, workshop.id, type="single_choice", title="Yes or no",
                            position=0, config={"questions": [
                                {"key": "q", "kind": "single_choice", "text": "Ok?",
                                 "options": [{"code": "y", "label": "Yes"}]}]})
    assert [e.id for e in ws.list_exercises(new_pack, workshop.id)] == [
        third.id, first.id, second.id]
    order = ws.move_exercise(new_pack, third.id, 5)
    assert [e.id for e in order] == [first.id, second.id, third.id]
    assert [e.position for e in order] == [0, 1, 2]
    ws.update_exercise(new_pack, second.id, time_box_minutes=25, mode="group")
    assert ws.get_exercise(new_pack, second.id).time_box_minutes == 25
    with pytest.raises(TdeError):
        ws.update_exercise(new_pack, second.id, mode="alone")

    person = ws.add_participant(new_pack, workshop.id)
    submit_answer(new_pack, workshop_id=workshop.id, exercise_id=first.id,
                  participant_id=person.id, question_key="answer", answer="Sí")
    with pytest.raises(TdeError, match="already has 1 answer;"):
        ws.remove_exercise(new_pack, first.id)
    undo_last_answer(new_pack, person.id)
    ws.remove_exercise(new_pack, first.id)
    assert [e.position for e in ws.list_exercises(new_pack, workshop.id)] == [0, 1]

    steps = ws.set_next_steps(new_pack, workshop.id, [
        {"heard": "Vacant houses are unsafe", "action": "Board-up sweep", "owner": "DHCD",
         "due": "2024-09-01", "how_told": "Letter to attendees"}])
    assert steps.next_steps[0]["owner"] == "DHCD"
    with pytest.raises(TdeError):
        ws.set_next_steps(new_pack, workshop.id, [{"whom": "x"}])


def test_sign_in_is_anonymous_and_contact_needs_consent(new_pack: Pack) -> None:
    workshop = ws.create_workshop(new_pack, "W")
    no_consent = ws.add_participant(new_pack, workshop.id, contact="me@example.org",
                                    consent_contact="no")
    consent = ws.add_participant(new_pack, workshop.id, contact="me@example.org",
                                 consent_contact="yes")
    assert no_consent.contact == ""
    assert consent.contact == "me@example.org"
    assert no_consent.code.startswith("P-")
    assert len(no_consent.code) == 6
    assert no_consent.code != consent.code
    revoked = ws.update_participant(new_pack, consent.id, consent_contact=False)
    assert revoked.contact == ""
    codes = {ws.add_participant(new_pack, workshop.id).code for _ in range(200)}
    assert len(codes) == 200
    with pytest.raises(TdeError):
        ws.add_participant(new_pack, workshop.id, first_time="maybe")


def test_sticky_notes_need_approval(new_pack: Pack) -> None:
    workshop = ws.create_workshop(new_pack, "W")
    station = add_exercise_from_template(new_pack, workshop.id, "data_walk_station")
    person = ws.add_participant(new_pack, workshop.id)
    notes = [submit_answer(new_pack, workshop_id=workshop.id, exercise_id=station.id,
                           participant_id=person.id, question_key="note",
                           answer={"text": text, "prompt": "notice"})
             for text in ("one", "two", "three")]
    assert ws.sticky_notes(new_pack, station.id) == []
    assert len(ws.sticky_notes(new_pack, station.id, approved_only=False)) == 3
    ws.approve(new_pack, notes[1].id)
    assert [n.answer_text for n in ws.sticky_notes(new_pack, station.id)] == ["two"]
    ws.approve(new_pack, notes[1].id, approved=False)
    assert ws.sticky_notes(new_pack, station.id) == []


def test_earlier_answers_become_vote_options(new_pack: Pack) -> None:
    workshop = ws.create_workshop(new_pack, "W")
    ideas = add_exercise_from_template(new_pack, workshop.id, "open_text")
    vote = add_exercise_from_template(new_pack, workshop.id, "dot_vote")
    people = [ws.add_participant(new_pack, workshop.id) for _ in range(3)]
    for person, text in zip(people, ["More lights", "more  LIGHTS", "Fix roofs"], strict=True):
        submit_answer(new_pack, workshop_id=workshop.id, exercise_id=ideas.id,
                      participant_id=person.id, question_key="answer", answer=text)
    options = ws.options_from_answers(new_pack, ideas.id)
    assert [o.label["en"] for o in options] == ["More lights", "Fix roofs"]
    assert [o.code for o in options] == [o.code for o in ws.options_from_answers(
        new_pack, ideas.id)]
    question = vote.question("priorities").to_dict()
    question["options"] = [{"code": o.code, "label": o.label} for o in options]
    ws.update_exercise(new_pack, vote.id, config={**vote.config, "questions": [question]})
    submit_answer(new_pack, workshop_id=workshop.id, exercise_id=vote.id,
                  participant_id=people[0].id, question_key="priorities",
                  answer={options[1].code: 3})
    assert _values(ws.tally(new_pack, vote.id, "priorities")) == {
        options[0].code: 0, options[1].code: 3}


def test_a_pack_from_before_workshops_is_upgraded(pack_path: Path) -> None:
    import sqlite3

    from sqlite_utils import Database

    from tde_desktop.core.pack import schema

    conn = sqlite3.connect(pack_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(Database(conn), stop_before="m003_workshops")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO _tde_meta VALUES ('title', 'Old pack')")
    conn.close()
    with Pack.open(pack_path) as pack:
        workshop = ws.create_workshop(pack, "After the upgrade")
        assert [w.id for w in ws.list_workshops(pack)] == [workshop.id]
        assert pack.conn.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
        assert pack.title == "Old pack"
