"""The room server: the phone pages served by cheroot on threads of their own.

:class:`RoomServer` is the whole API the app and ``tde room`` use::

    server = RoomServer(pack_path, workshop_id, host="192.168.137.1", port=8470)
    server.start()            # listening when it returns; raises RoomError if it cannot
    server.join_url           # "http://192.168.137.1:8470/j/K7QM"
    server.qr_svg()           # the join address as an SVG QR code (text)
    server.stop()             # closes every connection; idempotent

It listens only on loopback and private addresses (:func:`check_host`), serves the
Flask app of :mod:`tde_desktop.room.app`, and answers requests on a small pool of
worker threads, each with its own pack connection.

Why cheroot (CherryPy's server) and not waitress: both are pure Python, freeze with
PyInstaller and run on Windows, but waitress's event loop asks every open connection
whether it wants to read or write each time anything happens. A room keeps a
connection open per phone, so with 100 phones that loop took two thirds of the
server's CPU (``benchmarks/room_bench.py --profile``). cheroot keeps idle kept-alive
connections in the operating system's selector and touches only those with data;
on the same app it answered 1.6 to 2 times as many phones, with half the p95 time.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _

#: the port the room listens on unless told otherwise
DEFAULT_PORT = 8470
#: worker threads answering requests: each one writes through its own pack connection
#: (4 on a laptop of 2 cores: more only wait for the GIL and the single writer)
THREADS = 4
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely

#: loopback, RFC 1918 and link-local: the only networks the room may listen on
ALLOWED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "::1/128", "fe80::/10"))


#: a phone heard from within this many seconds counts as connected
CONNECTED_S = 60.0
#: connections kept open at once (a phone keeps one; more than any room holds)
CONNECTION_LIMIT = 500
#: seconds an idle phone's connection stays open, and the longest a worker waits for the
#: rest of a request (a phone that drops off the Wi-Fi mid-request holds a worker that
#: long; a phone's script polls every 3 s, so a phone in use keeps its connection)
IDLE_S = 10
#: seconds stop() waits for a worker still busy with a request before cutting its socket
#: (an answer being written is still committed; the phone sends it again, stored once)
STOP_WAIT_S = 1

_log = logging.getLogger("tde_desktop.room")


@dataclass(frozen=True)
class RoomStatus:
    """What the console shows of the room: phones that joined (not withdrawn), phones
    heard from in the last minute, and participants who answered each exercise."""

    joined: int
    connected: int
    answered: dict[str, int]


class RoomError(TdeError):
    """The room cannot start (an address that is not private, a port in use)."""


def check_host(host: str) -> str:
    """``host`` as a plain IP address if it is loopback, private (RFC 1918) or link-local.

    Raises :class:`RoomError` with one plain sentence otherwise (a public address,
    ``0.0.0.0`` which means every address, or a name that is not an address).
    """
    try:
        address = ipaddress.ip_address(host.strip().strip("[]").split("%")[0])
    except ValueError:
        raise RoomError(_("{host} is not an IP address; give the laptop's address on the "
                          "room's Wi-Fi, such as 192.168.137.1.").format(host=host)) from None
    if not any(address in network for network in ALLOWED_NETWORKS):
        raise RoomError(_("The room only listens on this laptop or a private network "
                          "(10.x, 172.16-31.x, 192.168.x, 169.254.x); {host} is not one."
                          ).format(host=host))
    return str(address)


def local_addresses() -> list[str]:
    """This machine's private IPv4 addresses, the likeliest room network first.

    Nothing is sent: a UDP socket "connected" to a private address only asks the
    operating system which local address it would use.
    """
    found: list[str] = []
    # Windows' Mobile hotspot, macOS Internet Sharing, then any private network
    for probe in ("192.168.137.255", "192.168.2.255", "10.255.255.255", "172.31.255.255",
                  "192.168.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                found.append(sock.getsockname()[0])
        except OSError:
            continue
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None,
                                                             socket.AF_INET)]
    usable = []
    for address in found:
        try:
            check_host(address)
        except RoomError:
            continue
        if address not in usable and not address.startswith("127."):
            usable.append(address)
    return usable


def default_host() -> str:
    """The address phones can reach: the first private address, else loopback."""
    addresses = local_addresses()
    return addresses[0] if addresses else "127.0.0.1"


def room_code(workshop_id: str) -> str:
    """The workshop's four-letter room code: the same for a workshop (a restarted room
    keeps its QR code), different between workshops."""
    digest = hashlib.sha256(("tde-room:" + workshop_id).encode()).digest()
    return "".join(_CODE_ALPHABET[b % len(_CODE_ALPHABET)] for b in digest[:4])


class RoomServer:
    """The phone server for one workshop of one pack, on threads of its own.

    Guarantees: :meth:`start` returns once the socket is listening (or raises
    :class:`RoomError` and leaves nothing running); :meth:`stop` closes the socket
    and every connection and waits for the worker threads; the pack is only ever
    written through :func:`~tde_desktop.core.workshop.responses.submit_answer` and
    the participant functions, one transaction per request.
    """

    def __init__(self, pack_path: str | Path, workshop_id: str | None = None,
                 host: str | None = None, port: int = DEFAULT_PORT,
                 threads: int = THREADS) -> None:
        from tde_desktop.room.app import resolve_workshop

        self.pack_path = Path(pack_path)
        self.workshop_id = resolve_workshop(self.pack_path, workshop_id)
        self.host = check_host(host) if host else default_host()
        self.port = port
        self.threads = threads
        self.code = room_code(self.workshop_id)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.app: Any = None

    @property
    def join_url(self) -> str:
        """The address a phone opens: ``http://HOST:PORT/j/CODE``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/j/{self.code}"

    def qr_svg(self, scale: int = 8) -> str:
        """The join address as a QR code, an SVG document (text, no image library)."""
        import io

        import segno

        out = io.BytesIO()
        segno.make(self.join_url, error="m").save(out, kind="svg", scale=scale, border=2,
                                                   title=self.join_url)
        return out.getvalue().decode("utf-8")

    def start(self) -> RoomServer:
        """Listen and serve on background threads; returns once listening."""
        from tde_desktop.room.app import create_app

        if self._thread is not None:
            return self
        self.app = create_app(self.pack_path, self.workshop_id, self.code)
        server = _http_server((self.host, self.port), self.app, self.threads)
        try:
            server.prepare()  # binds and listens here, so a port in use is said now
        except OSError as exc:
            raise RoomError(_("Cannot listen on {host}:{port}: {reason}").format(
                host=self.host, port=self.port, reason=_reason(exc))) from None
        self._server = server
        self.port = int(server.bind_addr[1])
        self.app.config["ROOM_HOSTS"] = {f"{self.host}:{self.port}",
                                         f"[{self.host}]:{self.port}"}
        self._thread = threading.Thread(target=self._serve, name="tde-room", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        with contextlib.suppress(Exception):  # stop() ends serve() by closing its socket
            self._server.serve()

    def stop(self) -> None:
        """Stop listening and close every phone's connection (safe to call twice)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        with contextlib.suppress(Exception):
            self._server.stop()  # closes the socket and connections, joins the workers
        thread.join(timeout=10)
        if self.app is not None:
            self.app.config["ROOM_CLOSE"]()

    def status(self) -> RoomStatus:
        """Counts for the console, read on the caller's thread with its own read-only
        connection (two COUNT queries; nothing is loaded)."""
        import time

        from tde_desktop.core.pack import Pack
        from tde_desktop.core.workshop.tallies import live_counts

        seen = dict(self.app.config["ROOM_SEEN"]) if self.app is not None else {}
        now = time.monotonic()
        with Pack.open(self.pack_path, read_only=True) as pack:
            joined = pack.conn.execute(
                "SELECT count(*) FROM _tde_participants WHERE workshop_id = ? AND "
                "withdrawn_at IS NULL AND device_id LIKE 'phone-%'",
                (self.workshop_id,)).fetchone()[0]
            answered = live_counts(pack, self.workshop_id)
        connected = sum(1 for at in seen.values() if now - at <= CONNECTED_S)
        return RoomStatus(int(joined), connected, answered)

    def connected(self) -> int:
        """Phones heard from in the last minute (from memory; the pack is not read)."""
        import time

        seen = dict(self.app.config["ROOM_SEEN"]) if self.app is not None else {}
        now = time.monotonic()
        return sum(1 for at in seen.values() if now - at <= CONNECTED_S)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> RoomServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wifi_qr_svg(name: str, password: str, scale: int = 8) -> str:
    """A QR code that joins a phone to the Wi-Fi network ``name`` (WPA, or open when
    ``password`` is empty), as an SVG document. Phone cameras (Android 10 and later,
    iOS 11 and later) offer to join when they see it; special characters are escaped
    as the Wi-Fi QR format asks."""
    import io

    import segno.helpers

    data = segno.helpers.make_wifi_data(ssid=name, password=password or None,
                                        security="WPA" if password else "nopass")
    out = io.BytesIO()  # error correction M, as the join code: read from across a room
    segno.make(data, error="m").save(out, kind="svg", scale=scale, border=2, title=name)
    return out.getvalue().decode("utf-8")


def _reason(exc: OSError) -> str:
    """The operating system's words for why a socket could not listen (cheroot wraps
    them: "No socket could be created -- ((host, port): [Errno 98] Address already in
    use)")."""
    import re

    found = re.search(r"\[(?:Errno|WinError) \d+\] ([^)]+)", str(exc))
    return found.group(1).strip() if found else str(exc.strerror or exc)


def _http_server(address: tuple[str, int], app: Any, threads: int) -> Any:
    """A cheroot WSGI server for ``app`` on ``address`` (not yet listening)."""
    from cheroot import wsgi

    class Server(wsgi.Server):
        def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
            # A phone dropping off the Wi-Fi mid-request is not something a facilitator
            # can act on: kept for a developer's log, never printed on the console.
            _log.debug("%s", msg, exc_info=traceback)

    server = Server(address, app, numthreads=threads, max=threads, server_name="tde-room",
                    timeout=IDLE_S, request_queue_size=128, shutdown_timeout=STOP_WAIT_S)
    server.keep_alive_conn_limit = CONNECTION_LIMIT
    server.max_request_body_size = 1 << 20  # the app's own limits are smaller still
    return server
