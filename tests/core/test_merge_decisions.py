"""Moderation decisions and tidy steps travel with merges and results-only packs."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.explore.tidied import tidy_map
from tde_desktop.core.explore.tidy import merge_values, undo_step
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge import merge_packs
from tde_desktop.core.results.publish import publish
from tde_desktop.core.results.results_only import write_results_pack
from tde_desktop.core.workshop import moderation as mod
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import submit_answer

CSV = "address,neighborhood\n1 Main St,Oliver\n2 Oak Ave,Harlem Park\n3 Elm St,OLIVER\n"
NOTES = ("Too many empty housse", "The park is fine", "Rats at night")


@pytest.fixture
def packs(tmp_path: Path) -> dict[str, Path]:
    """A base pack with three notes, and two laptops that each moderated and tidied."""
    base = tmp_path / "base.tdepack"
    (tmp_path / "v.csv").write_text(CSV, encoding="utf-8")
    with Pack.create(base, title="Walk") as pack:
        import_file(pack, tmp_path / "v.csv", title="Vacants")
        w = ws.create_workshop(pack, "Walk in Oliver")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        for note in NOTES:
            person = ws.add_participant(pack, w.id)
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id,
                          participant_id=person.id, question_key="note", answer=note)
        wid = w.id
    paths = {"base": base}
    for name in ("a", "b"):
        paths[name] = tmp_path / f"{name}.tdepack"
        shutil.copyfile(base, paths[name])
    with Pack.open(paths["a"]) as pack:
        first, second, _third = mod.notes(pack, wid)
        mod.edit_text(pack, first.id, "Too many empty houses")
        mod.set_status(pack, first.id, mod.APPROVED)
        mod.set_status(pack, second.id, mod.APPROVED)
        merge_values(pack, "Vacants", "neighborhood", ["OLIVER"], "Oliver")
        merge_values(pack, "Vacants", "neighborhood", ["Harlem Park"], "Harlem  Park")
    time.sleep(1.1)  # laptop b decides later (times have seconds): its versions win
    with Pack.open(paths["b"]) as pack:
        _first, second, third = mod.notes(pack, wid)
        mod.edit_text(pack, second.id, "The park is fine!")  # a conflict with a's approval row
        mod.set_status(pack, third.id, mod.REJECTED)
        merge_values(pack, "Vacants", "neighborhood", ["Harlem Park"], "Harlem Park West")
        undo_step(pack, merge_values(pack, "Vacants", "neighborhood", ["Oliver"], "X")[0].id)
    return paths


def decisions(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        table = conn.execute("SELECT table_name FROM _tde_datasets").fetchone()[0]
        return {
            "moderation": sorted(conn.execute(
                "SELECT r.answer_text, m.rejected, m.edited_text, r.approved "
                "FROM _tde_moderation m JOIN _tde_responses r ON r.id = m.response_id")),
            "tidy": tidy_map(conn, table, "neighborhood"),
            "steps": sorted(conn.execute('SELECT "column", from_value, to_value, created_at, '
                                         "undone_at IS NOT NULL FROM _tde_tidy")),
            "conflicts": conn.execute("SELECT count(*) FROM _tde_merge_conflicts "
                                      "WHERE table_name IN ('_tde_moderation', '_tde_tidy')"
                                      ).fetchone()[0],
        }
    finally:
        conn.close()


def merged(paths: dict[str, Path], tmp_path: Path, order: list[str], times: int = 1) -> Path:
    target = tmp_path / f"merged-{''.join(order)}-{times}.tdepack"
    shutil.copyfile(paths["base"], target)
    with Pack.open(target) as pack:
        for _round in range(times):
            for name in order:
                merge_packs(pack, paths[name])
    return target


def test_decisions_merge_idempotently_whatever_the_order(packs: dict[str, Path],
                                                         tmp_path: Path) -> None:
    ab = decisions(merged(packs, tmp_path, ["a", "b"]))
    assert ab == decisions(merged(packs, tmp_path, ["b", "a"], times=2))
    assert ab == decisions(merged(packs, tmp_path, ["a", "b", "a"], times=2))
    assert ab["moderation"] == [
        ("Rats at night", 1, "", 0),
        ("The park is fine", 0, "The park is fine!", 1),  # b's later row, a's approval
        ("Too many empty housse", 0, "Too many empty houses", 1)]
    # b's later merge wins; a's step is kept, undone; b's undone step stays undone
    assert ab["tidy"] == {"OLIVER": "Oliver", "Harlem Park": "Harlem Park West"}
    assert [s[4] for s in ab["steps"]] == [1, 0, 0, 1]
    assert ab["conflicts"] == 2


def test_the_report_counts_decisions_and_conflicts(packs: dict[str, Path],
                                                   tmp_path: Path) -> None:
    target = tmp_path / "t.tdepack"
    shutil.copyfile(packs["a"], target)
    with Pack.open(target) as pack:
        first = merge_packs(pack, packs["b"])
        again = merge_packs(pack, packs["b"])
    moderation, tidy = first.tables["_tde_moderation"], first.tables["_tde_tidy"]
    assert (moderation.added, moderation.conflicts) == (1, 1)
    assert (tidy.added, tidy.conflicts) == (1, 1)
    assert {c.table for c in first.conflicts} == {"moderation decisions", "tidy steps"}
    assert not again.changed
    assert again.tables["_tde_tidy"].already == 2
    assert again.to_dict()["tables"]["tidy steps"]["conflicts"] == 0


def test_results_only_pack_carries_decisions_into_a_merge(packs: dict[str, Path],
                                                          tmp_path: Path) -> None:
    out = tmp_path / "usb.tdepack"
    with Pack.open(packs["a"], read_only=True) as pack:
        write_results_pack(pack, out)
    assert decisions(out) == decisions(packs["a"])
    target = tmp_path / "city.tdepack"
    shutil.copyfile(packs["base"], target)
    with Pack.open(target) as pack:
        merge_packs(pack, out)
    assert decisions(target) == decisions(packs["a"])


def test_published_free_text_is_approved_and_corrected_only(packs: dict[str, Path],
                                                            tmp_path: Path) -> None:
    with Pack.open(packs["a"], read_only=True) as pack:
        out, _meta = publish(pack, tmp_path / "p.db", k=1)
    conn = sqlite3.connect(out)
    texts = sorted(r[0] for r in conn.execute("SELECT answer_text FROM responses"))
    conn.close()
    assert texts == ["", "The park is fine", "Too many empty houses"]
