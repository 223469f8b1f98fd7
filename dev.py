#!/usr/bin/env python3
"""Set up a development environment and run the app or the tests.

    python3 dev.py run     # set everything up, start the app on the sample pack
    python3 dev.py test    # set everything up, run lint, types and every test

Needs only Python 3.11+. Creates .venv (everything) and .venv-core (no Qt, to
prove the core and the command line work without PySide6).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
CORE_VENV = ROOT / ".venv-core"


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


def _run(*cmd: object, **kwargs: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kwargs)  # type: ignore[arg-type]


def _ensure(env: Path, extras: str) -> Path:
    """Create ``env`` and install the project with ``extras`` when pyproject.toml changed."""
    python = _bin(env, "python")
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(env)
    stamp = env / ".installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        _run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        _run(python, "-m", "pip", "install", "--quiet", "-e", f".{extras}")
        stamp.write_text(want)
    return python


def _sample_pack(python: Path) -> None:
    _run(python, "-m", "tde_desktop.sample_pack")


def run(args: list[str]) -> int:
    python = _ensure(VENV, "[gui,dev]")
    _sample_pack(python)
    # The sample pack, as the README says, unless a pack is named: not the pack used last.
    start = args if any(a.endswith(".tdepack") for a in args) else ["--sample", *args]
    return subprocess.call([str(python), "-m", "tde_desktop", *start], cwd=ROOT)


def _step(failures: list[str], name: str, *cmd: object, env: dict[str, str] | None = None) -> None:
    """Run one check; record a failure and go on, so one run reports every problem."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    if subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env).returncode != 0:
        failures.append(name)


def test(args: list[str]) -> int:
    python = _ensure(VENV, "[gui,dev]")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    failures: list[str] = []
    _step(failures, "ruff", python, "-m", "ruff", "check", "tde_desktop", "tests", "benchmarks",
          "scripts", "dev.py")
    _step(failures, "mypy", python, "-m", "mypy", "tde_desktop")  # core, cli and qt: strict
    _step(failures, "import-linter", _bin(VENV, "lint-imports"))
    # The CI workflows, checked offline: their shape, then their security.
    workflows = sorted(str(p.relative_to(ROOT))
                       for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    _step(failures, "workflow schema", _bin(VENV, "check-jsonschema"), "--builtin-schema",
          "vendor.github-workflows", *workflows)
    _step(failures, "zizmor", _bin(VENV, "zizmor"), "--offline", *workflows)
    _sample_pack(python)
    _step(failures, "pytest", python, "-m", "pytest", "-q", *args, env=env)
    # The core and the command line must work where PySide6 is not installed.
    core_python = _ensure(CORE_VENV, "[dev]")
    subprocess.run([str(core_python), "-m", "pip", "uninstall", "--quiet", "-y",
                    "PySide6-Essentials", "PySide6", "shiboken6", "pytest-qt"], cwd=ROOT)
    _step(failures, "no-Qt check", core_python, "-c", "import importlib.util as u, sys; "
          "sys.exit(1 if u.find_spec('PySide6') else 0)")
    _step(failures, "core tests without Qt", core_python, "-m", "pytest", "-q", "-p",
          "no:pytestqt", "tests/core", env=env)
    if failures:
        print("FAILED: " + ", ".join(failures), flush=True)
        return 1
    print("All checks passed.", flush=True)
    return 0


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must say so in plain words
        print("tde-desktop needs Python 3.11 or newer.", file=sys.stderr)
        return 1
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    try:
        return run(rest) if command == "run" else test(rest)
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
