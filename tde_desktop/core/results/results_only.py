"""A "results only" pack: the workshop results without the large data, for a USB stick.

The results pack is a real pack (same application id and schema) holding the
source pack's metadata, its catalogue and data dictionary (row counts and
checksums included, so :func:`tde_desktop.core.results.merge.merge_packs` can still
tell whether two packs were made with the same data), the datasets' tidy steps, saved
views, every workshop table, the facilitator's moderation (approvals, rejections and
corrections, so the city gets the text as approved) and the merge-conflict log.
A flag stored without its dataset (a phone's, before answers named it) is written with
its exercise's dataset. Each dataset table is present with the same columns but no rows.
The metadata key ``results_only`` is ``"1"``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import ProgressCallback, TdeError, report
from tde_desktop.core.explore.export_view import ExportFailed, replace_when_done
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.pack.table_copy import create_like, table_columns
from tde_desktop.core.workshop.flag_dataset import fill_flag_datasets

#: Copied whole, in an order that satisfies the foreign keys.
COPIED_TABLES = ("_tde_datasets", "_tde_columns", "_tde_tidy", "_tde_views", "_tde_workshops",
                 "_tde_exercises", "_tde_participants", "_tde_responses", "_tde_moderation",
                 "_tde_merge_conflicts")


def is_results_only(pack: Pack) -> bool:
    """True for a pack written by :func:`write_results_pack` (its datasets have no rows)."""
    return pack.meta().get("results_only") == "1"


def write_results_pack(pack: Pack, out_path: str | Path, *,
                       progress: ProgressCallback | None = None) -> Path:
    """Write the results-only copy of ``pack`` to ``out_path``; returns the path.

    The file is built under a temporary name beside ``out_path`` and renamed
    into place only when complete, so a cancel (``progress`` may raise
    :class:`Cancelled`) or a failure leaves whatever was at ``out_path``
    untouched. The source pack is only read. The result is a single file
    (rollback journal, not WAL), ready to copy to a stick.
    """
    out = Path(out_path)
    if out.exists() and os.path.samefile(out, pack.path):
        raise TdeError(_("The results pack must be written to a new file, not over this pack."))
    steps = len(COPIED_TABLES) + 2
    try:
        with replace_when_done(out) as tmp:
            tmp.unlink(missing_ok=True)
            new = Pack.create(tmp, title=pack.title)
            try:
                with new.atomic():
                    report(progress, 0, steps, _("Copying the pack's description"))
                    meta = {**pack.meta(), "results_only": "1", "results_of": pack.path.name,
                            "results_written_at": utc_now()}
                    new.conn.executemany("INSERT OR REPLACE INTO _tde_meta VALUES (?, ?)",
                                         list(meta.items()))
                    for i, table in enumerate(COPIED_TABLES, start=1):
                        report(progress, i, steps, _("Copying {table}").format(
                            table=table.removeprefix("_tde_")))
                        _copy_rows(pack.conn, new.conn, table)
                    _name_flag_datasets(new.conn)
                    report(progress, steps - 1, steps, _("Adding empty data tables"))
                    _empty_data_tables(pack.conn, new.conn)
                # One self-contained file: nothing beside it to lose when it is copied.
                new.conn.execute("PRAGMA journal_mode = DELETE")
            finally:
                new.close()
    except sqlite3.Error as exc:
        raise ExportFailed(_("{name} could not be written: {reason}").format(
            name=out.name, reason=exc)) from None
    report(progress, steps, steps, _("Results pack written"))
    return out


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _copy_rows(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> None:
    # Only columns both files know: the source may be an older pack opened read-only.
    mine = set(_columns(dst, table))
    cols = [c for c in _columns(src, table) if c in mine]
    if not cols:
        return
    names = ", ".join(cols)
    rows: Any = src.execute(f"SELECT {names} FROM {table} ORDER BY rowid")
    if table == "_tde_datasets" and "has_fts" in cols:
        # There is no text index without the data; the explorer must not look for one.
        at = cols.index("has_fts")
        rows = (tuple(0 if i == at else v for i, v in enumerate(row)) for row in rows)
    dst.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})",
                    rows)


def _name_flag_datasets(conn: sqlite3.Connection) -> None:
    """Flags stored without their dataset (a phone's, before answers named it) leave
    naming their exercise's dataset, as every reader of the pack takes them."""
    cur = conn.execute("SELECT id, exercise_id, question_key, dataset_id, record_rowid "
                       "FROM _tde_responses WHERE dataset_id IS NULL AND record_rowid IS NOT NULL")
    names = [d[0] for d in cur.description]
    old = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    exercises = [{"id": i, "config": c, "dataset_id": d} for i, c, d in conn.execute(
        "SELECT id, config, dataset_id FROM _tde_exercises")]
    conn.executemany("UPDATE _tde_responses SET dataset_id = ? WHERE id = ?",
                     [(r["dataset_id"], r["id"]) for r in fill_flag_datasets(old, exercises)
                      if r["dataset_id"] is not None])


def _empty_data_tables(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    for (table,) in src.execute("SELECT table_name FROM _tde_datasets ORDER BY id").fetchall():
        columns = table_columns(src, table)
        if columns:
            # Rebuilt from PRAGMA table_info with our own types: no SQL text from the pack.
            create_like(dst, table, columns)
