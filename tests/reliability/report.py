"""Run the reliability harness and rewrite the results table in RELIABILITY.md.

    .venv/bin/python tests/reliability/report.py            # CI size: 20 kills per scenario
    TDE_LONG=1 .venv/bin/python tests/reliability/report.py # 200 kills per scenario

Each scenario test appends one JSON line to the file named by
``TDE_RELIABILITY_RESULTS`` (see ``tests/reliability/conftest.py``); this script
sets it, runs pytest on tests/reliability, sums the lines per scenario and
replaces the part of RELIABILITY.md between the two ``results`` markers. The
prose around the table is edited by hand. Exits with pytest's status.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "RELIABILITY.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run(extra: list[str]) -> tuple[int, list[dict[str, object]], float]:
    """Run the harness; returns pytest's exit code, the recorded lines and the seconds taken."""
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.jsonl"
        env = {**os.environ, "TDE_RELIABILITY_RESULTS": str(results)}
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "pytest", "tests/reliability", "-q",
                                "-p", "no:cacheprovider", *extra], cwd=REPO, env=env)
        took = time.monotonic() - started
        lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
    return code, [json.loads(line) for line in lines], took


def table(records: list[dict[str, object]]) -> str:
    """The Markdown table: one row per scenario, trials and failures summed."""
    merged: dict[str, dict[str, object]] = {}
    for r in records:
        row = merged.setdefault(str(r["scenario"]), {"trials": 0, "failures": 0,
                                                      "checked": r["checked"], "notes": set()})
        row["trials"] = int(row["trials"]) + int(str(r["trials"]))  # type: ignore[call-overload]
        row["failures"] = int(row["failures"]) + int(str(r["failures"]))  # type: ignore[call-overload]
        if r.get("outcome") == "xfailed":
            row["notes"].add("known bug, see below")  # type: ignore[attr-defined]
    out = ["| scenario | trials | failures | what was checked |", "|---|---:|---:|---|"]
    for name in sorted(merged):
        row = merged[name]
        notes = "; ".join(sorted(row["notes"]))  # type: ignore[call-overload]
        checked = str(row["checked"]).replace("|", "\\|") + (f" **({notes})**" if notes else "")
        out.append(f"| {name} | {row['trials']} | {row['failures']} | {checked} |")
    return "\n".join(out)


def main() -> int:
    code, records, took = run(sys.argv[1:])
    long = os.environ.get("TDE_LONG") == "1"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join([
        START,
        f"Last run: {stamp}, {'long' if long else 'CI-size'} run "
        f"({'200' if long else '20'} kills per crash scenario), {took:.0f} s in total, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.machine()}; pytest exit status {code}.",
        "",
        table(records),
        END,
    ])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Reliability\n\n{START}\n{END}\n"
    head, _sep, rest = text.partition(START)
    _old, _sep, tail = rest.partition(END)
    DOC.write_text(head + body + tail, encoding="utf-8")
    print(f"{DOC} updated: {len(records)} scenario records, pytest exit status {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
