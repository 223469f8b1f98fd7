"""The bundled exercise templates and the demo agenda."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.workshop import templates
from tde_desktop.core.workshop.exercises import EXERCISE_TYPES, QUESTION_KINDS, Question


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    templates.reload()
    yield
    templates.reload()


def test_every_exercise_type_has_a_bilingual_template() -> None:
    loaded = templates.load_templates()
    assert {t.type for t in loaded.values()} == set(EXERCISE_TYPES)
    for tpl in loaded.values():
        for name in ("title", "instructions_facilitator", "instructions_participant"):
            en, es = tpl.text(name, "en"), tpl.text(name, "es")
            assert en.strip(), (tpl.name, name)
            assert es.strip(), (tpl.name, name)
            assert en != es or name == "title", (tpl.name, name)
        assert tpl.time_box_minutes > 0
        assert tpl.questions, tpl.name
        for question in tpl.questions:
            assert question.text["en"].strip()
            assert question.text["es"].strip()
            for option in question.options:
                assert option.label["en"].strip()
                assert option.label["es"].strip()


def test_templates_follow_the_domain() -> None:
    walk = templates.template("data_walk_station")
    assert walk.needs_view
    prompts = walk.questions[0]
    assert prompts.kind == "sticky_note"
    assert 2 <= len(prompts.options) <= 3
    match = {q.key: q for q in walk.questions}["match_experience"]
    assert [o.code for o in match.options] == ["lower", "about_right", "higher", "dont_know"]

    flag = templates.template("check_data").questions[0]
    assert [o.code for o in flag.all_options()] == ["wrong", "outdated", "duplicate", "missing"]
    feedback = templates.template("plan_feedback").questions[0]
    assert [o.code for o in feedback.all_options()] == [
        "keep", "change", "add", "concern", "question"]
    evaluation = [q.key for q in templates.template("evaluation").questions]
    assert evaluation == ["overall", "learned", "confidence", "trust", "worked", "improve",
                          "heard", "again"]
    sign_in = {q.key for q in templates.template("sign_in").questions}
    assert sign_in == {"neighbourhood", "age_band", "affiliation", "first_time",
                       "consent_quote", "consent_contact", "contact"}
    budget = templates.template("budget").questions[0]
    assert budget.total > 0
    assert all(o.cost for o in budget.options)
    kinds = {q.kind for t in templates.load_templates().values() for q in t.questions}
    assert kinds == set(QUESTION_KINDS)


def test_demo_agenda() -> None:
    agenda = templates.agenda("data_walk_vacant_buildings")
    assert agenda.title["en"] == "Data walk: vacant buildings in my neighbourhood"
    assert agenda.title["es"]
    assert [e["template"] for e in agenda.exercises] == [
        "sign_in", "data_walk_station", "data_walk_station", "data_walk_station",
        "data_walk_station", "check_data", "dot_vote", "data_request", "evaluation"]
    assert set(agenda.datasets.values()) == {"Vacant building notices"}
    assert {v["key"] for v in agenda.views} == {
        e["view"] for e in agenda.exercises if "view" in e}
    assert "data_walk_vacant_buildings" in templates.load_agendas()
    assert templates.agenda("Recorrido de datos: edificios vacíos en mi barrio ") is agenda
    assert templates.agenda("data walk: VACANT buildings in my neighbourhood") is agenda


def test_question_round_trip() -> None:
    for tpl in templates.load_templates().values():
        for question in tpl.questions:
            assert Question.from_dict(json.loads(json.dumps(question.to_dict()))) == question


def test_unknown_names_are_plain_errors() -> None:
    with pytest.raises(TdeError, match="no exercise template called nope"):
        templates.template("nope")
    with pytest.raises(TdeError, match="no agenda called nope"):
        templates.agenda("nope")


def test_a_broken_template_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    fresh_cache: None) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "half.json").write_text('{"kind": "exercise", "name": "half"', encoding="utf-8")
    monkeypatch.setenv("TDE_RESOURCES", str(tmp_path))
    with pytest.raises(TdeError, match="half.json"):
        templates.load_templates()
    (folder / "half.json").write_text(json.dumps({
        "kind": "exercise", "name": "half", "type": "open_text", "tde_step": "find",
        "title": {"en": "Only English"}, "instructions_facilitator": {"en": "x", "es": "x"},
        "instructions_participant": {"en": "x", "es": "x"}, "questions": []}),
        encoding="utf-8")
    with pytest.raises(TdeError, match="title in English and Spanish"):
        templates.load_templates()
