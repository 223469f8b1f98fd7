"""What the city-hall workbook is made from, read once and filtered for privacy.

:class:`WorkbookData` loads one workshop's exercises, its participants who have
not withdrawn, and their live answers (undone answers and anything from a
withdrawn participant are never loaded, so no sheet can show them).

Free text leaves the laptop moderated: unless ``include_unmoderated`` is chosen
(an internal copy), :meth:`WorkbookData.free` and :meth:`WorkbookData.main_text`
give a participant's words only once the facilitator approved the answer (the
corrected text where corrected), and otherwise a marker in the workbook's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.i18n import N_, _, ngettext, translate
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.privacy import QUASI_IDENTIFIERS, KReport, k_anonymise
from tde_desktop.core.workshop.exercises import Question, label_text
from tde_desktop.core.workshop.flag_dataset import flag_dataset_id
from tde_desktop.core.workshop.participants import Participant, list_participants
from tde_desktop.core.workshop.records import Exercise, Workshop, get_workshop, list_exercises

#: What an unapproved answer's free text reads in the default (moderated) workbook.
AWAITING = N_("(awaiting approval)")
NOT_APPROVED = N_("(not approved)")
#: Free text typed at sign-in is a demographic detail (see the Participants sheet).
SIGN_IN_TEXT = N_("(sign-in detail, not shown)")


@dataclass
class Answer:
    """One live answer with the exercise, question and participant it belongs to."""

    exercise: Exercise
    question: Question | None
    participant: Participant
    question_key: str
    answer: Any
    answer_text: str
    answer_label: str
    answer_code: str
    rating: float | None
    tags: list[str]
    items: list[dict[str, Any]]
    dataset_id: int | None
    record_rowid: int | None
    amount: float | None
    rank: int | None
    updated_at: str
    approved: bool = False
    corrected_text: str = ""  # the facilitator's typo correction, or ''
    id: str = ""
    rejected: bool = False
    lang: str = ""  # the language it was given in (a code), '' if not recorded

    @property
    def moderated_text(self) -> str:
        """The text as the facilitator approved it (corrected), or '' if not approved.
        Sign-in answers are demographics, never quoted: always ''."""
        if not self.approved or self.exercise.type == "sign_in":
            return ""
        return self.corrected_text or self.answer_text

    @property
    def prompt(self) -> str:
        if self.question is None:
            return self.question_key
        return label_text(self.question.text, self.exercise.language) or self.question_key


def _has_moderation(pack: Pack) -> bool:
    return pack.conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_tde_moderation'"
                             ).fetchone() is not None


def _lang_column(pack: Pack) -> str:
    """The answers' language, or '' in a pack older than migration 7 opened read-only."""
    have = {r[1] for r in pack.conn.execute("PRAGMA table_info(_tde_responses)")}
    return "r.lang" if "lang" in have else "''"


def _json_list(raw: str | None) -> list[Any]:
    # most answers carry no tags and no items: skip the JSON parser for those
    if not raw or raw == "[]":
        return []
    value: list[Any] = json.loads(raw)
    return value


