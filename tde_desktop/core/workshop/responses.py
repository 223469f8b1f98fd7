"""Participants and their answers: never lost, withdrawable, countable.

Participants are anonymous codes (``P-7K2Q``, groups ``G-...``); sign-in details
are optional and a contact is kept only with consent to be re-contacted.

:func:`submit_answer` is the one way an answer enters the pack. It checks the
answer (:func:`tde_desktop.core.workshop.exercises.validate_answer`), then writes it in
its own transaction with ``PRAGMA synchronous = FULL`` and returns only after
the commit: a returned :class:`Response` is the acknowledgement, and survives a
crash, a kill or a power cut from that moment on. Re-sending the same
``response_id`` (a double click, a retry) never makes a duplicate. For
single-answer kinds a participant's second answer to a question replaces the
first (same id). :func:`undo_last_answer` keeps a tombstone (``deleted = 1``).

:func:`withdraw_participant` deletes every answer of a participant and blanks
their sign-in details in one transaction, with SQLite's secure delete on so the
old bytes are overwritten rather than left in free pages.

For the projector: :func:`live_counts`, :func:`tally`, :func:`sticky_notes`,
:func:`approve`; :func:`options_from_answers` turns earlier answers into vote options.

Paper fallback: a facilitator types paper answers in later with the same
:func:`submit_answer` (``device_id="paper"``), for a participant added with
:func:`add_participant`; closed exercises and ended workshops still accept them.

All of these are re-exported by :mod:`tde_desktop.core.workshop.workshops`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.exercises import (
    AnswerRejected,
    Option,
    Question,
    clean_text,
    questions_from_config,
    validate_answer,
)

SIGNIN_FIELDS = ("neighbourhood", "age_band", "affiliation", "first_time", "consent_quote",
                 "consent_contact", "contact")
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely


@dataclass
class Participant:
    """A person or a group, known by ``code`` only."""

    id: str
    workshop_id: str
    code: str
    is_group: bool = False
    group_size: int | None = None
    neighbourhood: str = ""
    age_band: str = ""
    affiliation: str = ""
    first_time: str = ""
    consent_quote: bool = False
    consent_contact: bool = False
    contact: str = ""
    created_at: str = ""
    device_id: str = ""
    withdrawn_at: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass
class Response:
    """One stored answer with its reporting columns (see :mod:`.exercises`)."""

    id: str
    workshop_id: str
    exercise_id: str
    participant_id: str
    device_id: str
    question_key: str
    created_at: str
    updated_at: str
    seq: int
    answer: Any
    answer_text: str = ""
    answer_label: str = ""
    answer_code: str = ""
    rating: float | None = None
    tags: list[str] | None = None
    items: list[dict[str, Any]] | None = None
    dataset_id: int | None = None
    record_rowid: int | None = None
    amount: float | None = None
    rank: int | None = None
    approved: bool = False
    deleted: bool = False
    content_hash: str = ""


class TallyRow(NamedTuple):
    """One bar of a result chart: ``value`` is a count, a sum of dots or money, or points."""

    label: str
    code: str
    value: float


def _rows(pack: Pack, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = pack.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# -- participants ----------------------------------------------------------------------


def _participant(record: dict[str, Any]) -> Participant:
    for key in ("is_group", "consent_quote", "consent_contact"):
        record[key] = bool(record[key])
    return Participant(**record)


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("yes", "y", "true", "1", "si", "sí")
    return bool(value)


def _signin_values(signin: dict[str, Any], consented: bool = False) -> dict[str, Any]:
    unknown = set(signin) - set(SIGNIN_FIELDS)
    if unknown:
        raise TdeError(_("Unknown sign-in field: {name}").format(name=", ".join(sorted(unknown))))
    values: dict[str, Any] = {}
    for key, value in signin.items():
        if key in ("consent_quote", "consent_contact"):
            values[key] = int(_yes(value))
        else:
            values[key] = clean_text(value).strip()
    if values.get("first_time", "") not in ("first", "repeat", ""):
        raise AnswerRejected(_("Please say whether this is your first workshop."))
    # A contact is kept only with explicit consent to be re-contacted.
    if not values.get("consent_contact", consented):
        values["contact"] = ""
    return values


def add_participant(pack: Pack, workshop_id: str, *, is_group: bool = False,
                    group_size: int | None = None, device_id: str = "",
                    **signin: Any) -> Participant:
    """Register a participant (or a group) with a new code unique in the workshop.

    ``signin`` may hold neighbourhood, age_band, affiliation, first_time
    (``first``/``repeat``/``""``), consent_quote, consent_contact (bools or yes/no)
    and contact, which is dropped unless consent_contact is given.
    """
    values = _signin_values(signin)
    if not pack.conn.execute("SELECT 1 FROM _tde_workshops WHERE id = ?",
                             (workshop_id,)).fetchone():
        raise TdeError(_("This workshop no longer exists."))
    participant_id = str(uuid.uuid4())
    prefix = "G-" if is_group else "P-"
    with pack.atomic():
        for _attempt in range(100):
            code = prefix + "".join(secrets.choice(_CODE_ALPHABET) for _i in range(4))
            if not pack.conn.execute("SELECT 1 FROM _tde_participants WHERE workshop_id = ? "
                                     "AND code = ?", (workshop_id, code)).fetchone():
                break
        values.update(id=participant_id, workshop_id=workshop_id, code=code,
                      is_group=int(is_group), group_size=group_size, device_id=device_id,
                      created_at=utc_now())
        pack.conn.execute(f"INSERT INTO _tde_participants ({', '.join(values)}) VALUES "
                          f"({', '.join('?' * len(values))})", tuple(values.values()))
        pack.touch()
    return get_participant(pack, participant_id)


def update_participant(pack: Pack, participant_id: str, **signin: Any) -> Participant:
    """Change sign-in details (same rules as :func:`add_participant`); withdrawing
    consent to be contacted also erases the stored contact."""
    values = _signin_values(signin, get_participant(pack, participant_id).consent_contact)
    with pack.atomic():
        for key, value in values.items():
            pack.conn.execute(f"UPDATE _tde_participants SET {key} = ? WHERE id = ?",
                              (value, participant_id))
        pack.touch()
    return get_participant(pack, participant_id)


def get_participant(pack: Pack, participant_id: str) -> Participant:
    rows = _rows(pack, "SELECT * FROM _tde_participants WHERE id = ?", (participant_id,))
    if not rows:
        raise TdeError(_("This participant is not registered."))
    return _participant(rows[0])


def list_participants(pack: Pack, workshop_id: str, *,
                      include_withdrawn: bool = False) -> list[Participant]:
    """Participants in the order they signed in."""
    where = "" if include_withdrawn else " AND withdrawn_at IS NULL"
    return [_participant(r) for r in _rows(
        pack, f"SELECT * FROM _tde_participants WHERE workshop_id = ?{where} "
        "ORDER BY created_at, rowid", (workshop_id,))]


def withdraw_participant(pack: Pack, participant_id: str) -> int:
    """Delete every answer of the participant (tombstones too) and blank their sign-in
    details, in one transaction; returns how many answers were removed. Only the
    anonymous code and the withdrawal time remain, so the code is never reused."""
    get_participant(pack, participant_id)
    pack.conn.execute("PRAGMA secure_delete = ON")
    try:
        with pack.atomic():
            removed = pack.conn.execute("DELETE FROM _tde_responses WHERE participant_id = ?",
                                        (participant_id,)).rowcount
            pack.conn.execute(
                "UPDATE _tde_participants SET neighbourhood = '', age_band = '', "
                "affiliation = '', first_time = '', consent_quote = 0, consent_contact = 0, "
                "contact = '', device_id = '', group_size = NULL, withdrawn_at = ? "
                "WHERE id = ?", (utc_now(), participant_id))
            pack.touch()
    finally:
        pack.conn.execute("PRAGMA secure_delete = OFF")
    # Old page images can linger in the WAL file until a checkpoint; a busy reader only
    # delays this, it never risks the data.
    with contextlib.suppress(sqlite3.Error):
        pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return int(removed)


# -- answers -------------------------------------------------------------------------


def _response(record: dict[str, Any]) -> Response:
    for key in ("answer", "tags", "items"):
        record[key] = json.loads(record[key])
    record["approved"] = bool(record["approved"])
    record["deleted"] = bool(record["deleted"])
    return Response(**record)


def get_response(pack: Pack, response_id: str) -> Response:
    rows = _rows(pack, "SELECT * FROM _tde_responses WHERE id = ?", (response_id,))
    if not rows:
        raise TdeError(_("This answer no longer exists."))
    return _response(rows[0])


def _question(pack: Pack, workshop_id: str, exercise_id: str, key: str) -> Question:
    row = pack.conn.execute("SELECT workshop_id, config FROM _tde_exercises WHERE id = ?",
                            (exercise_id,)).fetchone()
    if row is None or row[0] != workshop_id:
        raise AnswerRejected(_("This exercise is not part of this workshop."))
    for question in questions_from_config(json.loads(row[1])):
        if question.key == key:
            return question
    raise AnswerRejected(_("This exercise has no question {key}.").format(key=key))


def submit_answer(pack: Pack, *, workshop_id: str, exercise_id: str, participant_id: str,
                  question_key: str, answer: Any, device_id: str = "",
                  response_id: str | None = None, lang: str = "en") -> Response:
    """Check and store one answer; returns only after it is committed to disk.

    Raises :class:`AnswerRejected` (nothing stored) for an answer that does not fit,
    an unknown exercise or question, or a withdrawn participant. Must not be called
    inside another transaction (the commit *is* the acknowledgement). Answers to a
    closed exercise are still accepted, so an answer sent as it closes is not lost.
    """
    if pack.conn.in_transaction:
        raise RuntimeError("submit_answer must run in its own transaction")
    question = _question(pack, workshop_id, exercise_id, question_key)
    normal = validate_answer(question, answer, lang)
    person = pack.conn.execute("SELECT workshop_id, withdrawn_at FROM _tde_participants "
                               "WHERE id = ?", (participant_id,)).fetchone()
    if person is None or person[0] != workshop_id:
        raise AnswerRejected(_("Please sign in before answering."))
    if person[1] is not None:
        raise AnswerRejected(_("This participant has withdrawn from the workshop."))
    answer_json = json.dumps(normal.answer, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256("\x1f".join(
        (exercise_id, question_key, participant_id, answer_json)).encode()).hexdigest()
    columns = {
        "device_id": device_id, "answer": answer_json, "answer_text": normal.answer_text,
        "answer_label": normal.answer_label, "answer_code": normal.answer_code,
        "rating": normal.rating, "tags": json.dumps(normal.tags, ensure_ascii=False),
        "items": json.dumps([vars(i) for i in normal.items], ensure_ascii=False),
        "dataset_id": normal.dataset_id, "record_rowid": normal.record_rowid,
        "amount": normal.amount, "rank": normal.rank, "content_hash": digest,
    }
    conn = pack.conn
    # FULL makes each commit reach the disk even in WAL mode, so an acknowledged
    # answer also survives a power cut, not only a crash of the app.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        target = _target(pack, question, response_id, exercise_id, participant_id,
                         question_key, digest)
        now = utc_now()
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM _tde_responses").fetchone()[0]
        if target is None:
            new_id = response_id or str(uuid.uuid4())
            columns.update(id=new_id, workshop_id=workshop_id, exercise_id=exercise_id,
                           participant_id=participant_id, question_key=question_key,
                           created_at=now, updated_at=now, seq=seq)
            conn.execute(f"INSERT INTO _tde_responses ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", tuple(columns.values()))
        else:
            new_id, same = target
            if not same:
                columns.update(updated_at=now, seq=seq)
                sets = ", ".join(f"{k} = ?" for k in columns)
                conn.execute(f"UPDATE _tde_responses SET {sets} WHERE id = ?",
                             (*columns.values(), new_id))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return get_response(pack, new_id)


def _target(pack: Pack, question: Question, response_id: str | None, exercise_id: str,
            participant_id: str, question_key: str,
            digest: str) -> tuple[str, bool] | None:
    """The row this answer should update (id, leave it as it is?) or None for a new row."""
    if response_id:
        row = pack.conn.execute("SELECT exercise_id, participant_id, question_key, "
                                "content_hash, deleted FROM _tde_responses WHERE id = ?",
                                (response_id,)).fetchone()
        if row is not None:
            if tuple(row[:3]) != (exercise_id, participant_id, question_key):
                raise AnswerRejected(_("This answer was already sent for another question."))
            # An identical re-send writes nothing; a re-send of an undone answer stays undone.
            return response_id, row[3] == digest or bool(row[4])
    if question.single_answer:
        row = pack.conn.execute(
            "SELECT id FROM _tde_responses WHERE participant_id = ? AND exercise_id = ? "
            "AND question_key = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1",
            (participant_id, exercise_id, question_key)).fetchone()
        if row is not None:
            return str(row[0]), False
    return None


def undo_last_answer(pack: Pack, participant_id: str,
                     exercise_id: str | None = None) -> Response | None:
    """Take back the participant's most recent answer (optionally within one exercise).

    The row stays as a tombstone (``deleted = 1``); returns it, or None if there was
    nothing to undo. Only this participant's own answers are ever touched.
    """
    where = " AND exercise_id = ?" if exercise_id else ""
    args: tuple[Any, ...] = (participant_id, exercise_id) if exercise_id else (participant_id,)
    with pack.atomic():
        row = pack.conn.execute(
            f"SELECT id FROM _tde_responses WHERE participant_id = ? AND deleted = 0{where} "
            "ORDER BY seq DESC LIMIT 1", args).fetchone()
        if row is None:
            return None
        pack.conn.execute("UPDATE _tde_responses SET deleted = 1, updated_at = ? WHERE id = ?",
                          (utc_now(), row[0]))
    return get_response(pack, str(row[0]))


def list_responses(pack: Pack, workshop_id: str, *, exercise_id: str | None = None,
                   include_deleted: bool = False) -> list[Response]:
    """A workshop's answers in the order they were last given."""
    sql = "SELECT * FROM _tde_responses WHERE workshop_id = ?"
    args: list[Any] = [workshop_id]
    if exercise_id:
        sql += " AND exercise_id = ?"
        args.append(exercise_id)
    if not include_deleted:
        sql += " AND deleted = 0"
    return [_response(r) for r in _rows(pack, sql + " ORDER BY seq", tuple(args))]


