"""Full-text search over a dataset's text columns with SQLite FTS5.

The index is an *external-content* FTS5 table ``<table>_fts``: it stores only
the word index and reads the text from the dataset table itself, so it costs a
fraction of the data's size. Datasets are never edited after import, so the
index cannot drift from its table.
"""

from __future__ import annotations

import re

from tde_desktop.core.errors import ProgressCallback, TdeError, report
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import DatasetInfo, Pack, quote

CHUNK_ROWS = 20_000
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_table(table: str) -> str:
    """The name of the text index of ``table``."""
    return f"{table}_fts"


def fts_query(text: str) -> str:
    """An FTS5 query matching rows that hold every word of ``text`` (last word as a prefix).

    Only runs of letters and digits survive, each wrapped in double quotes, so
    quotes, ``*``, ``NEAR``, ``AND``, parentheses or a lone ``-`` typed by a
    person are plain words or nothing, never FTS syntax that could raise.
    Returns "" when ``text`` holds no word at all.
    """
    words = _WORD.findall(text)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"  # as-you-type: "pothol" finds "pothole"
    return " ".join(parts)


def search_filter_sql(table: str, text: str) -> tuple[str, list[object]]:
    """A WHERE condition (and its parameter) keeping rows of ``table`` that match ``text``.

    Combine it with other conditions using AND. Text with no words matches every row.
    """
    query = fts_query(text)
    if not query:
        return "1", []
    fts = quote(fts_table(table))
    return f"rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)", [query]


def text_columns(dataset: DatasetInfo) -> list[str]:
    """The columns of ``dataset`` that the text index covers."""
    return [c.name for c in dataset.columns if c.type == "text"]


def build_fts(pack: Pack, dataset: DatasetInfo, progress: ProgressCallback | None = None
              ) -> None:
    """(Re)build the text index of ``dataset`` in one transaction.

    On success ``_tde_datasets.has_fts`` is 1. If ``progress`` raises
    :class:`Cancelled` (or anything fails) the transaction is rolled back: no
    index table, no half-built index, and ``has_fts`` unchanged.
    """
    columns = text_columns(dataset)
    if not columns:
        raise TdeError(_("{title} has no text columns to search.").format(title=dataset.title))
    table = dataset.table_name
    fts = fts_table(table)
    cols = ", ".join(quote(c) for c in columns)
    conn = pack.conn
    total = conn.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
    hi = conn.execute(f"SELECT max(rowid) FROM {quote(table)}").fetchone()[0] or 0
    with pack.atomic():
        conn.execute(f"DROP TABLE IF EXISTS {quote(fts)}")
        conn.execute(
            f"CREATE VIRTUAL TABLE {quote(fts)} USING fts5({cols}, content={quote(table)}, "
            f"content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
        done = 0
        start = 0
        report(progress, 0, total, _("Building the search index"))
        while start < hi:
            end = start + CHUNK_ROWS
            cur = conn.execute(
                f"INSERT INTO {quote(fts)} (rowid, {cols}) SELECT rowid, {cols} "
                f"FROM {quote(table)} WHERE rowid > ? AND rowid <= ?", (start, end))
            done += max(cur.rowcount, 0)
            start = end
            report(progress, min(done, total), total,
                   ngettext("Indexed {n:,} of {total:,} row", "Indexed {n:,} of {total:,} rows",
                            total).format(n=min(done, total), total=total))
        conn.execute("UPDATE _tde_datasets SET has_fts = 1 WHERE id = ?", (dataset.id,))
        pack.touch()


def drop_fts(pack: Pack, dataset: DatasetInfo) -> None:
    """Remove the text index of ``dataset`` (searching then falls back to slower LIKE)."""
    with pack.atomic():
        pack.conn.execute(f"DROP TABLE IF EXISTS {quote(fts_table(dataset.table_name))}")
        pack.conn.execute("UPDATE _tde_datasets SET has_fts = 0 WHERE id = ?", (dataset.id,))
        pack.touch()
