"""Backups: whole, verified, thinned, and restored without ever half-writing the pack."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack, backup
from tde_desktop.core.pack.backup import (
    BackupFailed,
    BackupScheduler,
    list_backups,
    make_backup,
    restore_backup,
    thin_backups,
)
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import Response, list_responses, submit_answer
from tests.reliability.conftest import (
    KILL_TRIALS,
    Scenario,
    corrupt_table_page,
    integrity,
    spawn,
    wait_ready,
    whole_lines,
)

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def _workshop(pack: Pack) -> tuple[str, str, str]:
    w = ws.create_workshop(pack, "Backups")
    ex = add_exercise_from_template(pack, w.id, "data_walk_station")
    person = ws.add_participant(pack, w.id)
    return w.id, ex.id, person.id


def _answer(pack: Pack, ids: tuple[str, str, str], text: str) -> Response:
    w, ex, p = ids
    return submit_answer(pack, workshop_id=w, exercise_id=ex, participant_id=p,
                         question_key="note", answer={"text": text, "prompt": "notice"})


def _answers(pack: Pack, workshop_id: str) -> list[tuple[str, str, str]]:
    return [(r.id, r.answer_text, r.content_hash) for r in list_responses(pack, workshop_id)]


def test_round_trip_restores_exactly_the_answers_at_backup_time(
        pack_path: Path, tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("backup and restore round trip", "answers after restore equal answers at "
                 "backup time; datasets too; the replaced pack kept as before-restore")
    src = tmp_path / "d.csv"
    src.write_text("zip,n\n01234,1\n99999,2\n")
    with Pack.create(pack_path, title="Round trip") as pack:
        import_file(pack, src, title="Zips")
        ids = _workshop(pack)
        for i in range(5):
            _answer(pack, ids, f"before {i} 🏚️")
        at_backup = _answers(pack, ids[0])
        made = make_backup(pack, "start")
        for i in range(3):
            _answer(pack, ids, f"after {i}")
        after = _answers(pack, ids[0])
    assert made.parent == pack_path.with_name("test.backups")
    assert "_start.tdepack" in made.name
    assert integrity(made) == "ok"
    kept = restore_backup(made, pack_path)
    with Pack.open(pack_path) as pack:
        assert _answers(pack, ids[0]) == at_backup
        assert pack.conn.execute("SELECT zip FROM ds_zips ORDER BY rowid").fetchall() == [
            ("01234",), ("99999",)]
        assert pack.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert kept is not None
    assert kept.name.startswith("test.before-restore-")
    with Pack.open(kept) as old:
        assert _answers(old, ids[0]) == after
    assert not list(pack_path.parent.glob(".*partial"))
    s.trial()


def test_backup_of_an_open_pack_while_answers_arrive_has_them_all(
        pack_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("backup while another process writes", "each backup passes integrity_check "
                 "and holds every answer acknowledged before it started")
    with Pack.create(pack_path, title="Busy") as pack:
        ids = _workshop(pack)
    writer = spawn(_WRITER, str(pack_path), *ids)
    try:
        wait_ready(writer)
        reader = Pack.open(pack_path)
        for _i in range(5):
            time.sleep(0.05)
            before = reader.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0]
            path = make_backup(reader, "auto")
            with Pack.open(path, read_only=True) as copy:
                n = copy.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0]
            assert n >= before
            s.trial()
        reader.close()
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    assert before > 0


_WRITER = r"""
import sys
sys.modules["pandas"] = sys.modules["numpy"] = None
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.responses import submit_answer
pack = Pack.open(sys.argv[1])
w, ex, p = sys.argv[2:5]
print("ready", flush=True)
sys.stdin.readline()
i = 0
while True:
    submit_answer(pack, workshop_id=w, exercise_id=ex, participant_id=p, question_key="note",
                  answer={"text": f"n{i}", "prompt": "notice"})
    i += 1
