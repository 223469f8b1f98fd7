"""Let phones join: the console starts and stops the room server, shows its QR code,
address and live counts, and the projector shows the QR code while phones may join."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.responses import submit_answer


def start(qtbot: Any, window: Any) -> Any:
    qtbot.mouseClick(window.phones.toggle, Qt.MouseButton.LeftButton)
    assert not window.phones.toggle.isEnabled()  # the UI goes on while it starts
    qtbot.waitUntil(lambda: window.phones.running, timeout=20_000)
    return window.phones.server


def join(url: str) -> requests.Session:
    """A phone: opens the join address and signs in with consent."""
    phone = requests.Session()
    page = phone.get(url, timeout=10)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:200]
    reply = phone.post(url.split("/j/")[0] + "/start",
                       data={"csrf": token.group(1), "consent": "yes"}, timeout=10)
    assert reply.status_code == 200
    return phone


def test_toggle_shows_qr_address_and_live_counts(qtbot: Any, console: Any) -> None:
    panel = console.phones
    assert panel.toggle.text() == "Let phones join"
    server = start(qtbot, console)
    assert panel.address.text() == server.join_url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/j/[A-Z0-9]{4}", server.join_url)
    assert not panel.qr.pixmap().isNull()
    assert panel.toggle.text() == "Stop phones joining"
    join(server.join_url)
    # the phone's sign-in is a write from another connection: found by the probe
    qtbot.waitUntil(lambda: "1 phone joined" in panel.people.text(), timeout=10_000)
    assert "1 connected" in panel.people.text()
    pack, station = console.pack, ws.list_exercises(console.pack, console.workshop_id)[1]
    person = pack.conn.execute("SELECT id FROM _tde_participants WHERE device_id LIKE "
                               "'phone-%'").fetchone()[0]
    with Pack.open(pack.path) as other:
        submit_answer(other, workshop_id=console.workshop_id, exercise_id=station.id,
                      participant_id=person, question_key="note",
                      answer={"text": "<i>lights</i>", "prompt": "notice"})
    qtbot.waitUntil(lambda: f"{station.title}: 1 answered" in panel.answered_lines(),
                    timeout=10_000)
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_stop_button_stops_listening(qtbot: Any, console: Any) -> None:
    server = start(qtbot, console)
    url = server.join_url
    qtbot.mouseClick(console.phones.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not server.running and console.phones.toggle.isEnabled(),
                    timeout=20_000)
    assert console.phones.address.text() == ""
    assert console.phones.toggle.text() == "Let phones join"
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=3)


def test_projector_shows_the_qr_while_phones_may_join(qtbot: Any, console: Any) -> None:
    projector = console.open_projector(full_screen=False)
    qtbot.addWidget(projector)
    assert not projector.join_badge.isVisible()
    server = start(qtbot, console)
    assert projector.join_badge.isVisible()
    assert server.join_url in projector.join_badge.address.text()
    assert projector.join_badge.address.textFormat() == Qt.TextFormat.PlainText
    assert projector.join_badge.big  # the waiting page: large
    big = projector.join_badge.qr.pixmap().width()
    console.start_workshop()
    qtbot.waitUntil(lambda: not projector.join_badge.big, timeout=5000)
    assert projector.join_badge.qr.pixmap().width() < big  # a corner badge now
    console.phones.stop()
    assert not projector.join_badge.isVisible()
    qtbot.waitUntil(lambda: not server.running, timeout=20_000)


def test_ending_the_workshop_stops_the_server(qtbot: Any, console: Any) -> None:
    server = start(qtbot, console)
    console.end_now()
    qtbot.waitUntil(lambda: not server.running, timeout=20_000)
    assert console.phones.server is None
    for dialog in console.dialogs:
        dialog.close()


def test_closing_the_console_stops_the_server(qtbot: Any, console: Any) -> None:
    server = start(qtbot, console)
    console.close()
    assert not server.running  # closeEvent waits for it


def test_quitting_the_app_stops_the_server(qtbot: Any, console: Any) -> None:
    server = start(qtbot, console)
    QApplication.instance().aboutToQuit.emit()  # what quit() sends before the loop ends
    assert not server.running
    assert console.phones.server is None


def test_the_facilitator_picks_the_network_address(qtbot: Any, console: Any) -> None:
    """The Network list offers the laptop's addresses and this laptop alone; the room
    listens on the one chosen, the list is locked while phones may join, and the
    choice is offered first next time."""
    from tde_desktop.qt.workshop.console_room import PhonesPanel

    panel = console.phones
    panel.host = None  # nothing forced: the list decides
    qtbot.waitUntil(lambda: panel.network.findData("127.0.0.1") >= 0, timeout=10_000)
    assert "this laptop only" in panel.network.itemText(panel.network.findData("127.0.0.1"))
    assert all(panel.network.itemData(i) != "0.0.0.0" for i in range(panel.network.count()))
    panel.network.setCurrentIndex(panel.network.findData("127.0.0.1"))
    console.tabs.setCurrentWidget(panel)
    qtbot.keyClick(console, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert panel.network.hasFocus()  # Alt+O, as the label says
    server = start(qtbot, console)
    assert server.host == "127.0.0.1"
    assert server.join_url.startswith("http://127.0.0.1:")
    assert not panel.network.isEnabled()  # no changing the address under the phones
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running and panel.network.isEnabled(), timeout=10_000)
    again = PhonesPanel(console.pack, console.workshop_id)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.network.count() > 0, timeout=10_000)
    assert again.network.currentData() == "127.0.0.1"


def test_the_room_wifi_shows_on_the_projector(qtbot: Any, console: Any) -> None:
    """The Wi-Fi name and password typed in the Phones tab show on the projector as a
    first step, with a code that joins the Wi-Fi; they are kept on this laptop (its
    settings), never in the pack."""
    from tde_desktop.qt.common.settings import settings

    panel = console.phones
    projector = console.open_projector(full_screen=False)
    qtbot.addWidget(projector)
    badge = projector.join_badge
    start(qtbot, console)
    assert not badge.wifi_qr.isVisible()  # no Wi-Fi typed: one step only
    assert badge.address.text().startswith("Join from your phone:")
    qtbot.keyClicks(panel.wifi_name, "Centre <b>Wi-Fi</b>")
    qtbot.keyClicks(panel.wifi_password, "vacants2024")
    assert badge.wifi_qr.isVisible()
    assert not badge.wifi_qr.pixmap().isNull()
    assert badge.wifi_text.text().splitlines() == [
        "1. Join the Wi-Fi:", "Centre <b>Wi-Fi</b>", "Password: vacants2024"]
    assert badge.wifi_text.textFormat() == Qt.TextFormat.PlainText
    assert badge.address.text().startswith("2. Open the page:")
    assert settings().value("room/wifi_name") == "Centre <b>Wi-Fi</b>"
    dump = "\n".join(console.pack.conn.iterdump())
    assert "vacants2024" not in dump  # the pack goes to city hall: not the password
    panel.wifi_name.clear()
    assert not badge.wifi_qr.isVisible()


def test_the_codes_come_off_the_projector_while_phones_keep_answering(
        qtbot: Any, console: Any) -> None:
    panel = console.phones
    server = start(qtbot, console)
    projector = console.open_projector(full_screen=False)
    qtbot.addWidget(projector)
    assert projector.join_badge.isVisible()
    panel.show_codes.click()  # the facilitator takes the codes off
    assert not projector.join_badge.isVisible()
    assert panel.running
    phone = join(server.join_url)  # the room still lets a phone in
    assert phone.get(server.join_url.split("/j/")[0] + "/q", timeout=10).status_code == 200
    console.projector.close()
    console.projector = None
    again = console.open_projector(full_screen=False)  # opened again: still off
    qtbot.addWidget(again)
    assert not again.join_badge.isVisible()
    panel.show_codes.click()
    assert again.join_badge.isVisible()
    assert server.join_url in again.join_badge.address.text()


def test_phones_are_told_the_workshop_ended_before_the_room_stops(
        qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ending the workshop used to stop the room at once, so every phone stayed on its
    last question. For a few seconds the room now answers with the ended page (the phones'
    script asks every 3 s), then stops."""
    from PySide6.QtWidgets import QMessageBox

    from tde_desktop.qt.workshop import console_room

    monkeypatch.setattr(console_room, "ENDED_GRACE_MS", 1500)
    server = start(qtbot, console)
    phone = join(server.join_url)
    base = server.join_url.split("/j/")[0]
    box = console.end()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert ws.get_workshop(console.pack, console.workshop_id).status == "ended"
    assert server.running
    page = phone.get(base + "/q", timeout=10)
    assert "This workshop has ended" in page.text
    assert phone.get(base + "/state.json", timeout=10).json()["status"] == "ended"
    assert "ended" in console.phones.message.text()
    qtbot.waitUntil(lambda: not server.running and console.phones.toggle.isEnabled(),
                    timeout=20_000)
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/q", timeout=3)
    assert console.phones.toggle.text() == "Let phones join"
    for dialog in console.dialogs:
        dialog.close()
