"""Reliability harness fixtures: trial counts, a recorder for RELIABILITY.md, child processes.

Every scenario test asks for ``scenario(name, checked)`` and adds its trials to
it. When ``TDE_RELIABILITY_RESULTS`` names a file (``tests/reliability/report.py``
sets it), each scenario appends one JSON line there when its test ends: name,
trials, failures (0 when the test passed) and what was checked.
``TDE_LONG=1`` multiplies the kill trials by ten.

Randomness is seeded from the clock, once per run: :data:`SEED` drives the kill
times, the power-cut moments and every hypothesis test here. The seed is printed in
the pytest header and again in the terminal summary, so that a failure can be
replayed exactly with ``TDE_SEED=<seed>``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LONG = os.environ.get("TDE_LONG") == "1"
#: Kill trials per crash scenario: small but real in CI, 200 with TDE_LONG=1.
KILL_TRIALS = 200 if LONG else 20
RESULTS_ENV = "TDE_RELIABILITY_RESULTS"
#: One seed for the whole run: TDE_SEED to replay a run, else the clock.
SEED = int(os.environ.get("TDE_SEED") or time.time())


def _seed_line() -> str:
    return f"reliability seed: {SEED} (replay this run with TDE_SEED={SEED})"


def pytest_report_header(config: pytest.Config) -> str:
    return _seed_line()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    terminalreporter.write_line(_seed_line())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Seed every hypothesis test of the harness with :data:`SEED` (replayable runs)."""
    from hypothesis import seed

    here = Path(__file__).parent
    for item in items:
        test = getattr(item, "obj", None)
        if (getattr(test, "is_hypothesis_test", False)
                and Path(str(item.fspath)).parent == here):
            seed(SEED)(test)


@dataclass
class Scenario:
    """Counts the trials of one scenario (a test may run several)."""

    name: str
    checked: str
    trials: int = 0
    failures: int = 0

    def trial(self, n: int = 1) -> None:
        self.trials += n


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[_outcome_key] = "xfailed" if hasattr(report, "wasxfail") else report.outcome


_outcome_key = pytest.StashKey[str]()


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Iterator[Callable[[str, str], Scenario]]:
    """``scenario(name, checked)`` returns a counter that is written out when the test ends."""
    made: list[Scenario] = []

    def make(name: str, checked: str) -> Scenario:
        made.append(Scenario(name, checked))
        return made[-1]

    yield make
    target = os.environ.get(RESULTS_ENV)
    if not target:
        return
    outcome = request.node.stash.get(_outcome_key, "failed")
    with open(target, "a", encoding="utf-8") as f:
        for s in made:
            failures = s.failures if outcome != "failed" else max(1, s.failures)
            f.write(json.dumps({"scenario": s.name, "trials": s.trials, "failures": failures,
                                "checked": s.checked, "outcome": outcome,
                                "test": request.node.nodeid}) + "\n")


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file at ``path`` through a plain connection."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def child_env() -> dict[str, str]:
    """The environment for a child Python process that imports tde_desktop from the checkout."""
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    """Start ``python -c code args``: it prints ``ready``, waits for a line, then works."""
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=REPO)


def wait_ready(child: subprocess.Popen[str]) -> None:
    """Wait for the child's ``ready`` line, then let it start working."""
    assert child.stdout is not None
    assert child.stdin is not None
    line = child.stdout.readline()
    if line != "ready\n":
        err = child.stderr.read() if child.stderr else ""
        raise AssertionError(f"child did not start: {line!r} {err[-2000:]}")
    child.stdin.write("go\n")
    child.stdin.flush()


def whole_lines(out: str) -> list[str]:
    """Lines the child finished printing (a torn last line was never acknowledged)."""
    return [line[:-1] for line in out.splitlines(keepends=True) if line.endswith("\n")]


def corrupt_table_page(path: Path, table: str) -> None:
    """Scribble over the b-tree page header of ``table``'s root page (the file stays SQLite)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                        (table,)).fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d\xff\xff\x7f\xff\x00\xff\xff")  # leaf type, nonsense cell count/offsets
