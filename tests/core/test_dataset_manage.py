"""Datasets managed after import: edit details, remove with undo, replace with a newer file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.charts import ChartSpec
from tde_desktop.core.explore.filters import Filter
from tde_desktop.core.explore.tidied import tidy_map
from tde_desktop.core.explore.tidy import merge_values, undo_step
from tde_desktop.core.explore.views import list_views, save_view
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers.replace import replace_dataset
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.datasets import (
    edit_dataset,
    purge_trash,
    remove_dataset,
    restore_dataset,
    trashed,
)
from tde_desktop.core.workshop import workshops as w
from tests.conftest import REPO
from tests.core.conftest import tde


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def pack_path(tmp_path: Path) -> Path:
    """A pack with two datasets, a described column, two saved views and an exercise."""
    path = tmp_path / "walk.tdepack"
    trees = write(tmp_path / "trees.csv", "ward,species,height\n1,oak,12\n2,elm,9\n2,ash,7\n")
    bins = write(tmp_path / "bins.csv", "street,count\nMain,3\nHigh,4\n")
    with Pack.create(path, title="Walk") as pack:
        info = import_file(pack, trees, title="Trees", publisher="City")
        import_file(pack, bins, title="Bins")
        pack.describe_column("Trees", "species", text="Kind of tree")
        pack.describe_column("Trees", "height", text="Height in metres", unit="m")
        view_id = save_view(pack, "Oaks", info.id, [Filter("species", "is", "oak")], None)
        save_view(pack, "Heights", info.id, [], ChartSpec("histogram", "height"))
        workshop = w.create_workshop(pack, "Tree walk")
        pack.conn.execute("INSERT INTO _tde_exercises (id, workshop_id, position, type, title,"
                          " view_id, dataset_id) VALUES ('ex1', ?, 0, 'open_text', 'Look', ?, ?)",
                          (workshop.id, view_id, info.id))
    return path


def state(pack: Pack) -> tuple[object, ...]:
    """Everything a removal and its undo must bring back exactly."""
    q = pack.conn.execute
    return (q("SELECT * FROM _tde_datasets ORDER BY id").fetchall(),
            q("SELECT * FROM _tde_columns ORDER BY dataset_id, position").fetchall(),
            q("SELECT * FROM _tde_views ORDER BY id").fetchall(),
            q("SELECT id, view_id, dataset_id FROM _tde_exercises").fetchall(),
            q('SELECT * FROM "ds_trees" ORDER BY rowid').fetchall())


def test_remove_then_undo_brings_everything_back(pack_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        before = state(pack)
        removal = remove_dataset(pack, "Trees")
        assert sorted(removal.views) == ["Heights", "Oaks"]
        assert (removal.exercises, removal.described_columns) == (1, 2)
        assert [d.title for d in pack.datasets()] == ["Bins"]
        assert list_views(pack) == []
        assert pack.conn.execute("SELECT view_id, dataset_id FROM _tde_exercises").fetchone() \
            == (None, None)
        assert "ds_trees" not in pack.table_names()
        assert trashed(pack) == [(removal.dataset_id, "Trees")]
    # the trash survives closing the connection (the app purges it), and the pack opens
    with Pack.open(pack_path) as pack:
        restored = restore_dataset(pack, removal.dataset_id)
        assert restored.title == "Trees"
        assert state(pack) == before
        assert trashed(pack) == []


def test_undo_of_a_removal_brings_back_the_tidy_steps(pack_path: Path,
                                                     tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        merge_values(pack, "Trees", "species", ["elm"], "oak")
        step = merge_values(pack, "Trees", "species", ["ash"], "oak")[0]
        undo_step(pack, step.id)  # undone steps come back too: the About card lists them
        before = pack.conn.execute("SELECT * FROM _tde_tidy ORDER BY id").fetchall()
        removal = remove_dataset(pack, "Trees")
        assert pack.conn.execute("SELECT count(*) FROM _tde_tidy").fetchone() == (0,)
        restored = restore_dataset(pack, removal.dataset_id)
        assert pack.conn.execute("SELECT * FROM _tde_tidy ORDER BY id").fetchall() == before
        assert tidy_map(pack.conn, restored.table_name, "species") == {"elm": "oak"}
        # Bins has the highest id, which a new import takes: its steps follow it to a new id
        merge_values(pack, "Bins", "street", ["High"], "Main")
        removal = remove_dataset(pack, "Bins")
        again = import_file(pack, write(tmp_path / "b.csv", "street\nLow\n"), title="Bins")
        assert again.id == removal.dataset_id
        taken = merge_values(pack, "Bins", "street", ["Low"], "Main")[0]  # takes the step id
        moved = restore_dataset(pack, removal.dataset_id)
        assert moved.id != again.id
        assert tidy_map(pack.conn, moved.table_name, "street") == {"High": "Main"}
        assert tidy_map(pack.conn, again.table_name, "street") == {"Low": "Main"}
        assert pack.conn.execute("SELECT dataset_id FROM _tde_tidy WHERE id = ?",
                                 (taken.id,)).fetchone() == (again.id,)


def test_purge_makes_removal_final(pack_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        removal = remove_dataset(pack, "Trees")
        assert purge_trash(pack) == 1
        assert not [t for t in pack.table_names() if t.startswith("_tde_trash")]
        with pytest.raises(TdeError, match="can no longer be put back"):
            restore_dataset(pack, removal.dataset_id)
        assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_undo_after_a_new_import_took_the_id_and_name(pack_path: Path, tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        remove_dataset(pack, "Bins")  # the highest id: SQLite gives it to the next import
        bins_id = 2
        again = import_file(pack, write(tmp_path / "bins.csv", "street,count\nLow,1\n"),
                            title="Bins")
        assert (again.id, again.table_name) == (bins_id, "ds_bins")
        restored = restore_dataset(pack, bins_id)
        assert restored.id != bins_id
        assert restored.table_name != "ds_bins"
        assert pack.conn.execute(f'SELECT count(*) FROM "{restored.table_name}"').fetchone() \
            == (2,)
        assert pack.conn.execute('SELECT count(*) FROM "ds_bins"').fetchone() == (1,)


KILL_BEFORE_COMMIT = """
import os, signal, sys
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.datasets import remove_dataset
Pack.touch = lambda self: os.kill(os.getpid(), signal.SIGKILL)  # the last step before COMMIT
with Pack.open(sys.argv[1]) as pack:
    remove_dataset(pack, "Trees")