class WorkbookData:
    """A workshop as the workbook needs it; withdrawn participants are absent."""

    def __init__(self, pack: Pack, workshop_id: str, *, suppress_below: int = 5,
                 lang: str | None = None, include_unmoderated: bool = False) -> None:
        self.pack = pack
        #: an internal copy with every participant's words as written, approved or not
        self.include_unmoderated = include_unmoderated
        self.workshop: Workshop = get_workshop(pack, workshop_id)
        #: the one language of every label written out (answers keep their codes)
        self.lang = lang or (self.workshop.languages[0] if self.workshop.languages else "en")
        self.suppress_below = suppress_below
        self.exercises = list_exercises(pack, workshop_id)
        self.participants = list_participants(pack, workshop_id)
        self._safe: list[dict[str, str]] | None = None
        self.k_report: KReport | None = None
        #: cells hidden in breakdowns so far: [small ones, complementary ones]
        self.suppressed = [0, 0]
        by_id = {p.id: p for p in self.participants}
        exercises = {e.id: e for e in self.exercises}
        questions = {(e.id, q.key): q for e in self.exercises for q in e.questions}
        self.answers: list[Answer] = []
        moderated = _has_moderation(pack)  # a pack older than moderation has no corrections
        edited = ("coalesce(m.edited_text, ''), coalesce(m.rejected, 0)" if moderated
                  else "'', 0")
        joined = ("LEFT JOIN _tde_moderation m ON m.response_id = r.id "
                       if moderated else "")
        cur = pack.conn.execute(
            "SELECT exercise_id, participant_id, question_key, answer, answer_text, "
            "answer_label, answer_code, rating, tags, items, dataset_id, record_rowid, amount, "
            "rank, r.updated_at, approved, " + edited + ", r.id, " + _lang_column(pack)
            + " FROM _tde_responses r "
            + joined + "WHERE workshop_id = ? AND deleted = 0 ORDER BY seq",
            (workshop_id,))
        for row in cur:
            person = by_id.get(row[1])
            exercise = exercises.get(row[0])
            if person is None or exercise is None:  # withdrawn, or exercise removed
                continue
            question = questions.get((row[0], row[2]))
            # A record flagged from a phone before answers named their dataset is a
            # record of the exercise's dataset (the only one it shows).
            dataset_id = flag_dataset_id(question.kind if question is not None else None,
                                         row[10], row[11], exercise.dataset_id)
            self.answers.append(Answer(
                exercise, question, person, row[2], json.loads(row[3]),
                row[4], row[5], row[6], row[7], _json_list(row[8]), _json_list(row[9]),
                dataset_id, row[11], row[12], row[13], row[14], bool(row[15]), str(row[16]),
                str(row[18]), bool(row[17]), str(row[19])))

    @property
    def safe_signin(self) -> list[dict[str, str]]:
        """Each participant's quasi-identifiers (:data:`QUASI_IDENTIFIERS`), in the order
        of :attr:`participants`, generalised until every combination is shared by at
        least ``suppress_below`` participants; :attr:`k_report` says what was done."""
        if self._safe is None:
            rows = [{f: str(getattr(p, f) or "") for f in QUASI_IDENTIFIERS}
                    for p in self.participants]
            self._safe, self.k_report = k_anonymise(rows, QUASI_IDENTIFIERS,
                                                    self.suppress_below)
        return self._safe

    def free(self, a: Answer, text: Any) -> Any:
        """A participant's free ``text`` from answer ``a`` as this workbook may show it: as
        written when the answer is approved (or in an internal copy), else a marker:
        "(awaiting approval)", "(not approved)" when rejected, and for a sign-in answer
        a demographic marker. Empty text stays empty."""
        if self.include_unmoderated or text in ("", None):
            return text
        if a.exercise.type == "sign_in":
            return _(SIGN_IN_TEXT)
        if a.approved:
            return text
        return _(NOT_APPROVED) if a.rejected else _(AWAITING)

    def main_text(self, a: Answer) -> str:
        """The answer's own text (a note, a request's "what", a flag's comment): with the
        facilitator's correction when approved; as written in an internal copy; else the
        marker of :meth:`free`."""
        if self.include_unmoderated or not a.answer_text:
            return a.answer_text
        shown: str = self.free(a, a.corrected_text or a.answer_text)
        return shown

    def of_kind(self, *kinds: str) -> list[Answer]:
        """Answers to questions of the given kinds, in the order they were given."""
        return [a for a in self.answers if a.question is not None and a.question.kind in kinds]

    def questions_of_kind(self, *kinds: str) -> list[tuple[Exercise, Question]]:
        return [(e, q) for e in self.exercises for q in e.questions if q.kind in kinds]

    def label(self, a: Answer) -> str:
        """The answer's choice(s) in words in the workbook's language, whatever the
        participant's language was; built from the stable codes, not the stored label."""
        if a.question is None:
            return a.answer_label
        return choice_words(a.question, a.answer_code, a.tags, self.lang)

    def code_label(self, question: Question, code: str) -> str:
        """One choice code of ``question`` in words in the workbook's language."""
        return code_words(question, code, self.lang)

    def count(self, n: int) -> int | str:
        """``n`` as shown in a breakdown: small non-zero counts become ``"<5"``."""
        if 0 < n < self.suppress_below:
            return f"<{self.suppress_below}"
        return n

    def dataset_title(self, dataset_id: int | None) -> str:
        if dataset_id is None:
            return ""
        row = self.pack.conn.execute("SELECT title FROM _tde_datasets WHERE id = ?",
                                     (dataset_id,)).fetchone()
        return str(row[0]) if row else _("(dataset removed)")

    def datasets_used(self) -> list[int]:
        """Datasets the workshop's exercises (or their saved views) point at."""
        ids: list[int] = []
        for e in self.exercises:
            candidates = [e.dataset_id]
            if e.view_id is not None:
                row = self.pack.conn.execute("SELECT dataset_id FROM _tde_views WHERE id = ?",
                                             (e.view_id,)).fetchone()
                candidates.append(row[0] if row else None)
            ids += [i for i in candidates if i is not None and i not in ids]
        return ids


