"""Save screenshots of the data explorer and of every workshop screen to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only explorer|workshop]

Runs under real X servers (Xvfb, with openbox when it is installed, so full
screen and maximized windows behave as on a laptop). Opens a copy of the
bundled sample pack (or, if it is not built yet, a pack made from the Baltimore
sample files) so the original is never changed. Captures the grid with a
filter, a column card, a chart and a map; then every kiosk question kind, the
projector before and after each reveal, and the facilitator console, as the
whole screen shows them: at 1366x768 with 100% text (``workshop_1366x768_100_*``)
and at 1280x720 with 200% text (``workshop_1280x720_200_*``), each on an X server
of that size.
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


def start_xvfb(size: str = "1366x768",
               fresh: bool = False) -> list[subprocess.Popen[bytes]]:
    """Start Xvfb (and openbox if installed) on a free display, unless one is set and
    ``fresh`` is false. Returns the processes to end afterwards."""
    if os.environ.get("DISPLAY") and not fresh:
        return []
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            procs = [subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{size}x24",
                                       "-nolisten", "tcp"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
            os.environ["DISPLAY"] = f":{n}"
            time.sleep(1.0)
            if shutil.which("openbox"):
                procs.append(subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
                time.sleep(1.0)
            return procs
    raise SystemExit("no free X display for Xvfb")


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """End what :func:`start_xvfb` started, window manager first."""
    for proc in reversed(procs):
        proc.terminate()
        proc.wait(5)


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
    procs = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        return shoot(args.out)
    finally:
        stop(procs)


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


#: (X screen size, text scale) for the workshop screens
WORKSHOP_SCREENS = (("1366x768", 1.0), ("1280x720", 2.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--only", choices=("explorer", "workshop"))
    parser.add_argument("--screen", help=argparse.SUPPRESS)  # one workshop run: WxH:scale
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.screen:  # a child run on an X server of that size
        size, scale = args.screen.split(":")
        procs = start_xvfb(size, fresh=True)
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        try:
            from scripts.workshop_screenshots import shoot_workshop

            return shoot_workshop(args.out, size, float(scale))
        finally:
            stop(procs)
    status = 0
    if args.only != "workshop":
        procs = start_xvfb(fresh=True)
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        try:
            status = shoot(args.out)
        finally:
            stop(procs)
    if args.only != "explorer":
        # One process per screen size: Qt reads the screen once, at start.
        for size, scale in WORKSHOP_SCREENS:
            status |= subprocess.call([sys.executable, __file__, "--out", str(args.out),
                                       "--screen", f"{size}:{scale}"])
    return status


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
