"""Core fixtures and builders shared by several test modules (no Qt here).

* The explorer pack: the real vacant building notices, the Baltimore neighbourhoods and,
  when ../shared has it, the LA 311 subset. Tests that need LA 311 say so with
  ``@pytest.mark.shared_data(LA311)``.
* Workshops: a base pack and laptops that answered it (merging), and a workshop with one
  exercise of each reporting kind (workbook, summary, publishing).
* ``tde(...)``: the command line run as a real subprocess.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.explore.views import save_view
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w
from tests.conftest import REPO, SHARED_DATA, shared

# --- the explorer pack ---------------------------------------------------------------------

VACANTS = "samples/baltimore/vacant_building_notices.csv"
LA311 = "samples/los_angeles/myla311_service_requests_2017_subset.csv"
NEIGHBORHOODS = "samples/baltimore/neighborhoods.geojson"


def csv_rows(relative: str) -> list[dict[str, str]]:
    """The rows of a data file read with the csv module, never with the code under test."""
    with shared(relative).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def table(pack: Pack, title: str) -> str:
    """The SQLite table name of the dataset called ``title``."""
    return pack.dataset(title).table_name


_MASTER: list[Path] = []


def _master_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the explorer pack once per test run; each test module gets a copy of the file."""
    if not _MASTER:
        path = tmp_path_factory.mktemp("explorer-master") / "master.tdepack"
        with Pack.create(path, title="Explorer") as pack:
            import_file(pack, shared(VACANTS), title="vacant building notices")
            if (SHARED_DATA / LA311).exists():  # tests that need it are marked shared_data
                import_file(pack, shared(LA311), title="LA 311")
            import_file(pack, shared(NEIGHBORHOODS), title="neighborhoods")
            pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _MASTER.append(path)
    return _MASTER[0]


@pytest.fixture(scope="module")
def explorer_pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pack]:
    """A pack with the vacant notices, the Baltimore neighbourhoods and LA 311 if present."""
    copy = tmp_path_factory.mktemp("explorer") / "x.tdepack"
    shutil.copyfile(_master_pack(tmp_path_factory), copy)
    pack = Pack.open(copy)
    yield pack
    pack.close()


@pytest.fixture(scope="module")
def vacants() -> list[dict[str, str]]:
    """The vacant building notices as the csv module reads them."""
    return csv_rows(VACANTS)


# --- several laptops of one workshop (merging) --------------------------------------------

OPTIONS = [{"code": c, "label": {"en": c.title()}} for c in ("parks", "lights", "repairs")]


def lots_csv(path: Path, rows: list[list[str]]) -> Path:
    """A small CSV of lots (lot_id, address, status) written at ``path``."""
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["lot_id", "address", "status"], *rows])
    return path


def make_base(tmp_path: Path) -> dict[str, Any]:
    """A base pack with a dataset, a saved view and a workshop of three exercises."""
    path = tmp_path / "base.tdepack"
    with Pack.create(path, title="Lots") as pack:
        info = import_file(pack, lots_csv(tmp_path / "lots.csv", [["0001", "1 Main", "vacant"],
                                                                  ["0002", "2 Main", "open"]]),
                           title="Lots")
        save_view(pack, "Vacant lots", info.id, [], None)
        ws = w.create_workshop(pack, "Vacant lots night", date="2024-05-01", venue="Library")
        vote = w.add_exercise(pack, ws.id, type="dot_vote", title="Priorities", config={
            "questions": [{"key": "dots", "kind": "dot_vote", "text": "Pick",
                           "options": OPTIONS, "dots": 3}]})
        notes = w.add_exercise(pack, ws.id, type="data_walk", title="Notes", config={
            "questions": [{"key": "note", "kind": "sticky_note", "text": "Notice?"}]})
        flag = w.add_exercise(pack, ws.id, type="check_data", title="Check",
                              dataset_id=info.id, config={
                                  "questions": [{"key": "flag", "kind": "flag_record",
                                                 "text": "Right?"}]})
        early = w.add_participant(pack, ws.id, first_time="first")
        r.submit_answer(pack, workshop_id=ws.id, exercise_id=vote.id, participant_id=early.id,
                        question_key="dots", answer={"parks": 3})
    return {"path": path, "ws": ws.id, "vote": vote.id, "notes": notes.id, "flag": flag.id,
            "early": early.id, "dataset": info.id}


