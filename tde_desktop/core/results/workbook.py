"""The results workbook for city hall: one Excel file a department can act on.

Sheets: About, Participants, Responses, Votes, Data requests, Data quality flags,
Stories and quotes, Questions asked, Budget, Assets, Evaluation, Next steps,
Metrics, Codebook (a kind-specific sheet is left out when the workshop had no
exercise of that kind; Data requests, Data quality flags, Stories and quotes
and Next steps are always present so the department's process can rely on them).

Guarantees:

* withdrawn participants and undone answers appear nowhere;
* participants are codes; contact details appear only with ``include_contacts``
  *and* the participant's consent to be re-contacted;
* stories appear on *Stories and quotes* only with consent to quote;
* every breakdown by a demographic field shows counts below ``suppress_below``
  as ``"<5"`` (or the threshold chosen);
* participant text is always a text cell, never a formula;
* free text appears only once approved (corrected where corrected), unless
  ``include_unmoderated`` asks for an internal copy;
* the file is written beside ``out_path`` and renamed into place only when
  complete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import Cancelled, ProgressCallback, TdeError, report
from tde_desktop.core.explore.export_view import ExportFailed, export_failure, replace_when_done
from tde_desktop.core.gc_pause import paused_gc
from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, _, thread_language
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook_data import WorkbookData
from tde_desktop.core.xlsx_safe import streaming_workbook


def export_workbook(pack: Pack, workshop_id: str, out_path: str | Path, *,
                    suppress_below: int = 5, include_contacts: bool = False,
                    lang: str | None = None, include_unmoderated: bool = False,
                    progress: ProgressCallback | None = None) -> list[str]:
    """Write the workshop's results workbook to ``out_path``; returns the sheet names.

    Every header, sheet name and answer label is in ``lang`` (``en`` or ``es``;
    by default the workshop's first language), whatever language each
    participant answered in; each label has its stable code beside it.

    Free text a participant wrote appears only once the facilitator approved the
    answer (corrected where corrected); other answers read "(awaiting approval)" or
    "(not approved)". ``include_unmoderated`` makes an internal copy with every
    answer as written instead, and the About sheet says which was chosen.

    ``progress`` is called once per sheet and may raise :class:`Cancelled`, in
    which case any file already at ``out_path`` is left untouched.
    """
    out = Path(out_path)
    if out.suffix.lower() != ".xlsx":
        raise ExportFailed(_("The workbook must be saved as an .xlsx file."))
    if suppress_below < 1:
        raise ExportFailed(_("The small-count threshold must be 1 or more."))
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        raise ExportFailed(_("Unknown language: {lang}").format(lang=lang))
    with paused_gc():  # thousands of answers: see paused_gc
        data = WorkbookData(pack, workshop_id, suppress_below=suppress_below, lang=lang,
                            include_unmoderated=include_unmoderated)
    with thread_language(data.lang):
        return _write(data, out, include_contacts, progress)


def _write(data: WorkbookData, out: Path, include_contacts: bool,
           progress: ProgressCallback | None) -> list[str]:
    from tde_desktop.core.results import workbook_kinds as k
    from tde_desktop.core.results import workbook_sheets as s

    steps: list[tuple[str, Callable[[Any], str | None]]] = [
        (_("About"), lambda wb: s.write_about(wb, data)),
        (_("Participants"), lambda wb: s.write_participants(wb, data, include_contacts)),
        (_("Responses"), lambda wb: s.write_responses(wb, data)),
        (_("Votes"), lambda wb: k.write_votes(wb, data)),
        (_("Data requests"), lambda wb: k.write_data_requests(wb, data)),
        (_("Data quality flags"), lambda wb: k.write_flags(wb, data)),
        (_("Stories and quotes"), lambda wb: k.write_stories(wb, data)),
        (_("Questions asked"), lambda wb: k.write_questions(wb, data)
         if data.questions_of_kind("question_asked") else None),
        (_("Budget"), lambda wb: k.write_budget(wb, data)),
        (_("Assets"), lambda wb: k.write_assets(wb, data)
         if data.questions_of_kind("asset") else None),
        (_("Evaluation"), lambda wb: k.write_evaluation(wb, data)),
        (_("Next steps"), lambda wb: s.write_next_steps(wb, data)),
        (_("Metrics"), lambda wb: s.write_metrics(wb, data)),
        (_("Codebook"), lambda wb: s.write_codebook(wb, data)),
    ]
    sheets: list[str] = []
    try:
        with replace_when_done(out) as tmp, streaming_workbook(tmp) as wb:
            for i, (label, write) in enumerate(steps):
                report(progress, i, len(steps) + 1,
                       _("Writing the {sheet} sheet").format(sheet=label))
                name = write(wb)
                if name:
                    sheets.append(name)
            report(progress, len(steps), len(steps) + 1, _("Saving the workbook"))
    except (Cancelled, TdeError):
        raise
    except Exception as exc:
        failure = export_failure(out.name, exc)
        if failure is None:
            raise
        raise failure from None
    report(progress, len(steps) + 1, len(steps) + 1, _("Workbook saved"))
    return sheets
