"""The printable one-page "What we heard" summary of a workshop, as a PDF.

Drawn with matplotlib's PDF backend on one A4 figure (no Qt), in plain large
type. It shows the workshop, attendance (first time or returning), the top
votes, the top data requests, recurring themes (story tags, or the most
frequent words of approved sticky notes and stories, stop words removed) and
the next steps the city has written down.

Privacy: it is built from the same filtered data as the workbook (withdrawn
participants and undone answers are absent), shows no participant codes, and
every count below ``suppress_below`` is printed as "fewer than 5". Free text
appears only as single frequent words and data-request titles.
"""

from __future__ import annotations

import re
import textwrap
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import Cancelled, ProgressCallback, TdeError, report
from tde_desktop.core.explore.export_view import ExportFailed, replace_when_done
from tde_desktop.core.i18n import (
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    ngettext,
    thread_language,
)
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.privacy import suppress_breakdown
from tde_desktop.core.results.workbook_data import WorkbookData
from tde_desktop.core.workshop.tallies import tally

A4_INCHES = (8.27, 11.69)
TOP = 3
_STOP_EN = """
a about after all also am an and any are as at be because been but by can could did do does
for from get got had has have he her here him his how i if in into is it its just like me more
most my no not of on one only or our out over she so some than that the their them then there
these they this to too up us very was we were what when where which who why will with would
you your yes dont don't it's i'm im there's lot lots really much many need needs want
ave avenue st street rd road blvd lane way house houses home homes building buildings
place places area city neighborhood neighbourhood people thing things see
near next around
"""
_STOP_ES = """
el la los las un una unos unas y o de del al en con por para que es son se lo le les su sus
mi mis tu nos muy mas más pero como cuando donde porque hay esta este estos estas eso ese
ya sí si no está están ser hace hacer tiene tienen todo todos toda todas otro otra también
calle calles avenida av casa casas edificio edificios barrio ciudad gente cosa cosas lugar zona
cerca junto lado
"""
#: Words too common to be a theme, per language; place words (street types, "houses")
#: are here too: every note in a neighbourhood workshop names them.
STOP_WORDS: dict[str, frozenset[str]] = {"en": frozenset(_STOP_EN.split()),
                                         "es": frozenset(_STOP_ES.split())}
#: How much of a note is quoted around a theme word, in characters either side.
CONTEXT = 28


@dataclass
class SummaryContent:
    """What the page says, already suppressed; each list holds ready-to-print lines."""

    title: str
    when_where: str
    attendance: list[str] = field(default_factory=list)
    votes: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: data requests made but not approved by the facilitator (so not listed)
    requests_waiting: int = 0
    themes: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    #: said once, when every count about people on the page had to be hidden
    all_hidden: str = ""


def shown(n: float, suppress_below: int) -> str:
    """A count of people as printed: small non-zero counts become "fewer than 5"."""
    if 0 < n < suppress_below:
        return _("fewer than {n}").format(n=suppress_below)
    return f"{n:,.0f}"


def summary_content(pack: Pack, workshop_id: str, *, suppress_below: int = 5,
                    lang: str | None = None) -> SummaryContent:
    """Gather the page's lines from the pack (read only), labels in ``lang``.

    Counts of people (who came, first time or not) are suppressed below
    ``suppress_below``, with complementary suppression; vote tallies are not
    counts of people and are printed as they are. Free text (data requests,
    themes) comes only from answers the facilitator approved, as corrected.
    """
    data = WorkbookData(pack, workshop_id, suppress_below=suppress_below, lang=lang)
    ws = data.workshop
    place = ", ".join(x for x in (ws.venue, ws.neighbourhood) if x)
    content = SummaryContent(ws.title, " · ".join(x for x in (ws.date, place) if x))
    _attendance(data, content)
    for exercise, question in data.questions_of_kind("dot_vote", "ranking"):
        rows = sorted((r for r in tally(pack, exercise.id, question.key, data.lang)
                       if r.value > 0), key=lambda r: (-r.value, r.label))[:TOP]
        if rows:
            dots = question.kind == "dot_vote"

            def unit(n: int, dots: bool = dots) -> str:
                return ngettext("dot", "dots", n) if dots else ngettext("point", "points", n)

            content.votes.append(exercise.title + ": " + "; ".join(
                f"{r.label} ({r.value:,.0f} {unit(int(r.value))})" for r in rows))

    requests: Counter[str] = Counter()
    names: dict[str, str] = {}
    for a in data.of_kind("data_request"):
        text = " ".join(a.moderated_text.split())
        if text:
            names.setdefault(text.casefold(), text)
            requests[text.casefold()] += 1
        else:
            content.requests_waiting += 1
    content.requests = [f"{names[k]} ({n})"
                        for k, n in sorted(requests.items(), key=lambda kv: (-kv[1], kv[0]))
                        [:TOP + 2]]
    content.themes = _themes(data)
    content.next_steps = [
        " → ".join(x for x in (step.get("heard", ""), step.get("action", "")) if x)
        + (f" ({', '.join(x for x in (step.get('owner', ''), step.get('due', '')) if x)})"
           if step.get("owner") or step.get("due") else "")
        for step in ws.next_steps if step.get("heard") or step.get("action")]
    return content


