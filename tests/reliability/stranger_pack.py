"""A small but whole pack (a dataset with a tidy step, a workshop, participants, answers, one
corrected and approved) to be tampered with.

Built once per test session through the public core API, then copied: tests edit the
copy with plain SQL, as a stranger with a SQLite browser would.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

from tde_desktop.core.explore.tidy import merge_values
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import submit_answer

CSV = "address,neighborhood,units\n1 Main St,Oliver,3\n2 Oak Ave,Harlem Park,\n3 Elm St,Oliver,7\n"


def build(path: Path) -> None:
    """Write the pack at ``path`` as one self-contained file (no ``-wal`` beside it)."""
    source = path.with_suffix(".csv")
    source.write_text(CSV, encoding="utf-8")
    with Pack.create(path, title="Stranger's pack") as pack:
        import_file(pack, source, title="Vacant buildings", publisher="City",
                    licence="CC BY 4.0")
        w = ws.create_workshop(pack, "Walk in Oliver")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        for note in ("Too many empty houses", "The park is fine"):
            person = ws.add_participant(pack, w.id)
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id,
                          participant_id=person.id, question_key="note", answer=note)
        first = moderation.notes(pack, w.id)[0]
        moderation.edit_text(pack, first.id, "Too many empty houses!")
        moderation.set_status(pack, first.id, moderation.APPROVED)
        merge_values(pack, "Vacant buildings", "neighborhood", ["Harlem Park"], "Harlem  Park")
    source.unlink()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def copy_of(template: Path, path: Path) -> Path:
    """A fresh copy of the built pack at ``path``."""
    shutil.copyfile(template, path)
    return path


def tamper(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run ``statements`` on the file with a plain connection (no checks, no triggers)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA journal_mode = DELETE")
        for sql, params in statements:
            conn.execute(sql, params)
    finally:
        conn.close()


def digest(path: Path) -> str:
    """SHA-256 of the file and of a ``-wal`` beside it, if any."""
    h = hashlib.sha256(path.read_bytes())
    wal = Path(str(path) + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def listing(folder: Path) -> set[str]:
    """Every path under ``folder`` (relative), to compare before and after a command."""
    found: set[str] = set()
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(root, name), folder))
    return found
