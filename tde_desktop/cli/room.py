"""``tde room``: the phone server without the window, until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import Any

from tde_desktop.core.i18n import _


def cmd_room(args: argparse.Namespace) -> int:
    from tde_desktop.room import RoomServer

    server = RoomServer(args.pack, args.workshop, host=args.host, port=args.port)
    stop = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        print(_("Phones join at {url}").format(url=server.join_url), flush=True)
        print(_("Press Ctrl+C to stop."), flush=True)
        while not stop.wait(0.5):
            if not server.running:
                break
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(_("The room is closed."), flush=True)
    return 0


def add_room_command(sub: Any) -> None:
    """Register ``tde room PACK [--workshop ID] [--host ADDR] [--port N]``."""
    from tde_desktop.room.server import DEFAULT_PORT

    p = sub.add_parser("room", help=_("let phones in the room answer over this laptop's "
                                      "network"))
    p.add_argument("pack", type=Path)
    p.add_argument("--workshop", help=_("the workshop's id or title (default: the one "
                                        "running, else the newest)"))
    p.add_argument("--host", help=_("the address to listen on (loopback or a private "
                                    "network; default: this laptop's private address)"))
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.set_defaults(func=cmd_room)
