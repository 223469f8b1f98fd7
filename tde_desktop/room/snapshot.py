"""The workshop as the phones see it, read once per worker thread while it does not change.

Every phone request needs the workshop row, its exercises and their parsed questions.
They change only when the facilitator acts (opens, closes, reveals, edits), a few times
an hour, while answers arrive many times a second. :class:`SnapshotCache` keeps, per
worker thread, the objects built from those rows and rebuilds them only when the rows
themselves differ: each request reads the workshop row and its exercise rows (two
indexed queries, no JSON parsed) and compares them with the rows the objects were built
from. The comparison is exact, so the facilitator opening an exercise reaches the very
next phone request, whatever the clock says; answers (written to other tables) never
cause a rebuild.

Objects in a :class:`Snapshot` are shared by the requests of one thread: read them,
never change them. Its ``pages`` hold question pages drawn from these objects (see
:func:`tde_desktop.room.pages.shared_page`): they go with the snapshot, so whatever
makes the workshop's rows change draws them again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.workshop.exercises import Question
from tde_desktop.core.workshop.records import WORKSHOP_JSON_FIELDS, Exercise, Workshop
from tde_desktop.room.forms import parsed_questions


@dataclass(frozen=True)
class Snapshot:
    """One workshop, its exercises by id and each exercise's questions, as stored."""

    workshop: Workshop
    exercises: dict[str, Exercise]
    questions: dict[str, tuple[Question, ...]]
    #: pages drawn from this snapshot, by what they show (one thread's, like the rest)
    pages: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False,
                                              repr=False)

    def exercise(self, exercise_id: str) -> Exercise | None:
        """The exercise ``exercise_id`` if it belongs to this workshop, else None."""
        return self.exercises.get(exercise_id)

    def question(self, exercise_id: str, key: str) -> Question | None:
        """Question ``key`` of the exercise, or None if either is not this workshop's."""
        return next((q for q in self.questions.get(exercise_id, ()) if q.key == key), None)

    def open_exercise(self) -> Exercise | None:
        """The exercise phones follow: the one the facilitator opened last, while open."""
        workshop = self.workshop
        if workshop.status != "running" or not workshop.current_exercise_id:
            return None
        exercise = self.exercises.get(workshop.current_exercise_id)
        return exercise if exercise is not None and exercise.status == "open" else None


def _rows(conn: sqlite3.Connection, sql: str, workshop_id: str) -> tuple[list[str], list[Any]]:
    cur = conn.execute(sql, (workshop_id,))
    return [d[0] for d in cur.description], cur.fetchall()


def _build(names_w: list[str], row_w: Any, names_e: list[str], rows_e: list[Any]) -> Snapshot:
    record = dict(zip(names_w, row_w, strict=True))
    for key in WORKSHOP_JSON_FIELDS:
        record[key] = json.loads(record[key])
    exercises: dict[str, Exercise] = {}
    questions: dict[str, tuple[Question, ...]] = {}
    for row in rows_e:
        values = dict(zip(names_e, row, strict=True))
        config_text = str(values["config"])
        values["config"] = json.loads(config_text)
        values["revealed"] = bool(values["revealed"])
        exercise = Exercise(**values)
        exercises[exercise.id] = exercise
        questions[exercise.id] = parsed_questions(config_text)
    return Snapshot(Workshop(**record), exercises, questions)


class SnapshotCache:
    """Per worker thread, the :class:`Snapshot` of one workshop, rebuilt when its rows change."""

    def __init__(self, workshop_id: str) -> None:
        self.workshop_id = workshop_id
        self._local = threading.local()
        self.rebuilds = 0  # how many times a thread built its snapshot (for tests)

    def get(self, conn: sqlite3.Connection) -> Snapshot:
        """The workshop as stored now; :class:`TdeError` if it was removed."""
        names_w, found = _rows(conn, "SELECT * FROM _tde_workshops WHERE id = ?",
                               self.workshop_id)
        if not found:
            raise TdeError(_("This workshop no longer exists."))
        names_e, rows_e = _rows(conn, "SELECT * FROM _tde_exercises WHERE workshop_id = ? "
                                "ORDER BY position", self.workshop_id)
        stamp = (found[0], rows_e)
        cached: tuple[Any, Snapshot] | None = getattr(self._local, "entry", None)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        snapshot = _build(names_w, found[0], names_e, rows_e)
        self._local.entry = (stamp, snapshot)
        self.rebuilds += 1
        return snapshot
