"""What the hostile-pack fuzzers rewrite in a stranger's pack, and how.

Shared by the command-line fuzzer (``test_hostile_packs.py``) and the one that opens each
pack in the main window (``test_hostile_packs_gui.py``): the fields a stranger can edit
by group, the hostile values, a hypothesis strategy of one to three changes,
:func:`apply` to write them with plain SQL (renaming the real table or column too when
asked, so that some tampering passes the checks at open), and :class:`PackTimer` for the
line each prints a pack.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from tests.reliability.stranger_pack import tamper

#: Drawn as a short marker (hypothesis prints failing cases), written as 10 MB of text.
BIG_MARK = "<10 MB of text>"
BIG = "x" * (10 * 1024 * 1024)

#: Fields a stranger can rewrite, by group (table, column).
FIELDS = {
    "catalogue": [("_tde_datasets", c) for c in (
        "title", "description", "source_url", "publisher", "licence", "table_name",
        "import_options", "warnings", "row_count", "column_count", "geometry_column",
        "original_filename", "has_fts")] + [("_tde_meta", "title"), ("_tde_meta", "languages")],
    "dictionary": [("_tde_columns", c) for c in (
        "name", "original_name", "type", "description_en", "description_es", "unit",
        "missing_count", "position", "is_identifier")],
    "workshop": [("_tde_workshops", c) for c in (
        "title", "venue", "date", "partners", "facilitators", "languages", "pin_hash",
        "tde_step", "focus_area", "next_steps", "id")] + [("_tde_exercises", c) for c in (
        "title", "type", "config", "language", "instructions_participant", "position")],
    "response": [("_tde_participants", c) for c in (
        "code", "neighbourhood", "age_band", "affiliation", "contact", "group_size")]
    + [("_tde_responses", c) for c in (
        "answer", "answer_text", "answer_label", "answer_code", "tags", "items", "rating",
        "question_key", "amount", "record_rowid")],
    "moderation and tidy": [("_tde_moderation", c) for c in (
        "response_id", "rejected", "edited_text", "edited_at", "updated_at")]
    + [("_tde_tidy", c) for c in (
        "dataset_id", "column", "from_value", "to_value", "created_at", "undone_at")],
}
ALL_FIELDS = [f for group in FIELDS.values() for f in group]

HOSTILE_TEXT = [
    "../../evil", "..\\..\\evil", "/etc/passwd", "CON", "nul.txt", "COM1", "report.", "..",
    "<b>bold</b>", "<span style=\"font-size:90pt\">HUGE</span> note",
    "<img src=x onerror=alert(1)>", "'; DROP TABLE _tde_responses; --", "\" OR 1=1 --",
    "ds_evil\"; DROP TABLE x; --", "=HYPERLINK(\"http://evil.example\",\"click\")",
    "a\x00b", "\x00", "\u202eevil", "", " ", "ds_evil", "ds_../x", "{", "[]", "{}", "null",
    "[\"../../x\"]", "{\"a\": \"<b>\"}",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from([42, -1, 3.5, None, b"\x00\xff", 10**18]),
    st.text(max_size=40),
    st.just(BIG_MARK),
)


@dataclass
class Mutation:
    table: str
    column: str
    value: object
    rename: bool  # also rename the real table or column, so the catalogue stays consistent


@st.composite
def mutations(draw: st.DrawFn) -> list[Mutation]:
    out = []
    for _i in range(draw(st.integers(1, 3))):
        table, column = draw(st.sampled_from(ALL_FIELDS))
        out.append(Mutation(table, column, draw(VALUES), draw(st.booleans())))
    return out


def apply(path: Path, changes: list[Mutation]) -> None:
    """Write ``changes`` into the pack at ``path``; a change SQLite refuses is skipped."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA trusted_schema = OFF")
    table = conn.execute("SELECT table_name FROM _tde_datasets").fetchone()[0]
    column = conn.execute("SELECT name FROM _tde_columns ORDER BY position").fetchone()[0]
    conn.close()
    for m in changes:
        if m.value == BIG_MARK:
            m = Mutation(m.table, m.column, BIG, m.rename)
        statements: list[tuple[str, tuple[object, ...]]] = []
        if m.rename and isinstance(m.value, str) and "\x00" not in m.value and m.value:
            quoted = m.value.replace('"', '""')
            if (m.table, m.column) == ("_tde_datasets", "table_name"):
                statements.append((f'ALTER TABLE "{table}" RENAME TO "{quoted}"', ()))
            elif (m.table, m.column) == ("_tde_columns", "name"):
                statements.append((f'ALTER TABLE "{table}" RENAME COLUMN "{column}" '
                                   f'TO "{quoted}"', ()))
        where = " WHERE name = ?" if m.table == "_tde_columns" else ""
        where = " WHERE key = 'title'" if m.table == "_tde_meta" and m.column == "title" else (
            " WHERE key = 'languages'" if m.table == "_tde_meta" else where)
        params = (m.value, column) if m.table == "_tde_columns" else (m.value,)
        statements.append((f'UPDATE "{m.table}" SET "{m.column}" = ?{where}', params))
        with contextlib.suppress(sqlite3.Error):  # NOT NULL, UNIQUE...: that change is skipped
            tamper(path, *statements)


class PackTimer:
    """Times each pack a fuzzer tries: :meth:`timed` wraps one pack and, when it passes,
    prints ``pack N: 1.2 s, [table.column, ...]`` (N is ``tally["packs"]``, counted by the
    fuzzer inside the block); :attr:`slowest` is the longest pack so far, in seconds."""

    def __init__(self) -> None:
        self.slowest = 0.0

    @contextlib.contextmanager
    def timed(self, changes: list[Mutation], tally: Counter[str]) -> Iterator[None]:
        started = time.monotonic()
        yield
        took = time.monotonic() - started
        self.slowest = max(self.slowest, took)
        fields = [f"{m.table}.{m.column}" for m in changes]
        print(f"  pack {tally['packs']}: {took:.1f} s, {fields}", flush=True)
