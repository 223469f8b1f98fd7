"""The facilitator PIN: checking a stored hash safely, and backing off after wrong tries.

The PIN keeps curious hands at the participant screen out of the facilitator's
controls; it does not protect the file (anyone with the pack can read it). Two
things here: :func:`verify_pin` turns a damaged stored hash into one clear
:class:`PinDamaged` sentence instead of a ``ValueError``, and :class:`PinGuard`
refuses further tries for a while after five wrong ones (30 s, then doubling each
time another wrong PIN follows, up to an hour). The guard lives in memory for
the running app, keyed by pack and workshop, and takes its clock as an argument so
the dialog and tests can drive it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext

if TYPE_CHECKING:
    from tde_desktop.core.pack import Pack

#: Must equal workshops.PIN_ITERATIONS, which hashes new PINs (a test checks it).
PIN_ITERATIONS = 120_000
#: Wrong tries allowed before the first pause.
FREE_TRIES = 5
FIRST_PAUSE = 30.0
MAX_PAUSE = 3600.0
_STORED = re.compile(r"([0-9a-f]{32})\$([0-9a-f]{64})")


class PinDamaged(TdeError):
    """The stored PIN hash is not one tde-desktop wrote; set a new PIN."""


def verify_pin(stored: str, pin: str) -> bool:
    """True if ``pin`` matches ``stored`` (or nothing is stored), compared in constant time.

    Raises :class:`PinDamaged`, in one sentence, when ``stored`` is not a 32-hex-digit
    salt, a ``$`` and a 64-hex-digit digest; never ``ValueError``.
    """
    if not stored:
        return True
    match = _STORED.fullmatch(stored) if isinstance(stored, str) else None
    if match is None:
        raise PinDamaged(_("The facilitator PIN saved in this pack is damaged; give the "
                           "workshop a new PIN."))
    salt, expected = match.groups()
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ITERATIONS)
    return hmac.compare_digest(digest.hex(), expected)


class Outcome(Enum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"
    WAIT = "wait"


@dataclass(frozen=True)
class PinAttempt:
    """What one try gave: unlocked, wrong (``tries_left`` before a pause), or wait."""

    outcome: Outcome
    wait_seconds: float = 0.0
    tries_left: int = 0

    def message(self) -> str:
        """The sentence the dialog shows (empty when unlocked)."""
        if self.outcome is Outcome.UNLOCKED:
            return ""
        if self.outcome is Outcome.WAIT:
            seconds = max(1, round(self.wait_seconds))
            return ngettext("Too many wrong PINs. Please wait {seconds} second, then try "
                            "again.",
                            "Too many wrong PINs. Please wait {seconds} seconds, then try "
                            "again.", seconds).format(seconds=seconds)
        return _("That PIN is not right. Please try again.")


@dataclass
class _State:
    wrong: int = 0
    pause: float = 0.0
    until: float = 0.0


@dataclass
class PinGuard:
    """Counts wrong PINs per (pack, workshop) and enforces the back-off.

    Guarantees: the first :data:`FREE_TRIES` wrong tries are answered at once; after
    that each wrong try starts a pause (30 s, then 60, 120... at most an hour) during
    which :meth:`attempt` does not even look at the PIN; a right PIN resets the count.
    """

    clock: Callable[[], float] = time.monotonic
    _states: dict[tuple[str, str], _State] = field(default_factory=dict)

    def wait_seconds(self, pack_key: str, workshop_id: str) -> float:
        """Seconds until the next try is allowed (0 when it is allowed now)."""
        state = self._states.get((pack_key, workshop_id))
        return max(0.0, state.until - self.clock()) if state else 0.0

    def attempt(self, pack_key: str, workshop_id: str, stored: str, pin: str) -> PinAttempt:
        """Try ``pin`` against ``stored`` unless a pause is running; may raise PinDamaged."""
        state = self._states.setdefault((pack_key, workshop_id), _State())
        waiting = self.wait_seconds(pack_key, workshop_id)
        if waiting > 0:
            return PinAttempt(Outcome.WAIT, wait_seconds=waiting)
        if verify_pin(stored, pin):
            self._states.pop((pack_key, workshop_id), None)
            return PinAttempt(Outcome.UNLOCKED)
        state.wrong += 1
        if state.wrong < FREE_TRIES:
            return PinAttempt(Outcome.WRONG, tries_left=FREE_TRIES - state.wrong)
        state.pause = FIRST_PAUSE if state.pause == 0 else min(MAX_PAUSE, state.pause * 2)
        state.until = self.clock() + state.pause
        return PinAttempt(Outcome.WAIT, wait_seconds=state.pause)


#: The guard the app uses (one per process); tests make their own with a fake clock.
GUARD = PinGuard()


def try_pin(pack: Pack, workshop_id: str, pin: str, guard: PinGuard | None = None
            ) -> PinAttempt:
    """Try the facilitator PIN of a workshop through ``guard`` (the app's by default).

    The call the PIN dialog makes: show :meth:`PinAttempt.message` when the outcome is
    not ``UNLOCKED``, and keep the Unlock button off for ``wait_seconds``. A workshop
    without a PIN always unlocks. Raises :class:`PinDamaged` for a damaged hash.
    """
    from tde_desktop.core.workshop.records import get_workshop

    stored = get_workshop(pack, workshop_id).pin_hash
    return (guard or GUARD).attempt(str(pack.path.resolve()), workshop_id, stored, pin)
