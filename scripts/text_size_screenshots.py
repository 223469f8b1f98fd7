"""Screenshots of the main window and the kiosk at 100%, 150% and 200% text, and in high contrast.

    .venv/bin/python scripts/text_size_screenshots.py [--out docs/screenshots]

Runs under a real X server (the one in $DISPLAY, or an Xvfb started here) on a
copy of the sample pack, so the original is never changed. Used to check that
no text is clipped at the large sizes people with low vision choose.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.screenshots import run_under_x, save, settle, start_session  # noqa: E402

SCALES = (1.0, 1.5, 2.0)


def main() -> int:
    return run_under_x(__doc__.splitlines()[0], shoot)


def shoot(out: Path) -> int:
    from tde_desktop.core.explore.filters import Filter
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.common import theme
    from tde_desktop.qt.shell.main_window import MainWindow
    from tde_desktop.qt.workshop.kiosk import Kiosk

    app, pack_path = start_session(out)

    window = MainWindow()
    window.resize(1360, 740)
    window.show()
    window.open_pack(pack_path)
    settle()
    notices = next(d for d in window.pack.datasets() if "notice" in d.title.lower())
    window.dataset_list.select_id(notices.id)
    window.explorer.apply_filters([Filter("councildistrict", "is", 7)])
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
        save(window, out, f"main_text_{suffix}.png")
        kiosk.stack.setCurrentIndex(0)
        settle()
        save(kiosk, out, f"kiosk_welcome_{suffix}.png")
        kiosk.start()
        kiosk.show_step(1)  # the age band: six choices
        settle()
        save(kiosk, out, f"kiosk_question_{suffix}.png")
        kiosk.participant = None
    kiosk.close()
    window.close()
    app.processEvents()
    shutil.rmtree(pack_path.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
