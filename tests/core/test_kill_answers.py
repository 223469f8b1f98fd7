"""An acknowledged answer survives the app being killed at any moment.

A child process submits answers in a loop and prints each response id only
after :func:`submit_answer` has returned (that is, after the commit). The test
kills it with SIGKILL at a random moment, reopens the pack, and checks that every
printed id is there and that SQLite finds the file intact. ``TDE_LONG=1`` runs
many more trials.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import list_responses

REPO = Path(__file__).resolve().parents[2]
TRIALS = 150 if os.environ.get("TDE_LONG") == "1" else 15

CHILD = r"""
import sys
# sqlite-utils imports pandas and numpy when it can (0.7 s); answers need neither, and
# a quick start lets the test run more kills in the same time.
sys.modules["pandas"] = sys.modules["numpy"] = None
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.responses import submit_answer

path, workshop_id, exercise_id, participant_id, prefix = sys.argv[1:6]
pack = Pack.open(path)
print("ready", flush=True)
sys.stdin.readline()  # started ahead of time, so Python's start-up is not in the loop
i = 0
while True:
    common = dict(workshop_id=workshop_id, exercise_id=exercise_id,
                  participant_id=participant_id, device_id=prefix)
    rid = f"{prefix}-{i}"
    submit_answer(pack, question_key="note", response_id=rid,
                  answer={"text": f"note {i} 🏚️ مرحبا", "prompt": "notice"}, **common)
    # A single-answer question is updated in place: the acknowledged value must stick.
    pick = submit_answer(pack, question_key="match_experience",
                         answer=["lower", "higher"][i % 2], **common)
    sys.stdout.write(f"{rid} {pick.seq}\n")
    sys.stdout.flush()
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")
def test_acknowledged_answers_survive_sigkill(pack_path: Path) -> None:
    with Pack.create(pack_path, title="Kill test") as pack:
        workshop = ws.create_workshop(pack, "Kill test")
        station = add_exercise_from_template(pack, workshop.id, "data_walk_station")
        person = ws.add_participant(pack, workshop.id)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(int(os.environ.get("TDE_SEED", time.time())))
    acknowledged: list[str] = []
    last_pick_seq = 0

    def spawn(trial: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", CHILD, str(pack_path), workshop.id, station.id, person.id,
             f"t{trial}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, text=True)

    upcoming = spawn(0)
    for trial in range(TRIALS):
        child, upcoming = upcoming, (spawn(trial + 1) if trial + 1 < TRIALS else None)
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline() == "ready\n", child.stderr.read() if child.stderr else ""
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        # Only whole lines were acknowledged; a torn last line is ignored.
        for line in out.splitlines(keepends=True):
            if line.endswith("\n"):
                rid, seq = line.split()
                acknowledged.append(rid)
                last_pick_seq = max(last_pick_seq, int(seq))

        with Pack.open(pack_path) as pack:
            assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = list_responses(pack, workshop.id)
            ids = {r.id for r in stored}
            missing = [rid for rid in acknowledged if rid not in ids]
            assert missing == [], f"trial {trial}: acknowledged but lost: {missing[:5]}"
            picks = [r for r in stored if r.question_key == "match_experience"]
            assert len(picks) <= 1
            if last_pick_seq:
                assert picks[0].seq >= last_pick_seq
    assert len(acknowledged) > TRIALS  # the kills did land between many acknowledgements
