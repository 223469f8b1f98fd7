"""Publish a pack as a plain SQLite file plus ``metadata.json`` for Datasette.

The published file holds the datasets exactly as imported and, optionally,
what workshops heard, anonymised: participants appear by code only, with no
contact details, device ids or consent-to-contact flags; withdrawn
participants, undone answers, free text the facilitator did not approve and the
text of stories whose authors did not consent to be quoted are left out; approved
text is published as corrected. The language each answer was given in is not
published: next to the sign-in fields it could single a participant out (the one
Arabic speaker of a small group), and the participants' fields are only
k-anonymised among themselves. The department's workbook has it.

``metadata.json`` follows the format Datasette reads (top-level
title/description/license/source and ``databases -> name -> tables -> table`` with a
description per column), so ``datasette published.db --metadata metadata.json`` shows
the provenance of every table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tde_desktop import __version__
from tde_desktop.core.errors import ProgressCallback, TdeError, report
from tde_desktop.core.explore.export_view import ExportFailed, replace_when_done
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import DatasetInfo, Pack, quote
from tde_desktop.core.pack.table_copy import create_like, table_columns
from tde_desktop.core.results.privacy import HIDDEN, QUASI_IDENTIFIERS, describe, k_anonymise
from tde_desktop.core.results.workbook_data import choice_words
from tde_desktop.core.workshop.exercises import Question, label_text, questions_from_config
from tde_desktop.core.workshop.flag_dataset import flag_dataset_id

RESPONSE_COLUMNS: dict[str, str] = {
    "workshop": "Workshop title",
    "exercise": "Exercise title",
    "exercise_type": "Kind of exercise (dot_vote, data_story, check_data...)",
    "question": "Question key, stable across languages",
    "prompt": "The question as asked",
    "participant_code": "Anonymous participant or group code (P-... person, G-... group)",
    "answer_text": "Free text as the facilitator approved it, typos corrected; empty until "
                   "approved",
    "answer_label": "The choice(s) picked, in words, in the exercise's language",
    "answer_code": "The choice(s) picked, as stable codes",
    "rating": "Number given on a rating scale or as an asset grade",
    "tags": "Theme tags or choices, as a JSON list",
    "amount": "Dots placed or money allocated in total",
    "dataset_table": "Table of the dataset a record flag or story points at",
    "record_rowid": "Row id, in that table, of the record flagged or referred to",
    "answered_at": "When the answer was last given (UTC)",
}
PARTICIPANT_COLUMNS: dict[str, str] = {
    "workshop": "Workshop title",
    "code": "Anonymous participant or group code",
    "is_group": "1 for a group answering together",
    "group_size": "How many people the group had, if said",
    "neighbourhood": "Neighbourhood or ZIP as given (optional)",
    "age_band": "Age band as given (optional)",
    "affiliation": "Organisation or affiliation as given (optional)",
    "first_time": "first or repeat, as given",
}
WORKSHOP_COLUMNS: dict[str, str] = {
    "title": "Workshop title", "date": "Date", "venue": "Venue",
    "neighbourhood": "Neighbourhood served", "host_department": "City department hosting",
    "tde_step": "Tactical Data Engagement step (find, refine, design, implement)",
    "focus_area": "Focus area",
}


def publish(pack: Pack, out_db: str | Path, *, include_responses: bool = True,
            k: int = 5, quasi_identifiers: Sequence[str] = QUASI_IDENTIFIERS,
            progress: ProgressCallback | None = None) -> tuple[Path, Path]:
    """Write ``out_db`` and ``metadata.json`` beside it; returns both paths.

    In the ``participants`` table, the ``quasi_identifiers`` (neighbourhood, age
    band, affiliation by default; any other sign-in field may be added) are
    generalised or hidden, workshop by workshop, until every combination is
    shared by at least ``k`` participants (:func:`~.privacy.k_anonymise`).

    Both files are written under temporary names and renamed into place only
    when complete, so an existing publication is never left half-replaced.
    The pack is only read.
    """
    if k < 1:
        raise ExportFailed(_("The small-count threshold must be 1 or more."))
    unknown = set(quasi_identifiers) - set(PARTICIPANT_COLUMNS)
    if unknown:
        raise ExportFailed(_("Unknown sign-in field: {name}").format(
            name=", ".join(sorted(unknown))))
    out = Path(out_db)
    meta_path = out.with_name("metadata.json")
    datasets = pack.datasets()
    steps = len(datasets) + (1 if include_responses else 0)
    tables: dict[str, dict[str, Any]] = {}
    try:
        with replace_when_done(out) as tmp:
            tmp.unlink(missing_ok=True)
            conn = sqlite3.connect(str(tmp), isolation_level=None, uri=True)
            try:
                # The source is attached: its schema must not call anything of ours.
                conn.execute("PRAGMA trusted_schema = OFF")
                source = pack.path.resolve().as_uri() + "?mode=ro"
                conn.execute("ATTACH DATABASE ? AS src", (source,))
                conn.execute("BEGIN")
                for i, info in enumerate(datasets):
                    report(progress, i, steps, _("Publishing {title}").format(title=info.title))
                    _copy_dataset(conn, info)
                    tables[info.table_name] = _dataset_metadata(info)
                if include_responses and _has_workshops(conn):
                    report(progress, len(datasets), steps, _("Publishing workshop results"))
                    tables.update(_copy_workshops(conn, k, quasi_identifiers))
                conn.execute("COMMIT")
                conn.execute("DETACH DATABASE src")
            finally:
                conn.close()
        metadata = _metadata(pack, datasets, out.stem, tables)
        with replace_when_done(meta_path) as tmp_meta:
            tmp_meta.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    except sqlite3.Error as exc:
        raise ExportFailed(_("{name} could not be written: {reason}").format(
            name=out.name, reason=exc)) from None
    report(progress, steps, steps, _("Published"))
    return out, meta_path


def _copy_dataset(conn: sqlite3.Connection, info: DatasetInfo) -> None:
    columns = table_columns(conn, info.table_name, "src")
    if not columns:
        return
    # Rebuilt from PRAGMA table_info with our own types: no SQL text from the pack runs.
    create_like(conn, info.table_name, columns)
    names = ", ".join(quote(name) for name, _kind in columns)
    conn.execute(f"INSERT INTO main.{quote(info.table_name)} ({names}) "
                 f"SELECT {names} FROM src.{quote(info.table_name)}")


def _has_workshops(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM src.sqlite_master WHERE name = '_tde_responses'"
                        ).fetchone() is not None


def _question_lookup(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[Question, str]]:
    """(exercise id, question key) -> (the question, the exercise's language); an
    exercise whose questions cannot be read adds none (its rows keep what was stored)."""
    found: dict[tuple[str, str], tuple[Question, str]] = {}
    for ex_id, config, lang in conn.execute("SELECT id, config, language FROM src._tde_exercises"):
        try:
            questions = questions_from_config(json.loads(config or "{}"))
        except (ValueError, TypeError, KeyError, AttributeError, TdeError):
            continue
        for question in questions:
            found[(ex_id, question.key)] = (question, lang)
    return found


def _prompt_and_label(question: tuple[Question, str] | None, stored_label: str,
                      answer_code: str, tags: str) -> tuple[str, str]:
    """The question as asked and the answer's choice(s) in words, both in the exercise's
    language (the stored label is in the participant's, which would tell it)."""
    if question is None:
        return "", stored_label
    q, lang = question
    try:
        tag_list = [str(t) for t in json.loads(tags or "[]")]
    except ValueError:
        tag_list = []
    return label_text(q.text, lang) if q.text else "", choice_words(q, answer_code, tag_list, lang)


def _texts(question: tuple[Question, str] | None, r: Sequence[Any]) -> tuple[Any, ...]:
    """prompt, participant code, answer text, label, code, rating, tags and amount of
    response row ``r`` (as selected in :func:`_copy_workshops`)."""
    prompt, label = _prompt_and_label(question, r[7], r[8], r[10])
    return (prompt, r[5], r[6], label, r[8], r[9], r[10], r[11])


def _copy_participants(conn: sqlite3.Connection, k: int, fields: Sequence[str]) -> str:
    """Participants of each workshop, k-anonymised; returns what was done, in words."""
    rows = conn.execute(
        f"SELECT w.id, w.title, p.code, p.is_group, p.group_size, "
        f"{', '.join('p.' + c for c in list(PARTICIPANT_COLUMNS)[4:])} "
        "FROM src._tde_participants p JOIN src._tde_workshops w ON w.id = p.workshop_id "
        "WHERE p.withdrawn_at IS NULL ORDER BY w.date, p.created_at, p.rowid").fetchall()
    names = list(PARTICIPANT_COLUMNS)
    by_workshop: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_workshop.setdefault(r[0], []).append(dict(zip(names, r[1:], strict=True)))
    done: list[str] = []
    for people in by_workshop.values():
        as_text = [{**p, **{f: str(p[f] or "") for f in fields}} for p in people]
        safe, rep = k_anonymise(as_text, fields, k)
        hidden = _(HIDDEN)
        conn.executemany(
            f"INSERT INTO participants VALUES ({', '.join('?' * len(names))})",
            [[hidden if p[c] == HIDDEN else p[c] for c in names] for p in safe])
        if rep.generalised or rep.blanked_people:
            done.append(f"{people[0]['workshop']}: {describe(rep)}")
    return " ".join([ngettext("Neighbourhood, age band and affiliation are widened or hidden "
                              "until every combination is shared by at least {k} participant.",
                              "Neighbourhood, age band and affiliation are widened or hidden "
                              "until every combination is shared by at least {k} participants.",
                              k).format(k=k),
                     *done])


def _copy_workshops(conn: sqlite3.Connection, k: int = 5,
                    fields: Sequence[str] = QUASI_IDENTIFIERS) -> dict[str, dict[str, Any]]:
    cols = ", ".join(WORKSHOP_COLUMNS)
    conn.execute(f"CREATE TABLE workshops ({cols})")
    conn.execute(f"INSERT INTO workshops SELECT {cols} FROM src._tde_workshops ORDER BY date")
    conn.execute(f"CREATE TABLE participants ({', '.join(PARTICIPANT_COLUMNS)})")
    k_note = _copy_participants(conn, k, fields)
    conn.execute(f"CREATE TABLE responses ({', '.join(RESPONSE_COLUMNS)})")
    questions = _question_lookup(conn)
    # Free text is public here: only as the facilitator approved it, corrected (as in the
    # workbook's shared sheets); stories only with consent to quote.
    moderated = conn.execute("SELECT 1 FROM src.sqlite_master WHERE name = '_tde_moderation'"
                             ).fetchone() is not None
    edited = "coalesce(m.edited_text, '')" if moderated else "''"
    joined = "LEFT JOIN src._tde_moderation m ON m.response_id = r.id " if moderated else ""
    rows = conn.execute(
        "SELECT w.title, e.title, e.type, r.exercise_id, r.question_key, p.code, "
        "CASE WHEN e.type = 'data_story' AND r.answer_code != 'quote' THEN '' "
        "WHEN r.approved != 1 THEN '' WHEN " + edited + " != '' THEN " + edited + " "
        "ELSE r.answer_text END, r.answer_label, r.answer_code, r.rating, r.tags, r.amount, "
        "r.dataset_id, r.record_rowid, r.updated_at, e.dataset_id "
        "FROM src._tde_responses r "
        "JOIN src._tde_participants p ON p.id = r.participant_id "
        "JOIN src._tde_exercises e ON e.id = r.exercise_id "
        "JOIN src._tde_workshops w ON w.id = r.workshop_id "
        + joined +
        "WHERE r.deleted = 0 AND p.withdrawn_at IS NULL "
        "ORDER BY w.date, e.position, r.seq").fetchall()
    tables = dict(conn.execute("SELECT id, table_name FROM src._tde_datasets").fetchall())
    kinds = {key: question.kind for key, (question, _lang) in questions.items()}
    # A flag stored without its dataset (a phone's, before answers named it) is on its
    # exercise's dataset.
    conn.executemany(
        f"INSERT INTO responses VALUES ({', '.join('?' * len(RESPONSE_COLUMNS))})",
        [(r[0], r[1], r[2], r[4], *_texts(questions.get((r[3], r[4])), r),
          tables.get(flag_dataset_id(kinds.get((r[3], r[4])), r[12], r[13], r[15])),
          r[13], r[14]) for r in rows])
    described = _("Anonymised: codes only, no contact details; withdrawn participants "
                  "and stories without consent to quote are left out.")
    return {
        "workshops": {"title": _("Workshops"), "description": _("Workshops held"),
                      "columns": WORKSHOP_COLUMNS},
        "participants": {"title": _("Participants"), "description": described + " " + k_note,
                         "columns": PARTICIPANT_COLUMNS},
        "responses": {"title": _("Responses"),
                      "description": _("Every answer given, one row per answer. ") + described,
                      "columns": RESPONSE_COLUMNS},
    }


def _dataset_metadata(info: DatasetInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {"title": info.title, "description": info.description}
    if info.licence:
        entry["license"] = info.licence
    if info.publisher:
        entry["source"] = info.publisher
    if info.source_url:
        entry["source_url"] = info.source_url
        entry.setdefault("source", info.source_url)
    entry["columns"] = {
        c.name: c.description_en or (c.original_name if c.original_name != c.name else "")
        or c.type
        for c in info.columns
    }
    return entry


def _metadata(pack: Pack, datasets: list[DatasetInfo], db_name: str,
              tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    meta = pack.meta()
    result: dict[str, Any] = {
        "title": meta.get("title", "") or pack.title,
        "description": meta.get("description", "") or _(
            "Open data and community workshop results, published with tde-desktop {v}."
        ).format(v=__version__),
    }
    licences = {d.licence for d in datasets if d.licence}
    if len(licences) == 1:
        result["license"] = licences.pop()
    publishers = {d.publisher for d in datasets if d.publisher}
    if len(publishers) == 1:
        result["source"] = publishers.pop()
    elif meta.get("organisation"):
        result["source"] = meta["organisation"]
    result["databases"] = {db_name: {"tables": tables}}
    return result
