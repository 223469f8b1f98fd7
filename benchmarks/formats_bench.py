"""Spreadsheets and JSON into a workshop pack, each beside its floor, in one run.

Inputs are generated with fixed seeds (so every run reads the same bytes):

* ``excel``: 200,000 x 12 .xlsx written by XlsxWriter (numbers, text, codes with a
  leading zero, dates, booleans). Floor: python-calamine reads the sheet, then
  ``executemany`` into a new SQLite file (no types, no layout rules). Goal <= 1.5x.
* ``jsonl`` and ``json``: 300,000 x 33 records as JSON Lines and as one JSON array.
  Floor: DuckDB's ``read_json_auto`` into a DuckDB table (``pip install duckdb`` in the
  venv for this benchmark only). Goal <= 2x.

Every tool runs in its own process (see ``_measure.py``); ours imports into an empty pack
made just before, untimed. Peak goal: under 200 MB. The spreadsheet cannot meet it while
python-calamine reads it: ``get_sheet_by_name`` alone peaks at 210-216 MB on this file,
inside the parse, before any Python object exists (it holds a list of every cell and
the grid made from it at once); ours adds the ~12 MB that Python, the pack and our
modules take before the parse. ``excel_memory.py`` prints the stages.
Wall and CPU seconds are both shown; the ratio is of wall time.

    python benchmarks/formats_bench.py [--rows-scale 0.1] [--workdir DIR] [--only excel]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import _measure  # noqa: E402

EXCEL_ROWS, JSON_ROWS, JSON_COLS = 200_000, 300_000, 33
BOROUGHS = ["BRONX", "BROOKLYN", "MANHATTAN", "QUEENS", "STATEN ISLAND"]


def make_xlsx(path: Path, rows: int) -> None:
    import xlsxwriter

    rnd = random.Random(15)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("Data")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["id", "borough", "zip", "opened", "status", "amount", "count",
                        "lat", "lon", "agency", "descr", "flag"])
    for r in range(1, rows + 1):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, rnd.choice(BOROUGHS))
        ws.write_string(r, 2, f"{rnd.randint(10001, 11697):05d}")
        ws.write_datetime(r, 3, dt.datetime(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 1500)),
                          day)
        ws.write_string(r, 4, rnd.choice(["Open", "Closed", "Pending"]))
        ws.write_number(r, 5, round(rnd.uniform(0, 1e5), 2))
        ws.write_number(r, 6, rnd.randint(0, 500))
        ws.write_number(r, 7, 40.5 + rnd.random() / 2)
        ws.write_number(r, 8, -74.2 + rnd.random() / 2)
        ws.write_string(r, 9, rnd.choice(["NYPD", "DOT", "DSNY", "HPD", "DEP"]))
        ws.write_string(r, 10, f"Complaint {rnd.randint(1, 5000)} about the street")
        ws.write_boolean(r, 11, rnd.random() < 0.5)
    book.close()


def _record(rnd: random.Random, i: int) -> dict[str, object]:
    rec: dict[str, object] = {"id": i, "borough": rnd.choice(BOROUGHS),
                              "zip": f"{rnd.randint(10001, 11697):05d}",
                              "created": f"2021-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                                         f"T{rnd.randint(0, 23):02d}:00:00"}
    for k in range(JSON_COLS - len(rec)):
        kind = k % 3
        rec[f"f{k}"] = (rnd.randint(0, 10_000) if kind == 0 else round(rnd.random() * 1e3, 3)
                        if kind == 1 else f"value {rnd.randint(0, 999)}")
    return rec


def make_json(lines: Path, array: Path, rows: int) -> None:
    rnd = random.Random(33)
    with lines.open("w", encoding="utf-8") as fl, array.open("w", encoding="utf-8") as fa:
        fa.write("[\n")
        for i in range(rows):
            text = json.dumps(_record(rnd, i))
            fl.write(text + "\n")
            fa.write(("," if i else "") + text + "\n")
        fa.write("]\n")


OURS = """
import sys
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
pack = Pack.open(sys.argv[1])
info = import_file(pack, sys.argv[2])
print(info.row_count)
pack.close()
"""
NEW_PACK = ("import sys; from tde_desktop.core.pack import Pack; "
            "Pack.create(sys.argv[1], title='b').close()")
CALAMINE = """
import sqlite3, sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[2]).get_sheet_by_name("Data").iter_rows()
header = next(rows)
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE data (" + ", ".join(f'"{h}"' for h in header) + ")")
db.executemany("INSERT INTO data VALUES (" + ",".join("?" * len(header)) + ")", rows)
db.commit()
print(db.execute("SELECT count(*) FROM data").fetchone()[0])
"""
DUCKDB = """
import sys, duckdb
db = duckdb.connect(sys.argv[1])
db.execute(f"CREATE TABLE data AS SELECT * FROM read_json_auto('{sys.argv[2]}')")
print(db.execute("SELECT count(*) FROM data").fetchone()[0])
"""


def run(code: str, db: Path, src: Path) -> _measure.Measurement:
    db.unlink(missing_ok=True)
    m = _measure.measure([sys.executable, "-c", code, str(db), str(src)], cwd=str(REPO))
    if not m.ok:
        print(m.stderr[-2000:], file=sys.stderr)
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--only", choices=["excel", "jsonl", "json"], action="append",
                        help="run only this input (may be given more than once)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tde-formats-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    xlsx, jsonl, jarr = work / "bench.xlsx", work / "bench.jsonl", work / "bench.json"
    if not xlsx.exists():
        make_xlsx(xlsx, int(EXCEL_ROWS * args.rows_scale))
    if not jsonl.exists():
        make_json(jsonl, jarr, int(JSON_ROWS * args.rows_scale))
    table = []
    for label, src, floor_name, floor_code, goal in (
            ("excel", xlsx, "calamine+executemany", CALAMINE, 1.5),
            ("jsonl", jsonl, "duckdb read_json_auto", DUCKDB, 2.0),
            ("json", jarr, "duckdb read_json_auto", DUCKDB, 2.0)):
        if args.only and label not in args.only:
            continue
        floor = run(floor_code, work / "floor.db", src)
        pack = work / "ours.tdepack"
        pack.unlink(missing_ok=True)
        _measure.measure([sys.executable, "-c", NEW_PACK, str(pack)], cwd=str(REPO))
        ours = _measure.measure([sys.executable, "-c", OURS, str(pack), str(src)],
                                cwd=str(REPO))
        if not ours.ok:
            print(ours.stderr[-2000:], file=sys.stderr)
        ratio = ours.wall_s / floor.wall_s if floor.ok and ours.ok else float("nan")
        cpu_ratio = ours.cpu_s / floor.cpu_s if floor.ok and ours.ok and floor.cpu_s else \
            float("nan")
        table.append((label, f"{src.stat().st_size / 1e6:.1f} MB", floor_name,
                      floor.wall_s, floor.cpu_s, floor.peak_mb, ours.wall_s, ours.cpu_s,
                      ours.peak_mb, ratio, cpu_ratio,
                      f"<= {goal}x" + (" met" if ratio <= goal else " NOT met")
                      + (", peak met" if ours.peak_mb < 200 else ", peak NOT met")))
    print(_measure.uptime_line())
    # CPU seconds (user + system) are steadier than wall time on a busy machine.
    print(_measure.format_table(
        ["input", "size", "floor", "floor s", "floor cpu", "floor MB", "ours s", "ours cpu",
         "ours MB", "ratio", "cpu ratio", "goal"], table))


if __name__ == "__main__":
    main()