def laptop(base: dict[str, Any], tmp_path: Path, name: str, people: int,
           votes: dict[str, int]) -> Path:
    """A copy of the base pack where ``people`` new participants answered."""
    path = tmp_path / f"{name}.tdepack"
    shutil.copy(base["path"], path)
    with Pack.open(path) as pack:
        for i in range(people):
            p = w.add_participant(pack, base["ws"], device_id=name,
                                  first_time="first" if i % 2 else "repeat")
            r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["vote"],
                            participant_id=p.id, question_key="dots", answer=votes)
            r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["notes"],
                            participant_id=p.id, question_key="note",
                            answer=f"{name} note {i}")
        r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["flag"],
                        participant_id=p.id, question_key="flag",
                        answer={"flag": "outdated", "dataset_id": base["dataset"],
                                "record_rowid": 1})
    return path


def state(path: Path, base: dict[str, Any]) -> dict[str, Any]:
    """What a merge must agree on: responses, participants, tally, exercises, conflicts."""
    with Pack.open(path, read_only=True) as pack:
        ids = {row[0] for row in pack.conn.execute("SELECT id FROM _tde_responses")}
        codes = [row[0] for row in pack.conn.execute("SELECT code FROM _tde_participants")]
        return {
            "responses": ids,
            "participants": len(codes),
            "unique_codes": len(set(codes)) == len(codes),
            "tally": sorted(w.tally(pack, base["vote"], "dots")),
            "exercises": [row[0] for row in pack.conn.execute(
                "SELECT id FROM _tde_exercises ORDER BY position")],
            "conflicts": pack.conn.execute("SELECT count(*) FROM _tde_merge_conflicts"
                                           ).fetchone()[0],
        }


# --- a workshop with one exercise of each reporting kind ----------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1",
            "-1+1", "\t=1+1", "\n=1+1"]
WITHDRAWN_TEXT = "I live at 12 Hidden Lane, please remove me"


def _opts(*codes: str) -> list[dict[str, Any]]:
    return [{"code": c, "label": {"en": c.title(), "es": c.upper()}} for c in codes]


