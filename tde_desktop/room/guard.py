"""What keeps the room's pages to the room: device cookies, CSRF tokens, rate limits
and the security headers every response carries.

* A phone is known by a random device token in an HttpOnly, SameSite=Strict
  cookie, set when it opens the join address. The pack keeps only a hash of it
  (:func:`device_id`, the participant's ``device_id``), so a restarted room knows
  its phones again and a copied pack does not reveal their cookies.
* Every form carries a CSRF token derived from the device token
  (:func:`csrf_token`): a page on another site cannot read it, and another phone's
  token does not match this phone's cookie.
* :class:`RateLimiter` is a token bucket per device (per address before a phone
  has joined).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import threading
import time

DEVICE_COOKIE = "tde_device"
LANG_COOKIE = "tde_lang"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: sent with every response: our own files only, no inline script, no framing
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: the same, as the list of pairs added to each response (made once)
SECURITY_HEADER_ITEMS = tuple(SECURITY_HEADERS.items())


def new_device_token() -> str:
    """A fresh device token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def valid_token(token: str | None) -> bool:
    """True if ``token`` looks like a device token (the cookie was not tampered into junk)."""
    return bool(token) and bool(_TOKEN.match(token or ""))


def device_id(token: str) -> str:
    """What the pack stores for the phone with ``token``: a hash, never the token."""
    return "phone-" + hashlib.sha256(("tde-device:" + token).encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=4096)  # a phone asks for its own on every page and form
def csrf_token(token: str) -> str:
    """The CSRF token of the phone with device ``token``."""
    return hmac.new(token.encode(), b"tde-room-csrf", hashlib.sha256).hexdigest()[:40]


def csrf_ok(token: str | None, sent: str | None) -> bool:
    """True if ``sent`` is the CSRF token of the phone with device ``token``."""
    if not valid_token(token) or not sent:
        return False
    return hmac.compare_digest(csrf_token(str(token)), str(sent))


def valid_response_id(value: str | None) -> bool:
    """True if ``value`` is a response id a phone may make (a lower-case UUID)."""
    return bool(value) and bool(_UUID.match(value or ""))


class RateLimiter:
    """A token bucket per key: ``burst`` requests at once, refilled at ``rate`` a second.

    Thread-safe; forgets the oldest keys when it holds more than ``max_keys``.
    """

    def __init__(self, rate: float = 20.0, burst: float = 60.0, max_keys: int = 20_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one token for ``key``; False if its bucket is empty."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > self.max_keys:
                for old in list(self._buckets)[: self.max_keys // 10]:
                    del self._buckets[old]
            return allowed
