"""The general sheets of the city-hall workbook: About, Participants, Responses,
Next steps, Metrics and Codebook. Each function writes one sheet and returns its name."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from tde_desktop import __version__
from tde_desktop.core.i18n import N_, SUPPORTED_LANGUAGES, _, display_name, ngettext
from tde_desktop.core.pack import utc_now
from tde_desktop.core.results.privacy import (
    HIDDEN,
    NOT_GIVEN,
    complementary_count,
    describe,
    signin_label,
    suppress_breakdown,
)
from tde_desktop.core.results.workbook_data import (
    AWAITING,
    NOT_APPROVED,
    SIGN_IN_TEXT,
    WorkbookData,
)
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.core.xlsx_sheet_writer import SheetWriter

#: Empty columns the city fills in on the Data requests and Data quality flags sheets.
FOLLOW_UP = ("Status", "Owner", "Response", "Date")


#: Characters per line of the About sheet's sentences.
ABOUT_WIDTH = 90
#: The Tactical Data Engagement steps, in words.
TDE_STEPS = {"find": N_("Find: looking for a focus area with residents"),
             "refine": N_("Refine: narrowing down to a few concrete uses of the data"),
             "design": N_("Design: planning with the people who will use it"),
             "implement": N_("Implement: running it, with feedback kept open")}


def table(wb: Any, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
          kinds: Sequence[str] | None = None,
          widths: Sequence[float] | None = None) -> SheetWriter:
    """Write one table sheet (bold frozen header, filter, widths, set up to print on A4
    and Letter alike: one page wide, header row repeated on every page); returns its
    writer, still open so a chart can be added before :meth:`SheetWriter.close`."""
    writer = SheetWriter(wb, title, headers, kinds=kinds, widths=widths)
    writer.extend(rows)
    print_setup(writer.sheet)
    return writer


def print_setup(sheet: Any) -> None:
    """Fit to the page width (any height), repeat the header row, landscape; A4 and
    Letter differ by 6 mm in width, so fitting to width prints right on both."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4; Letter printers scale it, as fit-to-width allows
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&L&A&R&P / &N")


def language_name(code: str) -> str:
    """What a recorded answer language is called, as the About sheet names languages (the
    name its readers use: "Español", "English"); '' when none was recorded."""
    if not code:
        return ""
    return SUPPORTED_LANGUAGES.get(code) or display_name(code)


def _given(value: str) -> str:
    return value or _("(not given)")


def write_about(wb: Any, data: WorkbookData) -> str:
    """The workshop in words (date, venue, host, partners, TDE step), what was hidden
    and why, and the datasets used with their provenance."""
    w = data.workshop
    date = w.date or (w.started_at or "")[:10]
    step = TDE_STEPS.get(w.tde_step)
    rows: list[list[Any]] = [
        [_("Workshop"), w.title], [_("Date"), _given(date)], [_("Venue"), _given(w.venue)],
        [_("Neighbourhood"), _given(w.neighbourhood)],
        [_("Host department"), _given(w.host_department)],
        [_("Partners"), _given("; ".join(w.partners))],
        [_("Facilitators"), _given("; ".join(w.facilitators))],
        [_("TDE step"), _(step) if step else _given(w.tde_step)],
        [_("Focus area"), _given(w.focus_area)],
        [_("Languages"), ", ".join(SUPPORTED_LANGUAGES.get(x, x) for x in w.languages)],
        [_("Labels in this workbook"), SUPPORTED_LANGUAGES.get(data.lang, data.lang)],
        [_("Small counts hidden below"), data.suppress_below],
        *([_("What was hidden and why") if i == 0 else "", part]
          for line in hidden_in_words(data)
          for i, part in enumerate(textwrap.wrap(line, ABOUT_WIDTH))),
        [_("Exported at (UTC)"), utc_now()], [_("Made with"), f"tde-desktop {__version__}"],
    ]
    ids = data.datasets_used() or [d.id for d in data.pack.datasets()]
    for info in data.pack.datasets():
        if info.id not in ids:
            continue
        rows += [
            [_("Dataset"), info.title],
            [_("  source"), info.publisher], [_("  portal"), info.source_url],
            [_("  snapshot date"), info.retrieved_at], [_("  rows"), info.row_count],
            [_("  SHA-256 checksum"), info.sha256], [_("  licence"), info.licence],
        ]
    # a fixed width and sentences cut into lines: nothing spills past the printed page
    writer = table(wb, _("About"), [_("Field"), _("Value")], rows,
                   widths=[28, ABOUT_WIDTH + 4])
    return writer.close()[0]


