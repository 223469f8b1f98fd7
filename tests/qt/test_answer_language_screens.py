"""The kiosk stores each answer in the language the participant chose; paper answers typed
in are stored in the exercise's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import agenda, responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.qt.workshop.paper import PaperEntry
from tests.qt.conftest import make_workshop
from tests.qt.kiosk_driver import click, make_kiosk, run_participant


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def _langs(pack: Pack, workshop_id: str, participant_id: str) -> set[str]:
    return {r.lang for r in responses.list_responses(pack, workshop_id)
            if r.participant_id == participant_id}


def test_kiosk_answers_are_stored_in_the_chosen_language(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    ws.update_workshop(pack, workshop.id, languages=["en", "es"])
    kiosk = make_kiosk(qtbot, pack, workshop)
    click(qtbot, kiosk.language_buttons["es"])
    spanish = run_participant(qtbot, kiosk, 0)
    assert _langs(pack, workshop.id, spanish) == {"es"}
    click(qtbot, kiosk.language_buttons["en"])
    english = run_participant(qtbot, kiosk, 1)
    assert _langs(pack, workshop.id, english) == {"en"}
    kiosk.allow_close = True


def test_paper_answers_are_stored_in_the_exercise_language(qtbot: Any, pack: Pack) -> None:
    workshop = make_workshop(pack, open_types=("evaluation",))
    station = agenda.add_exercise_from_template(pack, workshop.id, "data_walk_station",
                                                language="es")
    entry = PaperEntry(pack, station.id)
    qtbot.addWidget(entry)
    assert entry.lang == "es"
    note, choice, result = (entry.table.item(0, col) for col in (0, 1, entry.code_col + 1))
    assert note is not None
    assert choice is not None
    assert result is not None
    note.setText("Hay demasiadas casas vacías")
    choice.setText(station.questions[1].options[0].code)
    assert entry.save() == 1, result.text()
    stored = responses.list_responses(pack, workshop.id, exercise_id=station.id)
    assert len(stored) == 2
    assert {r.lang for r in stored} == {"es"}
