"""The sheets of the city-hall workbook that gather one kind of answer: Votes, Data
requests, Data quality flags, Stories and quotes, Questions asked, Budget, Assets and
Evaluation. Charts are native Excel charts, so the department can restyle them."""

from __future__ import annotations

from typing import Any

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import quote
from tde_desktop.core.results.workbook_data import Answer, WorkbookData
from tde_desktop.core.results.workbook_sheets import FOLLOW_UP, language_name, table
from tde_desktop.core.workshop.tallies import tally
from tde_desktop.core.xlsx_sheet_writer import SheetWriter

CHART_ROWS = 18


def _bar_chart(writer: SheetWriter, title: str, label_col: int, value_col: int, first: int,
               last: int, anchor: str, value_title: str) -> None:
    """A native bar chart of rows ``first``..``last`` (1-based) of the writer's first sheet;
    columns are 1-based too."""
    if last < first:
        return
    sheet = writer.sheet.name
    chart = writer.wb.add_chart({"type": "bar"})  # horizontal bars keep long labels readable
    chart.add_series({
        "categories": [sheet, first - 1, label_col - 1, last - 1, label_col - 1],
        "values": [sheet, first - 1, value_col - 1, last - 1, value_col - 1],
    })
    chart.set_title({"name": title[:200]})
    # In a bar chart XlsxWriter's x axis is the horizontal one, which carries the values.
    chart.set_x_axis({"name": value_title})
    chart.set_legend({"none": True})
    chart.set_size({"width": 605, "height": 302})  # 16 x 8 cm at 96 dpi, as before
    writer.sheet.insert_chart(anchor, chart)


