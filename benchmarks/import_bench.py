"""How fast does a CSV become a workshop pack, next to other tools doing the same job?

Imports each input with our importer (``tde_desktop.core.importers.import_file``
into a new pack, with type inference, data dictionary, provenance and SHA-256)
and with peers, each in its own process so that peak memory is per tool. For ours
the empty pack is made first by ``tde new`` in a process of its own, untimed, as a
facilitator does before ``tde add``; the timed process opens it and imports. (Making
the pack in the same process would add about 60 MB and 0.2 s: sqlite-utils, whose
migrations build the pack, imports pandas when it is installed.)

* ``sqlite3``: the SQLite shell's ``.import --csv`` into a new database, all
  columns TEXT. The floor: nothing can load SQLite much faster.
* ``sqlite-utils``: ``sqlite-utils insert DB data FILE --csv`` with its defaults
  (type detection on). Slow, about 145 s per million rows; skip with ``--skip-slow``.
* ``pandas``: ``read_csv(chunksize=100_000)`` and ``to_sql`` into a new database.

Inputs: the three NYC tax-lot files of shared/data/large (gunzipped first, outside
the timing), their concatenation (2,559,554 rows), and a generated 1,000,000-row
311 file (see ``generate_311.py``). Prints one table row per input and tool: rows,
wall and CPU seconds, peak MB and the ratios to ``sqlite3`` on the same input, in wall
and in CPU seconds (the steadier one when other work shares the machine).

    python benchmarks/import_bench.py --quick                    # smoke run, 100k rows each
    python benchmarks/import_bench.py --inputs nyc2023,la311 --skip-slow --json out.json
    python benchmarks/import_bench.py --inputs nyc2023 --profile /tmp/ours.prof
    python benchmarks/import_bench.py --skip-slow --repeat 3      # medians of 3 runs in turns
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import _measure  # noqa: E402
import generate_311  # noqa: E402

LARGE = REPO.parent / "shared" / "data" / "large"
NYC_YEARS = ("2011", "2016", "2023")
INPUTS = ("nyc2011", "nyc2016", "nyc2023", "nyc_all", "la311")
TOOLS = ("sqlite3", "ours", "sqlite-utils", "pandas")
SLOW_TOOLS = {"sqlite-utils"}
QUICK_ROWS = 100_000
LA311_ROWS = 1_000_000
PEER_TABLE = "data"

csv.field_size_limit(2**31 - 1)


@dataclass
class Input:
    name: str
    path: Path
    rows: int
    sha256: str


# -- preparing inputs (outside every timing) ---------------------------------------------


def _nyc_gz(year: str) -> Path:
    return LARGE / f"nyc_bbl_population_estimates_{year}.csv.gz"


def _lines(opener: Iterator[bytes], skip_header: bool) -> Iterator[bytes]:
    it = iter(opener)
    if skip_header:
        next(it, None)
    for line in it:
        yield line if line.endswith(b"\n") else line + b"\n"


def _write_lines(out: Path, parts: list[Path], limit: int | None) -> None:
    """Header of the first part, then the data lines of every part, up to ``limit`` rows.

    Splitting on lines is safe here: none of these files has a newline inside a field
    (the row count check after the import would show it if one did).
    """
    tmp = out.with_suffix(".partial")
    written = -1  # the header is not a row
    with tmp.open("wb") as f:
        for i, part in enumerate(parts):
            opener = gzip.open if part.suffix == ".gz" else open
            with opener(part, "rb") as src:
                for line in _lines(src, skip_header=i > 0):
                    if limit is not None and written >= limit:
                        break
                    f.write(line)
                    written += 1
            if limit is not None and written >= limit:
                break
    tmp.replace(out)


def _gunzip(gz: Path, out: Path) -> None:
    tmp = out.with_suffix(".partial")
    with gzip.open(gz, "rb") as src, tmp.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    tmp.replace(out)


def _count_and_hash(path: Path) -> tuple[int, str]:
    """Data rows as Python's csv module counts them (header excluded), and the SHA-256."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    with path.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _row in csv.reader(f)) - 1
    return rows, digest.hexdigest()