def awaiting_approval(pack: Pack, workshop_id: str) -> int:
    """How many free-text answers of the workshop's present participants await the
    facilitator's approval (neither approved nor rejected; sign-in answers never do)."""
    rejected = ("coalesce((SELECT m.rejected FROM _tde_moderation m "
                "WHERE m.response_id = r.id), 0) = 0" if _has_moderation(pack) else "1")
    row = pack.conn.execute(
        "SELECT count(*) FROM _tde_responses r "
        "JOIN _tde_exercises e ON e.id = r.exercise_id "
        "JOIN _tde_participants p ON p.id = r.participant_id "
        "WHERE r.workshop_id = ? AND r.deleted = 0 AND r.answer_text != '' "
        "AND r.approved = 0 AND e.type != 'sign_in' AND p.withdrawn_at IS NULL AND "
        + rejected, (workshop_id,)).fetchone()
    return int(row[0])


def awaiting_line(n: int, include_unmoderated: bool = False) -> str:
    """One sentence for the facilitator before an export: how many notes await approval
    and what the workbook will do with them."""
    if n == 0:
        return _("No notes await your approval.")
    if include_unmoderated:
        return ngettext("{n} note awaits your approval; this internal copy includes it as "
                        "written.",
                        "{n} notes await your approval; this internal copy includes them as "
                        "written.", n).format(n=n)
    return ngettext("{n} note awaits your approval; the workbook shows it as \"{marker}\" "
                    "until you approve it in the console.",
                    "{n} notes await your approval; the workbook shows them as \"{marker}\" "
                    "until you approve them in the console.", n).format(n=n, marker=_(AWAITING))


def choice_words(question: Question, answer_code: str, tags: list[str], lang: str) -> str:
    """An answer's choice(s) in words in ``lang``, from its stable codes (``answer_code``,
    ";"-separated, or a story's ``tags``): the same words whatever language the
    participant answered in, so a label neither mixes languages nor tells which one
    a participant used."""
    codes = tags if question.kind == "story" else [c for c in answer_code.split(";") if c]
    return "; ".join(code_words(question, c, lang) for c in codes)


def code_words(question: Question, code: str, lang: str) -> str:
    """One choice code of ``question`` in words in ``lang`` (the code itself if the
    question has no such choice)."""
    if code == "skip":
        return translate("Skipped", lang)
    option = question.option(code)
    return option.text(lang) if option else code
