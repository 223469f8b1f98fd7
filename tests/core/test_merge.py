"""Merging packs from several laptops: order-independent, idempotent, all or nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.errors import Cancelled, NotAPackError, TdeError
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge import list_conflicts, merge_packs
from tde_desktop.core.results.merge_datasets import dataset_catalogue, datasets_differ
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w
from tests.core.conftest import laptop, lots_csv, make_base, state


@pytest.fixture
def fleet(tmp_path: Path) -> dict[str, Any]:
    base = make_base(tmp_path)
    base["laptops"] = [laptop(base, tmp_path, "a", 3, {"parks": 2, "lights": 1}),
                       laptop(base, tmp_path, "b", 4, {"repairs": 3}),
                       laptop(base, tmp_path, "c", 2, {"lights": 3})]
    return base


def merged(base: dict[str, Any], tmp_path: Path, name: str, order: list[Path],
           times: int = 1) -> Path:
    target = tmp_path / f"merged-{name}.tdepack"
    shutil.copy(base["path"], target)
    with Pack.open(target) as pack:
        for _round in range(times):
            for other in order:
                merge_packs(pack, other)
    return target


def test_merge_order_and_repetition_do_not_matter(fleet: dict[str, Any],
                                                  tmp_path: Path) -> None:
    a, b, c = fleet["laptops"]
    first = state(merged(fleet, tmp_path, "abc", [a, b, c]), fleet)
    second = state(merged(fleet, tmp_path, "cab", [c, a, b], times=2), fleet)
    third = state(merged(fleet, tmp_path, "bca", [b, c, a, b]), fleet)
    assert first == second == third
    # 1 early participant + 3 + 4 + 2 from the laptops; each answered twice, plus one flag each
    assert first["participants"] == 10
    assert len(first["responses"]) == 1 + 2 * 9 + 3
    assert first["unique_codes"]
    assert first["conflicts"] == 0
    tally = {row.code: row.value for row in first["tally"]}
    assert tally == {"parks": 3 + 3 * 2, "lights": 3 * 1 + 2 * 3, "repairs": 4 * 3}


def test_report_counts_and_second_merge_adds_nothing(fleet: dict[str, Any],
                                                     tmp_path: Path) -> None:
    a = fleet["laptops"][0]
    target = tmp_path / "t.tdepack"
    shutil.copy(fleet["path"], target)
    with Pack.open(target) as pack:
        before = pack.meta()["modified_at"]
        first = merge_packs(pack, a)
        again = merge_packs(pack, a)
    assert first.tables["_tde_participants"].added == 3
    assert first.tables["_tde_responses"].added == 7
    assert first.tables["_tde_responses"].already == 1
    assert first.tables["_tde_workshops"].already == 1
    assert first.tables["_tde_views"].already == 1
    assert "3 participants and 7 answers added" in first.summary()
    assert again.added == 0
    assert not again.changed
    assert "Nothing new" in again.summary()
    assert again.tables["_tde_responses"].already == 8
    assert before  # the pack kept its metadata


def _set_aside_answer(conflict: dict[str, Any]) -> Any:
    return json.loads(json.loads(conflict["set_aside_row"])["answer"])


def test_conflicting_edits_are_reported_and_both_versions_kept(fleet: dict[str, Any],
                                                               tmp_path: Path) -> None:
    copies = []
    for name, answer in (("x", {"parks": 1, "lights": 2}), ("y", {"repairs": 3})):
        path = tmp_path / f"{name}.tdepack"
        shutil.copy(fleet["path"], path)
        with Pack.open(path) as pack:
            # The early participant changes their vote differently on each laptop.
            r.submit_answer(pack, workshop_id=fleet["ws"], exercise_id=fleet["vote"],
                            participant_id=fleet["early"], question_key="dots", answer=answer)
        copies.append(path)
    x, y = copies
    with Pack.open(x) as pack:
        response_id = pack.conn.execute("SELECT id FROM _tde_responses").fetchone()[0]
        pack.conn.execute("UPDATE _tde_responses SET updated_at = '2030-01-01T00:00:00+00:00'")
        result = merge_packs(pack, y)
        assert result.tables["_tde_responses"].conflicts == 1
        assert [(c.table, c.row_id, c.kept) for c in result.conflicts] == [
            ("answers", response_id, "this pack")]
        assert "changed differently" in result.summary()
        live = r.get_response(pack, response_id)
        assert live.answer == {"lights": 2, "parks": 1}
        conflicts = list_conflicts(pack)
        assert len(conflicts) == 1
        assert _set_aside_answer(conflicts[0]) == {"repairs": 3}
        assert merge_packs(pack, y).tables["_tde_responses"].conflicts == 0  # recorded once
        assert len(list_conflicts(pack)) == 1
    # Merged the other way round, the same (later) version stays live.
    with Pack.open(y) as pack:
        result = merge_packs(pack, x)
        assert result.conflicts[0].kept == "other"
        assert r.get_response(pack, response_id).answer == {"lights": 2, "parks": 1}
        assert _set_aside_answer(list_conflicts(pack)[0]) == {"repairs": 3}


def test_different_datasets_are_refused_unless_allowed(fleet: dict[str, Any],
                                                       tmp_path: Path) -> None:
    other = tmp_path / "other.tdepack"
    shutil.copy(fleet["laptops"][0], other)
    with Pack.open(other) as pack:
        import_file(pack, lots_csv(tmp_path / "more.csv", [["9", "9 Elm", "open"]]), title="More")
        entries = dataset_catalogue(pack)
    # a dataset is known across packs by the checksum of its original file
    assert entries[-1].title == "More"
    assert entries[-1].identity == hashlib.sha256((tmp_path / "more.csv").read_bytes()).hexdigest()
    target = tmp_path / "t.tdepack"
    shutil.copy(fleet["path"], target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    with Pack.open(target) as pack:
        # the question the merge dialog asks before offering "merge anyway"
        assert datasets_differ(pack, other)
        assert not datasets_differ(pack, fleet["laptops"][1])
        assert not datasets_differ(pack, tmp_path / "missing.tdepack")
        with pytest.raises(TdeError, match="different datasets.*only there: More"):
            merge_packs(pack, other)
        assert pack.conn.execute("SELECT count(*) FROM _tde_participants").fetchone()[0] == 1
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
    with Pack.open(target) as pack:
        result = merge_packs(pack, other, allow_different_data=True)
        assert result.datasets_differ
        assert result.tables["_tde_participants"].added == 3


def test_withdrawal_in_one_copy_wins(fleet: dict[str, Any], tmp_path: Path) -> None:
    a = fleet["laptops"][0]
    withdrew = tmp_path / "withdrew.tdepack"
    shutil.copy(a, withdrew)
    with Pack.open(withdrew) as pack:
        person = w.list_participants(pack, fleet["ws"])[1]
        w.withdraw_participant(pack, person.id)
        w.withdraw_participant(pack, fleet["early"])
    for order in ([a, withdrew], [withdrew, a]):
        target = merged(fleet, tmp_path, "-".join(p.stem for p in order), order)
        with Pack.open(target) as pack:
            gone = {p.id for p in w.list_participants(pack, fleet["ws"], include_withdrawn=True)
                    if p.withdrawn}
            assert gone == {person.id, fleet["early"]}
            left = pack.conn.execute("SELECT count(*) FROM _tde_responses WHERE "
                                     "participant_id IN (?, ?)",
                                     (person.id, fleet["early"])).fetchone()[0]
            assert left == 0
            assert not [row for row in w.tally(pack, fleet["vote"], "dots")
                        if row.code == "parks" and row.value != 2 * 2]


def test_undo_tombstone_wins_over_live_answer(fleet: dict[str, Any], tmp_path: Path) -> None:
    a = fleet["laptops"][0]
    undone = tmp_path / "undone.tdepack"
    shutil.copy(a, undone)
    with Pack.open(undone) as pack:
        gone = r.undo_last_answer(pack, fleet["early"])
    assert gone is not None
    for order in ([a, undone], [undone, a]):
        target = merged(fleet, tmp_path, "-".join(p.stem for p in order), order)
        with Pack.open(target) as pack:
            assert r.get_response(pack, gone.id).deleted


def test_same_code_on_two_laptops_gets_a_suffix(fleet: dict[str, Any], tmp_path: Path) -> None:
    a, b = fleet["laptops"][:2]
    with Pack.open(b) as pack:
        code_a = "P-SAME"
        pack.conn.execute("UPDATE _tde_participants SET code = ? WHERE device_id = 'b' AND "
                          "rowid = (SELECT max(rowid) FROM _tde_participants)", (code_a,))
    with Pack.open(a) as pack:
        pack.conn.execute("UPDATE _tde_participants SET code = ? WHERE device_id = 'a' AND "
                          "rowid = (SELECT max(rowid) FROM _tde_participants)", (code_a,))
        result = merge_packs(pack, b)
        assert result.renamed_codes == [("P-SAME", "P-SAME-2")]
        codes = [p.code for p in w.list_participants(pack, fleet["ws"])]
        assert len(codes) == len(set(codes)) == 8
        assert "P-SAME-2" in codes
        assert merge_packs(pack, b).added == 0


def test_cancelled_merge_leaves_target_unchanged(fleet: dict[str, Any],
                                                 tmp_path: Path) -> None:
    target = tmp_path / "t.tdepack"
    shutil.copy(fleet["path"], target)
    calls: list[str] = []

    def stop_late(done: int, total: int, message: str) -> None:
        calls.append(message)
        if message.startswith("Checking"):  # every table has been written by now
            raise Cancelled

    with Pack.open(target) as pack:
        before = pack.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0]
        with pytest.raises(Cancelled):
            merge_packs(pack, fleet["laptops"][1], progress=stop_late)
        after = pack.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0]
        assert not pack.conn.in_transaction
    assert before == after == 1
    assert any(m.startswith("Merging") for m in calls)
    with Pack.open(target) as pack:
        assert merge_packs(pack, fleet["laptops"][1]).tables["_tde_responses"].added == 9


def test_killed_merge_leaves_target_unchanged(fleet: dict[str, Any], tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    target = tmp_path / "t.tdepack"
    shutil.copy(fleet["path"], target)
    script = textwrap.dedent(f"""
        import os, signal
        from tde_desktop.core.results.merge import merge_packs
        from tde_desktop.core.pack import Pack
        def die(done, total, message):
            if message.startswith("Checking"):
                os.kill(os.getpid(), signal.SIGKILL)
        merge_packs(Pack.open({str(target)!r}), {str(fleet["laptops"][1])!r}, progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode != 0
    with Pack.open(target) as pack:
        assert pack.conn.execute("SELECT count(*) FROM _tde_responses").fetchone()[0] == 1
        assert pack.conn.execute("SELECT count(*) FROM _tde_participants").fetchone()[0] == 1


def test_refusals_are_plain(fleet: dict[str, Any], tmp_path: Path) -> None:
    junk = tmp_path / "junk.tdepack"
    junk.write_text("not a pack")
    with Pack.open(fleet["path"]) as pack:
        with pytest.raises(TdeError, match="merged into itself"):
            merge_packs(pack, fleet["path"])
        with pytest.raises(NotAPackError):
            merge_packs(pack, junk)
        with pytest.raises(NotAPackError, match="does not exist"):
            merge_packs(pack, tmp_path / "missing.tdepack")


def test_dataset_ids_are_translated(tmp_path: Path) -> None:
    """A pack whose datasets were imported in another order still points at the same data."""
    base = make_base(tmp_path)
    a = laptop(base, tmp_path, "a", 1, {"parks": 3})
    target = tmp_path / "t.tdepack"
    with Pack.create(target, title="Other order") as pack:
        import_file(pack, lots_csv(tmp_path / "other.csv", [["5", "5 Oak", "open"]]), title="Oaks")
        info = import_file(pack, tmp_path / "lots.csv", title="Lots")
        result = merge_packs(pack, a, allow_different_data=True)
        assert result.tables["_tde_exercises"].added == 3
        flag = w.get_exercise(pack, base["flag"])
        assert flag.dataset_id == info.id != base["dataset"]
        answers = r.list_responses(pack, base["ws"], exercise_id=base["flag"])
        assert [a.dataset_id for a in answers] == [info.id]
        assert answers[0].answer["dataset_id"] == info.id
        assert [v[0] for v in pack.conn.execute("SELECT name FROM _tde_views")] == [
            "Vacant lots"]


def test_exercise_edits_are_flagged_and_live_state_combines(fleet: dict[str, Any],
                                                                   tmp_path: Path) -> None:
    a, b = fleet["laptops"][:2]
    with Pack.open(a) as pack:
        w.update_exercise(pack, fleet["notes"], title="What do you notice here?")
        w.end_workshop(pack, fleet["ws"])
    with Pack.open(b) as pack:
        w.update_exercise(pack, fleet["notes"], title="Notes from the walk")
        w.open_exercise(pack, fleet["vote"])
        w.reveal(pack, fleet["vote"])
    results = []
    for order in ([a, b], [b, a]):
        target = merged(fleet, tmp_path, "-".join(p.stem for p in order), order)
        with Pack.open(target) as pack:
            ws = w.get_workshop(pack, fleet["ws"])
            vote = w.get_exercise(pack, fleet["vote"])
            conflicts = list_conflicts(pack)
            results.append((w.get_exercise(pack, fleet["notes"]).title, ws.status,
                            vote.status, vote.revealed, [c["row_id"] for c in conflicts]))
    # Live state is the same whatever the order: as far along as either laptop got.
    assert [res[1:4] for res in results] == [("ended", "closed", True)] * 2
    # Exercises carry no edit time: the target keeps its title, both edits await review.
    assert [res[0] for res in results] == ["Notes", "Notes"]
    assert [res[4] for res in results] == [[fleet["notes"], fleet["notes"]]] * 2