def prepare_inputs(names: list[str], workdir: Path, quick: bool,
                   la311: Path | None) -> list[Input]:
    """Write each named input as a plain CSV in ``workdir`` (reused if already there)."""
    limit = QUICK_ROWS if quick else None
    suffix = f"_{QUICK_ROWS // 1000}k" if quick else ""
    prepared = []
    for name in names:
        out = workdir / f"{name}{suffix}.csv"
        if not out.exists():
            started = time.perf_counter()
            if name == "la311":
                if la311 is not None:
                    _write_lines(out, [la311], limit)
                else:
                    generate_311.generate(out, limit or LA311_ROWS)
            elif name == "nyc_all":
                _write_lines(out, [_nyc_gz(y) for y in NYC_YEARS], limit)
            elif quick:
                _write_lines(out, [_nyc_gz(name[3:])], limit)
            else:
                _gunzip(_nyc_gz(name[3:]), out)
            print(f"  prepared {out.name} in {time.perf_counter() - started:.1f} s",
                  flush=True)
        rows, digest = _count_and_hash(out)
        prepared.append(Input(name, out, rows, digest))
    return prepared


# -- the tools ------------------------------------------------------------------------------


def _sqlite_utils() -> str:
    beside = Path(sys.executable).parent / "sqlite-utils"
    return str(beside) if beside.exists() else (shutil.which("sqlite-utils") or "sqlite-utils")


def command(tool: str, source: Path, db: Path) -> list[str]:
    """The command line that imports ``source`` into a new database ``db`` with ``tool``."""
    if tool == "sqlite3":
        quoted = '"' + str(source).replace('"', '""') + '"'
        return ["sqlite3", str(db), f".import --csv {quoted} {PEER_TABLE}"]
    if tool == "sqlite-utils":
        return [_sqlite_utils(), "insert", str(db), PEER_TABLE, str(source), "--csv"]
    if tool in ("ours", "pandas"):
        return [sys.executable, str(Path(__file__).resolve()), "--worker", tool,
                str(source), str(db)]
    raise ValueError(tool)


def worker_ours(source: Path, db: Path, profile: Path | None = None) -> dict[str, object]:
    """Import with our importer into an empty pack; returns what the catalogue says."""
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.pack import Pack

    pack = Pack.open(db)
    try:
        if profile is None:
            info = import_file(pack, source)
        else:
            import cProfile

            profiler = cProfile.Profile()
            info = profiler.runcall(import_file, pack, source)
            profiler.dump_stats(str(profile))
    finally:
        pack.close()
    return {"table": info.table_name, "rows": info.row_count, "sha256": info.sha256,
            "types": {c.name: c.type for c in info.columns}}


def worker_pandas(source: Path, db: Path) -> dict[str, object]:
    """pandas' own chunked route: read_csv in 100,000-row chunks, to_sql each."""
    import pandas as pd

    conn = sqlite3.connect(db)
    try:
        for chunk in pd.read_csv(source, chunksize=100_000):
            chunk.to_sql(PEER_TABLE, conn, if_exists="append", index=False)
        conn.commit()
    finally:
        conn.close()
    return {"table": PEER_TABLE}


def _table_rows(db: Path, table: str) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def new_pack(db: Path) -> None:
    """The empty pack our importer writes into, made as `tde new` makes it (untimed)."""
    subprocess.run([sys.executable, "-m", "tde_desktop.cli.main", "new", str(db),
                    "--title", "Import benchmark"], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)


