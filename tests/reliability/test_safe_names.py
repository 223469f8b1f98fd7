"""File names made from pack content never leave the chosen folder.

Every title, table or sheet name a stranger's pack can hold goes through
``core/safe_names.py`` before it becomes a file; these tests write real files from
hostile names and compare the listing of the parent folders before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.csv_export import export_results_csv
from tde_desktop.core.safe_names import MAX_STEM_BYTES, child_path, safe_file_stem
from tests.reliability.conftest import Scenario
from tests.reliability.stranger_pack import build, listing, tamper

HOSTILE = ["../../evil", "..", ".", "...", "a/b\\c", "/etc/passwd", "C:\\Windows\\x",
           "CON", "con.txt", "NUL", "nul.tar.gz", "COM1", "lpt9", "COM¹", "AUX ", "report.",
           "report. . ", " .hidden", "\x00", "a\x00b", "\u202eexe.txt", "x" * 1000,
           "é" * 400, "", "   ", "<b>markup</b>", "'; DROP TABLE x; --", "\n\r\t",
           "~/.bashrc", "\\\\server\\share", "name:stream", "résumé 2024 (final)"]

PIECES = st.sampled_from(["..", "/", "\\", ".", "\x00", "CON", "nul", "COM1", ":", " ", "~",
                          "\n", "a", "é", "\u202e", "*", "?", "<", ">", "|", '"'])
NAMES = st.one_of(st.text(max_size=300),
                  st.lists(PIECES, max_size=30).map("".join))


def _check_stem(stem: str) -> None:
    assert stem
    assert stem == stem.strip(" .")
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert not any(ch in stem for ch in '/\\:*?"<>|\x00')
    assert all(ch.isprintable() for ch in stem)
    assert stem.split(".")[0].strip().casefold() not in {
        "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
        *(f"lpt{i}" for i in range(10))}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_become_safe_files_inside_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "out" / "sub"
    folder.mkdir(parents=True)
    before = listing(tmp_path)
    stem = safe_file_stem(name, "table")
    _check_stem(stem)
    target = child_path(folder, stem + ".csv")
    target.write_text("x", encoding="utf-8")
    assert listing(tmp_path) - before == {f"out/sub/{stem}.csv"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES)
def test_any_text_gives_a_safe_stem(name: str) -> None:
    _check_stem(safe_file_stem(name))


@pytest.mark.parametrize("name", ["../x.csv", "..", ".", "", "a/b.csv", "a\\b.csv",
                                  "x\x00.csv", "/abs.csv"])
def test_child_path_refuses_anything_but_a_plain_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(TdeError, match="not a safe file name"):
        child_path(tmp_path, name)


def test_child_path_refuses_a_planted_symlink(tmp_path: Path) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "evil.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(TdeError):
        child_path(tmp_path / "inside", "evil.csv")


def test_results_csv_from_a_hostile_workshop_title_stays_in_its_folder(
        tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("strangers: file names from pack content", "titles with path pieces, NUL, "
                 "'..', CON/NUL/COM1, trailing dots: each file lands in the chosen folder "
                 "with a safe name; nothing appears anywhere else")
    pack_path = tmp_path / "stranger.tdepack"
    build(pack_path)
    for title in ("../../evil", "CON", "a\x00b/../c.", "..\\..\\win"):
        tamper(pack_path, ("UPDATE _tde_workshops SET title = ?", (title,)))
        folder = tmp_path / "out" / "sub"
        folder.mkdir(parents=True, exist_ok=True)
        before = listing(tmp_path)
        with Pack.open(pack_path, read_only=True) as pack:
            wid = pack.conn.execute("SELECT id FROM _tde_workshops").fetchone()[0]
            written = export_results_csv(pack, wid, folder, safe_file_stem(title, "results"))
        new = listing(tmp_path) - before
        assert written
        assert all(p.parent == folder for p in written)
        assert new == {f"out/sub/{p.name}" for p in written}
        for p in written:
            _check_stem(p.stem)
        s.trial()
