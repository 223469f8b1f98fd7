"""Untrusted packs: a pack from a stranger's laptop is refused, or opened without running
anything of its own, and is never changed by being looked at.

Two layers are proved: :meth:`Pack.open` refuses any pack holding a trigger or a
view (the app never makes one), and below that every connection runs with
``trusted_schema = OFF``, so even if such SQL got through, it could not call a
function the app registered.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.errors import NotAPackError, PackTooNewError, TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.format import SCHEMA_VERSION
from tde_desktop.core.pack.pack_file import _connect
from tde_desktop.core.results.merge import merge_packs
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import submit_answer
from tests.reliability.conftest import Scenario, corrupt_table_page

EVIL_SQL = {
    "trigger deleting answers": "CREATE TRIGGER wipe AFTER INSERT ON _tde_responses "
                                "BEGIN DELETE FROM _tde_responses; END",
    "trigger calling our function": "CREATE TRIGGER spy_t AFTER INSERT ON _tde_responses "
                                    "BEGIN SELECT spy(new.answer_text); END",
    "trigger loading an extension": "CREATE TRIGGER ext AFTER INSERT ON _tde_responses "
                                    "BEGIN SELECT load_extension('/tmp/tde-evil.so'); END",
    "view calling our function": "CREATE VIEW peek AS SELECT spy(title) FROM _tde_datasets",
    "catalogue replaced by a view over sqlite_master":
        "ALTER TABLE _tde_datasets RENAME TO _old_ds; "
        "CREATE VIEW _tde_datasets AS SELECT * FROM _old_ds "
        "WHERE spy((SELECT group_concat(sql) FROM sqlite_master)) OR 1",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack(path: Path) -> tuple[str, str, str]:
    with Pack.create(path, title="Stranger's pack") as pack:
        w = ws.create_workshop(pack, "W")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        person = ws.add_participant(pack, w.id)
        submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                      question_key="note", answer="first")
    return w.id, ex.id, person.id


def _tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.execute("PRAGMA journal_mode = DELETE")  # leave one self-contained file
    conn.close()


def _refused(path: Path, error: type[TdeError], match: str) -> str:
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(error, match=match) as info:
            Pack.open(path, read_only=read_only)
        message = str(info.value)
        assert "\n" not in message
        assert path.name in message
    assert _digest(path) == before, "looking at an untrusted pack changed it"
    return message


@pytest.mark.parametrize("case", sorted(EVIL_SQL))
def test_packs_with_foreign_sql_are_refused_and_nothing_runs(
        tmp_path: Path, case: str, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario(f"untrusted: {case}", "Pack.open refuses it (read-write and read-only) with "
                 "one sentence; the file is unchanged; with trusted_schema=OFF the SQL cannot "
                 "call a registered function nor load an extension")
    path = tmp_path / "stranger.tdepack"
    ids = _pack(path)
    _tamper(path, EVIL_SQL[case])
    _refused(path, NotAPackError, "never puts in a pack")
    # Defence in depth: a connection made the way Pack makes them, with a function that
    # records calls, cannot be made to run the pack's SQL against that function.
    calls: list[object] = []
    conn = _connect(path)
    conn.create_function("spy", 1, calls.append)
    insert = ("INSERT INTO _tde_responses (id, workshop_id, exercise_id, participant_id, "
              "question_key, answer, created_at, updated_at, seq) "
              "VALUES ('x', ?, ?, ?, 'note', '\"x\"', '', '', 99)")
    if "deleting" in case:
        # Built-in SQL alone is allowed by trusted_schema: the answers really do vanish,
        # which is why Pack.open must refuse the pack outright.
        conn.execute(insert, ids)
        assert conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0] == 0
    elif "view" in case:
        view = "peek" if "peek" in EVIL_SQL[case] else "_tde_datasets"
        with pytest.raises(sqlite3.Error, match="unsafe use"):
            conn.execute(f"SELECT * FROM {view}").fetchall()
    else:
        with pytest.raises(sqlite3.Error, match="unsafe use|not authorized"):
            conn.execute(insert, ids)
    conn.close()
    assert calls == []
    s.trial()


def test_merging_an_untrusted_pack_changes_nothing(tmp_path: Path) -> None:
    stranger = tmp_path / "stranger.tdepack"
    _pack(stranger)
    _tamper(stranger, EVIL_SQL["trigger deleting answers"])
    target = tmp_path / "mine.tdepack"
    _pack(target)
    with Pack.open(target) as pack:
        before = pack.conn.execute("SELECT * FROM _tde_responses").fetchall()
        with pytest.raises(TdeError, match="never puts in a pack"):
            merge_packs(pack, stranger)
        assert pack.conn.execute("SELECT * FROM _tde_responses").fetchall() == before


def test_wrong_application_id_is_not_a_pack(tmp_path: Path,
                                            scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("untrusted: wrong application_id / not SQLite / damaged / from the future",
                 "each refused with its own one-sentence TdeError; the file unchanged")
    path = tmp_path / "other.tdepack"
    _pack(path)
    _tamper(path, "PRAGMA application_id = 1234")
    _refused(path, NotAPackError, "not a workshop pack")
    noise = tmp_path / "noise.tdepack"
    noise.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    _refused(noise, NotAPackError, "not a workshop pack")
    half = tmp_path / "half.tdepack"
    _pack(half)
    _tamper(half, "")
    half.write_bytes(half.read_bytes()[:5000])  # the SQLite header survives, the rest is gone
    with pytest.raises(NotAPackError):
        Pack.open(half)
    s.trial(3)


def test_a_corrupted_page_is_refused_as_damaged(tmp_path: Path,
                                                scenario: Callable[[str, str], Scenario]
                                                ) -> None:
    path = tmp_path / "damaged.tdepack"
    _pack(path)
    _tamper(path, "")
    corrupt_table_page(path, "_tde_responses")
    message = _refused(path, NotAPackError, "damaged")
    assert "damaged" in message


def test_a_pack_from_the_future_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.tdepack"
    _pack(path)
    _tamper(path, f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    _refused(path, PackTooNewError, "newer version")
