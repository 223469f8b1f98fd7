"""Which dataset a flagged record belongs to, when the stored answer does not say.

A check-the-data exercise shows exactly one dataset, the exercise's ``dataset_id``. A
phone's form (or a paper answer typed in) names only the record, and before
:func:`~tde_desktop.core.workshop.responses.submit_answer` filled the dataset in, such
flags were stored with ``dataset_id`` NULL. Everything that reads stored answers (the
workbook, merging packs, publishing, the results-only pack) takes such a flag as a flag on
its exercise's dataset through :func:`flag_dataset_id`, so the rule is written once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

#: The question kind whose answers name a record of the exercise's dataset.
FLAG_KIND = "flag_record"


def flag_dataset_id(kind: str | None, dataset_id: int | None, record_rowid: int | None,
                    exercise_dataset_id: int | None) -> int | None:
    """The dataset of a stored answer: its own ``dataset_id`` whenever it names one;
    otherwise, for a flagged record (question ``kind`` ``flag_record`` with a
    ``record_rowid``), the exercise's dataset; otherwise None. An answer that names its
    dataset, or that is not a flag on a record, is never given another one."""
    if dataset_id is None and record_rowid is not None and kind == FLAG_KIND:
        return exercise_dataset_id
    return dataset_id


def question_kinds(config: str | dict[str, Any] | None) -> dict[str, str]:
    """Question key -> question kind for an exercise ``config`` (JSON text as stored in
    ``_tde_exercises.config``, or already parsed); empty for a config that cannot be read,
    so a damaged exercise only leaves its flags as they were stored."""
    if isinstance(config, str):
        try:
            config = json.loads(config)
        except ValueError:
            return {}
    questions = config.get("questions") if isinstance(config, dict) else None
    if not isinstance(questions, list):
        return {}
    return {str(q["key"]): str(q.get("kind", "")) for q in questions
            if isinstance(q, dict) and "key" in q}


def fill_flag_datasets(responses: list[dict[str, Any]],
                       exercises: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``responses`` (rows of ``_tde_responses`` as dicts) with the dataset of every flag
    that names only its record filled in from its exercise (rows of ``_tde_exercises``
    as dicts, ``config`` as stored), both in the numbering of the pack they were read
    from. Rows that change are copies; the others are returned as they were."""
    by_id = {e["id"]: e for e in exercises}
    kinds: dict[str, dict[str, str]] = {}
    filled: list[dict[str, Any]] = []
    for row in responses:
        exercise = by_id.get(row.get("exercise_id"))
        if row.get("dataset_id") is None and exercise is not None:
            if exercise["id"] not in kinds:
                kinds[exercise["id"]] = question_kinds(exercise.get("config"))
            dataset_id = flag_dataset_id(kinds[exercise["id"]].get(str(row["question_key"])),
                                         None, row.get("record_rowid"),
                                         exercise.get("dataset_id"))
            if dataset_id is not None:
                row = {**row, "dataset_id": dataset_id}
        filled.append(row)
    return filled
