"""Room mode: every participant answers from their own phone over the laptop's network.

The facilitator's laptop serves small web pages to the phones in the room (over its
own Wi-Fi hotspot; no internet anywhere). Every answer goes through
:func:`~tde_desktop.core.workshop.responses.submit_answer`, exactly as from the kiosk:
its own transaction, on disk before the phone is told "saved".

The API, for the facilitator console and for ``tde room``::

    from tde_desktop.room import RoomServer

    server = RoomServer(pack_path, workshop_id, host=None, port=8470)
    server.start()        # listening on its own threads when it returns (RoomError if not)
    server.join_url       # "http://192.168.137.1:8470/j/K7QM": show it with the QR code
    server.qr_svg()       # the QR code of join_url, an SVG document as text
    server.running        # True while serving
    server.status()       # RoomStatus: phones joined, connected (last minute), answered
    server.stop()         # stops listening, closes every connection; safe to call twice

``host=None`` picks the laptop's private address (else loopback); any address that
is not loopback, RFC 1918 or link-local is refused with :class:`RoomError`.
``port=0`` takes a free port (``server.port`` says which). The room code in the
address is fixed for a workshop and differs between workshops. Phones that joined
are participants whose ``device_id`` starts with ``phone-``; the console's other
live counts (:mod:`tde_desktop.core.workshop.room_state`) include them.

Modules: :mod:`.server` (the thread and the addresses), :mod:`.app` (request
checks, the phone's language), :mod:`.pages` and :mod:`.questions` (the pages),
:mod:`.forms` (form fields to raw answers), :mod:`.guard` (cookies, CSRF, rate
limits, headers), :mod:`.chart` (a station's chart as PNG), :mod:`.texts`.
This package never imports Qt.
"""

from tde_desktop.room.server import (
    DEFAULT_PORT,
    RoomError,
    RoomServer,
    RoomStatus,
    check_host,
    room_code,
)

__all__ = ["DEFAULT_PORT", "RoomError", "RoomServer", "RoomStatus", "check_host", "room_code"]
