"""Spreadsheet cells as text, a column of a block of rows at a time.

:func:`.excel_layout.cell_text` says what text a cell holds; calling it for every
cell of a 200,000-row sheet took most of an import. :func:`column_texts` gives the
same text for a block of rows, one column at a time, with the common columns (all
text, all numbers, all dates, all booleans) converted by C-speed ``map`` calls and
numpy, and any other column cell by cell through ``cell_text`` itself.
``tests/core/test_import_excel.py`` checks both against each other.

numpy is imported where it is used, not with this module: an Excel import parses
its sheet before anything needs numpy, and that parse is the import's peak of
memory, which numpy's 15 MB would only raise.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from tde_desktop.core.importers.excel_layout import ERROR_VALUES, cell_text

_NONE = type(None)


def column_texts(rows: Sequence[Sequence[Any]], columns: list[int], timed: set[int] | None,
                 *, strip: bool, numbers: bool = False) -> list[Any]:
    """For each of ``columns``, the text of its cell in each of ``rows``.

    ``timed`` holds the columns whose date-times keep their clock (``None``: all of
    them, as ``cell_text`` does by default); ``strip`` strips the text. With
    ``numbers``, a column of finite numbers only is given as a numpy array of floats
    instead (its text is :func:`float_texts` of it).
    """
    if not rows:
        return [[] for _c in columns]
    every = list(itertools.zip_longest(*rows, fillvalue=None))
    empty = (None,) * len(rows)
    return [_text(every[c] if c < len(every) else empty,
                  timed is None or c in timed, strip, numbers) for c in columns]


def shown_texts(col: Sequence[Any]) -> list[str]:
    """``cell_text`` of each cell of one column, stripped, date-times with their clock."""
    texts: list[str] = _text(col, True, True, False)
    return texts


def _text(col: Sequence[Any], timed: bool, strip: bool, numbers: bool) -> Any:
    kinds = set(map(type, col))
    if kinds <= {str, _NONE}:
        out = list(col) if _NONE not in kinds else ["" if v is None else v for v in col]
        if "#" in "".join(out) and not ERROR_VALUES.isdisjoint(out):
            out = ["" if v in ERROR_VALUES else v for v in out]
        return list(map(str.strip, out)) if strip else out
    if kinds == {float}:
        import numpy as np

        values = np.array(col, dtype=np.float64)
        if numbers and np.isfinite(values).all():
            return values
        return float_texts(values, col)
    if kinds == {dt.date}:
        return list(map(dt.date.isoformat, col))
    if kinds == {bool}:
        return ["true" if v else "false" for v in col]
    if kinds == {dt.datetime} and timed:
        return [v.isoformat(timespec="seconds") for v in col]
    if strip:
        return [cell_text(v, timed).strip() for v in col]
    return [cell_text(v, timed) for v in col]


def float_texts(values: Any, col: Sequence[float] | None = None) -> list[str]:
    """``cell_text`` of floats: whole ones below 1e15 without '.0', others by repr."""
    import numpy as np

    finite = np.isfinite(values)
    whole = finite & (values == np.trunc(values)) & (np.abs(values) < 1e15)
    if whole.all():
        return list(map(str, values.astype(np.int64).tolist()))
    out = list(map(repr, values.tolist() if col is None else col))
    for i in np.flatnonzero(whole).tolist():
        out[i] = out[i][:-2]  # repr of a whole float below 1e16 ends in '.0'
    for i in np.flatnonzero(~finite).tolist():
        out[i] = ""
    if "-0" in out:  # str(int(-0.0))
        out = ["0" if t == "-0" else t for t in out]
    return out
