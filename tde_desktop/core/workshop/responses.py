"""Answers: the one way in, never lost, never duplicated, undoable, moderated.

:func:`submit_answer` is the one way an answer enters the pack. It checks the
answer (:func:`tde_desktop.core.workshop.answer_checks.validate_answer`), then writes it
in its own transaction with ``PRAGMA synchronous = FULL`` and returns only after
the commit: a returned :class:`Response` is the acknowledgement, and survives a
crash, a kill or a power cut from that moment on. Re-sending the same
``response_id`` (a double click, a retry) never makes a duplicate. For
single-answer kinds a participant's second answer to a question replaces the
first (same id). :func:`undo_last_answer` keeps a tombstone (``deleted = 1``).

Paper fallback: paper answers are typed in later with the same :func:`submit_answer`
(``device_id="paper"``); closed exercises and ended workshops still accept them.

For the projector: :func:`sticky_notes` and :func:`approve` (what free text may be
shown); the counts are in :mod:`tde_desktop.core.workshop.tallies`. Participants are
in :mod:`tde_desktop.core.workshop.participants`.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.answer_checks import AnswerRejected, validate_answer
from tde_desktop.core.workshop.exercises import Question, questions_from_config
from tde_desktop.core.workshop.flag_dataset import flag_dataset_id
from tde_desktop.core.workshop.records import fetch_dicts


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
    #: the language the answer was given in (a code), '' if not recorded (older answers)
    lang: str = ""


def _response(record: dict[str, Any]) -> Response:
    for key in ("answer", "tags", "items"):
        record[key] = json.loads(record[key])
    record["approved"] = bool(record["approved"])
    record["deleted"] = bool(record["deleted"])
    return Response(**record)


def get_response(pack: Pack, response_id: str) -> Response:
    """One stored answer (undone ones too); :class:`TdeError` if it does not exist."""
    rows = fetch_dicts(pack, "SELECT * FROM _tde_responses WHERE id = ?", (response_id,))
    if not rows:
        raise TdeError(_("This answer no longer exists."))
    return _response(rows[0])


def exercise_question(pack: Pack, workshop_id: str, exercise_id: str, key: str) -> Question:
    """The question ``key`` of an exercise of the workshop, as stored now.

    Raises :class:`AnswerRejected` if the exercise is not part of the workshop or has
    no such question.
    """
    row = pack.conn.execute("SELECT workshop_id, config FROM _tde_exercises WHERE id = ?",
                            (exercise_id,)).fetchone()
    return copy.copy(_question_of(row, workshop_id, key))


def _question_of(row: Any, workshop_id: str, key: str) -> Question:
    """The (shared, never changed) question ``key`` of an exercise row that starts with
    (workshop_id, config); :class:`AnswerRejected` as :func:`exercise_question` says."""
    if row is None or row[0] != workshop_id:
        raise AnswerRejected(_("This exercise is not part of this workshop."))
    question = _questions_by_key(str(row[1])).get(key)
    if question is None:
        raise AnswerRejected(_("This exercise has no question {key}.").format(key=key))
    return question


@functools.lru_cache(maxsize=64)
def _questions_by_key(config_text: str) -> dict[str, Question]:
    """The questions of a stored exercise config, parsed once per distinct text: the
    text is the key, so an edited exercise is parsed again and nothing stale is used.
    Callers get copies (see :func:`exercise_question`)."""
    found: dict[str, Question] = {}
    for question in questions_from_config(json.loads(config_text)):
        found.setdefault(question.key, question)  # the first of a key, as before
    return found


#: the exercise and the participant an answer names, in one look-up
_EXERCISE_AND_PERSON = (
    "SELECT e.workshop_id, e.config, p.workshop_id, p.withdrawn_at, p.id IS NOT NULL, "
    "e.dataset_id FROM _tde_exercises e LEFT JOIN _tde_participants p ON p.id = ? "
    "WHERE e.id = ?")
#: the next answer number, taken inside the write
_NEXT_SEQ = "(SELECT coalesce(max(seq), 0) + 1 FROM _tde_responses)"


def submit_answer(pack: Pack, *, workshop_id: str, exercise_id: str, participant_id: str,
                  question_key: str, answer: Any, device_id: str = "",
                  response_id: str | None = None, lang: str = "en",
                  writer: AbstractContextManager[Any] | None = None) -> Response:
    """Check and store one answer; returns only after it is committed to disk.

    Raises :class:`AnswerRejected` (nothing stored) for an answer that does not fit,
    an unknown exercise or question, or a withdrawn participant. Must not be called
    inside another transaction (the commit *is* the acknowledgement). Answers to a
    closed exercise are still accepted, so an answer sent as it closes is not lost.

    ``writer``, if given, is held from the start of the write to its commit only (the
    checks before and the read after run outside it): a server whose threads share
    one pack takes turns on it instead of SQLite's busy waiting.

    ``lang`` is the language the participant answered in (the phone's, the kiosk's
    choice, the paper sheet's); it is stored with the answer when it is one of
    :data:`~tde_desktop.core.i18n.SUPPORTED_LANGUAGES`, else '' (not recorded).
    """
    if pack.conn.in_transaction:
        raise RuntimeError("submit_answer must run in its own transaction")
    conn = pack.conn
    row = conn.execute(_EXERCISE_AND_PERSON, (participant_id, exercise_id)).fetchone()
    question = _question_of(row, workshop_id, question_key)
    normal = validate_answer(copy.copy(question), _in_exercise_dataset(question, answer, row[5]),
                             lang)
    if not row[4] or row[2] != workshop_id:
        raise AnswerRejected(_("Please sign in before answering."))
    if row[3] is not None:
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
        "lang": lang if lang in SUPPORTED_LANGUAGES else "",
    }
    # FULL makes each commit reach the disk even in WAL mode, so an acknowledged
    # answer also survives a power cut, not only a crash of the app.
    conn.execute("PRAGMA synchronous = FULL")
    with writer if writer is not None else contextlib.nullcontext():
        new_id = _write(pack, question, columns, response_id, workshop_id, exercise_id,
                        participant_id, question_key, digest)
    return get_response(pack, new_id)


def _in_exercise_dataset(question: Question, answer: Any, dataset_id: int | None) -> Any:
    """A flagged record that does not name its dataset is a record of the exercise's
    dataset (the only one a check-the-data exercise shows): a phone's form, or a paper
    answer typed in, names the record only. Without it the data-quality log would not
    say which dataset or record was flagged. The rule is :func:`flag_dataset_id`'s."""
    if not isinstance(answer, dict) or answer.get("dataset_id") is not None:
        return answer
    filled = flag_dataset_id(question.kind, None, answer.get("record_rowid"), dataset_id)
    return answer if filled is None else {**answer, "dataset_id": filled}


def _write(pack: Pack, question: Question, columns: dict[str, Any], response_id: str | None,
           workshop_id: str, exercise_id: str, participant_id: str, question_key: str,
           digest: str) -> str:
    """The answer's one transaction, committed; returns the id of its row."""
    conn = pack.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Checked again inside the write: a withdrawal committed since the checks wins.
        person = conn.execute("SELECT withdrawn_at FROM _tde_participants WHERE id = ?",
                              (participant_id,)).fetchone()
        if person is None or person[0] is not None:
            raise AnswerRejected(_("This participant has withdrawn from the workshop."))
        target = _target(pack, question, response_id, exercise_id, participant_id,
                         question_key, digest)
        now = utc_now()
        if target is None:
            new_id = response_id or str(uuid.uuid4())
            columns.update(id=new_id, workshop_id=workshop_id, exercise_id=exercise_id,
                           participant_id=participant_id, question_key=question_key,
                           created_at=now, updated_at=now)
            conn.execute(f"INSERT INTO _tde_responses ({', '.join(columns)}, seq) VALUES "
                         f"({', '.join('?' * len(columns))}, {_NEXT_SEQ})",
                         tuple(columns.values()))
        else:
            new_id, same = target
            if not same:
                columns.update(updated_at=now)
                sets = ", ".join(f"{k} = ?" for k in columns)
                conn.execute(f"UPDATE _tde_responses SET {sets}, seq = {_NEXT_SEQ} "
                             "WHERE id = ?", (*columns.values(), new_id))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return new_id


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
    return [_response(r) for r in fetch_dicts(pack, sql + " ORDER BY seq", tuple(args))]


def sticky_notes(pack: Pack, exercise_id: str, approved_only: bool = True) -> list[Response]:
    """Free-text answers of an exercise, oldest first; only approved ones by default,
    because the projector shows only what the facilitator has approved."""
    sql = ("SELECT * FROM _tde_responses WHERE exercise_id = ? AND deleted = 0 "
           "AND answer_text != ''")
    if approved_only:
        sql += " AND approved = 1"
    return [_response(r) for r in fetch_dicts(pack, sql + " ORDER BY seq", (exercise_id,))]


def approve(pack: Pack, response_id: str, approved: bool = True) -> Response:
    """Allow (or stop) an answer's text being shown on the projector."""
    with pack.atomic():
        cur = pack.conn.execute("UPDATE _tde_responses SET approved = ? WHERE id = ?",
                                (int(approved), response_id))
        if cur.rowcount == 0:
            raise TdeError(_("This answer no longer exists."))
    return get_response(pack, response_id)
