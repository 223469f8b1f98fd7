"""Save screenshots of the data explorer to docs/screenshots/ (for the README and reviews).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs under a real X server: the one in $DISPLAY, or an Xvfb started here if
there is none. Opens a copy of the bundled sample pack (or, if it is not built
yet, a pack made from the Baltimore sample files) so the original is never
changed, then captures the grid with a filter, a column card, a chart and a map.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BALTIMORE = REPO.parent / "shared" / "data" / "samples" / "baltimore"


def start_xvfb() -> subprocess.Popen[bytes] | None:
    """Start Xvfb on a free display unless one is already set."""
    if os.environ.get("DISPLAY"):
        return None
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1366x768x24",
                                     "-nolisten", "tcp"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.environ["DISPLAY"] = f":{n}"
            time.sleep(1.0)
            return proc
    raise SystemExit("no free X display for Xvfb")


def make_pack(folder: Path) -> Path:
    """A copy of the sample pack, or a pack built from the Baltimore files."""
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.pack import Pack
    from tde_desktop.paths import sample_pack_path

    target = folder / "screenshots.tdepack"
    sample = sample_pack_path()
    if sample.exists():
        with Pack.open(sample, read_only=True) as pack:
            # A consistent copy even if the sample is open elsewhere (backup API).
            import sqlite3

            dest = sqlite3.connect(target)
            pack.conn.backup(dest)
            dest.close()
        return target
    with Pack.create(target, title="Baltimore vacant buildings") as pack:
        import_file(pack, BALTIMORE / "vacant_building_notices.csv",
                    title="Vacant building notices", publisher="City of Baltimore",
                    licence="CC BY 4.0")
        import_file(pack, BALTIMORE / "demolition_list_clean.csv", title="Demolition list")
        import_file(pack, BALTIMORE / "neighborhoods.geojson", title="Neighbourhoods")
    return target


def run_under_x(description: str, shoot: Callable[[Path], int]) -> int:
    """Parse --out, make sure there is an X server, and run ``shoot(out)`` on it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    xvfb = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        return shoot(args.out)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def start_session(out: Path) -> tuple[Any, Path]:
    """The application, with settings in a temporary folder, and a copy of the sample pack."""
    from PySide6.QtCore import QSettings

    from tde_desktop.qt.shell.app import make_app

    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tde-shots-"))
    app = make_app()
    # Never touch the real settings of whoever runs this.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return app, make_pack(folder)


def settle(seconds: float = 0.4) -> None:
    """Let background work finish (30 s at most), then let the screen settle."""
    from PySide6.QtWidgets import QApplication

    from tde_desktop.qt.common import ops

    end = time.monotonic() + 30
    while ops.running_ops() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def save(widget: Any, out: Path, name: str) -> None:
    """Grab ``widget`` into ``out/name`` and say where it went."""
    path = out / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


def main() -> int:
    return run_under_x(__doc__.splitlines()[0], shoot)


def shoot(out: Path) -> int:
    from tde_desktop.core.explore.filters import Filter
    from tde_desktop.qt.shell.main_window import MainWindow

    app, pack_path = start_session(out)

    window = MainWindow()
    window.resize(1360, 740)
    window.show()
    window.open_pack(pack_path)
    settle()
    explorer = window.explorer
    notices = next(d for d in window.pack.datasets() if "notice" in d.title.lower())
    window.dataset_list.select_id(notices.id)
    settle()
    explorer.apply_filters([Filter("councildistrict", "is", 7)])
    settle()
    explorer.view.resizeColumnsToContents()
    explorer.view.sync_frozen()
    settle()
    save(window, out, "explorer_grid_filter.png")

    card = explorer.show_panel("ColumnCardView")
    card.set_column("noticedate")
    settle()
    save(window, out, "column_card.png")

    chart = explorer.show_panel("ChartView")
    chart.x_box.setCurrentIndex(max(0, chart.x_box.findData("neighborhood")))
    settle(0.8)
    save(window, out, "chart.png")

    explorer.apply_filters([])
    settle()
    explorer.show_panel("MapView")
    settle(1.0)
    save(window, out, "map.png")
    window.close()
    app.processEvents()
    shutil.rmtree(pack_path.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
