"""A replacement can be undone until the pack is closed, safely if the process is killed
either side of either commit; flags follow their record to the newer file, or say it is
no longer in the data, and the workbook shows the record as it was flagged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.importers.record_refs import answer_digest
from tde_desktop.core.importers.replace import can_undo_replace, replace_dataset, undo_replace
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.datasets import purge_trash, remove_dataset, trashed
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w
from tests.conftest import REPO
from tests.core.conftest import tde
from tests.core.test_dataset_manage import pack_path, state, write

__all__ = ["pack_path"]  # the fixture, used by name

NEWER = "ward,species,diameter\n1,oak,40\n3,yew,20\n3,fir,35\n4,oak,50\n"


def full_state(pack: Pack) -> tuple[object, ...]:
    """What a replacement changes and its undo must bring back exactly."""
    q = pack.conn.execute
    return (*state(pack), q("SELECT * FROM _tde_responses ORDER BY id").fetchall())


def test_undo_brings_back_the_older_file_views_and_descriptions(pack_path: Path,
                                                                tmp_path: Path) -> None:
    newer = write(tmp_path / "trees-2024.csv", NEWER)
    with Pack.open(pack_path) as pack:
        before = full_state(pack)
        report = replace_dataset(pack, "Trees", newer)
        assert report.dropped_views == ["Heights"]
        assert can_undo_replace(pack, report.dataset.id)
        assert trashed(pack) == []  # an older version is not a removed dataset
        assert full_state(pack) != before
        info = undo_replace(pack, report.dataset.id)
        assert (info.row_count, info.original_filename) == (3, "trees.csv")
        assert full_state(pack) == before
        assert not can_undo_replace(pack, info.id)
        with pytest.raises(TdeError, match="cannot be undone"):
            undo_replace(pack, info.id)
        assert full_state(pack) == before
    with Pack.open(pack_path) as pack:  # the catalogue is still what a pack must be
        assert not [t for t in pack.table_names() if "trash" in t and t != "_tde_trash"]


def test_closing_makes_the_replacement_final(pack_path: Path, tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        dataset = replace_dataset(pack, "Trees", write(tmp_path / "n.csv", NEWER)).dataset
        assert purge_trash(pack) == 1  # what the app does when the pack closes
        with pytest.raises(TdeError, match="cannot be undone"):
            undo_replace(pack, dataset.id)
        assert pack.dataset(dataset.id).row_count == 4


def test_a_removal_and_a_replacement_of_one_dataset_undo_in_turn(pack_path: Path,
                                                                  tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        before = full_state(pack)
        dataset = replace_dataset(pack, "Trees", write(tmp_path / "n.csv", NEWER)).dataset
        removal = remove_dataset(pack, dataset.id)
        with pytest.raises(TdeError):
            undo_replace(pack, dataset.id)  # removed: nothing to put the older file in
        from tde_desktop.core.pack.datasets import restore_dataset

        restore_dataset(pack, removal.dataset_id)
        undo_replace(pack, dataset.id)
        assert full_state(pack) == before


KILL = """
import os, signal, sys
from pathlib import Path
from tde_desktop.core.importers import replace
from tde_desktop.core.pack import Pack

def kill(self): os.kill(os.getpid(), signal.SIGKILL)
when, pack_file, newer = sys.argv[1:]
pack = Pack.open(pack_file)
if when.startswith("undo"):
    replace.replace_dataset(pack, "Trees", Path(newer))
    if when == "undo-before-commit":
        Pack.touch = kill  # the last step of the undo's transaction
    replace.undo_replace(pack, pack.dataset("Trees").id)
else:
    imported = replace.import_file
    def import_then_arm(*args, **kwargs):
        info = imported(*args, **kwargs)
        if when == "before-commit":
            Pack.touch = kill  # the last step of the swap's transaction
        return info
    replace.import_file = import_then_arm
    replace.replace_dataset(pack, "Trees", Path(newer))
