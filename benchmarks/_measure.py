"""Shared helpers for the benchmarks: run one command, time it, and read its peak memory.

Each measurement is its own child process, so one tool's memory never shows up in
another's figure. Peak memory is the child's largest resident set (``ru_maxrss``).

Linux carries a process's high-water mark across fork and exec: a child started
straight from this (Python, ~60 MB) process reports at least this process's size,
however small the tool is. So where GNU time exists (``/usr/bin/time``) the tool
is started by it, and its ``%M`` is read: a tiny parent, a true figure. Elsewhere
the figure comes from ``os.wait4`` and is flagged as an upper bound.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Measurement:
    """What one run of one tool cost, and whether it worked."""

    wall_s: float
    peak_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    peak_exact: bool = True
    #: user + system CPU seconds of the tool; steadier than wall time on a busy machine
    cpu_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (zeros where the OS cannot tell)."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def uptime_line() -> str:
    """The machine's ``uptime`` line, or the load averages if the command is missing."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        one, five, fifteen = load_average()
        return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f}"


def _maxrss_mb(maxrss: int) -> float:
    # Linux reports kibibytes, macOS bytes.
    return maxrss / (1 << 20) if sys.platform == "darwin" else maxrss / 1024


def measure(cmd: Sequence[str], *, env: dict[str, str] | None = None,
            cwd: str | None = None) -> Measurement:
    """Run ``cmd`` to completion and return its wall time, peak memory and output.

    Wall time runs from just before the process is started to just after it is
    reaped, so it includes interpreter start-up and imports, as a user would see.
    """
    load = load_average()
    gnu_time = _gnu_time()
    # Output goes to temporary files rather than pipes, so no reader has to keep
    # up with the child and os.wait4 can reap it and read its own rusage.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("w+", suffix=".time") as rss:
        full = [gnu_time, "-f", "%M %U %S", "-o", rss.name, *cmd] if gnu_time else list(cmd)
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = _maxrss_mb(usage.ru_maxrss)
        cpu = usage.ru_utime + usage.ru_stime
        exact = False
        if gnu_time:
            rss.seek(0)
            # GNU time writes "Command exited with non-zero status N" before its figures
            # when the tool fails, so only the last line is read.
            last = (rss.read().strip().splitlines() or [""])[-1].split()
            if len(last) == 3 and last[0].isdigit():
                peak, exact = int(last[0]) / 1024, True
                cpu = float(last[1]) + float(last[2])
        out.seek(0)
        err.seek(0)
        return Measurement(wall_s=wall, peak_mb=peak, returncode=proc.returncode,
                           stdout=out.read(), stderr=err.read(), load_before=load,
                           peak_exact=exact, cpu_s=cpu)


@functools.cache
def _gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it understands -f and -o), else None."""
    path = shutil.which("time", path="/usr/bin:/usr/local/bin:/opt/homebrew/bin")
    if path is None:
        return None
    probe = subprocess.run([path, "-f", "%M", "-o", "/dev/stdout", "true"],
                           capture_output=True, text=True, check=False)
    return path if probe.returncode == 0 and probe.stdout.strip().isdigit() else None


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned numbers and left-aligned text."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_number(row[i]) for row in rows) and bool(rows)
               for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) or value in ("-", "")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