def run_one(tool: str, item: Input, workdir: Path) -> dict[str, object]:
    """Measure one tool on one input in a child process; the database is removed after."""
    db = workdir / f"{item.name}.{tool}.{'tdepack' if tool == 'ours' else 'db'}"
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    if tool == "ours":
        new_pack(db)
    m = _measure.measure(command(tool, item.path, db))
    result: dict[str, object] = {
        "input": item.name, "csv_rows": item.rows, "tool": tool, "ok": m.ok,
        "wall_s": round(m.wall_s, 3), "cpu_s": round(m.cpu_s, 2),
        "peak_mb": round(m.peak_mb, 1),
        "peak_mb_exact": m.peak_exact,
        "load_before": [round(x, 2) for x in m.load_before],
    }
    if m.ok:
        table = PEER_TABLE
        if tool == "ours":
            report = json.loads(m.stdout.strip().splitlines()[-1])
            table = str(report["table"])
            result["catalogue_rows"] = report["rows"]
            result["sha256_ok"] = report["sha256"] == item.sha256
            result["types"] = report["types"]
        result["db_rows"] = _table_rows(db, table)
        result["db_mb"] = round(db.stat().st_size / 1e6, 1)
    else:
        result["error"] = m.stderr.strip()[-2000:]
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    return result


# -- reporting ------------------------------------------------------------------------------


def print_table(results: list[dict[str, object]]) -> None:
    """One row per input and tool; the ratios are to ``sqlite3`` on the same input, in wall
    seconds and in CPU seconds (steadier when other work shares the machine)."""
    floor = {r["input"]: r for r in results if r["tool"] == "sqlite3" and r["ok"]}
    rows = []
    for r in results:
        base = floor.get(r["input"])
        for key, out in (("wall_s", "ratio_to_sqlite3"), ("cpu_s", "cpu_ratio_to_sqlite3")):
            r[out] = (round(float(r[key]) / float(base[key]), 2)  # type: ignore[arg-type]
                      if r["ok"] and base and float(base[key]) > 0 else None)  # type: ignore[arg-type]
        ratio, cpu_ratio = (f"{r[k]:.2f}x" if r[k] is not None else "-"
                            for k in ("ratio_to_sqlite3", "cpu_ratio_to_sqlite3"))
        rows.append([r["input"], r["csv_rows"], r["tool"],
                     r["wall_s"] if r["ok"] else "FAILED", r["cpu_s"], r["peak_mb"], ratio,
                     cpu_ratio, r.get("db_mb", "-"), r.get("db_rows", "-")])
    print(_measure.format_table(
        ["input", "rows", "tool", "wall s", "cpu s", "peak MB", "vs sqlite3", "cpu vs sqlite3",
         "db MB", "rows in db"], rows))