def _q(key: str, kind: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": {"en": text, "es": text + " (es)"}, **extra}


def build_workshop(pack: Pack, tmp_path: Path) -> dict[str, Any]:
    """A workshop with one exercise of each reporting kind and 12 participants,
    one of whom withdraws after answering."""
    src = tmp_path / "lots.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["lot_id", "address", "status"])
        writer.writerows([["0001", "1 Main St", "vacant"], ["0002", "2 Main St", "open"]])
    info = import_file(pack, src, title="Lots", source_url="https://example.org/lots",
                       publisher="City", licence="CC-BY-4.0")
    ws = w.create_workshop(pack, "Vacant lots night", date="2024-05-01", venue="Library",
                           neighbourhood="North", host_department="Housing",
                           partners=["Tenants union"], tde_step="design")
    ex = {}
    specs = {
        "vote": ("dot_vote", [_q("priorities", "dot_vote", "Which matter most?",
                                 options=_opts("parks", "lights", "repairs"), dots=3)]),
        "request": ("data_request", [_q("wish", "data_request", "What data do you need?")]),
        "check": ("check_data", [_q("flag", "flag_record", "Is this record right?")]),
        "story": ("data_story", [_q("story", "story", "Tell a story")]),
        "notes": ("data_walk", [_q("note", "sticky_note", "What do you notice?")]),
        "budget": ("budget", [_q("alloc", "budget", "Spend it", total=100,
                                 options=[{"code": "a", "label": {"en": "Alpha"}, "cost": 80},
                                          {"code": "b", "label": {"en": "Beta"}, "cost": 80}])]),
        "asked": ("explore_question", [_q("ask", "question_asked", "Ask a question")]),
        "assets": ("asset_map", [_q("asset", "asset", "Name an asset",
                                    options=_opts("park", "school"))]),
        "eval": ("evaluation", [_q("overall", "single_choice", "Overall?",
                                   options=_opts("up", "down")),
                                _q("trust", "rating", "Trust the city will act?"),
                                _q("improve", "open_text", "What to improve?",
                                   required=False)]),
    }
    for name, (etype, questions) in specs.items():
        ex[name] = w.add_exercise(pack, ws.id, type=etype, title=name.title(),
                                  dataset_id=info.id if name == "check" else None,
                                  config={"questions": questions})
    people = []
    for i in range(12):
        hood = "North" if i < 7 else ("South" if i < 10 else "")
        people.append(w.add_participant(
            pack, ws.id, neighbourhood=hood, age_band="25-44" if i % 2 else "65+",
            affiliation="Tenants union" if i < 2 else "", first_time="first" if i < 8 else
            "repeat", consent_quote=i % 3 == 0, consent_contact=i == 3,
            contact="resident3@example.org" if i == 3 else ""))

    def answer(p: Any, name: str, key: str, value: Any) -> None:
        r.submit_answer(pack, workshop_id=ws.id, exercise_id=ex[name].id,
                        participant_id=p.id, question_key=key, answer=value)

    for i, p in enumerate(people):
        answer(p, "vote", "priorities", {"parks": 2, "lights": 1} if i < 8 else {"repairs": 3})
        answer(p, "notes", "note", PAYLOADS[i % len(PAYLOADS)])
        answer(p, "eval", "overall", "up" if i < 9 else "down")
        answer(p, "eval", "trust", 1 + i % 5)
    answer(people[0], "request", "wish", {"who": "=tenants", "what": "Inspection dates",
                                          "urgency": "high", "department": "Housing"})
    answer(people[1], "check", "flag", {"flag": "outdated", "comment": "+demolished",
                                        "dataset_id": info.id, "record_rowid": 1})
    answer(people[2], "story", "story", {"text": "Quoted story", "consent_quote": True,
                                         "tags": ["safety"]})
    answer(people[4], "story", "story", {"text": "Private story", "consent_quote": False})
    answer(people[5], "budget", "alloc", {"a": 60, "b": 40})
    answer(people[6], "asked", "ask", {"question": "Why so many?", "other_data": "permits",
                                       "source": "Housing"})
    answer(people[7], "assets", "asset", {"name": "Rec centre", "category": "park",
                                          "grade": 4})
    answer(people[6], "eval", "improve", "@more chairs")
    gone = people[11]
    answer(gone, "notes", "note", WITHDRAWN_TEXT)
    w.withdraw_participant(pack, gone.id)
    w.set_next_steps(pack, ws.id, [{"heard": "Lights", "action": "Audit", "owner": "DPW",
                                    "due": "2024-07-01", "how_told": "Email"}])
    return {"workshop": ws, "people": people, "gone": gone, "dataset": info, "ex": ex}


# --- the command line -----------------------------------------------------------------------


def tde(*args: object) -> subprocess.CompletedProcess[str]:
    """Run ``tde`` with ``args`` in a child Python from the checkout; output captured."""
    return subprocess.run([sys.executable, "-m", "tde_desktop.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="session", autouse=True)
def _no_scratch_files_left_behind() -> Iterator[None]:
    """The tests of a run leave none of their import scratch files in the temp folder."""
    import tempfile

    from tde_desktop.core.importers.scratch import scratch_prefix

    pattern = scratch_prefix() + "-*"  # this process only: others may be importing now
    before = set(Path(tempfile.gettempdir()).glob(pattern))
    yield
    left = set(Path(tempfile.gettempdir()).glob(pattern)) - before
    assert not left, f"scratch files left behind: {sorted(map(str, left))}"
