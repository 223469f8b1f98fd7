"""Answers that point at one record (a data-quality flag, a story about a record) follow
it when its dataset is replaced by a newer file.

An answer names its record by row number (``record_rowid``), which means nothing in
the newer file's table. So while a replace swaps the tables (both still there, in one
transaction), :func:`refind_records` reads each pointed-at record from the old table,
keeps a copy of its values in the answer (``record`` in the answer's JSON, written once:
the record as it was flagged, which the workbook shows), and looks for it in the new
table: by its identifier columns when the dataset has some, else by every column the
two files share. Exactly one match: the answer points at it. None or several: the
answer points at nothing, and says so (``record_gone``), rather than at another record.

No schema change: the copy and the mark live in the answer's JSON, and the answer's
``content_hash`` is computed again as :func:`.responses.submit_answer` computes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.pack import ColumnInfo, DatasetInfo, Pack, quote

#: the answer's copy of the record's values, [[column name as in the file, value], ...]
SNAPSHOT = "record"
#: set in the answer when its record is no longer in the data after a replace
GONE = "record_gone"
#: columns copied (identifiers first): enough to recognise a record, small in a wide file
SNAPSHOT_COLUMNS = 40


@dataclass
class Refound:
    """What :func:`refind_records` did, and what it changed (for an undo)."""

    found: int = 0  # answers whose record is in the newer file (pointed at it)
    gone: int = 0  # answers whose record is not (or not only once) in it
    before: list[dict[str, Any]] = field(default_factory=list)  # the rows as they were


def answer_digest(exercise_id: str, question_key: str, participant_id: str,
                  answer_json: str) -> str:
    """The ``content_hash`` of an answer, as :func:`.responses.submit_answer` writes it."""
    return hashlib.sha256("\x1f".join(
        (exercise_id, question_key, participant_id, answer_json)).encode()).hexdigest()


def _match(pack: Pack, table: str, columns: list[ColumnInfo],
           values: dict[str, Any]) -> int | None:
    """The rowid of the one record of ``table`` with these ``values`` (None: 0 or 2+)."""
    if not columns:
        return None
    where = " AND ".join(f"{quote(c.name)} IS ?" for c in columns)
    found = pack.conn.execute(f"SELECT rowid FROM {quote(table)} WHERE {where} LIMIT 2",
                              tuple(values[c.name] for c in columns)).fetchall()
    return int(found[0][0]) if len(found) == 1 else None


def refind_records(pack: Pack, old: DatasetInfo, new: DatasetInfo) -> Refound:
    """Point the answers on ``old``'s records at the same records of ``new``.

    Must run inside the replace's transaction, while both tables exist. Guarantees: an
    answer ends pointing at the one record of ``new`` with the same identifier values
    (or, without identifiers, the same values in every shared column), or at nothing
    with ``record_gone`` set; never at another record. Each changed answer keeps a copy
    of its record's values as it was (the first copy made is never overwritten).
    """
    conn = pack.conn
    rows = conn.execute(
        "SELECT id, exercise_id, question_key, participant_id, record_rowid, answer, "
        "content_hash FROM _tde_responses WHERE dataset_id = ? AND record_rowid IS NOT NULL",
        (old.id,)).fetchall()
    report = Refound()
    if not rows:
        return report
    shared_names = {c.name for c in new.columns}
    shared = [c for c in old.columns if c.name in shared_names]
    ids = [c for c in shared if c.is_identifier]
    copied = sorted(old.columns, key=lambda c: not c.is_identifier)[:SNAPSHOT_COLUMNS]
    wanted = list({c.name: c for c in [*shared, *copied]}.values())
    select = ", ".join(quote(c.name) for c in wanted)
    for rid, exercise, key, person, rowid, answer_json, digest in rows:
        record = conn.execute(f"SELECT {select} FROM {quote(old.table_name)} WHERE rowid = ?",
                              (rowid,)).fetchone()
        try:
            answer = json.loads(answer_json)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            answer = {}
        values = dict(zip([c.name for c in wanted], record, strict=True)) if record else {}
        new_rowid = None
        if values:
            new_rowid = _match(pack, new.table_name, ids, values) if ids else None
            if new_rowid is None:
                new_rowid = _match(pack, new.table_name, shared, values)
            answer.setdefault(SNAPSHOT, [[c.original_name, values[c.name]] for c in copied])
        answer["record_rowid"] = new_rowid
        if new_rowid is None:
            answer[GONE] = True
            report.gone += 1
        else:
            answer.pop(GONE, None)
            report.found += 1
        text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
        report.before.append({"id": rid, "record_rowid": rowid, "answer": answer_json,
                              "content_hash": digest})
        conn.execute("UPDATE _tde_responses SET record_rowid = ?, answer = ?, content_hash = ? "
                     "WHERE id = ?", (new_rowid, text, answer_digest(exercise, key, person,
                                                                      text), rid))
    return report


def restore_references(pack: Pack, before: list[dict[str, Any]]) -> None:
    """Put answers back as :func:`refind_records` found them (an undone replace)."""
    for row in before:
        pack.conn.execute(
            "UPDATE _tde_responses SET record_rowid = ?, answer = ?, content_hash = ? "
            "WHERE id = ?", (row["record_rowid"], row["answer"], row["content_hash"], row["id"]))
