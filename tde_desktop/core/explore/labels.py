"""Plain column labels: what a person reads instead of a raw header like ``noticedate``.

The label comes from the data dictionary: the column's description in the
current language (else English), shortened to a header-sized phrase. A column
without a description keeps its original name. Raw names stay for tooltips and
exports; only what is shown on screen uses these labels.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Protocol

from tde_desktop.core.i18n import current_language

#: a label longer than this is cut at a word and ends with an ellipsis
MAX_LABEL = 40


class _Described(Protocol):
    original_name: str
    description_en: str
    description_es: str


def description(column: _Described, lang: str | None = None) -> str:
    """The column's description in ``lang`` (default: the current language), else English."""
    lang = lang or current_language()
    text = getattr(column, f"description_{lang}", "") if lang != "en" else ""
    return str(text or column.description_en or "").strip()


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` as a short label: no trailing full stop, no closing parenthesis remark,
    and at most ``limit`` characters (cut at a word, with an ellipsis)."""
    text = " ".join(text.split()).rstrip(".")
    without_remark = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip()
    if without_remark:
        text = without_remark
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut or text[: limit - 1]) + "\u2026"


def plain_label(column: _Described, lang: str | None = None) -> str:
    """What to show for ``column``: a short form of its description, or its original name
    when the dictionary has none. Never empty."""
    text = description(column, lang)
    return shorten(text) if text else column.original_name


def column_labels(conn: sqlite3.Connection, table: str,
                  lang: str | None = None) -> dict[str, str]:
    """Column name -> plain label for the dataset stored in ``table`` (empty if unknown)."""
    try:
        rows = conn.execute(
            "SELECT c.name, c.original_name, c.description_en, c.description_es "
            "FROM _tde_columns c JOIN _tde_datasets d ON d.id = c.dataset_id "
            "WHERE d.table_name = ?", (table,)).fetchall()
    except sqlite3.Error:
        return {}
    return {str(n): plain_label(_Row(str(o), str(en or ""), str(es or "")), lang)
            for n, o, en, es in rows}


class _Row:
    __slots__ = ("original_name", "description_en", "description_es")

    def __init__(self, original_name: str, description_en: str, description_es: str) -> None:
        self.original_name = original_name
        self.description_en = description_en
        self.description_es = description_es