"""


def test_a_backup_that_fails_its_check_is_deleted(
        new_pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "_check", lambda path: "page 3 is never used")
    with pytest.raises(BackupFailed, match="failed its check"):
        make_backup(new_pack, "end")
    folder = backup.backups_folder(new_pack.path)
    assert list(folder.iterdir()) == []


def test_a_damaged_backup_is_refused_and_the_pack_untouched(
        new_pack: Pack, pack_path: Path) -> None:
    made = make_backup(new_pack, "manual")
    new_pack.close()
    corrupt_table_page(made, "_tde_meta")
    before = pack_path.read_bytes()
    with pytest.raises(BackupFailed) as info:
        restore_backup(made, pack_path)
    assert "\n" not in str(info.value)
    assert pack_path.read_bytes() == before
    assert not list(pack_path.parent.glob("*before-restore*"))
    foreign = pack_path.with_name("foreign.db")
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupFailed, match="not a workshop pack"):
        restore_backup(foreign, pack_path)


def test_thinning_keeps_the_last_ten_and_one_per_day(
        new_pack: Pack, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("backup thinning", "last 10 kept, then the newest of each earlier day")
    made = []
    for day in range(4):
        for hour in range(6):
            made.append(make_backup(new_pack, "auto", now=T0 + dt.timedelta(days=day,
                                                                           hours=hour)))
    folder = made[0].parent
    deleted = thin_backups(folder)
    left = list_backups(new_pack.path)
    assert [b.path for b in left[:10]] == list(reversed(made))[:10]
    # 24 made: the last 10 are day 3 (6) and day 2 (4); before them one each for days 1 and 0.
    assert len(left) == 12
    assert len(deleted) == 12
    assert [b.created for b in left[10:]] == [T0 + dt.timedelta(days=1, hours=5),
                                              T0 + dt.timedelta(hours=5)]
    s.trial(24)


def test_scheduler_backs_up_every_few_minutes_only_when_answers_arrive(
        new_pack: Pack) -> None:
    ids = _workshop(new_pack)
    sched = BackupScheduler(interval=dt.timedelta(minutes=5))
    assert sched.maybe_backup(new_pack, T0) is not None  # first call: nothing backed up yet
    assert sched.maybe_backup(new_pack, T0 + dt.timedelta(minutes=10)) is None  # no change
    _answer(new_pack, ids, "new")
    assert sched.maybe_backup(new_pack, T0 + dt.timedelta(minutes=11)) is not None
    _answer(new_pack, ids, "newer")
    assert sched.maybe_backup(new_pack, T0 + dt.timedelta(minutes=12)) is None  # too soon
    third = sched.maybe_backup(new_pack, T0 + dt.timedelta(minutes=16, seconds=1))
    assert third is not None
    with Pack.open(third, read_only=True) as copy:
        assert copy.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0] == 2
    assert [b.reason for b in list_backups(new_pack.path)] == ["auto"] * 3


def test_scheduler_survives_a_failing_backup(new_pack: Pack,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> Path:
        raise BackupFailed("The disk is full.")

    monkeypatch.setattr(backup, "make_backup", fail)
    sched = BackupScheduler()
    assert sched.maybe_backup(new_pack, T0) is None
    assert sched.last_error == "The disk is full."


def test_portable_mode_puts_backups_in_the_data_folder(
        pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tde_desktop import portable

    monkeypatch.setattr(portable, "is_portable", lambda: True)
    monkeypatch.setattr(portable, "data_dir", lambda create=True: tmp_path / "stick" / "data")
    assert backup.backups_folder(pack_path) == tmp_path / "stick/data/backups/test.backups"


RESTORER = r"""
import sys
sys.modules["pandas"] = sys.modules["numpy"] = None
from tde_desktop.core.pack.backup import restore_backup
pack_path, first, second = sys.argv[1:4]
print("ready", flush=True)
sys.stdin.readline()
i = 0
while True:
    restore_backup(first if i % 2 == 0 else second, pack_path)
    print(i % 2, flush=True)
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")
def test_kill_during_restore_leaves_one_whole_pack(
        pack_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("kill during restore", "the pack is always one whole pack (integrity_check) "
                 "holding exactly the answers of one of the two backups or the original")
    with Pack.create(pack_path, title="Restore kills") as pack:
        ids = _workshop(pack)
        for i in range(3):
            _answer(pack, ids, f"a{i}")
        first = make_backup(pack, "start")
        for i in range(40):
            _answer(pack, ids, f"b{i}")
        second = make_backup(pack, "end")
    allowed = {3, 43}
    trials = max(5, KILL_TRIALS // 2)
    rng_delays = [0.02 * (i % 15) for i in range(trials)]
    for trial in range(trials):
        child = spawn(RESTORER, str(pack_path), str(first), str(second))
        wait_ready(child)
        time.sleep(rng_delays[trial])
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        assert all(line in ("0", "1") for line in whole_lines(out))
        assert integrity(pack_path) == "ok", f"trial {trial}"
        with Pack.open(pack_path) as pack:
            n = len(list_responses(pack, ids[0]))
        assert n in allowed, f"trial {trial}: {n} answers"
        s.trial()
        for kept in pack_path.parent.glob("*before-restore*"):
            kept.unlink()
