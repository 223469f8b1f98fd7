"""Every message that counts something has plural forms: no "1 rows", "1 filas" or
"1 participants". The source is scanned with the extractor the translation tooling uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tde_desktop.core import i18n
from tde_desktop.core.i18n_catalogue import extract, plural_strings

PACKAGE = Path(__file__).resolve().parents[2] / "tde_desktop"

#: placeholder names that say they hold a count
COUNT_NAME = re.compile(
    r"^(n|k|count|counts|total|rows|cols|number|shown|done|added|left|answers|votes|dots|"
    r"seconds|minutes|hours|days|expected|same|w|e|p|a)$")
#: placeholder names that hold a name, a percentage, a list or an amount of money
NOT_A_COUNT = {"pct", "percent", "title", "name", "path", "sheet", "sheets", "value", "values",
               "column", "col", "code", "codes", "table", "first", "last", "lines", "spent",
               "what", "status", "others", "titles", "folder", "language", "kind", "i"}
NOUNS = (r"rows?|columns?|participants?|answers?|dots?|bars?|values?|sheets?|files?|cells?|"
         r"groups?|points?|features?|tables?|workshops?|exercises?|records?|notes?|seconds?|"
         r"minutes?|characters?|choices?|bytes?|levels?|counts?|codes?|matches|people|"
         r"filas?|columnas?|participantes?|respuestas?|puntos?")
COUNTED_NOUN = re.compile(r"\{([a-zA-Z_]\w*)[^{}]*\}\s+(?:\w+\s+)?(?:" + NOUNS + r")\b")
FIELD = re.compile(r"\{([a-zA-Z_]\w*)[^{}]*\}")

#: counted-looking messages that need no plural forms, with the reason
ALLOWED = {
    "Question {n} of {total}": "a position, not a count",
    "Row number (1 to {n}):": "a range of row numbers",
    "Column {n} had no name; it is called {name}.": "n is a column's position",
    "Row {n} is outside the data of this sheet.": "n is a row's position",
    "{i} of {n}": "a position among the revealed results",
    "{i} of {n} \u2014 press \u2192 for the next": "a position among the revealed results",
    "(top {n})": "no counted noun follows",
    "{n:,} without a usable location": "no noun: follows '{n} rows' in the map caption",
    "{n:,} not in any area": "no noun: follows '{n} rows' in the map caption",
    "fewer than {n}": "no counted noun follows (a threshold, always several)",
    "People who signed in: {n}": "a label and its number",
    "Groups: {n}": "a label and its number",
    "{n} min": "an abbreviation, the same for one and many",
    "This spends {spent:,.0f} but the budget is {total:,.0f}.": "amounts of money",
    "Share out {total} across the choices.": "an amount to share, not a count of things",
    "Metrics: {n} more counts are shown as \"(hidden)\", because the total minus the counts "
    "shown would give the small ones away.": "only written when n is 2 or more",
    "Dots left: {left} of {total}": "a label and its numbers",
    "Spent {used:,} of {total:,.0f}": "amounts of money",
    "You have {total:,.0f} to spend. Write an amount next to each.": "an amount of money",
    "{n} of {total}": "a position: the kiosk's question n of the total",
    "{title} now holds {file}: {rows}.": "rows is already counted through ngettext",
    "How many came for the first time is not shown: one group is smaller than {k}, and the "
    "other would give it away.": "a threshold; no counted noun follows",
    "Showing the first {n} matches: type more to narrow them down.":
        "n is the list's fixed length, always several",
    "{i}. {value} ({rows}; {how})": "i is a position; rows is already counted through ngettext",
    "Rows left out above the header: {n} (change with --header-row)": "a label and its number",
    "Rows left out below the table: {n} (keep them with --keep-footer)":
        "a label and its number",
}


def counted(text: str) -> bool:
    """True when ``text`` shows a number that counts something."""
    if any(COUNT_NAME.match(name) for name in FIELD.findall(text)):
        return True
    return any(name not in NOT_A_COUNT for name in COUNTED_NOUN.findall(text))


def test_the_detector_finds_counted_messages() -> None:
    assert counted("{n} rows")
    assert counted("Saved {x} files")
    assert counted("{count} of them")
    assert not counted("Most common: {value}, {pct} of rows")
    assert not counted("The view {name} was saved in the pack.")


def test_every_counted_message_has_plural_forms() -> None:
    strings = extract(PACKAGE)
    plurals = plural_strings(PACKAGE)
    missing = sorted(f"{text!r} at {place}" for text, where in strings.items()
                     if counted(text) and text not in ALLOWED
                     for place in where if place not in plurals.get(text, set()))
    assert not missing, "use ngettext for:\n" + "\n".join(missing)


def test_allowed_exceptions_still_exist() -> None:
    strings = extract(PACKAGE)
    assert not [text for text in ALLOWED if text not in strings]


#: messages as the code renders them, with one of something
ONE = [("{n} row", "{n} rows"), ("{n:,} row", "{n:,} rows"),
       ("{n:,} column", "{n:,} columns"),
       ("You have {n} dot; please remove some.", "You have {n} dots; please remove some."),
       ("{n} of {total} row match", "{n} of {total} rows match"),
       ("Wrote {path} ({n:,} row).", "Wrote {path} ({n:,} rows).")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_of_something_reads_right(lang: str) -> None:
    with i18n.thread_language(lang):
        one = [i18n.ngettext(s, p, 1).format(n=1, total=1, path="x") for s, p in ONE]
        many = [i18n.ngettext(s, p, 3).format(n=3, total=3, path="x") for s, p in ONE]
    joined = " | ".join(one)
    for wrong in ("1 rows", "1 filas", "1 participants", "1 participantes", "1 dots",
                  "1 puntos"):
        assert wrong not in joined
    assert many[0] == ("3 rows" if lang == "en" else "3 filas")
    if lang == "es":  # the singular forms are translated, not left in English
        assert one[:3] == ["1 fila", "1 fila", "1 columna"]
        assert "row" not in joined


def test_every_plural_form_is_in_the_spanish_catalogue() -> None:
    spanish = i18n.catalogue("es")
    assert sorted(s for s in plural_strings(PACKAGE) if s not in spanish) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_merge_summary_counts_each_thing_on_its_own(lang: str) -> None:
    """The merge summary's several counts each take their own form: one workshop and
    three answers in the same sentence."""
    from tde_desktop.core.results.merge_report import MergeReport

    report = MergeReport(Path("other.tdepack"))
    for counts, added in zip(report.tables.values(), (1, 3, 1, 3), strict=False):
        counts.added = added
    report.tables["_tde_views"].already = 1
    report.withdrawn, report.answers_removed = 1, 1
    with i18n.thread_language(lang):
        text = report.summary()
    if lang == "en":
        assert "1 workshop, 3 exercises, 1 participant and 3 answers added" in text
        assert "1 row was already here." in text
        assert "1 participant withdrew; 1 of their answers was removed." in text
    else:
        assert "1 taller, 3 ejercicios, 1 participante y 3 respuestas" in text
        assert "1 fila ya estaba aquí." in text
        assert "1 participante se retiró; se borró 1 de sus respuestas." in text
