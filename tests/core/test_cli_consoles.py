"""The `tde` command on a Windows console: cp1252 or cp437 output, names no code page holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tde_desktop.core.pack import Pack

TITLE = "Peñalolén 😀 مرحبا"


def _tde(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONIOENCODING=encoding, PYTHONUTF8="0")
    return subprocess.run([sys.executable, "-m", "tde_desktop.cli.main", *args],
                          capture_output=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("encoding", ["cp1252", "cp437"])
def test_info_survives_a_windows_code_page(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "Peñalolén walk.tdepack"
    Pack.create(path, title=TITLE).close()
    done = _tde("info", str(path), encoding=encoding)
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    shown = done.stdout.decode(encoding)  # every byte is the console's own code page
    assert "Peñalolén" in shown
    assert "?" in shown  # the emoji and the Arabic letters, which the code page lacks
    assert b"Traceback" not in done.stderr


def test_an_error_with_a_foreign_name_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "مرحبا 😀.tdepack"
    done = _tde("info", str(missing), encoding="cp1252")
    assert done.returncode == 1
    lines = done.stderr.decode("cp1252").strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error:"), lines


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "walk.tdepack"
    Pack.create(path, title=TITLE).close()
    proc = subprocess.Popen([sys.executable, "-m", "tde_desktop.cli.main", "info", str(path),
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command starts writing
    proc.wait(timeout=120)
    assert b"Error" not in proc.stderr.read()
