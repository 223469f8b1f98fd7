"""Frictions a facilitator meets in the room: which station a note came from,
sign-in answers kept out of notes, flag labels in the console's language, the
hidden-count threshold remembered, consent never assumed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.core.workshop.responses import submit_answer
from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

PIN = "2468"


@pytest.fixture
def room(qtbot: Any, baltimore_pack: Path) -> Any:
    pack = Pack.open(baltimore_pack)
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings", pin=PIN)
    console = FacilitatorConsole(pack, workshop.id)
    qtbot.addWidget(console)
    console.show()
    yield pack, workshop, console
    console.timer.stop()
    pack.close()


def note(pack: Pack, workshop: ws.Workshop, exercise: ws.Exercise, text: str) -> None:
    person = ws.add_participant(pack, workshop.id)
    submit_answer(pack, workshop_id=workshop.id, exercise_id=exercise.id,
                  participant_id=person.id, question_key="note",
                  answer={"text": text, "prompt": "notice"})


def test_all_exercises_names_the_station_of_each_note(qtbot: Any, room: Any) -> None:
    pack, workshop, console = room
    exercises = ws.list_exercises(pack, workshop.id)
    first, second = exercises[1], exercises[2]
    note(pack, workshop, first, "p3 note")
    note(pack, workshop, second, "p3 note")
    panel = console.moderation
    console.tabs.setCurrentWidget(panel)
    panel.show_exercise(None)
    assert panel.filter_box.currentText() == "All exercises"
    texts = [panel.notes_list.item(i).text() for i in range(panel.notes_list.count())]
    assert len(texts) == 2
    assert texts[0] != texts[1]  # two identical notes no longer look the same
    assert texts[0].splitlines()[0] == f"2. {first.title}"
    assert texts[1].splitlines()[0] == f"3. {second.title}"
    panel.show_exercise(first.id)  # one exercise chosen: its title is the filter's
    assert panel.notes_list.item(0).text().splitlines()[0].startswith("What do you notice?")
