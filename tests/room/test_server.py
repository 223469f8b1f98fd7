"""The room server starts, says where phones join, listens only on private addresses,
and stops: from Python, and as `tde room` on Ctrl+C or SIGTERM."""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tde_desktop.room import RoomError, RoomServer, check_host, room_code
from tests.conftest import REPO
from tests.room.conftest import start_cli


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.254",
                                  "192.168.137.1", "169.254.10.20", "::1", "fe80::1"])
def test_private_addresses_are_allowed(host: str) -> None:
    assert check_host(host) == host


@pytest.mark.parametrize("host", ["0.0.0.0", "8.8.8.8", "172.32.0.1", "100.64.0.1", "::",
                                  "2001:db8::1", "laptop.local"])
def test_other_addresses_are_refused_with_one_line(host: str) -> None:
    with pytest.raises(RoomError) as refused:
        check_host(host)
    assert "\n" not in str(refused.value)
    assert host in str(refused.value)


def test_room_code_is_fixed_for_a_workshop_and_differs_between_workshops() -> None:
    assert room_code("a") == room_code("a")
    assert re.fullmatch(r"[2-9A-Z]{4}", room_code("a"))
    assert len({room_code(str(i)) for i in range(50)}) > 45


def test_start_serve_stop(room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    server = RoomServer(path, str(info["workshop"]), host="127.0.0.1", port=0)
    assert not server.running
    server.start()
    try:
        assert server.running
        assert re.fullmatch(rf"http://127\.0\.0\.1:{server.port}/j/{server.code}",
                            server.join_url)
        reply = requests.get(server.join_url, timeout=10)
        assert reply.status_code == 200
        assert "consent" in reply.text
        svg = server.qr_svg()
        assert svg.lstrip().startswith("<?xml")
        assert "<svg" in svg
        assert "<script" not in svg
    finally:
        server.stop()
    server.stop()  # twice is fine
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), 1).close()


def test_the_workshop_can_be_named_by_title(room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, info = room_pack
    assert RoomServer(path, "Room night", host="127.0.0.1").workshop_id == info["workshop"]
    with pytest.raises(Exception, match="no workshop"):
        RoomServer(path, "Another night", host="127.0.0.1")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_the_address_and_stops_cleanly(room_pack: tuple[Path, dict[str, Any]],
                                                  sig: signal.Signals) -> None:
    path, _info = room_pack
    proc, url = start_cli(path)
    try:
        assert requests.get(url, timeout=10).status_code == 200
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "closed" in out
    assert "Traceback" not in err
    time.sleep(0.1)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


def test_cli_refuses_a_public_address(room_pack: tuple[Path, dict[str, Any]]) -> None:
    path, _info = room_pack
    done = subprocess.run([sys.executable, "-m", "tde_desktop.cli.main", "room", str(path),
                           "--host", "0.0.0.0"], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "private network" in done.stderr


def _read_response(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    found = re.search(rb"(?i)content-length: (\d+)", head)
    assert found, head
    while len(body) < int(found.group(1)):
        body += conn.recv(65536)
    return head


def test_stop_closes_every_phones_connection_even_one_stuck_mid_request(
        room: RoomServer) -> None:
    idle = []
    for _phone in range(20):  # phones between two taps keep their connection open
        conn = socket.create_connection(("127.0.0.1", room.port), timeout=5)
        conn.sendall(f"GET /state.json HTTP/1.1\r\nHost: 127.0.0.1:{room.port}\r\n\r\n"
                     .encode())
        assert b" 200 " in _read_response(conn)
        idle.append(conn)
    stuck = socket.create_connection(("127.0.0.1", room.port), timeout=5)
    stuck.sendall(b"POST /a/x/y HTTP/1.1\r\n")  # dropped off the Wi-Fi mid-request
    time.sleep(0.3)
    began = time.monotonic()
    room.stop()
    assert time.monotonic() - began < 3
    assert not room.running
    for conn in idle:
        with contextlib.suppress(ConnectionResetError):  # closed, as a reset or an end
            assert conn.recv(10) == b""
        conn.close()
    stuck.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", room.port), timeout=1)


def test_the_wifi_code_holds_the_network_as_phones_read_it() -> None:
    """The Wi-Fi QR code carries WIFI:T:WPA;S:<name>;P:<password>;; with ; , : \\ and "
    escaped, so a name such as 'Centre; 2nd floor' joins the right network; an open
    network (no password) says T:nopass."""
    import io

    import segno

    from tde_desktop.room.server import wifi_qr_svg

    def svg_of(payload: str) -> str:
        out = io.BytesIO()
        segno.make(payload, error="m").save(out, kind="svg", scale=8, border=2)
        return out.getvalue().decode()

    def matrix(svg: str) -> str:
        return svg.split("<path", 1)[1]  # the modules, without the title

    assert matrix(wifi_qr_svg('Centre; 2nd "floor"', "a:b\\c")) == matrix(
        svg_of('WIFI:T:WPA;S:Centre\\; 2nd \\"floor\\";P:a\\:b\\\\c;;'))
    assert matrix(wifi_qr_svg("Open room", "")) == matrix(svg_of("WIFI:T:nopass;S:Open room;;"))
