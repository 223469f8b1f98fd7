"""A refused answer is explained in the participant's language, whatever the interface's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tde_desktop.core import i18n
from tde_desktop.core.workshop.answer_checks import AnswerRejected, validate_answer
from tde_desktop.core.workshop.exercises import Question


@pytest.fixture
def english_interface() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


def note_question() -> Question:
    return Question(key="note", kind="sticky_note", text={"en": "Leave a note"})


def test_a_spanish_participant_is_refused_in_spanish(english_interface: None) -> None:
    with pytest.raises(AnswerRejected) as refused:
        validate_answer(note_question(), {"text": "  ", "prompt": ""}, "es")
    expected = i18n.translate("Please write something before sending.", "es")
    assert expected != "Please write something before sending."  # the catalogue has it
    assert str(refused.value) == expected
    assert i18n.current_language() == "en"  # the interface keeps its language


def test_the_interface_language_is_used_when_it_is_the_participants(
        english_interface: None) -> None:
    with pytest.raises(AnswerRejected, match="Please write something before sending"):
        validate_answer(note_question(), {"text": "", "prompt": ""}, "en")


def test_an_accepted_answer_is_stored_as_before(english_interface: None) -> None:
    normal = validate_answer(note_question(), {"text": "Hay muchos", "prompt": ""}, "es")
    assert normal.answer_text == "Hay muchos"
