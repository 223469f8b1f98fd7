"""Screenshots of the main window and the kiosk at 100%, 150% and 200% text, and in high contrast.

    .venv/bin/python scripts/text_size_screenshots.py [--out docs/screenshots]

Runs under a real X server (the one in $DISPLAY, or an Xvfb started here) on a
copy of the sample pack, so the original is never changed. Used to check that
no text is clipped at the large sizes people with low vision choose.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.screenshots import make_pack, start_xvfb  # noqa: E402

SCALES = (1.0, 1.5, 2.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    xvfb = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        return shoot(args.out)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def shoot(out: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from tde_desktop.core import query
    from tde_desktop.core import workshops as ws
    from tde_desktop.qt import ops, theme
    from tde_desktop.qt.app import make_app
    from tde_desktop.qt.kiosk import Kiosk
    from tde_desktop.qt.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tde-shots-"))
    app = make_app()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    pack_path = make_pack(folder)

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + 30
        while ops.running_ops() and time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)

    def save(widget: QWidget, name: str) -> None:
        path = out / name
        widget.grab().save(str(path))
        print(f"saved {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")

    window = MainWindow()
    window.resize(1360, 740)
    window.show()
    window.open_pack(pack_path)
    settle()
    notices = next(d for d in window.pack.datasets() if "notice" in d.title.lower())
    window.dataset_list.select_id(notices.id)
    window.explorer.apply_filters([query.Filter("councildistrict", "is", 7)])
    settle()
    workshop = ws.list_workshops(window.pack)[0]
    for exercise in ws.list_exercises(window.pack, workshop.id):
        ws.open_exercise(window.pack, exercise.id)
    kiosk = Kiosk(window.pack, workshop.id, device_id="screenshots")
    kiosk.allow_close = True
    kiosk.resize(1280, 800)
    kiosk.show()
    for scale, contrast in [(s, False) for s in SCALES] + [(1.0, True)]:
        theme.apply_theme(app, scale=scale, high_contrast=contrast)
        suffix = "high_contrast" if contrast else f"{round(scale * 100)}"
        settle()
        window.explorer.view.resizeColumnsToContents()
        window.explorer.view.sync_frozen()
        settle()
        save(window, f"main_text_{suffix}.png")
        kiosk.stack.setCurrentIndex(0)
        settle()
        save(kiosk, f"kiosk_welcome_{suffix}.png")
        kiosk.start()
        kiosk.show_step(1)  # the age band: six choices
        settle()
        save(kiosk, f"kiosk_question_{suffix}.png")
        kiosk.participant = None
    kiosk.close()
    window.close()
    app.processEvents()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
