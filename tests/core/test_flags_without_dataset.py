"""Flags stored without their dataset (a phone's, before answers named it) travel with
their exercise's dataset: merged into a laptop whose dataset ids differ, published for
Datasette, written to a results-only pack, and reported in the workbook."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge import merge_packs
from tde_desktop.core.results.publish import publish
from tde_desktop.core.results.results_only import write_results_pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.flag_dataset import flag_dataset_id, question_kinds

FLAGGED = 7  # the rowid of "2006 W North Ave"


def _csvs(tmp_path: Path) -> tuple[Path, Path]:
    notices, budget = tmp_path / "notices.csv", tmp_path / "budget.csv"
    with notices.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["notice", "address", "status"])
        for i in range(20):
            writer.writerow([f"N{i:04d}", f"{2000 + i} W North Ave", "open"])
    budget.write_text("department,amount\nParks,100\nLights,250\n", encoding="utf-8")
    return notices, budget


def _laptop(path: Path, files: list[tuple[Path, str]]) -> dict[str, int]:
    """A pack with ``files`` imported in that order; returns title -> dataset id."""
    with Pack.create(path, title="Workshop") as pack:
        return {title: import_file(pack, src, title=title).id for src, title in files}


def _old_flag(path: Path, dataset_id: int) -> dict[str, str]:
    """A check-the-data workshop on ``dataset_id`` with one phone flag stored as an old
    version stored it: no dataset_id, in the row or in the answer."""
    with Pack.open(path) as pack:
        workshop = w.create_workshop(pack, "Check the data", languages=["en"])
        exercise = add_exercise_from_template(pack, workshop.id, "check_data",
                                              dataset_id=dataset_id)
        person = w.add_participant(pack, workshop.id)
        stored = responses.submit_answer(
            pack, workshop_id=workshop.id, exercise_id=exercise.id, participant_id=person.id,
            question_key=exercise.questions[0].key,
            answer={"record_rowid": FLAGGED, "flag": "duplicate"})
        with pack.atomic():
            pack.conn.execute(
                "UPDATE _tde_responses SET dataset_id = NULL, answer = ? WHERE id = ?",
                (json.dumps({"record_rowid": FLAGGED, "flag": "duplicate"}), stored.id))
        assert pack.conn.execute("SELECT dataset_id FROM _tde_responses WHERE id = ?",
                                 (stored.id,)).fetchone() == (None,)
    return {"workshop": workshop.id, "response": stored.id}


@pytest.fixture
def laptops(tmp_path: Path) -> dict[str, Any]:
    """Laptop A flagged a record of "Vacant notices" (its dataset 1); laptop B imported
    the same files the other way round, so there "Vacant notices" is dataset 2."""
    notices, budget = _csvs(tmp_path)
    a, b = tmp_path / "a.tdepack", tmp_path / "b.tdepack"
    ids_a = _laptop(a, [(notices, "Vacant notices"), (budget, "Budget")])
    ids_b = _laptop(b, [(budget, "Budget"), (notices, "Vacant notices")])
    assert ids_a["Vacant notices"] != ids_b["Vacant notices"]
    flag = _old_flag(a, ids_a["Vacant notices"])
    return {"a": a, "b": b, "ids_a": ids_a, "ids_b": ids_b, **flag}


def _stored(path: Path, response_id: str) -> tuple[Any, ...]:
    with Pack.open(path, read_only=True) as pack:
        found = pack.conn.execute(
            "SELECT r.dataset_id, r.record_rowid, d.table_name FROM _tde_responses r "
            "LEFT JOIN _tde_datasets d ON d.id = r.dataset_id WHERE r.id = ?",
            (response_id,)).fetchone()
        assert found is not None
        address = None
        if found[2] is not None:
            address = pack.conn.execute(f'SELECT address FROM "{found[2]}" WHERE rowid = ?',
                                        (found[1],)).fetchone()[0]
        return found[0], found[1], address


def _flags_sheet(path: Path, workshop_id: str, out: Path) -> list[tuple[Any, ...]]:
    with Pack.open(path, read_only=True) as pack:
        export_workbook(pack, workshop_id, out)
    sheet = openpyxl.load_workbook(out, read_only=True)["Data quality flags"]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_a_merged_old_flag_points_at_the_same_record_in_the_other_numbering(
        laptops: dict[str, Any], tmp_path: Path) -> None:
    with Pack.open(laptops["b"]) as target:
        report = merge_packs(target, laptops["a"])
    assert report.tables["_tde_responses"].added == 1
    assert _stored(laptops["b"], laptops["response"]) == (
        laptops["ids_b"]["Vacant notices"], FLAGGED, "2006 W North Ave")
    rows = _flags_sheet(laptops["b"], laptops["workshop"], tmp_path / "merged.xlsx")
    assert [(r[0], r[1]) for r in rows] == [("Vacant notices", FLAGGED)]
    assert "2006 W North Ave" in str(rows[0][2])


def test_merging_back_and_again_finds_no_conflict_with_the_old_row(
        laptops: dict[str, Any], tmp_path: Path) -> None:
    """A keeps its flag without a dataset; B's merged copy names it. They are one answer."""
    with Pack.open(laptops["b"]) as target:
        merge_packs(target, laptops["a"])
        again = merge_packs(target, laptops["a"])
    assert not again.changed
    assert again.tables["_tde_responses"].already == 1
    with Pack.open(laptops["a"]) as target:
        back = merge_packs(target, laptops["b"])
    assert back.conflicts == []
    assert back.tables["_tde_responses"].already == 1
    assert _stored(laptops["a"], laptops["response"]) == (None, FLAGGED, None)  # untouched
    rows = _flags_sheet(laptops["a"], laptops["workshop"], tmp_path / "a.xlsx")
    assert [(r[0], r[1]) for r in rows] == [("Vacant notices", FLAGGED)]