"""


def test_a_kill_during_removal_leaves_the_dataset_whole(pack_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        before = state(pack)
    child = subprocess.run([sys.executable, "-c", KILL_BEFORE_COMMIT, str(pack_path)],
                           cwd=REPO, capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr
    with Pack.open(pack_path) as pack:  # opening validates the whole catalogue
        assert state(pack) == before
        assert trashed(pack) == []
        assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_kill_after_removal_leaves_a_valid_pack_and_purge_cleans_up(pack_path: Path) -> None:
    code = ("import os, signal, sys\nfrom tde_desktop.core.pack import Pack\n"
            "from tde_desktop.core.pack.datasets import remove_dataset\n"
            "pack = Pack.open(sys.argv[1])\nremove_dataset(pack, 'Trees')\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    child = subprocess.run([sys.executable, "-c", code, str(pack_path)], cwd=REPO,
                           capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr
    with Pack.open(pack_path) as pack:
        assert [d.title for d in pack.datasets()] == ["Bins"]
        assert purge_trash(pack) == 1
        assert not [t for t in pack.table_names() if "trash" in t]


def test_edit_checks_and_changes_details(pack_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        info = edit_dataset(pack, "Trees", title="  Street  trees ", licence="CC0 1.0",
                            retrieved_at="2024-02-29", source_url="https://data.example/t")
        assert (info.title, info.licence, info.retrieved_at, info.publisher) == (
            "Street trees", "CC0 1.0", "2024-02-29", "City")
        for bad, message in [({"title": " "}, "title"), ({"title": "bins"}, "already called"),
                             ({"retrieved_at": "2019-02-31"}, "not a date"),
                             ({"retrieved_at": "20190207"}, "not a date"),
                             ({"rows": "3"}, "Unknown")]:
            with pytest.raises(TdeError, match=message):
                edit_dataset(pack, info.id, **bad)
        assert pack.dataset(info.id).title == "Street trees"


def test_replace_keeps_what_still_fits(pack_path: Path, tmp_path: Path) -> None:
    newer = write(tmp_path / "trees-2024.csv",
                  "ward,species,diameter\n1,oak,40\n3,yew,20\n3,fir,35\n4,oak,50\n")
    with Pack.open(pack_path) as pack:
        old = pack.dataset("Trees")
        report = replace_dataset(pack, "Trees", newer, retrieved_at="2024-05-01")
        new = report.dataset
        assert (new.id, new.table_name, new.title, new.publisher) == (
            old.id, old.table_name, "Trees", "City")
        assert (new.row_count, new.original_filename, new.retrieved_at) == (
            4, "trees-2024.csv", "2024-05-01")
        assert report.kept_descriptions == ["species"]
        assert report.dropped_descriptions == ["height"]
        assert (report.kept_views, report.dropped_views) == (["Oaks"], ["Heights"])
        assert (report.new_columns, report.gone_columns) == (["diameter"], ["height"])
        assert {c.name: c.description_en for c in new.columns} == {
            "ward": "", "species": "Kind of tree", "diameter": ""}
        assert [d.title for d in pack.datasets()] == ["Trees", "Bins"]
        assert pack.conn.execute('SELECT species FROM "ds_trees" ORDER BY rowid').fetchall() \
            == [("oak",), ("yew",), ("fir",), ("oak",)]
        assert pack.conn.execute("SELECT view_id, dataset_id FROM _tde_exercises").fetchone() \
            == (pack.conn.execute("SELECT id FROM _tde_views").fetchone()[0], old.id)
    with Pack.open(pack_path):  # the catalogue is still what a pack must be
        pass


def test_replace_with_a_broken_file_changes_nothing(pack_path: Path, tmp_path: Path) -> None:
    with Pack.open(pack_path) as pack:
        before = state(pack)
        with pytest.raises(TdeError):
            replace_dataset(pack, "Trees", tmp_path / "missing.csv")
        assert state(pack) == before


def test_cli_edit_replace_remove(pack_path: Path, tmp_path: Path) -> None:
    result = tde("edit", pack_path, "Trees", "--publisher", "Parks", "--licence", "ODbL 1.0",
                 "--retrieved-at", "2023-01-02")
    assert result.returncode == 0, result.stderr
    with Pack.open(pack_path) as pack:
        info = pack.dataset("Trees")
        assert (info.publisher, info.licence, info.retrieved_at) == (
            "Parks", "ODbL 1.0", "2023-01-02")
    newer = write(tmp_path / "t.csv", "ward,species\n5,oak\n")
    result = tde("replace", pack_path, "Trees", newer)
    assert result.returncode == 0, result.stderr
    assert "Heights" in result.stdout
    assert "height" in result.stdout
    result = tde("remove", pack_path, "Trees")
    assert result.returncode == 0, result.stderr
    assert "Oaks" in result.stdout
    with Pack.open(pack_path) as pack:
        assert [d.title for d in pack.datasets()] == ["Bins"]
        assert not [t for t in pack.table_names() if "trash" in t]
    result = tde("edit", pack_path, "Bins", "--retrieved-at", "yesterday")
    assert result.returncode == 1
    assert "not a date" in result.stderr
