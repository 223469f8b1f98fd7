"""SIGKILL at random moments during imports, answers, merges and exports.

Each scenario pre-starts a child process (so Python's start-up is not part of
the window), lets it work in a loop that prints an acknowledgement after each
completed operation, kills it after a random delay, and then checks the files
on disk. ``TDE_LONG=1`` runs 200 trials per scenario instead of 20;
``TDE_SEED`` fixes the random delays. tests/core/test_kill_answers.py already
kills one answer kind; here every repeatable kind is checked for *content*.
"""

from __future__ import annotations

import random
import shutil
import signal
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack, quote
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
    whole_lines,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")
ROWS = 2_000


def kill_loop(trials: int, make_child: Callable[[int], object], max_delay: float,
              after: Callable[[int, list[str]], None]) -> None:
    """Run ``trials`` kills: start child, wait at random, SIGKILL, hand its whole lines on."""
    rng = random.Random(SEED)
    upcoming = make_child(0)
    for trial in range(trials):
        child = upcoming
        wait_ready(child)  # type: ignore[arg-type]
        upcoming = make_child(trial + 1) if trial + 1 < trials else None
        time.sleep(rng.uniform(0.0, max_delay))
        child.send_signal(signal.SIGKILL)  # type: ignore[attr-defined]
        out, err = child.communicate(timeout=60)  # type: ignore[attr-defined]
        assert child.returncode == -signal.SIGKILL, err[-2000:]  # type: ignore[attr-defined]
        after(trial, whole_lines(out))


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("id,name,amount,when\n")
        for i in range(rows):
            f.write(f"{i},café {i % 31} ✓,{i * 1.5},2024-02-{1 + i % 28:02d}\n")
    return path


# -- imports ---------------------------------------------------------------------------

IMPORTER = r"""
import sys
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
pack_path, src, prefix = sys.argv[1:4]
pack = Pack.open(pack_path)
print("ready", flush=True)
sys.stdin.readline()
i = 0
while True:
    info = import_file(pack, src, title=f"{prefix} {i}")
    print(info.table_name, flush=True)
    i += 1
"""


