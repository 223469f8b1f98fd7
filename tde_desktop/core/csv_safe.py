"""CSV that a spreadsheet opens safely: participant text arrives as text, never a formula.

CSV has no cell types at all: a spreadsheet opening the file decides, so text
beginning with ``= + - @``, a tab or a line break is prefixed with a single
quote (the OWASP "CSV injection" advice) by :func:`csv_safe`. :func:`write_csv`
writes UTF-8 with a byte-order mark, so Excel reads accents right. Excel files are
made safe by :mod:`tde_desktop.core.xlsx_safe`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from tde_desktop.core.i18n import ngettext

_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: Any) -> Any:
    """``value`` made safe for a CSV file that a spreadsheet will open.

    Text starting with ``= + - @``, a tab, CR or LF is prefixed with a single
    quote so no spreadsheet evaluates it; plain numbers such as ``-12.5`` are
    left alone because a spreadsheet reads them as numbers, not formulas.
    Dates become ISO-8601 text; None becomes an empty field.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(_CSV_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
            return "'" + value
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return ngettext("[{n} byte]", "[{n} bytes]", len(value)).format(n=len(value))
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              *, on_row: Callable[[int], None] | None = None) -> int:
    """Write a UTF-8 CSV with a byte-order mark (so Excel reads accents right).

    Every field passes through :func:`csv_safe`. ``on_row(n)`` is called every
    10,000 rows (it may raise to stop). Returns the number of data rows.
    """
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(codecs.BOM_UTF8.decode("utf-8"))
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([csv_safe(h) for h in headers])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])
            n += 1
            if on_row is not None and n % 10_000 == 0:
                on_row(n)
    return n
