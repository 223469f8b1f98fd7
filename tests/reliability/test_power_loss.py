"""Power loss: what is on disk at any instant of a write opens, is whole, and keeps answers.

A writer process commits answers in a loop and prints each id after
:func:`submit_answer` returns. At random moments the test freezes it
(SIGSTOP), copies the pack *and* its ``-wal`` file, and lets it go on. The
freeze makes the two copies one instant: the state a disk would hold if the
power went at that moment, given that every acknowledged commit was already
fsynced (``synchronous = FULL``, checked below). Copying the two files while
the writer runs would produce pairs no disk ever held (a checkpoint between
the two copies), so that is not what a power cut looks like.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import list_responses, submit_answer
from tests.reliability.conftest import (
    KILL_TRIALS,
    SEED,
    Scenario,
    integrity,
    spawn,
    wait_ready,
)

WRITER = r"""
import sys
sys.modules["pandas"] = sys.modules["numpy"] = None
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.responses import submit_answer
pack_path, workshop_id, exercise_id, participant_id = sys.argv[1:5]
pack = Pack.open(pack_path)
print("ready", flush=True)
sys.stdin.readline()
i = 0
while True:
    submit_answer(pack, workshop_id=workshop_id, exercise_id=exercise_id,
                  participant_id=participant_id, question_key="note", response_id=f"a-{i}",
                  answer={"text": f"note {i} " + "x" * (i % 500), "prompt": "notice"})
    print(i, flush=True)
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSTOP is POSIX only")
def test_copy_taken_mid_write_keeps_a_prefix_of_acknowledged_answers(
        pack_path: Path, tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("power loss: pack + -wal copied mid-write", "the copy opens with Pack.open, "
                 "passes integrity_check, and holds answers 0..k without a gap, k >= every "
                 "acknowledged answer")
    with Pack.create(pack_path, title="Power cuts") as pack:
        w = ws.create_workshop(pack, "Power")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        person = ws.add_participant(pack, w.id)
    child = spawn(WRITER, str(pack_path), w.id, ex.id, person.id)
    rng = random.Random(SEED)
    assert child.stdout is not None
    acked = -1
    buffer = b""
    try:
        wait_ready(child)
        fd = child.stdout.fileno()
        os.set_blocking(fd, False)
        for trial in range(KILL_TRIALS):
            time.sleep(rng.uniform(0.0, 0.15))
            child.send_signal(signal.SIGSTOP)
            # Everything printed so far was acknowledged before the freeze.
            while True:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                buffer += chunk
            *done, buffer = buffer.split(b"\n")
            if done:
                acked = int(done[-1])
            snap = tmp_path / f"snap{trial}.tdepack"
            shutil.copyfile(pack_path, snap)
            wal = pack_path.with_name(pack_path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, snap.with_name(snap.name + "-wal"))
            child.send_signal(signal.SIGCONT)

            assert integrity(snap) == "ok", f"trial {trial}"
            with Pack.open(snap) as copy:
                ids = sorted(int(r.id[2:]) for r in list_responses(copy, w.id))
            assert ids == list(range(len(ids))), f"trial {trial}: a gap in the answers"
            assert len(ids) - 1 >= acked, f"trial {trial}: acknowledged answer {acked} lost"
            s.trial()
            for p in tmp_path.glob(f"snap{trial}.tdepack*"):
                p.unlink()
    finally:
        child.kill()
        child.communicate(timeout=30)
    assert acked > KILL_TRIALS, "the writer hardly wrote: the test proved little"


def test_answers_commit_with_full_sync_imports_with_normal(
        new_pack: Pack, tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    """The choice RELIABILITY.md documents: WAL; FULL for answers; NORMAL only during imports."""
    s = scenario("synchronous settings", "journal_mode WAL; synchronous FULL (2) at each answer "
                 "commit and after an import; NORMAL (1) only while an import runs")
    assert new_pack.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    w = ws.create_workshop(new_pack, "Sync")
    ex = add_exercise_from_template(new_pack, w.id, "open_text")
    person = ws.add_participant(new_pack, w.id)
    new_pack.conn.execute("PRAGMA synchronous = OFF")  # whatever came before, answers fix it
    submit_answer(new_pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                  question_key="answer", answer="kept")
    assert new_pack.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    seen: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(new_pack.conn.execute("PRAGMA synchronous").fetchone()[0])

    src = tmp_path / "a.csv"
    src.write_text("a,b\n" + "".join(f"{i},{i}\n" for i in range(500)))
    import_file(new_pack, src, progress=progress)
    assert seen
    assert set(seen) == {1}
    assert new_pack.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    s.trial(3)


def test_reopened_after_unclean_close_keeps_wal_content(
        pack_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    """A pack left with a full -wal (the app died) opens with every committed answer."""
    s = scenario("unclean close", "a pack whose -wal was never checkpointed opens and keeps "
                 "every committed answer")
    with Pack.create(pack_path, title="Unclean") as pack:
        w = ws.create_workshop(pack, "U")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        person = ws.add_participant(pack, w.id)
    pack = Pack.open(pack_path)
    pack.conn.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(50):
        submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                      question_key="note", answer=f"answer {i}")
    # Copy the files as they stand while the connection is still open (no checkpoint ran).
    copy = pack_path.with_name("copy.tdepack")
    shutil.copyfile(pack_path, copy)
    shutil.copyfile(pack_path.with_name(pack_path.name + "-wal"),
                    copy.with_name(copy.name + "-wal"))
    pack.close()
    raw = sqlite3.connect(copy)
    assert raw.execute("SELECT count(*) FROM _tde_responses").fetchone()[0] == 50
    raw.close()
    with Pack.open(copy) as reopened:
        assert len(list_responses(reopened, w.id)) == 50
    s.trial()
