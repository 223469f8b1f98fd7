"""Room state: change probe, counts, the projector's exercise, and moderation of notes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.format import SCHEMA_VERSION
from tde_desktop.core.workshop import moderation, room_state
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import create_from_agenda
from tde_desktop.core.workshop.responses import submit_answer
from tests.conftest import shared


@pytest.fixture
def pack(new_pack: Pack) -> Pack:
    from tde_desktop.core.importers import import_file

    import_file(new_pack, shared("samples/baltimore/vacant_building_notices.csv"))
    return new_pack


def _notes(pack: Pack) -> tuple[ws.Workshop, ws.Exercise, list[str]]:
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    station = ws.list_exercises(pack, workshop.id)[1]
    ids = []
    for text in ("Too many on my stret", "Not my block", "Where are the schools?"):
        person = ws.add_participant(pack, workshop.id)
        ids.append(submit_answer(pack, workshop_id=workshop.id, exercise_id=station.id,
                                 participant_id=person.id, question_key="note",
                                 answer={"text": text, "prompt": "notice"}).id)
    return workshop, station, ids


def test_probe_moves_on_writes_from_this_and_other_connections(pack: Pack) -> None:
    workshop = ws.create_workshop(pack, "Probe")
    first = room_state.probe(pack)
    assert room_state.probe(pack) == first  # reading changes nothing
    ws.add_participant(pack, workshop.id)
    second = room_state.probe(pack)
    assert second != first
    other = sqlite3.connect(pack.path)
    other.execute("UPDATE _tde_workshops SET venue = 'Library'")
    other.commit()
    other.close()
    assert room_state.probe(pack)[0] != second[0]


def test_counts_and_participant_rows(pack: Pack) -> None:
    workshop, _station, _ids = _notes(pack)
    assert room_state.participant_count(pack, workshop.id) == 3
    rows = room_state.participant_rows(pack, workshop.id)
    assert [r.answers for r in rows] == [1, 1, 1]
    ws.withdraw_participant(pack, rows[0].id)
    assert room_state.participant_count(pack, workshop.id) == 2
    assert rows[0].id not in [r.id for r in room_state.participant_rows(pack, workshop.id)]
    assert room_state.answer_count(pack, rows[1].id) == 1


def test_show_on_projector_sets_the_current_exercise(pack: Pack) -> None:
    workshop = create_from_agenda(pack, "data_walk_vacant_buildings")
    first, second = ws.list_exercises(pack, workshop.id)[:2]
    assert room_state.show_on_projector(pack, workshop.id, second.id) is None
    assert ws.get_workshop(pack, workshop.id).current_exercise_id == second.id
    assert room_state.show_on_projector(pack, workshop.id, first.id) == second.id
    with pytest.raises(TdeError):
        room_state.show_on_projector(pack, workshop.id, "no-such-exercise")


def test_moderation_keeps_the_original_and_shows_only_approved(pack: Pack) -> None:
    workshop, station, ids = _notes(pack)
    assert [n.status for n in moderation.notes(pack, workshop.id)] == ["pending"] * 3
    moderation.edit_text(pack, ids[0], "Too many on my street")
    moderation.set_status(pack, ids[0], moderation.APPROVED)
    moderation.set_status(pack, ids[1], moderation.REJECTED)
    note = moderation.get_note(pack, ids[0])
    assert note.original == "Too many on my stret"  # the participant's words are kept
    assert note.text == "Too many on my street"
    assert pack.conn.execute("SELECT answer_text FROM _tde_responses WHERE id = ?",
                             (ids[0],)).fetchone()[0] == "Too many on my stret"
    assert moderation.approved_notes(pack, station.id) == [
        ("note", note.prompt, "Too many on my street")]
    assert [n.id for n in moderation.notes(pack, workshop.id, station.id,
                                           status="rejected")] == [ids[1]]
    assert moderation.edit_text(pack, ids[0], "Too many on my stret").edited == ""
    # Withdrawing the participant removes the correction with the answer.
    person = pack.conn.execute("SELECT participant_id FROM _tde_responses WHERE id = ?",
                               (ids[0],)).fetchone()[0]
    moderation.edit_text(pack, ids[0], "Fixed")
    ws.withdraw_participant(pack, person)
    assert pack.conn.execute("SELECT count(*) FROM _tde_moderation").fetchone()[0] == 1


def test_a_pack_from_before_moderation_is_upgraded(pack_path: Path) -> None:
    from sqlite_utils import Database

    from tde_desktop.core.pack import schema

    conn = sqlite3.connect(pack_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(Database(conn), stop_before="m005_moderation")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO _tde_meta VALUES ('title', 'Old pack')")
    conn.close()
    with Pack.open(pack_path) as pack:
        assert "_tde_moderation" in pack.table_names()
        # Every later migration runs too: the pack ends at the current version.
        assert "_tde_tidy" in pack.table_names()
        assert pack.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
