"""Change signals: the console and projector read the pack only when it changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common import ops
from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole
from tde_desktop.qt.workshop.projector import ProjectorWindow


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def pack(baltimore_pack: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pack]:
    monkeypatch.setattr(ops, "PROBE_MS", 40)  # many probes in a short test
    with Pack.open(baltimore_pack) as opened:
        yield opened


def _screens(qtbot: Any, pack: Pack) -> tuple[ws.Workshop, FacilitatorConsole,
                                                ProjectorWindow, ws.Exercise]:
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    vote = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "dot_vote")
    ws.open_exercise(pack, vote.id)
    ws.reveal(pack, vote.id)
    console = FacilitatorConsole(pack, workshop.id)
    qtbot.addWidget(console)
    projector = ProjectorWindow(pack, workshop.id)
    qtbot.addWidget(projector)
    console.show()
    projector.show()
    qtbot.waitExposed(projector)
    return workshop, console, projector, vote


def test_idle_screens_issue_only_the_data_version_probe(qtbot: Any, pack: Pack,
                                                        baltimore_pack: Path) -> None:
    workshop, console, projector, vote = _screens(qtbot, pack)
    statements: list[str] = []
    pack.conn.set_trace_callback(statements.append)
    try:
        qtbot.wait(600)  # about 15 probes, several countdown ticks
        assert statements, "the probe should run while screens watch the pack"
        assert set(statements) == {"PRAGMA data_version"}
        assert len(statements) < 40  # one probe per tick for both screens, not one each

        # A write from another connection (as the phone server will make) is found.
        statements.clear()
        with Pack.open(baltimore_pack) as other:
            person = ws.add_participant(other, workshop.id)
            responses.submit_answer(other, workshop_id=workshop.id, exercise_id=vote.id,
                                    participant_id=person.id, question_key="priorities",
                                    answer={"lots": 3})
        row = [e.id for e in console.exercises].index(vote.id)
        qtbot.waitUntil(lambda: console.table.item(row, 5).text() == "1", timeout=2000)
        qtbot.waitUntil(lambda: dict(projector.displayed_tallies()["priorities"])[
            "Turn lots into gardens and parks"] == "3", timeout=2000)
        assert console.header.text().endswith("\u2014 1 participant")  # singular for one
        assert any("count(" in s.lower() for s in statements)
        # Nobody loads the participant list to count it.
        assert not any(s.startswith("SELECT * FROM _tde_participants") for s in statements)

        # And once that is drawn, the screens are quiet again.
        qtbot.wait(100)
        statements.clear()
        qtbot.wait(400)
        assert set(statements) <= {"PRAGMA data_version"}
    finally:
        pack.conn.set_trace_callback(None)


def test_a_console_action_reaches_the_projector_without_waiting(qtbot: Any,
                                                                pack: Pack) -> None:
    _workshop, console, projector, vote = _screens(qtbot, pack)
    console.select(vote.id)
    assert projector.displayed_tallies()  # revealed
    hidden: list[frozenset[Any]] = []
    ops.watch_pack(pack, projector, hidden.append)
    click(qtbot, console.reveal_button)  # hide
    # Reported at once, with what changed (not "everything", as the probe would say).
    assert hidden[:1] == [frozenset({Change.AGENDA, Change.WORKSHOP})]
    assert projector.displayed_tallies() == {}
    click(qtbot, console.undo_button)
    assert projector.displayed_tallies()
    assert console.reveal_button.text().replace("&", "") == "Hide results"
