"""The self-test's import steps: the compiled readers an installed copy must carry.

Both fast paths fall back to slower Python code when their library is missing, so
an import would still work, only several times slower, and nobody would know. On an
installed copy that is worth finding out before a workshop:

* :func:`fast_csv_import`: pyarrow and the ADBC SQLite driver (``fast_csv``);
* :func:`sheet_import`: python-calamine-plus, which streams an .xlsx row by row
  (``sheet_stream``), and the import of that workbook into a pack.

Each writes only in the folder it is given and raises :class:`ImportStepFailed`
with what it saw.
"""

from __future__ import annotations

import logging
from pathlib import Path

PLACE = "Peñalolén"  # a name whose letters a wrong decoding would change


class ImportStepFailed(Exception):
    """An import did not do what it should; the message says what was seen."""


def fast_csv_import(work: Path) -> str:
    """5,000 rows in the Windows code page, as Excel saves a CSV, through the fast
    CSV importer; checks the column types and the decoding."""
    from tde_desktop.core.importers import fast_csv
    from tde_desktop.core.importers.dialect import detect_dialect
    from tde_desktop.core.importers.table_bounds import find_head
    from tde_desktop.core.importers.writer import Provenance
    from tde_desktop.core.pack import Pack

    src = work / "fast-import.csv"
    src.write_text("count,amount,opened,place\n" + "".join(
        f"{i},{i / 4},01/05/2023 01:05:00 PM,{PLACE}\n" for i in range(5000)),
        encoding="cp1252")
    reasons: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: reasons.append(record.getMessage())  # type: ignore[method-assign]
    fast_csv.log.addHandler(handler)
    fast_csv.log.setLevel(logging.INFO)
    try:
        with Pack.create(work / "fast-import.tdepack", title="Self-test") as pack:
            text = src.read_bytes().decode("cp1252")
            dialect = detect_dialect(text)
            head = find_head(text, dialect, None, src.name)
            start = len(text[:head.start_char].encode("cp1252"))  # the data rows' first byte
            info = fast_csv.import_fast(
                pack, src, Provenance(title="Fast import"), encoding="cp1252", dialect=dialect,
                span=(start, src.stat().st_size), headers=head.headers,
                header_cells=head.header_cells, geo=None, warnings=[], progress=None)
            if info is None:
                raise ImportStepFailed("the fast CSV importer did not run ("
                                       + ("; ".join(reasons) or "no reason given") + ")")
            types = [c.type for c in info.columns]
            place = pack.conn.execute(f"SELECT place FROM {info.table_name} LIMIT 1").fetchone()
    finally:
        fast_csv.log.removeHandler(handler)
    if types != ["integer", "number", "datetime", "text"]:
        raise ImportStepFailed(f"the fast CSV importer gave the types {types}")
    if place != (PLACE,):
        raise ImportStepFailed(f"the fast CSV importer read {place[0]!r} for {PLACE!r}")
    return f"{info.row_count} rows through Arrow and the ADBC SQLite driver"


def sheet_import(work: Path) -> str:
    """A 2,000-row .xlsx with a title row above its table: streamed by
    python-calamine-plus (not the slower fallback) and imported whole."""
    import openpyxl

    from tde_desktop.core.importers import import_file
    from tde_desktop.core.importers.sheet_stream import NotStreamed, StreamWorkbook
    from tde_desktop.core.pack import Pack

    src = work / "sheet-import.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Vacant lots by block, 2024"])  # a title row, as city workbooks have
    sheet.append([])
    sheet.append(["block", "lots", "share", "place"])
    for i in range(2000):
        sheet.append([f"B{i:04d}", i, i / 8, PLACE])
    book.save(src)
    try:
        streamed = StreamWorkbook(src)
    except NotStreamed as exc:
        raise ImportStepFailed(f"the .xlsx stream reader did not load ({exc})") from None
    streamed.close()
    with Pack.create(work / "sheet-import.tdepack", title="Self-test") as pack:
        info = import_file(pack, src, title="Sheet import")
        names = [c.name for c in info.columns]
        row = pack.conn.execute(f'SELECT "lots", "place" FROM {info.table_name} '
                                'WHERE "block" = \'B1999\'').fetchone()
    if info.row_count != 2000 or names != ["block", "lots", "share", "place"]:
        raise ImportStepFailed(f"the .xlsx import gave {info.row_count} rows with the "
                               f"columns {names}")
    if row is None or tuple(row) != (1999, PLACE):
        raise ImportStepFailed(f"the .xlsx import read {row!r} for block B1999")
    return f"{info.row_count} rows streamed by python-calamine-plus, title row left out"
