#!/usr/bin/env python3
"""Save every phone screen of room mode to docs/screenshots/phone_*.png.

A real browser (Debian's Chromium, 360x740, through Selenium) joins a room on
127.0.0.1 served from a fresh workshop pack with one exercise of every kind, and
goes through the whole workshop; each screen is saved as it appears (the whole
page, not only the first 740 px). A second phone in Spanish, a 200% zoom and a
refused answer are saved too. Needs ``chromium``, ``chromium-driver`` and
``selenium``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tde_desktop.core.pack import Pack  # noqa: E402
from tde_desktop.core.workshop import workshops as w  # noqa: E402
from tde_desktop.room import RoomServer  # noqa: E402
from tests.room.browser_phone import BrowserPhone, available  # noqa: E402
from tests.room.workshop_pack import TEMPLATES, build_pack  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TEXT = "The empty lots on Main St fill with trash every summer"


def _open(path: Path, exercise_id: str) -> None:
    with Pack.open(path) as pack:
        w.open_exercise(pack, exercise_id)


def main() -> int:
    if not available():
        print("needs chromium, chromium-driver and selenium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    saved: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "room.tdepack"
        info = build_pack(path, title="Vacant buildings in my neighbourhood")
        server = RoomServer(path, str(info["workshop"]), host="127.0.0.1", port=0).start()
        phone, spanish = BrowserPhone("en"), BrowserPhone("es")
        base = server.join_url.split("/j/")[0]

        def shot(who: BrowserPhone, name: str) -> None:
            who.screenshot(OUT / f"phone_{name}.png")
            saved.append(name)

        try:
            phone.open(base + "/")
            shot(phone, "00_join_help")
            phone.open(server.join_url)
            shot(phone, "01_welcome_consent")
            phone.join(server.join_url)
            shot(phone, "02_waiting")
            spanish.join(server.join_url)
            for number, name in enumerate(TEMPLATES):
                exercise_id = str(info["exercises"][name])  # type: ignore[index]
                _open(path, exercise_id)
                phone.wait_for(lambda e=exercise_id: phone.find(
                    f'body[data-exercise="{e}"]') and phone.on_question())
                shot(phone, f"{10 + number:02d}_{name}")
                if name == "data_request":  # a refused answer, said next to the form
                    phone.tap(phone.find("form.answer button[type=submit]")[0])
                    phone.wait_for(lambda: phone.find(".error:not([hidden])"))
                    shot(phone, f"{10 + number:02d}_{name}_refused")
                if name == "dot_vote":  # two dots placed with +: one left, said in words
                    plus = phone.find("fieldset.dots button.more")
                    for button in (plus[0], plus[1]):
                        phone.tap(button)
                    shot(phone, f"{10 + number:02d}_{name}_placed")
                if name == "check_data":
                    phone.tap(phone.find("a.record")[0])
                    phone.wait_for(lambda: bool(phone.find("form.answer")))
                    shot(phone, f"{10 + number:02d}_{name}_picked")
                if name == "budget":
                    spanish.wait_for(lambda e=exercise_id: spanish.find(
                        f'body[data-exercise="{e}"]') and spanish.on_question())
                    shot(spanish, f"{10 + number:02d}_{name}_es")
                if name == "rating":  # 200% zoom: half the CSS pixels on the same screen
                    phone.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                        "width": 180, "height": 370, "deviceScaleFactor": 2,
                        "mobile": True})
                    height = phone.driver.execute_script(
                        "return document.documentElement.scrollHeight")
                    phone.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                        "width": 180, "height": int(height), "deviceScaleFactor": 2,
                        "mobile": True})
                    phone.driver.save_screenshot(str(OUT / "phone_zoom_200.png"))
                    saved.append("zoom_200")
                    phone.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                        "width": 360, "height": 740, "deviceScaleFactor": 2,
                        "mobile": True})
                for _step in range(20):
                    if not phone.on_question():
                        break
                    phone.answer(1, TEXT)
            shot(phone, "40_exercise_done")
            with Pack.open(path) as pack:
                w.reveal(pack, str(info["exercises"]["dot_vote"]))  # type: ignore[index]
            phone.open(base + "/results")
            shot(phone, "41_results")
            phone.open(base + "/mine")
            shot(phone, "42_my_answers")
            phone.open(base + "/withdraw")
            shot(phone, "43_withdraw")
        finally:
            phone.quit()
            spanish.quit()
            server.stop()
    print(f"{len(saved)} screens in {OUT.relative_to(ROOT)}: " + ", ".join(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
