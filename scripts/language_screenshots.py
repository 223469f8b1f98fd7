"""Screenshots of the main window, the kiosk's first screen and a data walk station in every
shipped language (English, Spanish, Chinese, Arabic), Arabic also at 200% text.

    .venv/bin/python scripts/language_screenshots.py [--out docs/screenshots/languages]

Runs under a real X server (an Xvfb started here) on a copy of the sample pack. Until the
full Arabic catalogue ships, a small stand-in (menus and the kiosk's fixed texts) is used
so that the mirrored layout can be looked at.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.screenshots import run_under_x, save, settle, start_session  # noqa: E402

LANGUAGES = ("en", "es", "zh_CN", "ar")
#: used only when resources/translations/ar.po is not there yet
ARABIC_STAND_IN = {
    "&File": "&ملف", "&Data": "&بيانات", "&View": "&عرض", "&Workshop": "&ورشة العمل",
    "&Language": "&اللغة", "&Help": "&مساعدة", "Start": "ابدأ",
    "Start as a table group": "ابدأ كمجموعة طاولة", "people": "أشخاص",
    "Welcome! Your answers are anonymous: you get a code, not a name. You can skip any "
    "question you do not want to answer.": "أهلاً بكم! إجاباتكم مجهولة الهوية: تحصلون على "
    "رمز، لا على اسم. يمكنكم تخطي أي سؤال لا تريدون الإجابة عنه.",
    "Next (Enter)": "التالي (Enter)", "Back (Alt+←)": "رجوع (Alt+←)",
    "Undo my last answer": "تراجع عن إجابتي الأخيرة", "Datasets in this pack": "مجموعات البيانات",
}


def _stand_in_arabic() -> None:
    if (REPO / "resources" / "translations" / "ar.po").exists():
        return
    folder = Path(tempfile.mkdtemp(prefix="tde-ar-")) / "languages"
    folder.mkdir()
    body = "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in ARABIC_STAND_IN.items())
    (folder / "ar.po").write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n'
                                  '"Content-Type: text/plain; charset=UTF-8\\n"\n' + body,
                                  encoding="utf-8")
    os.environ["TDE_DATA_DIR"] = str(folder.parent)


def main() -> int:
    _stand_in_arabic()
    return run_under_x(__doc__.splitlines()[0], shoot)


def shoot(out: Path) -> int:
    from tde_desktop.core import i18n
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.common import theme
    from tde_desktop.qt.shell.main_window import MainWindow
    from tde_desktop.qt.workshop.kiosk import Kiosk

    i18n.refresh_languages()
    app, pack_path = start_session(out)
    window = MainWindow()
    window.resize(1360, 740)
    window.show()
    window.open_pack(pack_path)
    settle()
    workshop = ws.list_workshops(window.pack)[0]
    for exercise in ws.list_exercises(window.pack, workshop.id):
        ws.open_exercise(window.pack, exercise.id)
    shots = [(code, 1.0) for code in LANGUAGES if code in i18n.SUPPORTED_LANGUAGES]
    shots += [("ar", 2.0)] if "ar" in i18n.SUPPORTED_LANGUAGES else []
    for code, scale in shots:
        theme.apply_theme(app, scale=scale)
        window.set_language(code)
        settle()
        suffix = f"{code}_200" if scale != 1.0 else code
        save(window, out, f"main_{suffix}.png")
        kiosk = Kiosk(window.pack, workshop.id, device_id="screenshots")
        kiosk.allow_close = True
        kiosk.resize(1280, 800)
        kiosk.show()
        kiosk.choose_language(code)
        settle()
        save(kiosk, out, f"kiosk_welcome_{suffix}.png")
        kiosk.start()
        station = next((i for i, s in enumerate(kiosk.steps)
                        if s.exercise.type == "data_walk"), 0)
        kiosk.show_step(station)
        settle(1.0)
        save(kiosk, out, f"kiosk_station_{suffix}.png")
        kiosk.participant = None
        kiosk.close()
    theme.apply_theme(app, scale=1.0)
    window.set_language("en")
    window.close()
    app.processEvents()
    shutil.rmtree(pack_path.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
