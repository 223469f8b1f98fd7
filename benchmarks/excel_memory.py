"""Where an Excel import's memory goes, stage by stage, beside calamine alone.

Each side runs in a fresh process and prints its resident set (RSS) and high-water
mark (VmHWM, the peak so far) after each stage, so a stage that raised the peak shows
as a jump in the second column, with the CPU seconds used so far. Linux only (it
reads /proc/self/status).

    python benchmarks/excel_memory.py [--rows-scale 0.1] [--workdir DIR] [--no-calamine]

The input is the formats benchmark's 200,000 x 12 .xlsx (same seed). Printed, each in
its own process:

- python-calamine + ``executemany``, the floor: ``get_sheet_by_name`` parses the
  whole sheet before its first row reaches Python;
- ``import_file`` as it runs for an .xlsx: streamed (:mod:`.sheet_onepass`), the
  layout decided from the head of the sheet, the rows written as they come, the
  whole sheet's scan checked at the end of the one pass;
- the calamine way (``excel_import.import_excel``, what .xls/.ods and sheets with
  Excel error values take), for comparison (``--no-calamine`` leaves it out);
- the import dialog's preview, streamed, and the calamine way.

What it showed before the import streamed (load about 2, python-calamine 0.9.1):
calamine alone is 12 MB before ``get_sheet_by_name`` and peaks at 212-216 MB inside
it, 120 MB after: the parse holds the list of every cell and the grid made from it at
once, before any Python object exists, so no reader built on ``get_sheet_by_name``
can import this file in under 200 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import formats_bench  # noqa: E402

MEM = """
import sys, time
def mem(label):
    d = dict(line.split(":", 1) for line in open("/proc/self/status"))
    rss, hwm = (int(d[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
    print(f"  {label:52s} rss {rss:6.1f} MB   peak so far {hwm:6.1f} MB   "
          f"cpu {time.process_time():5.2f} s", flush=True)
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
# (stages both import ways share: the writer and the copy into the pack)
WRITING = """
copy = fast_sheet.fast_csv._copy_into_pack
def copied(*args, **kwargs):
    mem("copy of the scratch file into the pack starts")
    return copy(*args, **kwargs)
fast_sheet.fast_csv._copy_into_pack = copied
pack = Pack.open(sys.argv[1])
mem("pack opened")
"""
STREAMED = MEM + """
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers import fast_sheet, sheet_onepass as op, sheet_stream as ss
mem("tde_desktop and the Excel importer imported")
opened = ss.StreamWorkbook.__init__
def stream_opened(self, path):
    opened(self, path)
    mem("stream opened (sheet list, no row read)")
tables = op._Import._tables
decided = []
def layout_found(self, scan):
    out = tables(self, scan)
    decided.append(1)
    mem("layout decided from the head (4,096 rows read)" if len(decided) == 1 else
        "one pass over the sheet: whole sheet's layout checked")
    return out
blocks = op._Writing.blocks
def written(self):
    mem("writing starts (pyarrow, ADBC loaded)")
    yield from blocks(self)
    mem("every block written to the scratch file")
close = ss.StreamWorkbook.close
def closed(self):
    mem(f"stream closed: {self.passes} pass(es) over the sheet")
    close(self)
ss.StreamWorkbook.__init__, op._Import._tables = stream_opened, layout_found
ss.StreamWorkbook.close = closed
op._Writing.blocks = written
""" + WRITING + """
info = import_file(pack, sys.argv[2])
pack.close()
mem(f"done: {info.row_count:,} rows")
"""
CALAMINE = MEM + """
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
from tde_desktop.core.importers import excel_import as ei, fast_sheet, sheet_onepass
mem("tde_desktop and the Excel importer imported")
sheet_onepass.import_streamed = lambda *args, **kwargs: None  # (the calamine way)
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
ei.Workbook._sheet, ei._scan, ei._text_blocks = sheet, scanned, text_blocks
""" + WRITING + """
info = import_file(pack, sys.argv[2])
pack.close()
mem(f"done: {info.row_count:,} rows")
"""
PREVIEW = MEM + """
from tde_desktop.core.importers import preview as pv, sheet_stream as ss
mem("tde_desktop and the preview imported")
if sys.argv[1] == "calamine":
    def refuse(self, path):
        raise ss.NotStreamed("the calamine way, for comparison")
    ss.StreamWorkbook.__init__ = refuse
start = time.perf_counter()
view = pv.preview(sys.argv[2])
mem(f"preview made: {len(view.rows)} rows shown, {time.perf_counter() - start:.2f} s wall")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-calamine", action="store_true",
                        help="leave out the calamine way (import and preview)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tde-excel-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    xlsx = work / "bench.xlsx"
    if not xlsx.exists():
        formats_bench.make_xlsx(xlsx, int(formats_bench.EXCEL_ROWS * args.rows_scale))
    floor_db, pack, pack2 = work / "floor.db", work / "ours.tdepack", work / "calamine.tdepack"
    for made in (floor_db, pack, pack2):
        made.unlink(missing_ok=True)
    for made in (pack, pack2) if not args.no_calamine else (pack,):
        # (made in its own process: creating a pack loads sqlite-utils, which loads pandas)
        subprocess.run([sys.executable, "-c", formats_bench.NEW_PACK, str(made)],
                       cwd=formats_bench.REPO, check=True)
    runs = [("python-calamine + executemany (the floor)", FLOOR, floor_db),
            ("tde_desktop import_file (.xlsx streamed)", STREAMED, pack)]
    if not args.no_calamine:
        runs.append(("tde_desktop import, the calamine way (.xls, .ods, error values)",
                     CALAMINE, pack2))
    runs.append(("import preview, streamed", PREVIEW, Path("streamed")))
    if not args.no_calamine:
        runs.append(("import preview, the calamine way", PREVIEW, Path("calamine")))
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    for label, code, target in runs:
        print(label)
        subprocess.run([sys.executable, "-c", code, str(target), str(xlsx)],
                       cwd=formats_bench.REPO, check=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