def median_run(runs: list[dict[str, object]]) -> dict[str, object]:
    """The runs of one tool on one input as one result: median wall and CPU seconds,
    the highest peak; failed if any run failed."""
    failed = [r for r in runs if not r["ok"]]
    if failed or len(runs) == 1:
        return failed[0] if failed else runs[0]
    wall = statistics.median(float(r["wall_s"]) for r in runs)  # type: ignore[arg-type]
    result = dict(min(runs, key=lambda r: abs(float(r["wall_s"]) - wall)))  # type: ignore[arg-type]
    result["wall_s"] = round(wall, 3)
    result["cpu_s"] = round(statistics.median(float(r["cpu_s"]) for r in runs), 2)  # type: ignore[arg-type]
    result["peak_mb"] = max(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
    result["runs"] = [{k: r[k] for k in ("wall_s", "cpu_s", "peak_mb", "load_before")}
                      for r in runs]
    return result


def _versions() -> dict[str, str]:
    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False,
                                  cwd=REPO).stdout.strip()
        except OSError:
            return "missing"

    return {
        "python": platform.python_version(),
        "sqlite3_cli": out(["sqlite3", "--version"]).split(" ")[0],
        "sqlite_utils": out([_sqlite_utils(), "--version"]).split(" ")[-1],
        "pandas": out([sys.executable, "-c", "import pandas; print(pandas.__version__)"]),
        "tde_desktop": out(["git", "describe", "--always", "--dirty"]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


def _check_rows(results: list[dict[str, object]]) -> bool:
    ok = True
    for r in results:
        if r["tool"] != "ours" or not r["ok"]:
            continue
        same = r["catalogue_rows"] == r["db_rows"] == r["csv_rows"]
        ok = ok and same and bool(r["sha256_ok"])
        print(f"  row check {r['input']}: CSV {r['csv_rows']:,} rows, pack catalogue "
              f"{r['catalogue_rows']:,}, table {r['db_rows']:,} -> "
              f"{'OK' if same else 'MISMATCH'}; SHA-256 "
              f"{'matches' if r['sha256_ok'] else 'DIFFERS'}")
    return ok


def _run_worker(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["ours", "pandas"], required=True)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("source", type=Path)
    parser.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    if args.worker == "ours":
        report = worker_ours(args.source, args.db, args.profile)
    else:
        report = worker_pandas(args.source, args.db)
    print(json.dumps(report))


def _split(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in allowed]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)}; choose from "
                         f"{', '.join(allowed)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--worker" in argv:
        _run_worker(argv)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", default=",".join(INPUTS),
                        help=f"comma-separated, from {', '.join(INPUTS)} (default all)")
    parser.add_argument("--peers", default=",".join(t for t in TOOLS if t != "ours"),
                        help="comma-separated peers to run beside ours (default all)")
    parser.add_argument("--skip-slow", action="store_true",
                        help=f"leave out slow peers ({', '.join(sorted(SLOW_TOOLS))})")
    parser.add_argument("--quick", action="store_true",
                        help=f"use only the first {QUICK_ROWS:,} rows of each input")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every tool this many times on each input, in turns, and "
                             "print the median (default 1)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--workdir", type=Path,
                        help="where inputs and databases go; inputs already there are "
                             "reused (default: a temporary folder, removed after)")
    parser.add_argument("--la311", type=Path,
                        help="use this 311 CSV instead of generating one")
    parser.add_argument("--profile", type=Path,
                        help="instead of benchmarking, run our importer under cProfile on "
                             "each input, write <PROFILE>.<input> and print the top costs")
    args = parser.parse_args(argv)
    inputs = _split(args.inputs, INPUTS, "input")
    peers = _split(args.peers, tuple(t for t in TOOLS if t != "ours"), "peer")
    if args.skip_slow:
        peers = [p for p in peers if p not in SLOW_TOOLS]
    tools = [t for t in TOOLS if t == "ours" or t in peers]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tde-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine: {_measure.uptime_line()}")
        print(f"preparing inputs in {workdir}", flush=True)
        items = prepare_inputs(inputs, workdir, args.quick, args.la311)
        if args.profile:
            return _profile(items, workdir, args.profile)
        versions = _versions()
        print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
        results = []
        for item in items:
            runs: dict[str, list[dict[str, object]]] = {tool: [] for tool in tools}
            for _round in range(args.repeat):  # tools take turns, so load hits each alike
                for tool in tools:
                    print(f"  {item.name} ({item.rows:,} rows): {tool} ...", end=" ",
                          flush=True)
                    result = run_one(tool, item, workdir)
                    print(f"{result['wall_s']:.1f} s, {result['cpu_s']:.1f} s CPU"
                          if result["ok"] else "FAILED", flush=True)
                    if not result["ok"]:
                        print(str(result["error"]), file=sys.stderr)
                    runs[tool].append(result)
            results += [median_run(runs[tool]) for tool in tools]
        uptime_after = _measure.uptime_line()
        print()
        print_table(results)
        print()
        rows_ok = _check_rows(results)
        print(f"machine after: {uptime_after}")
        if args.json:
            args.json.write_text(json.dumps({
                "quick": args.quick, "versions": versions, "uptime_after": uptime_after,
                "results": results}, indent=2) + "\n", encoding="utf-8")
            print(f"figures written to {args.json}")
        return 0 if rows_ok and all(r["ok"] for r in results) else 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _profile(items: list[Input], workdir: Path, profile: Path) -> int:
    import pstats

    for item in items:
        out = profile.with_name(f"{profile.name}.{item.name}")
        db = workdir / f"{item.name}.profile.tdepack"
        db.unlink(missing_ok=True)
        new_pack(db)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", "ours",
                        "--profile", str(out), str(item.path), str(db)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"\n{item.name}: {time.perf_counter() - started:.1f} s under cProfile; "
              f"stats in {out}")
        stats = pstats.Stats(str(out))
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(25)
        db.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
