"""Integrity checks of a pack: SQLite's own check, then our catalogue against the data."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import Pack, quote


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_pack(pack: Pack, originals: Sequence[Path] = ()) -> list[str]:
    """Every problem found, as plain sentences; an empty list means the pack is sound.

    Runs ``PRAGMA integrity_check``, re-counts every dataset's rows against the
    catalogue, checks each dictionary names real columns, and, for each original
    file given, compares its SHA-256 with the dataset imported from a file of that name.
    """
    problems: list[str] = []
    result = [r[0] for r in pack.conn.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        problems.extend(_("SQLite reports: {detail}").format(detail=r) for r in result[:10])
        return problems
    tables = pack.table_names()
    datasets = pack.datasets()
    # A results-only pack keeps the catalogue (row counts, checksums) but not the rows.
    results_only = pack.meta().get("results_only") == "1"
    for info in datasets:
        if info.table_name not in tables:
            problems.append(_("The data of {title} is missing.").format(title=info.title))
            continue
        rows = pack.conn.execute(f"SELECT count(*) FROM {quote(info.table_name)}").fetchone()[0]
        if rows != info.row_count and not (results_only and rows == 0):
            problems.append(ngettext("{title} should have {n:,} row but has {actual:,}.",
                                     "{title} should have {n:,} rows but has {actual:,}.",
                                     info.row_count).format(
                title=info.title, n=info.row_count, actual=rows))
        actual_cols = {r[1] for r in pack.conn.execute(
            f"PRAGMA table_info({quote(info.table_name)})")}
        for column in info.columns:
            if column.name not in actual_cols:
                problems.append(_("{title} has lost its column {column}.").format(
                    title=info.title, column=column.name))
    for original in originals:
        matches = [d for d in datasets if d.original_filename == original.name]
        if not matches:
            problems.append(_("No dataset was imported from a file called {name}.").format(
                name=original.name))
            continue
        digest = file_sha256(original)
        for info in matches:
            if info.sha256 != digest:
                problems.append(_("{name} has changed since {title} was imported from it "
                                  "(checksums differ).").format(name=original.name,
                                                                title=info.title))
    return problems
