"""Where an Excel import's memory goes, stage by stage, beside calamine alone.

Each side runs in a fresh process and prints its resident set (RSS) and high-water
mark (VmHWM, the peak so far) after each stage, so a stage that raised the peak shows
as a jump in the second column. Linux only (it reads /proc/self/status).

    python benchmarks/excel_memory.py [--rows-scale 0.1] [--workdir DIR]

The input is the formats benchmark's 200,000 x 12 .xlsx (same seed). What it showed
(load about 2, python-calamine 0.9.1): calamine alone is 12 MB before
``get_sheet_by_name`` and peaks at 212-216 MB inside it, 120 MB after: the parse holds
the list of every cell and the grid made from it at once, before any Python object
exists, so no reader built on ``get_sheet_by_name`` can import this file in under
200 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import formats_bench  # noqa: E402

MEM = """
import sys
def mem(label):
    d = dict(line.split(":", 1) for line in open("/proc/self/status"))
    rss, hwm = (int(d[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
    print(f"  {label:44s} rss {rss:6.1f} MB   peak so far {hwm:6.1f} MB", flush=True)
mem("interpreter started")
"""
FLOOR = MEM + """
from python_calamine import CalamineWorkbook
mem("python_calamine imported")
book = CalamineWorkbook.from_path(sys.argv[2])
mem("workbook opened")
sheet = book.get_sheet_by_name("Data")
mem("get_sheet_by_name (the whole sheet parsed)")
import sqlite3
rows = sheet.iter_rows()
header = next(rows)
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE data (" + ", ".join(f'"{h}"' for h in header) + ")")
db.executemany("INSERT INTO data VALUES (" + ",".join("?" * len(header)) + ")", rows)
db.commit()
mem("rows inserted with executemany")
"""
OURS = MEM + """
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers import excel_import as ei, fast_sheet
mem("tde_desktop and the Excel importer imported")
parse, scan = ei.Workbook._sheet, ei._scan
def sheet(self, name):
    fresh = self._held is None or self._held[0] != name
    out = parse(self, name)
    if fresh:
        mem("the sheet parsed by calamine")
    return out
def scanned(*args):
    out = scan(*args)
    mem("layout scan done (numpy loaded)")
    return out
blocks = ei._text_blocks
def text_blocks(*args):
    mem("writing starts (pyarrow, ADBC loaded)")
    yield from blocks(*args)
    mem("every block written to the scratch file")
copy = fast_sheet.fast_csv._copy_into_pack
def copied(*args, **kwargs):
    mem("sheet let go, copy into the pack starts")
    return copy(*args, **kwargs)
ei.Workbook._sheet, ei._scan, ei._text_blocks = sheet, scanned, text_blocks
fast_sheet.fast_csv._copy_into_pack = copied
pack = Pack.open(sys.argv[1])
mem("pack opened")
info = import_file(pack, sys.argv[2])
pack.close()
mem(f"done: {info.row_count:,} rows")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tde-excel-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    xlsx = work / "bench.xlsx"
    if not xlsx.exists():
        formats_bench.make_xlsx(xlsx, int(formats_bench.EXCEL_ROWS * args.rows_scale))
    floor_db, pack = work / "floor.db", work / "ours.tdepack"
    floor_db.unlink(missing_ok=True)
    pack.unlink(missing_ok=True)
    # (made in its own process: creating a pack loads sqlite-utils, which loads pandas)
    subprocess.run([sys.executable, "-c", formats_bench.NEW_PACK, str(pack)],
                   cwd=formats_bench.REPO, check=True)
    for label, code, target in (("python-calamine + executemany", FLOOR, floor_db),
                                ("tde_desktop import_file", OURS, pack)):
        print(label)
        subprocess.run([sys.executable, "-c", code, str(target), str(xlsx)],
                       cwd=formats_bench.REPO, check=True)


if __name__ == "__main__":
    main()