def _keep_charts_whole(writer: SheetWriter, charts: int) -> None:
    """Page breaks between charts, two charts a page (36 rows; a fitted landscape page
    holds about 40), so a printout never splits a chart across two pages."""
    per_page = 2 * CHART_ROWS
    breaks = [1 + per_page * j for j in range(1, (charts + 1) // 2)]
    if breaks:
        writer.sheet.set_h_pagebreaks(breaks)


def _tally_sheet(wb: Any, data: WorkbookData, title: str, kinds: tuple[str, ...],
                 value_name: str) -> str | None:
    questions = data.questions_of_kind(*kinds)
    if not questions:
        return None
    headers = [_("Exercise"), _("Question"), _("Choice"), _("Code"), value_name, _("Rank")]
    rows: list[list[Any]] = []
    blocks: list[tuple[str, int, int]] = []
    for exercise, question in questions:
        results = tally(data.pack, exercise.id, question.key, data.lang)
        ordered = sorted(results, key=lambda r: -r.value)
        ranks = {r.code: 1 + sum(1 for o in results if o.value > r.value) for r in ordered}
        first = len(rows) + 2
        for r in ordered:
            rows.append([exercise.title, label_text_of(question, exercise), r.label, r.code,
                         r.value, ranks[r.code]])
        blocks.append((f"{exercise.title}: {label_text_of(question, exercise)}", first,
                       len(rows) + 1))
    writer = table(wb, title, headers, rows, kinds=["auto", "auto", "text", "text", "auto",
                                                    "auto"])
    for i, (name, first, last) in enumerate(blocks):
        _bar_chart(writer, name, 3, 5, first, last, f"H{2 + i * CHART_ROWS}", value_name)
    _keep_charts_whole(writer, len(blocks))
    return writer.close()[0]


def label_text_of(question: Any, exercise: Any) -> str:
    from tde_desktop.core.workshop.exercises import label_text

    return label_text(question.text, exercise.language) or str(question.key)


def write_votes(wb: Any, data: WorkbookData) -> str | None:
    return _tally_sheet(wb, data, _("Votes"), ("dot_vote", "ranking"), _("Dots or points"))


def write_budget(wb: Any, data: WorkbookData) -> str | None:
    return _tally_sheet(wb, data, _("Budget"), ("budget",), _("Amount allocated"))


def _answer_of(a: Answer, key: str) -> Any:
    return a.answer.get(key, "") if isinstance(a.answer, dict) else ""


def write_data_requests(wb: Any, data: WorkbookData) -> str | None:
    answers = data.of_kind("data_request")
    headers = [_("Who needs it"), _("What data"), _("Format"), _("Department"), _("Why"),
               _("Urgency"), _("Urgency code"), _("Language"), _("Participant or group"),
               _("Time (UTC)"), *(_(h) for h in FOLLOW_UP)]
    rows = [[data.free(a, _answer_of(a, "who")), data.main_text(a),
             data.free(a, _answer_of(a, "format")), data.free(a, _answer_of(a, "department")),
             data.free(a, _answer_of(a, "why")), data.label(a), a.answer_code,
             language_name(a.lang), a.participant.code, a.updated_at, None, None, None, None]
            for a in answers]
    kinds = ["text"] * 9 + ["datetime", "text", "text", "text", "date"]
    return table(wb, _("Data requests"), headers, rows, kinds=kinds).close()[0]


def _record_summary(data: WorkbookData, dataset_id: int | None, rowid: int | None) -> str:
    """The first few fields of a flagged record, so the department can find it."""
    if dataset_id is None or rowid is None:
        return ""
    row = data.pack.conn.execute("SELECT table_name FROM _tde_datasets WHERE id = ?",
                                 (dataset_id,)).fetchone()
    if row is None:
        return ""
    columns = data.pack.columns(dataset_id)
    keys = [c for c in columns if c.is_identifier][:3] or columns[:3]
    if not keys:
        return ""
    names = ", ".join(quote(c.name) for c in keys)
    record = data.pack.conn.execute(f"SELECT {names} FROM {quote(row[0])} WHERE rowid = ?",
                                    (rowid,)).fetchone()
    if record is None:
        return _("(record no longer in the dataset)")
    return "; ".join(f"{c.original_name}={v}" for c, v in zip(keys, record, strict=True))


def _flagged_record(data: WorkbookData, a: Answer) -> str:
    """The record as it was flagged: the copy its answer keeps once the dataset was
    replaced by a newer file (see core/importers/record_refs.py), else the record now."""
    copy = _answer_of(a, "record")
    if not isinstance(copy, list) or not copy:
        return _record_summary(data, a.dataset_id, a.record_rowid)
    text = "; ".join(f"{pair[0]}={'' if pair[1] is None else pair[1]}" for pair in copy[:3]
                     if isinstance(pair, list) and len(pair) == 2)
    if _answer_of(a, "record_gone"):
        return _("(record no longer in the dataset)") + " " + text
    return text


def write_flags(wb: Any, data: WorkbookData) -> str | None:
    answers = data.of_kind("flag_record")
    headers = [_("Dataset"), _("Record id"), _("Record key fields"), _("Column"), _("Problem"),
               _("Problem code"), _("Comment"), _("Suggested correction"), _("Language"),
               _("Participant or group"), _("Time (UTC)"), *(_(h) for h in FOLLOW_UP)]
    rows = [[data.dataset_title(a.dataset_id), a.record_rowid,
             _flagged_record(data, a), _answer_of(a, "column"),
             data.label(a), a.answer_code, data.main_text(a),
             data.free(a, _answer_of(a, "correction")), language_name(a.lang),
             a.participant.code, a.updated_at, None, None, None, None] for a in answers]
    kinds = ["text", "auto"] + ["text"] * 8 + ["datetime", "text", "text", "text", "date"]
    return table(wb, _("Data quality flags"), headers, rows, kinds=kinds).close()[0]


def write_stories(wb: Any, data: WorkbookData) -> str:
    """Quotes the facilitator approved (as corrected): stories whose author ticked
    consent to quote, and notes or open answers from participants who consented to
    be quoted at sign-in. Meant to be forwarded, so nothing unmoderated is on it."""
    headers = [_("Kind"), _("Exercise"), _("Title or prompt"), _("Text"), _("Themes"),
               _("Theme codes"), _("Place"), _("Language"), _("Participant or group"),
               _("Time (UTC)")]
    rows: list[list[Any]] = []
    for a in data.of_kind("story"):
        if a.answer_code == "quote" and a.moderated_text:
            rows.append([_("Story"), a.exercise.title, _answer_of(a, "title"),
                         a.moderated_text, data.label(a), ";".join(a.tags),
                         _answer_of(a, "place"), language_name(a.lang), a.participant.code,
                         a.updated_at])
    for a in data.of_kind("sticky_note", "open_text", "plan_feedback"):
        if a.participant.consent_quote and a.moderated_text:
            rows.append([_("Quote"), a.exercise.title, a.prompt, a.moderated_text,
                         data.label(a), a.answer_code, "", language_name(a.lang),
                         a.participant.code, a.updated_at])
    kinds = ["text"] * 9 + ["datetime"]
    return table(wb, _("Stories and quotes"), headers, rows, kinds=kinds).close()[0]


def write_questions(wb: Any, data: WorkbookData) -> str | None:
    answers = data.of_kind("question_asked")
    headers = [_("Question"), _("Other data needed"), _("Where it could come from"),
               _("Exercise"), _("Language"), _("Participant or group"), _("Time (UTC)")]
    rows = [[data.main_text(a), data.free(a, _answer_of(a, "other_data")),
             data.free(a, _answer_of(a, "source")), a.exercise.title, language_name(a.lang),
             a.participant.code, a.updated_at] for a in answers]
    return table(wb, _("Questions asked"), headers, rows,
                 kinds=["text"] * 6 + ["datetime"]).close()[0]


def write_assets(wb: Any, data: WorkbookData) -> str | None:
    answers = data.of_kind("asset")
    headers = [_("Name"), _("Category"), _("Category code"), _("Location"), _("Grade"),
               _("Note"), _("Language"), _("Participant or group"), _("Time (UTC)")]
    rows = [[data.main_text(a), data.label(a), a.answer_code,
             data.free(a, _answer_of(a, "location")), a.rating,
             data.free(a, _answer_of(a, "note")), language_name(a.lang), a.participant.code,
             a.updated_at] for a in answers]
    return table(wb, _("Assets"), headers, rows, kinds=[
        "text", "text", "text", "text", "auto", "text", "text", "text", "datetime"]).close()[0]


def write_evaluation(wb: Any, data: WorkbookData) -> str | None:
    """Distributions of every choice and rating question of the evaluation exercises
    (with a chart each), then the open answers."""
    evaluation = [e for e in data.exercises if e.type == "evaluation"]
    if not evaluation:
        return None
    headers = [_("Question"), _("Answer"), _("Code"), _("Count"), _("Share"), _("Language"),
               _("Participant or group")]
    rows: list[list[Any]] = []
    charts: list[tuple[str, int, int]] = []
    for e in evaluation:
        for q in e.questions:
            prompt = label_text_of(q, e)
            if q.kind in ("single_choice", "multiple_choice", "rating"):
                results = tally(data.pack, e.id, q.key, data.lang)
                total = sum(r.value for r in results) or 1
                first = len(rows) + 2
                rows += [[prompt, r.label, r.code, r.value, round(r.value / total, 3), None,
                          None] for r in results]
                charts.append((prompt, first, len(rows) + 1))
            else:
                # open answers only as the facilitator approved them: this sheet is shared
                rows += [[prompt, a.moderated_text, None, None, None, language_name(a.lang),
                          a.participant.code] for a in data.answers if a.exercise.id == e.id
                         and a.question_key == q.key and a.moderated_text]
    writer = table(wb, _("Evaluation"), headers, rows,
                   kinds=["text", "text", "text", "auto", "auto", "text", "text"])
    for i, (name, first, last) in enumerate(charts):
        _bar_chart(writer, name, 2, 4, first, last, f"H{2 + i * CHART_ROWS}", _("Count"))
    _keep_charts_whole(writer, len(charts))
    return writer.close()[0]