def hidden_in_words(data: WorkbookData) -> list[str]:
    """What this workbook hides and why, one plain sentence a line."""
    metrics_rows(data)  # counts the cells the Metrics sheet hides
    data.safe_signin  # noqa: B018 -- fills data.k_report
    k = data.suppress_below
    small, beside = data.suppressed
    lines = [ngettext("Metrics: {n} count of fewer than {k} people is shown as \"<{k}\", so "
                      "that nobody in a small group can be picked out.",
                      "Metrics: {n} counts of fewer than {k} people are shown as \"<{k}\", so "
                      "that nobody in a small group can be picked out.", small
                      ).format(n=small, k=k)]
    if beside:
        lines.append(_("Metrics: {n} more counts are shown as \"(hidden)\", because the "
                       "total minus the counts shown would give the small ones away."
                       ).format(n=beside))
    if data.k_report is not None:
        lines.append(_("Participants: {what}").format(what=describe(data.k_report)))
    if data.include_unmoderated:
        lines.append(_("Internal copy, not to be forwarded: Responses, Data requests, Data "
                       "quality flags, Questions asked and Assets hold everything "
                       "participants wrote, approved or not (chosen at export)."))
    else:
        lines.append(_("Free text on every sheet appears only once the facilitator "
                       "approved it, with typos corrected; other answers read "
                       "\"{awaiting}\" or \"{rejected}\", and free text typed at sign-in "
                       "reads \"{sign_in}\".").format(
            awaiting=_(AWAITING), rejected=_(NOT_APPROVED), sign_in=_(SIGN_IN_TEXT)))
    lines.append(_("Stories and quotes, Evaluation: free text appears only once the "
                   "facilitator approved it, with typos corrected; stories only with "
                   "consent to quote."))
    return lines


def write_participants(wb: Any, data: WorkbookData, include_contacts: bool) -> str:
    """One row per code. Sign-in details are generalised (see
    :func:`~tde_desktop.core.results.privacy.k_anonymise`) so that no combination of
    neighbourhood, age band and affiliation shown is shared by fewer than the
    small-count threshold: this sheet cannot undo the suppression on Metrics."""
    lang = data.lang
    headers = [_("Code"), _("Group"), _("Group size"), _("Neighbourhood"), _("Age band"),
               _("Age band code"), _("Affiliation"), _("Affiliation code"),
               _("First time or repeat"), _("First time or repeat code"),
               _("Consents to be quoted")]
    if include_contacts:
        headers.append(_("Contact (consented)"))
    rows = []
    for p, safe in zip(data.participants, data.safe_signin, strict=True):
        row: list[Any] = [p.code, _("yes") if p.is_group else _("no"), p.group_size,
                          shown_value(safe["neighbourhood"]),
                          shown_value(signin_label("age_band", safe["age_band"], lang)),
                          code_of(safe["age_band"]),
                          shown_value(signin_label("affiliation", safe["affiliation"], lang)),
                          code_of(safe["affiliation"]),
                          signin_label("first_time", p.first_time, lang), p.first_time,
                          _("yes") if p.consent_quote else _("no")]
        if include_contacts:
            row.append(p.contact if p.consent_contact else "")
        rows.append(row)
    kinds = ["text", "auto", "auto"] + ["text"] * 9
    return table(wb, _("Participants"), headers, rows, kinds=kinds[: len(headers)]).close()[0]


def shown_value(value: str) -> str:
    """A sign-in value as written out: empty is "(not given)", hidden is "(hidden)"."""
    if value == HIDDEN:
        return _(HIDDEN)
    return value or _(NOT_GIVEN)


def code_of(value: str) -> str:
    """A sign-in code as written out: blank when hidden."""
    return "" if value == HIDDEN else value


def write_responses(wb: Any, data: WorkbookData) -> str:
    """Every live answer, one row each; free text as :meth:`WorkbookData.main_text` and
    :meth:`WorkbookData.free` allow (approved and corrected, unless an internal copy)."""
    headers = [_("Exercise"), _("Exercise type"), _("Question"), _("Prompt"),
               _("Participant or group"), _("Answer text"), _("Language"), _("Label"),
               _("Code"), _("Rating"), _("Tags"), _("Amount"), _("Rank"), _("Time (UTC)")]
    prompts: dict[tuple[str, str], str] = {}  # one per question, not one per answer

    def prompt(a: Any) -> str:
        key = (a.exercise.id, a.question_key)
        if key not in prompts:
            prompts[key] = a.prompt
        return prompts[key]

    def free_tags(a: Any) -> bool:  # a story's themes typed by the participant
        return a.question is not None and a.question.kind == "story" and not a.question.options

    rows = ([a.exercise.title, a.exercise.type, a.question_key, prompt(a), a.participant.code,
             data.main_text(a), language_name(a.lang),
             data.free(a, data.label(a)) if free_tags(a) else data.label(a),
             a.answer_code, a.rating,
             data.free(a, "; ".join(a.tags)) if free_tags(a) else "; ".join(a.tags),
             a.amount, a.rank, a.updated_at]
            for a in data.answers)
    kinds = ["auto"] * 4 + ["text", "text", "text", "text", "text", "auto", "text", "auto",
                            "auto", "datetime"]
    return table(wb, _("Responses"), headers, rows, kinds=kinds).close()[0]