def test_kill_during_imports(pack_path: Path, tmp_path: Path,
                             scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("kill during import", "integrity_check; every ds_ table catalogued and whole "
                 f"({ROWS:,} rows, 4 columns); every acknowledged import present")
    Pack.create(pack_path, title="Import kills").close()
    src = write_csv(tmp_path / "small.csv", ROWS)
    acknowledged: set[str] = set()

    def check(trial: int, lines: list[str]) -> None:
        acknowledged.update(lines)
        assert integrity(pack_path) == "ok"
        with Pack.open(pack_path) as pack:
            catalogue = {d.table_name: d for d in pack.datasets()}
            tables = {t for t in pack.table_names() if t.startswith("ds_")}
            assert tables == set(catalogue), f"trial {trial}: orphan or missing table"
            assert acknowledged <= tables, f"trial {trial}: acknowledged import lost"
            for name, info in catalogue.items():
                count = pack.conn.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
                assert count == info.row_count == ROWS, f"trial {trial}: partial {name}"
                assert len(info.columns) == 4
        s.trial()

    kill_loop(KILL_TRIALS, lambda t: spawn(IMPORTER, str(pack_path), str(src), f"t{t}"),
              0.6, check)
    assert acknowledged, "no import finished before a kill: the window is too short"


# -- answers ---------------------------------------------------------------------------

ANSWERER = r"""
import sys
sys.modules["pandas"] = sys.modules["numpy"] = None  # answers need neither; start faster
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.responses import submit_answer
pack_path, workshop_id, participant_id, prefix = sys.argv[1:5]
exercises = dict(a.split("=") for a in sys.argv[5:])
pack = Pack.open(pack_path)
print("ready", flush=True)
sys.stdin.readline()
texts = ["note ✓", "مرحبا بالعالم", "=HYPERLINK(\"x\")", "שלום 🏚️", "line\nbreak"]
i = 0
while True:
    t = texts[i % len(texts)] + f" {i}"
    answers = {
        "note": {"text": t, "prompt": "notice"},
        "story": {"text": t, "title": f"story {i}", "tags": ["housing"],
                  "consent_quote": i % 2 == 0},
        "request": {"what": t, "who": "residents", "urgency": None},
        "asset": {"name": t, "category": "place", "grade": 1 + i % 3},
        "fb": {"category": "keep", "text": t},
    }
    for key, answer in answers.items():
        rid = f"{prefix}-{i}-{key}"
        r = submit_answer(pack, workshop_id=workshop_id, exercise_id=exercises[key],
                          participant_id=participant_id, question_key=key if key != "fb"
                          else "note", response_id=rid, answer=answer, device_id=prefix)
        print(rid, r.content_hash, flush=True)
    i += 1
"""


def test_kill_during_answers(pack_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("kill during answers (5 kinds)", "integrity_check; every acknowledged answer "
                 "present with the acknowledged content hash; no unacknowledged duplicate")
    with Pack.create(pack_path, title="Answer kills") as pack:
        w = ws.create_workshop(pack, "Kills")
        ex = {
            "note": add_exercise_from_template(pack, w.id, "data_walk_station").id,
            "story": add_exercise_from_template(pack, w.id, "data_story").id,
            "request": add_exercise_from_template(pack, w.id, "data_request").id,
            "asset": add_exercise_from_template(pack, w.id, "asset_map").id,
            "fb": add_exercise_from_template(pack, w.id, "plan_feedback").id,
        }
        person = ws.add_participant(pack, w.id)
    args = [f"{k}={v}" for k, v in ex.items()]
    acked: dict[str, str] = {}

    def check(trial: int, lines: list[str]) -> None:
        for line in lines:
            rid, digest = line.split()
            acked[rid] = digest
        assert integrity(pack_path) == "ok"
        with Pack.open(pack_path) as pack:
            stored = {r.id: r.content_hash for r in list_responses(pack, w.id)}
        lost = [rid for rid in acked if rid not in stored]
        assert lost == [], f"trial {trial}: acknowledged but lost: {lost[:3]}"
        changed = [rid for rid, h in acked.items() if stored[rid] != h]
        assert changed == [], f"trial {trial}: stored content differs: {changed[:3]}"
        # At most the answers of one unfinished round beyond the acknowledged ones.
        assert len(stored) - len(acked) <= 5 * (trial + 1)
        s.trial()

    kill_loop(KILL_TRIALS, lambda t: spawn(ANSWERER, str(pack_path), w.id, person.id,
                                           f"t{t}", *args), 0.3, check)
    assert len(acked) > KILL_TRIALS


# -- merges ----------------------------------------------------------------------------

MERGER = r"""
import sys
sys.modules["pandas"] = sys.modules["numpy"] = None
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge import merge_packs
target = Pack.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for k, source in enumerate(sys.argv[2:]):
    merge_packs(target, source)
    print(k, flush=True)
sys.stdin.readline()  # wait for the kill
"""

SOURCES = 6
ANSWERS_PER_SOURCE = 200


def _source_pack(path: Path, k: int) -> tuple[str, int]:
    with Pack.create(path, title=f"Laptop {k}") as pack:
        w = ws.create_workshop(pack, "Shared workshop")
        ex = add_exercise_from_template(pack, w.id, "open_text")
        note = add_exercise_from_template(pack, w.id, "data_walk_station")
        for i in range(ANSWERS_PER_SOURCE // 2):
            p = ws.add_participant(pack, w.id)
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=p.id,
                          question_key="answer", answer=f"laptop {k} answer {i}")
            submit_answer(pack, workshop_id=w.id, exercise_id=note.id, participant_id=p.id,
                          question_key="note", answer={"text": f"{k}/{i}", "prompt": "notice"})
        return w.id, len(list_responses(pack, w.id))


def test_kill_during_merges(tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("kill during merge", "integrity_check; each source pack's workshop either "
                 "wholly merged (every answer) or absent; acknowledged merges present; "
                 "merges form a prefix")
    sources = [tmp_path / f"laptop{k}.tdepack" for k in range(SOURCES)]
    expected = [_source_pack(p, k) for k, p in enumerate(sources)]
    empty = tmp_path / "empty.tdepack"
    Pack.create(empty, title="Hub").close()
    targets = [tmp_path / f"hub{t}.tdepack" for t in range(KILL_TRIALS)]
    between = 0  # trials killed after some merges and before the last one

    def make(t: int) -> object:
        shutil.copyfile(empty, targets[t])
        return spawn(MERGER, str(targets[t]), *map(str, sources))

    def check(trial: int, lines: list[str]) -> None:
        target = targets[trial]
        assert integrity(target) == "ok"
        with Pack.open(target) as pack:
            counts = [pack.conn.execute("SELECT count(*) FROM _tde_responses WHERE "
                                        "workshop_id = ?", (wid,)).fetchone()[0]
                      for wid, _n in expected]
        whole = [c == n for c, (_w, n) in zip(counts, expected, strict=True)]
        for c, (_w, n) in zip(counts, expected, strict=True):
            assert c in (0, n), f"trial {trial}: a merge left {c} of {n} answers"
        assert all(whole[: len(lines)]), f"trial {trial}: an acknowledged merge is missing"
        assert whole == sorted(whole, reverse=True), f"trial {trial}: merges out of order"
        nonlocal between
        between += 0 < sum(whole) < SOURCES
        s.trial()
        target.unlink()

    kill_loop(KILL_TRIALS, make, 0.25, check)
    assert between > 0, "no kill landed between merges: the window is wrong"


# -- exports ---------------------------------------------------------------------------

EXPORTER = r"""
import sys
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.explore.export_view import export_dataset
pack_path, workshop_id, book, data = sys.argv[1:5]
pack = Pack.open(pack_path, read_only=True)
print("ready", flush=True)
sys.stdin.readline()
while True:
    export_workbook(pack, workshop_id, book)
    print("book", flush=True)
    export_dataset(pack, 1, data)
    print("data", flush=True)
"""

BOOK_SHEETS = {"About", "Responses", "Codebook"}


def _whole_xlsx(path: Path) -> set[str]:
    """The sheet names of a complete workbook; raises if the file is torn."""
    import openpyxl

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return set(wb.sheetnames)
    finally:
        wb.close()


def test_kill_during_exports(pack_path: Path, tmp_path: Path,
                             scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("kill during export", "the workbook and the dataset .xlsx at the target path "
                 "are either byte-identical to the good file that stood there or a whole new "
                 "file (zip CRCs, openpyxl opens it, expected sheets)")
    with Pack.create(pack_path, title="Export kills") as pack:
        import_file(pack, write_csv(tmp_path / "data.csv", ROWS), title="Data")
        w = ws.create_workshop(pack, "Exports")
        ex = add_exercise_from_template(pack, w.id, "open_text")
        for i in range(20):
            p = ws.add_participant(pack, w.id)
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=p.id,
                          question_key="answer", answer=f"=SUM(A{i}) said résident {i}")
    out = tmp_path / "out"
    out.mkdir()
    book, data = out / "results.xlsx", out / "data.xlsx"
    from tde_desktop.core.explore.export_view import export_dataset
    from tde_desktop.core.results.workbook import export_workbook

    with Pack.open(pack_path, read_only=True) as pack:
        export_workbook(pack, w.id, book)
        export_dataset(pack, 1, data)
    before = {book: book.read_bytes(), data: data.read_bytes()}
    replaced = 0

    def check(trial: int, lines: list[str]) -> None:
        nonlocal replaced
        for path in (book, data):
            now = path.read_bytes()
            if now != before[path]:
                sheets = _whole_xlsx(path)
                assert (BOOK_SHEETS if path == book else {"Data", "About this export"}) <= sheets
                before[path] = now
                replaced += 1
        s.trial()

    kill_loop(KILL_TRIALS, lambda t: spawn(EXPORTER, str(pack_path), w.id, str(book),
                                           str(data)), 1.0, check)
    assert replaced > 0, "no export finished in any trial: the window is too short"
    # Killed exports leave their hidden temporary file behind (never the target itself).
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "results.xlsx", "data.xlsx"}
