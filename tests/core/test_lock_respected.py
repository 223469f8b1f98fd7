"""A pack the app holds (its ``.lock``) is not written by a second process: the ``tde``
command and ``Pack.open`` from elsewhere are refused in one sentence; reading works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.pack import lock as pack_lock
from tests.conftest import REPO
from tests.core.conftest import tde


@pytest.fixture
def held(tmp_path: Path) -> tuple[Path, pack_lock.Lock]:
    """A pack with one small dataset, opened and locked by this process as the app does."""
    csv = tmp_path / "streets.csv"
    csv.write_text("street,count\nUpton Rd,3\nMain St,5\n", encoding="utf-8")
    path = tmp_path / "walk.tdepack"
    assert tde("new", path, "--title", "Walk").returncode == 0
    assert tde("add", path, csv, "--title", "Streets").returncode == 0
    return path, pack_lock.acquire(path)


def child_open(path: Path, read_only: bool) -> subprocess.CompletedProcess[str]:
    code = (f"from tde_desktop.core.pack import Pack\n"
            f"p = Pack.open({str(path)!r}, read_only={read_only})\n"
            f"print(p.meta()['title'])\n"
            f"p.close()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_writes_from_another_process_are_refused_while_held(
        held: tuple[Path, pack_lock.Lock], tmp_path: Path) -> None:
    path, lock = held
    with Pack.open(path) as app_pack:  # the holder itself opens it for writing
        described = tde("describe", path, "Streets", "street", "--text", "Street name")
        assert described.returncode != 0
        [line] = described.stderr.strip().splitlines()  # one sentence, no traceback
        assert "walk.tdepack is already open in tde-desktop" in line
        info = tde("info", path)  # reading is fine
        assert info.returncode == 0, info.stderr
        assert "Streets" in info.stdout
        opened = child_open(path, read_only=False)
        assert opened.returncode != 0
        assert "PackInUse" in opened.stderr
        assert child_open(path, read_only=True).stdout.strip() == "Walk"
        app_pack.set_meta(title="Still ours")  # the app keeps writing
        assert app_pack.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    with Pack.open(path, read_only=True) as pack:
        column = pack.conn.execute("SELECT count(*) FROM _tde_columns WHERE description_en = "
                                   "'Street name'").fetchone()[0]
    assert column == 0  # the refused command changed nothing
    lock.release()
    again = tde("describe", path, "Streets", "street", "--text", "Street name")
    assert again.returncode == 0, again.stderr  # released: the command works again