kill(pack)
"""


@pytest.mark.parametrize("when", ["before-commit", "after-commit", "undo-before-commit",
                                  "undo-after-commit"])
def test_a_kill_either_side_of_either_commit(pack_path: Path, tmp_path: Path,
                                             when: str) -> None:
    newer = write(tmp_path / "n.csv", NEWER)
    with Pack.open(pack_path) as pack:
        before = full_state(pack)
    child = subprocess.run([sys.executable, "-c", KILL, when, str(pack_path), str(newer)],
                           cwd=REPO, capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr
    with Pack.open(pack_path) as pack:  # opening validates the whole catalogue
        assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        trees = pack.dataset("Trees")
        if when in ("before-commit", "undo-after-commit"):
            # the older file, whole (a kill in the swap leaves the newer file as a
            # dataset of its own, under a title that says so)
            assert [d.title for d in pack.datasets() if "newer" not in d.title] == [
                "Trees", "Bins"]
            pack.conn.execute("DELETE FROM _tde_datasets WHERE title LIKE '%newer file%'")
            assert full_state(pack) == before
            assert not can_undo_replace(pack, trees.id)
        else:
            # the newer file, whole, and the older one still waiting for an undo
            assert (trees.row_count, trees.original_filename) == (4, "n.csv")
            assert can_undo_replace(pack, trees.id)
            undo_replace(pack, trees.id)
            assert full_state(pack) == before


# -- flags follow their record ----------------------------------------------------------


def _flag(pack: Pack, dataset_id: int, rowid: int, comment: str) -> None:
    ws = pack.conn.execute("SELECT id FROM _tde_workshops").fetchone()[0]
    exercise = w.add_exercise(pack, ws, type="check_data", title="Check", dataset_id=dataset_id,
                              config={"questions": [{"key": "flag", "kind": "flag_record",
                                                     "text": "Right?"}]})
    person = w.add_participant(pack, ws, first_time="first")
    r.submit_answer(pack, workshop_id=ws, exercise_id=exercise.id, participant_id=person.id,
                    question_key="flag", answer={"flag": "wrong", "comment": comment,
                                                 "record_rowid": rowid,
                                                 "dataset_id": dataset_id})


def _flags(pack: Pack) -> dict[str, tuple[object, ...]]:
    out = {}
    for rowid, answer, hashed, exercise, person in pack.conn.execute(
            "SELECT record_rowid, answer, content_hash, exercise_id, participant_id "
            "FROM _tde_responses WHERE question_key = 'flag'"):
        value = json.loads(answer)
        assert value["record_rowid"] == rowid
        assert hashed == answer_digest(exercise, "flag", person, answer)  # still consistent
        out[value["comment"]] = (rowid, value.get("record"), value.get("record_gone", False))
    return out


def test_flags_follow_their_record_or_say_it_is_gone(pack_path: Path, tmp_path: Path) -> None:
    # trees.csv: 1 oak 12 / 2 elm 9 / 2 ash 7. The newer file reorders the rows, keeps
    # elm and ash (height changed) and drops oak; species is the identifier here.
    newer = write(tmp_path / "n.csv", "ward,species,height\n2,ash,8\n5,yew,3\n2,elm,10\n")
    with Pack.open(pack_path) as pack:
        trees = pack.dataset("Trees")
        pack.conn.execute("UPDATE _tde_columns SET is_identifier = 1 WHERE dataset_id = ? "
                          "AND name = 'species'", (trees.id,))
        for rowid, comment in ((1, "oak"), (2, "elm"), (3, "ash")):
            _flag(pack, trees.id, rowid, comment)
        before = full_state(pack)
        report = replace_dataset(pack, "Trees", newer)
        assert (report.records_found, report.records_gone) == (2, 1)
        flags = _flags(pack)
        assert flags["elm"][0] == 3
        assert flags["ash"][0] == 1
        assert flags["oak"][0] is None
        assert flags["oak"][2] is True
        assert flags["oak"][1] == [["species", "oak"], ["ward", 1], ["height", 12]]
        assert pack.conn.execute('SELECT species FROM "ds_trees" WHERE rowid = 3').fetchone() \
            == ("elm",)
        out = tmp_path / "results.xlsx"
        export_workbook(pack, pack.conn.execute("SELECT id FROM _tde_workshops").fetchone()[0],
                        out, include_unmoderated=True)
        sheet = openpyxl.load_workbook(out)["Data quality flags"]
        records = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert records == {"species=elm; ward=2; height=9", "species=ash; ward=2; height=7",
                           "(record no longer in the dataset) species=oak; ward=1; height=12"}
        undo_replace(pack, report.dataset.id)
        assert full_state(pack) == before


def test_without_identifiers_every_shared_column_must_match_once(pack_path: Path,
                                                                 tmp_path: Path) -> None:
    newer = write(tmp_path / "n.csv", "ward,species,height\n2,elm,9\n2,elm,9\n1,oak,13\n2,ash,7\n")
    with Pack.open(pack_path) as pack:
        trees = pack.dataset("Trees")
        for rowid, comment in ((1, "oak"), (2, "elm"), (3, "ash")):
            _flag(pack, trees.id, rowid, comment)
        report = replace_dataset(pack, "Trees", newer)
        flags = _flags(pack)
        assert flags["ash"][0] == 4
        assert flags["elm"] == (None, [["ward", 2], ["species", "elm"], ["height", 9]], True)
        assert flags["oak"][0] is None  # its height changed: another record now
        assert (report.records_found, report.records_gone) == (1, 2)


def test_the_command_line_reports_flags_and_makes_the_replacement_final(
        pack_path: Path, tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        _flag(pack, pack.dataset("Trees").id, 1, "oak")
    result = tde("replace", pack_path, "Trees", write(tmp_path / "n.csv", NEWER))
    assert result.returncode == 0, result.stderr
    assert "1 answer on a record (a flag) found its record in the newer file." in result.stdout
    with Pack.open(pack_path) as pack:
        assert not can_undo_replace(pack, pack.dataset("Trees").id)