def write_next_steps(wb: Any, data: WorkbookData) -> str:
    headers = [_("What we heard"), _("What the city will do"), _("Owner"), _("Due date"),
               _("How participants will be told")]
    keys = ("heard", "action", "owner", "due", "how_told")
    rows = [[step.get(k, "") for k in keys] for step in data.workshop.next_steps]
    return table(wb, _("Next steps"), headers, rows,
                 kinds=["text", "text", "text", "date", "text"]).close()[0]


def _breakdown(data: WorkbookData, measure: str, field_name: str,
               values: Iterable[str]) -> list[list[Any]]:
    """One breakdown of people, with small cells hidden and, where one hidden cell could
    be worked out from the total, the next smallest hidden too (complementary)."""
    counts = Counter(v or "" for v in values)
    safe = suppress_breakdown(counts, data.suppress_below)
    hidden = f"<{data.suppress_below}"
    data.suppressed[0] += sum(1 for n in counts.values() if 0 < n < data.suppress_below)
    data.suppressed[1] += complementary_count(safe, counts, data.suppress_below)
    rows: list[list[Any]] = []
    for value in sorted(counts):
        n = safe[value]
        shown: Any = n if n is not None else hidden if counts[value] < data.suppress_below \
            else _(HIDDEN)
        rows.append([measure, shown_value(signin_label(field_name, value, data.lang)), value,
                     shown])
    return rows


def write_metrics(wb: Any, data: WorkbookData) -> str:
    """Attendance and engagement; every breakdown by a demographic field is suppressed
    below the threshold ("<5"), and where that could be undone from the total, the
    next smallest cells are hidden too ("(hidden)"), so no small group is singled out."""
    return table(wb, _("Metrics"), [_("Measure"), _("Group"), _("Code"), _("Count")],
                 metrics_rows(data), kinds=["text", "text", "text", "auto"]).close()[0]


def metrics_rows(data: WorkbookData) -> list[list[Any]]:
    """The Metrics sheet's rows; counts the cells hidden in ``data.suppressed``."""
    data.suppressed = [0, 0]
    people = [p for p in data.participants if not p.is_group]
    groups = [p for p in data.participants if p.is_group]
    kinds = Counter(a.question.kind for a in data.answers if a.question is not None)
    feedback = sum(kinds[k] for k in ("plan_feedback", "sticky_note", "open_text"))
    evaluations = len({a.participant.id for a in data.answers
                       if a.exercise.type == "evaluation"})
    organisations = {p.affiliation.strip().casefold() for p in data.participants
                     if p.affiliation.strip()}
    rows: list[list[Any]] = [
        [_("Participants signed in"), "", "", len(people)],
        [_("Groups signed in"), "", "", len(groups)],
        [_("People in groups (as given)"), "", "", sum(g.group_size or 0 for g in groups)],
        [_("Answers given"), "", "", len(data.answers)],
        [_("Data requests"), "", "", kinds["data_request"]],
        [_("Data quality flags"), "", "", kinds["flag_record"]],
        [_("Stories"), "", "", kinds["story"]],
        [_("Feedback notes"), "", "", feedback],
        [_("Evaluations returned"), "", "", evaluations],
        [_("Organisations represented"), "", "", len(organisations)],
    ]
    # each breakdown adds up to a total above: people, or people and groups (affiliation)
    rows += _breakdown(data, _("First time or repeat"), "first_time",
                       (p.first_time for p in people))
    rows += _breakdown(data, _("Neighbourhood"), "neighbourhood",
                       (p.neighbourhood for p in people))
    rows += _breakdown(data, _("Age band"), "age_band", (p.age_band for p in people))
    rows += _breakdown(data, _("Affiliation"), "affiliation",
                       (p.affiliation for p in data.participants))
    return rows


def write_codebook(wb: Any, data: WorkbookData) -> str:
    headers = [_("Exercise"), _("Exercise type"), _("Question"), _("Question text"),
               _("Question text (es)"), _("Answer type"), _("Choice code"), _("Choice label"),
               _("Choice label (es)"), _("Scale"), _("Stored in column")]
    rows: list[list[Any]] = []
    for e in data.exercises:
        for q in e.questions:
            base = [e.title, e.type, q.key, label_text(q.text, e.language),
                    q.text.get("es", ""), q.kind]
            scale = f"{q.scale_min}-{q.scale_max}" if q.kind in ("rating", "asset") else ""
            column = _STORED_IN.get(q.kind, "answer_code")
            options = q.all_options()
            if not options:
                rows.append([*base, "", "", "", scale, column])
            for o in options:
                rows.append([*base, o.code, o.text("en"), o.label.get("es", ""), scale, column])
    return table(wb, _("Codebook"), headers, rows,
                 kinds=["text"] * len(headers)).close()[0]


_STORED_IN = {
    "open_text": "answer_text", "sticky_note": "answer_text", "story": "answer_text; tags",
    "rating": "rating", "dot_vote": "answer_code; amount", "budget": "answer_code; amount",
    "ranking": "answer_code (in order)", "question_asked": "answer_text",
    "data_request": "answer_text; answer_code", "asset": "answer_text; answer_code; rating",
    "flag_record": "answer_code; answer_text; record_rowid",
}


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
