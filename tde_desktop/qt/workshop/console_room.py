"""Phones in the room, from the facilitator console: "Let phones join".

:class:`PhonesPanel` is a tab of the console (behind its PIN). Its one button
starts the room server (:class:`~tde_desktop.room.RoomServer`) or stops it; both
run through :func:`ops.run_op`, so the window never waits for a socket or a
thread. While phones may join it shows the QR code and the short address in
large type, the phones joined and connected, and how many answered each
exercise. Counts are read again only when the pack changed
(:func:`ops.watch_pack`: phones' answers are found by its ``PRAGMA data_version``
probe); the count of phones heard from lately is kept in the server's memory and
redrawn every few seconds without touching the pack.

The server stops when the facilitator stops it, when the workshop ends
(:meth:`PhonesPanel.stop`, called by the console), when the console closes, and
when the app quits (``aboutToQuit``). Above the counts, the facilitator picks the
laptop's address phones join at (**Network**) and may type the room's Wi-Fi name and
password, which stay on this laptop; :class:`~.join_badge.JoinBadge` shows the Wi-Fi,
the QR codes and the address on the projector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.ops import error_text, run_op, watch_pack
from tde_desktop.qt.common.settings import settings
from tde_desktop.qt.common.shown_text import shown_text
from tde_desktop.qt.workshop.join_badge import plain_text, qr_pixmap

#: how often the count of phones heard from lately is redrawn (memory only)
CONNECTED_MS = 5000
#: the settings key of the network address the facilitator last let phones join at
ADDRESS_KEY = "room/address"
#: the settings keys of the room's Wi-Fi (kept on this laptop, never in the pack)
WIFI_KEYS = ("room/wifi_name", "room/wifi_password")
LOOPBACK = "127.0.0.1"
#: milliseconds phones may still load pages once the workshop has ended: their script asks
#: every 3 s what is open, so each one shows "This workshop has ended. Thank you..."
#: instead of staying on its last question while the room goes quiet
ENDED_GRACE_MS = 15_000


def _local_addresses(_progress: Callable[..., None]) -> list[str]:
    """The laptop's private addresses (asks the operating system; off the UI thread)."""
    from tde_desktop.room.server import local_addresses

    return local_addresses()


