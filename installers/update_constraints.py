#!/usr/bin/env python3
"""Pin the versions the installers and the CI workflows install: installers/constraints.txt.

    python3 installers/update_constraints.py

Installs the app with its gui and dev extras plus PyInstaller into a fresh temporary
virtual environment, then writes what pip resolved as ``name==version`` lines. The
workflows and ``installers/build_linux.sh`` pass the file to pip as constraints, so a
release is built from the versions that were tested. Run it, run the tests, commit both.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "installers" / "constraints.txt"
HEADER = (
    "# Versions the installers and the CI workflows install (pip constraints).\n"
    "# Made by installers/update_constraints.py on Python {python}; edit by running it again.\n"
)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tde-constraints-") as tmp:
        env = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(env)
        python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", f"{ROOT}[gui,dev]",
                        "pyinstaller"], check=True)
        frozen = subprocess.run([python, "-m", "pip", "freeze", "--exclude-editable",
                                 "--exclude", "tde-desktop"], check=True, capture_output=True,
                                text=True).stdout
    lines = sorted((line for line in frozen.splitlines() if "==" in line), key=str.lower)
    python_version = ".".join(map(str, sys.version_info[:2]))
    OUT.write_text(HEADER.format(python=python_version) + "\n".join(lines) + "\n",
                   encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(lines)} pinned versions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