def _attendance(data: WorkbookData, content: SummaryContent) -> None:
    """Who came: the totals, and first time or returning with complementary suppression
    (the total is printed, so one hidden count would be given away by the other)."""
    k = data.suppress_below
    people = [p for p in data.participants if not p.is_group]
    groups = [p for p in data.participants if p.is_group]
    content.attendance.append(_("People who signed in: {n}").format(n=f"{len(people):,}"))
    if groups:
        content.attendance.append(_("Groups: {n}").format(n=f"{len(groups):,}"))
    counts = Counter(p.first_time if p.first_time in ("first", "repeat") else ""
                     for p in people)
    safe = suppress_breakdown(counts, k)
    if counts and all(safe[key] is None for key in counts):
        content.all_hidden = _("How many came for the first time is not shown: one group "
                               "is smaller than {k}, and the other would give it away."
                               ).format(k=k)
        return
    if people:
        first, repeat = safe.get("first", 0), safe.get("repeat", 0)
        content.attendance.append(_("First workshop: {first} · Came before: {repeat}").format(
            first=_("not shown") if first is None else f"{first:,}",
            repeat=_("not shown") if repeat is None else f"{repeat:,}"))


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{3,}", text.casefold())


def _themes(data: WorkbookData) -> list[str]:
    """Story tags, or else the words that come up in two or more approved notes and
    stories (as corrected), each with a few words around it from one of them."""
    tags: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for a in data.of_kind("story"):
        if not a.question:
            continue
        for tag in a.tags:
            labels[tag] = data.code_label(a.question, tag)
            tags[tag] += 1
    if tags:
        return [f"{labels[t]} ({n})" for t, n in
                sorted(tags.items(), key=lambda kv: (-kv[1], labels[kv[0]]))[:TOP + 3]]
    stop = frozenset().union(*STOP_WORDS.values())  # a bilingual room writes in both
    words: Counter[str] = Counter()
    where: dict[str, str] = {}
    for a in data.of_kind("sticky_note", "story", "open_text"):
        text = " ".join(a.moderated_text.split())
        found = {w for w in _words(text) if w not in stop}
        words.update(found)  # one note counts once per word
        for w in found:
            where.setdefault(w, text)
    return [f"{w} ({n}): {_in_context(w, where[w])}" for w, n in
            sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP + 2] if n > 1]


def _in_context(word: str, text: str) -> str:
    """A few words either side of ``word`` in ``text``, quoted."""
    at = text.casefold().find(word)
    start, end = max(0, at - CONTEXT), min(len(text), at + len(word) + CONTEXT)
    while start > 0 and text[start - 1] != " ":
        start += 1
    while end < len(text) and text[end] != " ":
        end -= 1
    snippet = text[start:end].strip()
    return "“" + ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "") + "”"


