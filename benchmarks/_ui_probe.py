"""Time one action on the Qt UI thread and log how long the thread was blocked meanwhile.

A QTimer ticks every 10 ms while the action runs. The event loop can only run the
tick when the UI thread is free, so the largest gap between two ticks is the
longest time a person would have seen a frozen window (clicks, scrolling and
repaints wait that long). A responsive action shows gaps close to 10 ms even
when its work takes seconds on a background thread.

An action has three parts, all run on the UI thread:

- ``start()``: what the person's click or key press does (a signal, a slot);
- ``done()``: polled on every tick; True once the result has arrived (a count
  shown, a model re-sorted); background work finishes meanwhile;
- ``finish()``: what must happen before the person sees it (the viewport
  repainted, a cell read), timed as part of the action and of the blocking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, Qt, QTimer

TICK_MS = 10


@dataclass
class ActionTiming:
    """Wall seconds from ``start()`` until ``finish()`` returned, and the longest UI stall."""

    wall_s: float
    max_gap_s: float
    ticks: int
    timed_out: bool = False


def run_action(start: Callable[[], None], done: Callable[[], bool],
               finish: Callable[[], None] | None = None, *,
               timeout_s: float = 600.0) -> ActionTiming:
    """Run ``start``, wait in an event loop until ``done()``, run ``finish``; time it all.

    ``max_gap_s`` is the largest interval between 10 ms ticks, counting the
    synchronous ``start()`` (the first tick waits for it) and ``finish()``.
    """
    loop = QEventLoop()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    state = {"last": 0.0, "gap": 0.0, "end": 0.0, "ticks": 0, "timed_out": False}
    started = 0.0

    def tick() -> None:
        now = time.perf_counter()
        state["ticks"] += 1
        state["gap"] = max(state["gap"], now - state["last"])
        previous, state["last"] = state["last"], now
        if state["end"]:
            return
        if done():
            if finish is not None:
                finish()
            end = time.perf_counter()
            state["end"] = end
            # finish() held the UI thread from the previous tick's time to now.
            state["gap"] = max(state["gap"], end - previous)
            loop.quit()
        elif now - started > timeout_s:
            state["timed_out"] = True
            state["end"] = now
            loop.quit()

    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    state["last"] = started
    start()
    loop.exec()
    timer.stop()
    timer.timeout.disconnect(tick)
    return ActionTiming(wall_s=state["end"] - started, max_gap_s=state["gap"],
                        ticks=int(state["ticks"]), timed_out=bool(state["timed_out"]))


def wait_until(condition: Callable[[], bool], timeout_s: float = 600.0) -> bool:
    """Run the event loop until ``condition()`` holds (outside any timing); False on timeout."""
    timing = run_action(lambda: None, condition, timeout_s=timeout_s)
    return not timing.timed_out