# -- for the projector -----------------------------------------------------------------


def live_counts(pack: Pack, workshop_id: str) -> dict[str, int]:
    """For every exercise of the workshop, how many participants have answered it."""
    counts = {r[0]: 0 for r in pack.conn.execute(
        "SELECT id FROM _tde_exercises WHERE workshop_id = ?", (workshop_id,))}
    for exercise_id, n in pack.conn.execute(
            "SELECT exercise_id, count(DISTINCT participant_id) FROM _tde_responses "
            "WHERE workshop_id = ? AND deleted = 0 GROUP BY exercise_id", (workshop_id,)):
        counts[exercise_id] = n
    return counts


def tally(pack: Pack, exercise_id: str, question_key: str,
          lang: str = "en") -> list[TallyRow]:
    """Results of one question, one row per option in the question's order.

    The value is: a count of answers (choices, ratings, categories such as flags
    or feedback sorts, story tags), the sum of dots (dot vote), the sum of money
    (budget), or Borda points for a ranking (first of n options earns n points).
    Rating rows are the scale points; a "skip" row is added when skipping is
    allowed. Free-text kinds with no options give an empty list.
    """
    row = pack.conn.execute("SELECT workshop_id FROM _tde_exercises WHERE id = ?",
                            (exercise_id,)).fetchone()
    if row is None:
        raise TdeError(_("This exercise no longer exists."))
    question = _question(pack, row[0], exercise_id, question_key)
    answers = _rows(pack, "SELECT answer_code, tags, items FROM _tde_responses WHERE "
                    "exercise_id = ? AND question_key = ? AND deleted = 0",
                    (exercise_id, question_key))
    options = [(o.text(lang), o.code) for o in question.all_options()]
    if question.kind == "rating":
        labels = {o.code: o.text(lang) for o in question.options}
        options = [(labels.get(str(v), str(v)), str(v))
                   for v in range(question.scale_min, question.scale_max + 1)]
    if question.allow_skip and question.kind in ("rating", "single_choice"):
        options.append((_("Skipped"), "skip"))
    totals: dict[str, float] = {code: 0.0 for _label, code in options}
    size = len(options)
    for answer in answers:
        if question.kind in ("multiple_choice", "dot_vote", "budget", "ranking"):
            for item in json.loads(answer["items"]):
                if question.kind == "multiple_choice":
                    value = 1.0
                elif question.kind == "ranking":
                    value = float(size - item["rank"] + 1)
                else:
                    value = float(item["amount"] or 0)
                totals[item["code"]] = totals.get(item["code"], 0.0) + value
        elif question.kind == "story":
            for tag in json.loads(answer["tags"]):
                totals[tag] = totals.get(tag, 0.0) + 1
        elif answer["answer_code"]:
            totals[answer["answer_code"]] = totals.get(answer["answer_code"], 0.0) + 1
    known = {code for _label, code in options}
    # Codes no longer offered (an option removed after answers came in) still count.
    options += [(code, code) for code in totals if code not in known]
    return [TallyRow(label, code, totals[code]) for label, code in options]