class PhonesPanel(QWidget):
    """Starts and stops the room server for one workshop and shows the room's counts."""

    #: the join address (empty when phones can no longer join) and its QR code
    join_changed = Signal(str, str)
    #: the room's Wi-Fi name and password, as typed (shown on the projector)
    wifi_changed = Signal(str, str)

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None,
                 host: str | None = None, port: int | None = None) -> None:
        super().__init__(parent)
        from tde_desktop.room import DEFAULT_PORT

        self.pack = pack
        self.workshop_id = workshop_id
        self.host = host  # None: the laptop's private address (the room's Wi-Fi)
        self.port = DEFAULT_PORT if port is None else port
        self.server: Any = None  # a RoomServer while started (or starting)
        self._svg = ""  # its join address as a QR code
        self._busy = False  # a start or stop is on its way
        self._reading = False  # a count is being read; another change waits for it
        self._dirty = False
        self._joined = 0
        self.setAccessibleName(_("Phones"))
        self.timer = QTimer(self)  # the count of phones heard from lately: memory only
        self.timer.setInterval(CONNECTED_MS)
        self.timer.timeout.connect(self._show_connected)
        self._build()
        run_op(self, _local_addresses, on_done=self._show_addresses,
               on_error=lambda _exc: self._show_addresses([]), quiet=True,
               cancellable=False)
        watch_pack(pack, self, self._on_changes)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_now)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.toggle = QPushButton(_("Let phones join"))
        self.toggle.setAccessibleName(_("Let phones join"))
        self.toggle.setCheckable(True)
        self.toggle.clicked.connect(self._toggled)
        layout.addWidget(self.toggle)
        # A laptop with a VPN or virtual machines has several addresses; the first
        # guess may not be the one the phones' Wi-Fi reaches.
        choose = QHBoxLayout()
        self.network = QComboBox()
        self.network.setAccessibleName(_("Network address phones join at"))
        self.network.setToolTip(_("The laptop's address on the room's Wi-Fi. If phones "
                                  "cannot open the page, stop, pick another and start "
                                  "again."))
        label = QLabel(_("Netw&ork:"))
        label.setTextFormat(Qt.TextFormat.PlainText)  # (Alt+O still reaches the list)
        label.setBuddy(self.network)
        choose.addWidget(label)
        choose.addWidget(self.network, 1)
        layout.addLayout(choose)
        layout.addLayout(self._build_wifi())
        # Once everyone is in, the results may want the projector's corner back; the
        # room keeps running, and a latecomer's codes are one tick away.
        self.show_codes = QCheckBox(_("Show the &QR codes on the projector"))
        self.show_codes.setChecked(True)
        self.show_codes.toggled.connect(lambda _on: self._announce())
        row = QHBoxLayout()
        layout.addLayout(row, 1)
        self.qr = QLabel()
        self.qr.setTextFormat(Qt.TextFormat.PlainText)  # a picture; never markup
        self.qr.setAccessibleName(_("QR code to join from a phone"))
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        row.addLayout(column, 1)
        self.address = plain_text("", 28, _("Address to join from a phone"))
        column.addWidget(self.address)
        self.people = plain_text("", 0, _("Phones"))
        column.addWidget(self.people)
        column.addWidget(self.show_codes)
        # A list, not a label: a long agenda at large text scrolls instead of running
        # off the bottom of the console.
        self.answered = QListWidget()
        self.answered.setAccessibleName(_("Answers per exercise"))
        self.answered.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.answered.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.answered.setWordWrap(True)
        column.addWidget(self.answered, 1)
        self.message = plain_text("", 0, _("Message"))
        layout.addWidget(self.message)
        self._show_stopped()

    def _build_wifi(self) -> QHBoxLayout:
        """The room's Wi-Fi name and password: optional, remembered on this laptop (not
        in the pack, which goes to city hall), shown on the projector with a QR code
        that joins a phone to the Wi-Fi."""
        row = QHBoxLayout()
        self.wifi_name, self.wifi_password = QLineEdit(), QLineEdit()
        for edit, key, text, name in (
                (self.wifi_name, WIFI_KEYS[0], _("Wi-Fi na&me:"), _("Wi-Fi name")),
                (self.wifi_password, WIFI_KEYS[1], _("Passwor&d:"), _("Wi-Fi password"))):
            edit.setText(str(settings().value(key, "") or "")[:64])
            edit.setMaxLength(64)  # a Wi-Fi name is at most 32 bytes, a password 63
            edit.setAccessibleName(name)
            edit.setPlaceholderText(_("optional, for the projector"))
            edit.textChanged.connect(self._wifi_typed)
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit, 1)
        return row

    def _wifi_typed(self, _text: str = "") -> None:
        name, password = self.wifi()
        settings().setValue(WIFI_KEYS[0], name)
        settings().setValue(WIFI_KEYS[1], password)
        self.wifi_changed.emit(name, password)

    def wifi(self) -> tuple[str, str]:
        """The room's Wi-Fi name and password as typed (``""`` when not given)."""
        return self.wifi_name.text().strip(), self.wifi_password.text()

    def _show_addresses(self, addresses: list[str]) -> None:
        """Offer the laptop's private addresses (found off the UI thread), the one
        chosen last time first if it is still there, and this laptop alone."""
        self.network.clear()
        for address in addresses:
            self.network.addItem(address, address)
        self.network.addItem(_("{address} (this laptop only, for a test)").format(
            address=LOOPBACK), LOOPBACK)
        chosen = self.network.findData(str(settings().value(ADDRESS_KEY, "")))
        self.network.setCurrentIndex(max(0, chosen))

    def chosen_host(self) -> str | None:
        """The address to listen on: the one given to the panel, else the one chosen
        (None before the addresses are listed: the server picks the likeliest)."""
        return self.host or self.network.currentData() or None

    # -- starting and stopping -----------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None and bool(self.server.running)

    def _toggled(self, _checked: bool = False) -> None:
        if self.server is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        """Start the server off the UI thread; the address appears once it listens."""
        if self.server is not None or self._busy:
            return
        from tde_desktop.room import RoomServer

        self._busy = True
        self.toggle.setEnabled(False)
        self.message.setText(_("Starting..."))
        self.network.setEnabled(False)
        path, workshop_id, port = self.pack.path, self.workshop_id, self.port
        host = self.chosen_host()

        def start(_progress: Callable[..., None]) -> Any:
            server = RoomServer(path, workshop_id, host=host, port=port)
            server.start()
            return server

        def started(server: Any) -> None:  # the panel may have closed meanwhile
            if isValid(self):
                self._started(server)
            else:
                server.stop()

        def failed(exc: BaseException) -> None:
            if isValid(self):
                self._failed(exc)

        run_op(None, start, on_done=started, on_error=failed, quiet=True, cancellable=False)

    def _started(self, server: Any) -> None:
        self._busy = False
        self.server = server
        self.toggle.setEnabled(True)
        self.toggle.setChecked(True)
        self.toggle.setText(_("Stop phones joining"))
        self.toggle.setAccessibleName(self.toggle.text())
        self.message.setText(_("Phones can join: scan the QR code or type the address."))
        if not self.host:  # chosen here: offered first next time
            settings().setValue(ADDRESS_KEY, server.host)
        svg = server.qr_svg()
        self.qr.setPixmap(qr_pixmap(svg, 280))
        self.address.setText(server.join_url)
        self.timer.start()
        self._svg = svg
        self._announce()
        self.refresh()

    def _announce(self) -> None:
        """Tell the projector the join address and code, or ``""`` to hide them (phones
        cannot join, or the facilitator took the codes off the projector)."""
        self.join_changed.emit(*self.codes_on_projector())

    def codes_on_projector(self) -> tuple[str, str]:
        """The join address and QR code the projector shows now (``""`` for none)."""
        if self.running and self.show_codes.isChecked():
            return self.server.join_url, self._svg
        return "", ""

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.toggle.setEnabled(True)
        self._show_stopped()
        self.message.setText(error_text(exc))

    def stop(self) -> None:
        """Stop the server off the UI thread (the facilitator, or the workshop ended)."""
        server, self.server = self.server, None
        if server is None:
            return
        self._show_stopped()
        self.toggle.setEnabled(False)
        self._busy = True

        def stopped(_result: object = None) -> None:
            self._busy = False
            self.toggle.setEnabled(True)

        run_op(self, lambda _progress: server.stop(), on_done=stopped,
               on_error=lambda _exc: stopped(), quiet=True, cancellable=False)

    def end_of_workshop(self) -> None:
        """The workshop ended: phones still reach the room for :data:`ENDED_GRACE_MS` to
        show that it ended, then it stops (at once if the facilitator stops it, or the
        console closes). No exercise is open any more, but an answer a phone sent as the
        workshop ended is still stored, as for a closed exercise."""
        server = self.server
        if server is None:
            return
        self.message.setText(_("The workshop has ended. Phones show a thank-you page; the "
                               "room stops in a few seconds."))

        def stop_if_same() -> None:
            if self.server is server:
                self.stop()
                self.message.setText(_("The workshop has ended. Phones cannot join now."))

        QTimer.singleShot(ENDED_GRACE_MS, self, stop_if_same)

    def stop_now(self) -> None:
        """Stop the server and wait for it (the console closes, the app quits)."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()
            self._show_stopped()

    def _show_stopped(self) -> None:
        self.timer.stop()
        self.network.setEnabled(True)
        self.toggle.setChecked(False)
        self.toggle.setText(_("Let phones join"))
        self.toggle.setAccessibleName(self.toggle.text())
        self.qr.clear()
        self.address.clear()
        self.people.clear()
        self.answered.clear()
        self.message.setText(_("Phones cannot join. The laptop and the phones must be on "
                               "the same Wi-Fi (the laptop's hotspot will do)."))
        self.join_changed.emit("", "")

    # -- the room's counts -----------------------------------------------------------------

    def _on_changes(self, changes: frozenset[Change]) -> None:
        if changes & {Change.ANSWERS, Change.PARTICIPANTS, Change.AGENDA}:
            self.refresh()

    def refresh(self) -> None:
        """Read the room's counts off the UI thread (one read at a time)."""
        server = self.server
        if server is None or not server.running:
            return
        if self._reading:
            self._dirty = True
            return
        self._reading = True
        workshop_id = self.workshop_id

        def read(pack: Pack, _progress: Callable[..., None]) -> Any:
            titles = [(e.id, e.title) for e in ws.list_exercises(pack, workshop_id)]
            return server.status(), titles

        run_op(self, read, pack_path=self.pack.path, on_done=self._show_counts,
               on_error=lambda _exc: self._read_done(), quiet=True, cancellable=False)

    def _read_done(self) -> None:
        self._reading = False
        if self._dirty:
            self._dirty = False
            self.refresh()

    def _show_counts(self, result: Any) -> None:
        status, titles = result
        self._read_done()
        if self.server is None:
            return
        self._joined = status.joined
        self._show_connected(status.connected)
        lines = [ngettext("{title}: {n} answered", "{title}: {n} answered",
                          status.answered.get(eid, 0)).format(
                              title=shown_text(title), n=status.answered.get(eid, 0))
                 for eid, title in titles]
        if lines != self.answered_lines():
            self.answered.clear()
            self.answered.addItems(lines)  # items are plain text: no markup rendered

    def answered_lines(self) -> list[str]:
        """The lines of the answers-per-exercise list, as shown."""
        return [self.answered.item(i).text() for i in range(self.answered.count())]

    def _show_connected(self, connected: int | None = None) -> None:
        if self.server is None:
            return
        if connected is None:
            connected = self.server.connected()
        joined = self._joined
        self.people.setText(ngettext("{n} phone joined", "{n} phones joined", joined
                                     ).format(n=joined) + "\n" +
                            ngettext("{n} connected in the last minute",
                                     "{n} connected in the last minute", connected
                                     ).format(n=connected))
