"""A phone in a real browser: Debian's Chromium at 360x740, driven by Selenium.

Used by the browser test and by ``scripts/phone_screenshots.py``. A phone answers
whatever question it is shown the way a person would: it taps the first fitting
choice, types into every text box, ranks in order, places dots and money, finds a
record to flag, then taps Send.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WIDTH, HEIGHT = 360, 740


def available() -> bool:
    """True if Chromium, its driver and Selenium are all installed."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class BrowserPhone:
    """One phone: its own browser profile (cookies), language and JavaScript setting."""

    def __init__(self, lang: str = "en", javascript: bool = True) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}", f"--lang={lang}",
                    "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(arg)
        if not javascript:  # as in a phone's settings: pages run no script at all
            options.add_argument("--blink-settings=scriptEnabled=false")
        prefs: dict[str, Any] = {"intl.accept_languages": lang}
        options.add_experimental_option("prefs", prefs)
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": WIDTH, "height": HEIGHT, "pixelRatio": 2.0},
            "userAgent": "Mozilla/5.0 (Linux; Android 13) Mobile"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.javascript = javascript


    def quit(self) -> None:
        self.driver.quit()

    # -- reading -----------------------------------------------------------------------

    @property
    def html(self) -> str:
        return str(self.driver.page_source)

    def text(self) -> str:
        return str(self.driver.find_element("tag name", "body").text)

    def find(self, css: str) -> list[Any]:
        return list(self.driver.find_elements("css selector", css))

    def open(self, url: str) -> None:
        self.driver.get(url)

    def screenshot(self, path: Path, full: bool = True) -> None:
        """Save the screen; ``full`` grows the window to the page's height first."""
        driver = self.driver
        if full:
            height = int(driver.execute_script(
                "return document.documentElement.scrollHeight") if self.javascript else 0)
            if height:
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": WIDTH, "height": max(HEIGHT, height), "deviceScaleFactor": 1,
                    "mobile": True})
        driver.save_screenshot(str(path))
        if full:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True})

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                if predicate():
                    return
            except Exception:  # noqa: BLE001 - the page is changing under us
                pass
            time.sleep(0.1)
        raise AssertionError(f"timed out on {self.driver.current_url}: {self.text()[:500]}")

    # -- acting ------------------------------------------------------------------------
    # With page scripts off, chromedriver's own click and typing stall (they wait on
    # script they cannot run), so that phone taps and types through DevTools input
    # events, as a finger and a keyboard would.

    def _cdp(self, command: str, **params: Any) -> Any:
        return self.driver.execute_cdp_cmd(command, params)

    def tap(self, element: Any) -> None:
        if self.javascript:
            element.click()
            return
        rect = element.rect
        self._cdp("Runtime.evaluate", expression=f"window.scrollTo(0, {rect['y'] - 200})")
        top = self._cdp("Runtime.evaluate", expression="window.scrollY")["result"]["value"]
        x, y = rect["x"] + rect["width"] / 2, rect["y"] - top + rect["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            self._cdp("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)

    def type(self, element: Any, text: str, clear: bool = False) -> None:
        if self.javascript:
            if clear:
                element.clear()
            element.send_keys(text)
            return
        self.tap(element)
        if clear:
            for kind in ("keyDown", "keyUp"):
                self._cdp("Input.dispatchKeyEvent", type=kind, key="a", code="KeyA",
                          modifiers=2, windowsVirtualKeyCode=65)
        self._cdp("Input.insertText", text=text)

    def choose(self, select: Any, value: str | None = None) -> None:
        """Pick ``value`` in a drop-down (None: the last option)."""
        from selenium.webdriver.support.ui import Select

        choice = Select(select)
        value = value or str(choice.options[-1].get_attribute("value"))
        if self.javascript:
            choice.select_by_value(value)
            return
        name = select.get_attribute("name")  # the driver sets it, as a person's pick would
        self._cdp("Runtime.evaluate", expression=f"document.querySelector("
                  f"'select[name=\"{name}\"]').value = '{value}'")

    def join(self, url: str) -> None:
        self.open(url)
        self.tap(self.find("input[name=consent]")[0])
        self.tap(self.find("form button[type=submit]")[0])
        self.wait_for(lambda: "/q" in self.driver.current_url)

    def question_key(self) -> str:
        forms = self.find("form.answer")
        if forms:
            return str(forms[0].get_attribute("action")).rsplit("/", 1)[1]
        keys = self.find("form.find input[name=k]")
        return str(keys[0].get_attribute("value")) if keys else ""

    def on_question(self) -> bool:
        return bool(self.find("form.answer") or self.find("form.find"))

    def answer(self, n: int, text: str) -> str:
        """Answer the question on screen and wait for the next screen; returns its key."""
        key = self.question_key()
        if self.find("form.find"):  # check the data: find a record first
            self.tap(self.find("a.record")[n % 3])
            self.wait_for(lambda: bool(self.find("form.answer")))
        form = self.find("form.answer")[0]
        self._fill(n, text)
        old = self.driver.current_url, form
        self.tap(self.find("form.answer button[type=submit]")[0])

        def moved() -> bool:
            if self.find(".error:not([hidden])") and self.find(".error")[0].text:
                raise AssertionError(self.find(".error")[0].text)
            try:
                form.get_attribute("action")  # stale once the page changed
            except Exception:  # noqa: BLE001 - StaleElementReferenceException
                return True
            return self.driver.current_url != old[0]

        self.wait_for(moved)
        return key

    def _fill(self, n: int, text: str) -> None:
        done_radio: set[str] = set()
        for box in self.find("form.answer input[type=radio]"):
            name = str(box.get_attribute("name"))
            if name not in done_radio:
                options = self.find(f"form.answer input[type=radio][name={name}]")
                self.tap(options[n % len(options)].find_element("xpath", ".."))
                done_radio.add(name)
        boxes = self.find("form.answer input[type=checkbox]")
        for box in boxes[:2]:
            if not box.is_selected():
                self.tap(box.find_element("xpath", ".."))
        for field in self.find("form.answer textarea, form.answer input[type=text]"):
            if not field.get_attribute("value"):
                self.type(field, text)
        more = self.find("form.answer .dotrow button.more")
        if more:  # a dot vote with our script: tap + as a person would (2 and 1 dots)
            for button in (more[0], more[0], more[1]):
                self.tap(button)
            return
        numbers = self.find("form.answer input[type=number]")
        step_one = bool(numbers) and numbers[0].get_attribute("step") == "1"
        for i, field in enumerate(numbers[:2]):
            self.type(field, ("2" if i == 0 else "1") if step_one else str(1000 * (i + 1)),
                      clear=True)
        for i, select in enumerate(self.find("form.answer select")):
            ranked = str(select.get_attribute("name")).startswith("rank_")
            self.choose(select, str(i + 1) if ranked else None)