def sticky_notes(pack: Pack, exercise_id: str, approved_only: bool = True) -> list[Response]:
    """Free-text answers of an exercise, oldest first; only approved ones by default,
    because the projector shows only what the facilitator has approved."""
    sql = ("SELECT * FROM _tde_responses WHERE exercise_id = ? AND deleted = 0 "
           "AND answer_text != ''")
    if approved_only:
        sql += " AND approved = 1"
    return [_response(r) for r in _rows(pack, sql + " ORDER BY seq", (exercise_id,))]


def approve(pack: Pack, response_id: str, approved: bool = True) -> Response:
    """Allow (or stop) an answer's text being shown on the projector."""
    with pack.atomic():
        cur = pack.conn.execute("UPDATE _tde_responses SET approved = ? WHERE id = ?",
                                (int(approved), response_id))
        if cur.rowcount == 0:
            raise TdeError(_("This answer no longer exists."))
    return get_response(pack, response_id)


def options_from_answers(pack: Pack, exercise_id: str, question_key: str | None = None, *,
                         approved_only: bool = False) -> list[Option]:
    """Free-text answers of an exercise as options for a later vote ("dot voting on
    what we heard"). Answers that differ only in case or spacing become one option;
    each code is derived from the text, so it is the same every time it is asked for."""
    sql = ("SELECT answer_text FROM _tde_responses WHERE exercise_id = ? AND deleted = 0 "
           "AND answer_text != ''")
    args: list[Any] = [exercise_id]
    if question_key:
        sql += " AND question_key = ?"
        args.append(question_key)
    if approved_only:
        sql += " AND approved = 1"
    options: dict[str, Option] = {}
    for (text,) in pack.conn.execute(sql + " ORDER BY seq", tuple(args)):
        label = " ".join(str(text).split())
        key = label.casefold()
        if key and key not in options:
            code = "t-" + hashlib.sha256(key.encode()).hexdigest()[:8]
            options[key] = Option(code, {"en": label, "es": label})
    return list(options.values())
