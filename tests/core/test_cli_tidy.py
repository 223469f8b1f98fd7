"""``tde tidy``: clusters listed, a merge applied, a step undone, on a real pack."""

from __future__ import annotations

from pathlib import Path

from tde_desktop.core.explore.facets import facet
from tde_desktop.core.pack import Pack
from tests.core.conftest import tde


def _pack(tmp_path: Path) -> Path:
    src = tmp_path / "residents.csv"
    src.write_text("neighbourhood,ward\n" + "BROADWAY EAST,1\n" * 3 + "Broadway East,2\n" * 5
                   + "Hamilton,3\n", encoding="utf-8")
    path = tmp_path / "t.tdepack"
    assert tde("new", path, "--title", "T").returncode == 0
    assert tde("add", path, src, "--title", "Residents").returncode == 0
    return path


def _values(path: Path) -> dict[object, int]:
    with Pack.open(path, read_only=True) as pack:
        return dict(facet(pack.conn, pack.dataset("Residents").table_name,
                          "neighbourhood").values)


def test_tidy_lists_merges_and_undoes(tmp_path: Path) -> None:
    path = _pack(tmp_path)
    listed = tde("tidy", path, "Residents", "neighbourhood")
    assert listed.returncode == 0, listed.stderr
    assert "1. Broadway East (8 rows" in listed.stdout
    assert "BROADWAY EAST" in listed.stdout
    merged = tde("tidy", path, "Residents", "neighbourhood", "--merge", "BROADWAY EAST",
                 "--into", "Broadway East")
    assert merged.returncode == 0, merged.stderr
    assert _values(path)["Broadway East"] == 8
    step_id = merged.stdout.split(":")[0].split()[-1]
    after = tde("tidy", path, "Residents", "neighbourhood")
    assert "No near-identical values found." in after.stdout
    assert f"{step_id}: BROADWAY EAST -> Broadway East" in after.stdout
    undone = tde("tidy", path, "Residents", "--undo", step_id)
    assert undone.returncode == 0, undone.stderr
    assert _values(path) == {"Broadway East": 5, "BROADWAY EAST": 3, "Hamilton": 1}


def test_tidy_errors_are_one_plain_line(tmp_path: Path) -> None:
    path = _pack(tmp_path)
    bad = tde("tidy", path, "Residents", "nowhere", "--merge", "a", "--into", "b")
    assert bad.returncode != 0
    assert "no column called nowhere" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = tde("tidy", path, "Residents", "neighbourhood", "--merge", "a")
    assert missing.returncode != 0
    assert "--into" in missing.stderr
    gone = tde("tidy", path, "Residents", "--undo", "99")
    assert gone.returncode != 0