def write_summary_pdf(pack: Pack, workshop_id: str, out_path: str | Path, *,
                      suppress_below: int = 5, lang: str | None = None,
                      progress: ProgressCallback | None = None) -> Path:
    """Write the one-page summary to ``out_path`` (a ``.pdf``); returns the path.

    Always exactly one A4 page: long sections are cut short with a pointer to
    the workbook. Written beside ``out_path`` and renamed into place when
    complete, so a failure or a cancel leaves any earlier file untouched.
    """
    out = Path(out_path)
    if out.suffix.lower() != ".pdf":
        raise ExportFailed(_("The summary must be saved as a .pdf file."))
    if suppress_below < 1:
        raise ExportFailed(_("The small-count threshold must be 1 or more."))
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        raise ExportFailed(_("Unknown language: {lang}").format(lang=lang))
    with thread_language(lang or current_language()):
        report(progress, 0, 2, _("Gathering what we heard"))
        content = summary_content(pack, workshop_id, suppress_below=suppress_below, lang=lang)
        report(progress, 1, 2, _("Drawing the page"))
        _save(content, out)
    report(progress, 2, 2, _("Summary saved"))
    return out


def _save(content: SummaryContent, out: Path) -> None:
    try:
        with replace_when_done(out) as tmp:
            _draw(content, tmp)
    except (Cancelled, TdeError):
        raise
    except OSError as exc:
        raise ExportFailed(_("{name} could not be written: {reason}").format(
            name=out.name, reason=exc.strerror or exc)) from None


class _Page:
    """Writes lines top-down on the figure and stops at the bottom margin."""

    LEFT, BOTTOM = 0.08, 0.06
    WIDTH_CHARS = 70

    def __init__(self, fig: Any) -> None:
        self.fig = fig
        self.y = 0.94
        self.full = False

    def line(self, text: str, size: float, *, weight: str = "normal", gap: float = 0.0,
             indent: float = 0.0, max_lines: int = 3) -> None:
        chars = int(self.WIDTH_CHARS * 14 / size) - int(indent * 100)
        # Control characters from a pack have no glyph: never hand them to the PDF.
        text = "".join(ch if ch.isprintable() else " " for ch in text[:100_000])
        width = max(20, chars)
        cut = width * (max_lines + 2)  # only max_lines lines show: never wrap megabytes
        wrapped = textwrap.wrap(text[:cut] + ("…" if len(text) > cut else ""), width) or [""]
        if len(wrapped) > max_lines:
            wrapped = [*wrapped[:max_lines - 1], wrapped[max_lines - 1][:max(0, chars - 1)]
                       + "…"]
        height = size * 1.45 / 72 / A4_INCHES[1]
        needed = gap + height * len(wrapped)
        if self.full or self.y - needed < self.BOTTOM + height:
            if not self.full:
                self.full = True
                self.fig.text(self.LEFT, self.BOTTOM, _("More in the results workbook."),
                              fontsize=11, style="italic", parse_math=False)
            return
        self.y -= gap
        for part in wrapped:
            self.y -= height
            self.fig.text(self.LEFT + indent, self.y, part, fontsize=size, weight=weight,
                          va="bottom", parse_math=False)

    def section(self, heading: str, lines: list[str], empty: str) -> None:
        self.line(heading, 16, weight="bold", gap=0.022)
        for text in lines or [empty]:
            self.line("• " + text if lines else text, 13, indent=0.02, gap=0.004)


def _draw(content: SummaryContent, path: Path) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    # Type 42 embeds real TrueType fonts, so the text can be searched, copied and read
    # aloud by a screen reader.
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}):
        fig = Figure(figsize=A4_INCHES)
        FigureCanvasPdf(fig)
        page = _Page(fig)
        page.line(_("What we heard"), 15, weight="bold")
        page.line(content.title, 24, weight="bold", max_lines=2)
        if content.when_where:
            page.line(content.when_where, 14)
        page.section(_("Who came"), content.attendance, "")
        if content.all_hidden:
            page.line(content.all_hidden, 13, indent=0.02, gap=0.004)
        page.section(_("Top votes"), content.votes, _("No votes were taken."))
        page.section(_("Data people asked for"), content.requests,
                     _("Data requests are listed here once the facilitator approves them.")
                     if content.requests_waiting else _("No data requests were made."))
        page.section(_("What came up again and again"), content.themes,
                     _("No recurring themes yet."))
        page.section(_("Next steps"), content.next_steps,
                     _("The city will publish its next steps here."))
        with warnings.catch_warnings():
            # A sign no font on the laptop has (say the afghani sign in a title) prints as
            # an empty box: the handout is still right, so it is not a reason to stop.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font",
                                    category=UserWarning)
            fig.savefig(str(path), format="pdf", metadata={
                "Title": _("What we heard: {title}").format(title=content.title),
                "Creator": "tde-desktop"})