def test_a_published_old_flag_names_its_table_and_record(laptops: dict[str, Any],
                                                         tmp_path: Path) -> None:
    merged = tmp_path / "merged.tdepack"
    shutil.copy(laptops["b"], merged)
    with Pack.open(merged) as target:
        merge_packs(target, laptops["a"])
    for source in (laptops["a"], merged):
        out = tmp_path / source.stem / "published.db"
        out.parent.mkdir()
        with Pack.open(source, read_only=True) as pack:
            table = next(d.table_name for d in pack.datasets() if d.title == "Vacant notices")
            publish(pack, out)
        conn = sqlite3.connect(out)
        try:
            flags = conn.execute("SELECT exercise_type, dataset_table, record_rowid "
                                 "FROM responses").fetchall()
            assert flags == [("check_data", table, FLAGGED)]
            assert conn.execute(f'SELECT address FROM "{table}" WHERE rowid = ?',
                                (FLAGGED,)).fetchone() == ("2006 W North Ave",)
        finally:
            conn.close()


def test_a_results_only_pack_writes_the_old_flag_with_its_dataset(
        laptops: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "results.tdepack"
    with Pack.open(laptops["a"], read_only=True) as pack:
        write_results_pack(pack, out)
    with Pack.open(out, read_only=True) as pack:
        assert pack.conn.execute("SELECT dataset_id, record_rowid FROM _tde_responses"
                                 ).fetchall() == [(laptops["ids_a"]["Vacant notices"], FLAGGED)]
    assert _stored(laptops["a"], laptops["response"])[0] is None  # the source is only read
    rows = _flags_sheet(out, laptops["workshop"], tmp_path / "results.xlsx")
    assert [(r[0], r[1]) for r in rows] == [("Vacant notices", FLAGGED)]


def test_only_a_flag_on_a_record_without_a_dataset_gets_the_exercise_dataset() -> None:
    assert flag_dataset_id("flag_record", None, 7, 3) == 3
    assert flag_dataset_id("flag_record", 2, 7, 3) == 2  # it names its own
    assert flag_dataset_id("flag_record", None, None, 3) is None  # no record named
    assert flag_dataset_id("data_story", None, 7, 3) is None  # not a flag
    assert flag_dataset_id(None, None, 7, 3) is None  # question unknown


def test_question_kinds_reads_stored_configs_and_shrugs_at_damaged_ones() -> None:
    config = {"questions": [{"key": "flag", "kind": "flag_record"}, {"key": "why"}]}
    assert question_kinds(json.dumps(config)) == {"flag": "flag_record", "why": ""}
    assert question_kinds(config) == {"flag": "flag_record", "why": ""}
    for damaged in ("{not json", None, '{"questions": 3}', "[]", '{"questions": [4]}'):
        assert question_kinds(damaged) == {}
