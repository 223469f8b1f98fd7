"""The facilitator PIN: a damaged stored hash gives one sentence, and wrong tries back off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import pin as pins
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.pin import Outcome, PinDamaged, PinGuard, try_pin, verify_pin
from tests.reliability.stranger_pack import tamper


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pack_with_pin(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "pin.tdepack"
    with Pack.create(path, title="PIN") as pack:
        w = ws.create_workshop(pack, "W", pin="2468")
    return path, w.id


def test_iterations_match_the_hashing_side() -> None:
    assert pins.PIN_ITERATIONS == ws.PIN_ITERATIONS


@pytest.mark.parametrize("stored", ["nonsense", "zz$00", "$", "a" * 32 + "$" + "b" * 63,
                                    "A" * 32 + "$" + "b" * 64, "\x00$\x00",
                                    "a" * 32 + "$" + "b" * 64 + "\n"])
def test_a_damaged_hash_is_one_sentence(pack_with_pin: tuple[Path, str], stored: str) -> None:
    path, wid = pack_with_pin
    tamper(path, ("UPDATE _tde_workshops SET pin_hash = ?", (stored,)))
    with Pack.open(path) as pack:
        for call in (lambda: ws.check_pin(pack, wid, "2468"),
                     lambda: try_pin(pack, wid, "2468", PinGuard())):
            with pytest.raises(PinDamaged) as info:
                call()
            assert "\n" not in str(info.value)
            assert "damaged" in str(info.value)


def test_right_and_wrong_pins(pack_with_pin: tuple[Path, str]) -> None:
    path, wid = pack_with_pin
    with Pack.open(path) as pack:
        assert ws.check_pin(pack, wid, "2468")
        assert not ws.check_pin(pack, wid, "1357")
        stored = ws.get_workshop(pack, wid).pin_hash
    assert verify_pin("", "anything")
    assert verify_pin(stored, "2468")


def test_back_off_after_five_wrong_tries_then_doubling(pack_with_pin: tuple[Path, str]
                                                       ) -> None:
    path, wid = pack_with_pin
    clock = Clock()
    guard = PinGuard(clock=clock)
    with Pack.open(path) as pack:
        tries = [try_pin(pack, wid, "0000", guard) for _i in range(4)]
        assert [t.tries_left for t in tries] == [4, 3, 2, 1]
        assert all(t.outcome is Outcome.WRONG for t in tries)
        fifth = try_pin(pack, wid, "0000", guard)
        assert (fifth.outcome, fifth.wait_seconds) == (Outcome.WAIT, 30.0)
        assert "30 seconds" in fifth.message()
        # During the pause even the right PIN is not looked at.
        clock.now += 29
        blocked = try_pin(pack, wid, "2468", guard)
        assert blocked.outcome is Outcome.WAIT
        assert blocked.wait_seconds == pytest.approx(1.0)
        pauses = []
        for _i in range(8):
            clock.now += guard.wait_seconds(str(path.resolve()), wid)
            pauses.append(try_pin(pack, wid, "0000", guard).wait_seconds)
        assert pauses == [60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 3600.0, 3600.0]
        clock.now += 3600
        assert try_pin(pack, wid, "2468", guard).outcome is Outcome.UNLOCKED
        # A right PIN starts the count again.
        assert try_pin(pack, wid, "0000", guard).tries_left == 4
