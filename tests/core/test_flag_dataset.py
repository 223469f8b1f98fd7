"""A flagged record always names its dataset: the data-quality log says which dataset
and which record, whether the flag came from the kiosk (which names the dataset), a
phone or a paper answer typed in (which name only the record), or a pack stored
before answers named it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as w
from tde_desktop.core.workshop.agenda import add_exercise_from_template


@pytest.fixture
def flagging(new_pack: Pack, tmp_path: Path) -> dict[str, Any]:
    src = tmp_path / "notices.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["notice", "address", "status"])
        for i in range(20):
            writer.writerow([f"N{i:04d}", f"{2000 + i} W North Ave", "open"])
    info = import_file(new_pack, src, title="Vacant notices")
    workshop = w.create_workshop(new_pack, "Check the data", languages=["en"])
    exercise = add_exercise_from_template(new_pack, workshop.id, "check_data",
                                          dataset_id=info.id)
    person = w.add_participant(new_pack, workshop.id)
    return {"dataset": info, "workshop": workshop, "exercise": exercise, "person": person}


def _flag(pack: Pack, f: dict[str, Any], answer: dict[str, Any]) -> responses.Response:
    return responses.submit_answer(
        pack, workshop_id=f["workshop"].id, exercise_id=f["exercise"].id,
        participant_id=f["person"].id, question_key=f["exercise"].questions[0].key,
        answer=answer)


def _flags_sheet(pack: Pack, f: dict[str, Any], out: Path) -> list[tuple[Any, ...]]:
    export_workbook(pack, f["workshop"].id, out)
    sheet = openpyxl.load_workbook(out, read_only=True)["Data quality flags"]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_a_flag_that_names_only_its_record_is_stored_with_the_exercise_dataset(
        new_pack: Pack, flagging: dict[str, Any], tmp_path: Path) -> None:
    stored = _flag(new_pack, flagging, {"record_rowid": 3, "flag": "wrong",
                                         "comment": "Boarded up since May"})
    assert stored.dataset_id == flagging["dataset"].id
    assert stored.record_rowid == 3
    assert stored.answer["dataset_id"] == flagging["dataset"].id
    rows = _flags_sheet(new_pack, flagging, tmp_path / "flags.xlsx")
    assert rows[0][0] == "Vacant notices"
    assert rows[0][1] == 3
    assert "2002 W North Ave" in str(rows[0][2])


def test_a_flag_that_names_its_dataset_keeps_it(new_pack: Pack,
                                                flagging: dict[str, Any]) -> None:
    stored = _flag(new_pack, flagging, {"record_rowid": 5, "flag": "outdated",
                                         "dataset_id": flagging["dataset"].id})
    assert stored.dataset_id == flagging["dataset"].id


def test_flags_stored_without_their_dataset_are_still_reported_with_it(
        new_pack: Pack, flagging: dict[str, Any], tmp_path: Path) -> None:
    """A pack from a phone workshop before this was fixed: the rows say no dataset."""
    stored = _flag(new_pack, flagging, {"record_rowid": 7, "flag": "duplicate"})
    with new_pack.atomic():
        new_pack.conn.execute("UPDATE _tde_responses SET dataset_id = NULL WHERE id = ?",
                              (stored.id,))
    rows = _flags_sheet(new_pack, flagging, tmp_path / "old.xlsx")
    assert rows[0][0] == "Vacant notices"
    assert "2006 W North Ave" in str(rows[0][2])
