"""How a delimited text file is written: delimiter, quote character, escaping.

Delimiters: comma, semicolon, tab, pipe, colon, a single space, and comma followed
by a space. Quotes: ``"`` or ``'``, escaped by doubling or by a backslash. A quote
that opens a field and never closes where the row should end (a stray quote, which
would swallow the rest of the line or of the file) is taken as an ordinary
character for that line instead of being obeyed blindly.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

#: in order of preference when two split the lines equally well
DELIMITERS = [",", ";", "\t", "|", ":", " "]
#: tried only when none of the usual ones splits half the lines alike
RARE_DELIMITERS = (":", " ")
COMMA_SPACE = ", "
SAMPLE_LINES = 200


@dataclass(frozen=True)
class Dialect:
    """The rules a file's rows are written with."""

    delimiter: str = ","
    quotechar: str | None = '"'  # None: quotes are ordinary characters
    escapechar: str | None = None  # '\\' when quotes are escaped by a backslash
    skipinitialspace: bool = False  # comma-plus-space files

    @property
    def name(self) -> str:
        """The delimiter as a person types it for ``--delimiter`` (', ' for comma-plus-space)."""
        return COMMA_SPACE if self.skipinitialspace else self.delimiter

    def reader_options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`csv.reader`."""
        if self.quotechar is None:
            return {"delimiter": self.delimiter, "quoting": csv.QUOTE_NONE,
                    "skipinitialspace": self.skipinitialspace}
        return {"delimiter": self.delimiter, "quotechar": self.quotechar,
                "escapechar": self.escapechar, "doublequote": self.escapechar is None,
                "skipinitialspace": self.skipinitialspace}

    def options(self) -> dict[str, str]:
        """The choices as recorded in the catalogue's import options."""
        return {"delimiter": self.name, "quote": self.quotechar or "",
                "escape": "backslash" if self.escapechar else "double"}


_LINE_END = re.compile(r"\r\n|\r|\n")


def _sample_lines(text: str) -> list[str]:
    # only CR and LF end a line in a delimited file (str.splitlines would also split on
    # the record separator and other characters that may sit inside a value)
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    lines = lines[:SAMPLE_LINES]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    return lines


def _field_quotes(text: str, q: str) -> int:
    """How many fields in ``text`` look quoted with ``q``: opened at a field's start and
    closed at its end on the same line (an apostrophe opening a value, as in ``'00123``
    or a lone ``'``, quotes nothing)."""
    seps = re.escape("".join(DELIMITERS))
    q = re.escape(q)
    quoted = rf"(?:^|[{seps}]){q}(?:[^{q}\n]|{q}{q}|\\{q})*?{q}(?=[{seps}]|$)"
    return len(re.findall(quoted, text, flags=re.MULTILINE))


def detect_quote(text: str) -> str:
    """``'`` when fields are quoted with single quotes more often than double; else ``"``."""
    single, double = _field_quotes(text, "'"), _field_quotes(text, '"')
    if single >= 2 and single > double:
        return "'"
    # no quoted field to tell by: a quote escaped with a backslash says which it is
    return "'" if text.count("\\'") > text.count('\\"') and not double else '"'


def detect_escape(text: str, quotechar: str) -> str | None:
    """``'\\\\'`` when quotes inside fields are escaped with a backslash, else ``None``:
    the more frequent of ``\\"`` and ``""`` in ``text`` (:func:`detect_dialect` then
    checks the guess by reading the sample both ways)."""
    escaped = text.count("\\" + quotechar)
    doubled = text.count(quotechar * 2) - text.count(quotechar * 3)
    return "\\" if escaped and escaped >= doubled else None


def _misreads(lines: list[str], dialect: Dialect) -> tuple[bool, int]:
    """How badly ``lines`` read in ``dialect``: whether a rule of quoting is broken (a
    quote that never closes, something other than a delimiter or a line end after a
    closing quote), and how many rows come out another width than the first.

    Doubled quotes are read in both ways: a file escaping with a backslash has ``""``
    only for an empty value, and csv's strict mode checks what follows a closing quote
    only when doubling is on.
    """
    options = {**dialect.reader_options(), "doublequote": True, "strict": True}
    widths: list[int] = []
    try:
        widths.extend(len(row) for row in csv.reader(lines, **options) if row)
    except csv.Error:
        return True, 0
    return False, sum(1 for w in widths if w != widths[0])


def _checked_escape(lines: list[str], dialect: Dialect) -> Dialect:
    """``dialect`` with the other escaping when that one reads ``lines`` better.

    A value ending in a backslash is no escape: ``"C:\\temp\\",1``, or ``\"\"\"\\"``,
    which is how Python's csv module writes ``"\\``, read well only with doubled quotes;
    ``"say \\"hi\\"",1`` only with backslashes.
    """
    q = dialect.quotechar
    if q is None or "\\" + q not in "".join(lines):
        return dialect  # no backslash before a quote: both ways read alike
    other = replace(dialect, escapechar=None if dialect.escapechar else "\\")
    return other if _misreads(lines, other) < _misreads(lines, dialect) else dialect


def detect_delimiter(text: str, quotechar: str = '"', escapechar: str | None = None) -> str:
    """The delimiter that splits the first lines into the most consistent field counts.

    Returns one of :data:`DELIMITERS`, or ``', '`` when commas are always followed by a
    space (a comma-plus-space file).
    """
    lines = _sample_lines(text)
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        if delim in RARE_DELIMITERS and 2 * best_score[0] >= sum(1 for line in lines if line):
            break  # a usual delimiter splits half the lines alike: colons and spaces are text
        if delim == " " and best == "," and _space_after_commas(lines, quotechar, escapechar):
            break  # the spaces of a comma-plus-space table: one after each comma
        # Read with quotes and without, keeping the better: a stray quote must not hide
        # the delimiter by swallowing the lines after it (and a comma may have a space
        # after it, before a quoted value).
        for quoted, skip in ((quotechar, False), (None, False), (quotechar, delim == ",")):
            options = Dialect(delim, quoted, escapechar, skip).reader_options()
            # (lines of one field, such as titles and notes, say nothing; nor do lines of
            # nothing but this character: ';' alone is a value as often as padding)
            counts = [len(r) for r in csv.reader(lines, **options)
                      if len(r) > 1 and any(c.strip() for c in r)]
            if not counts:
                continue
            width, agree = Counter(counts).most_common(1)[0]
            if delim in RARE_DELIMITERS:
                # 'Source: x' above a table and 'Note: y' under it are split alike too,
                # but only a table's rows follow one another
                agree = _longest_run(csv.reader(lines, **options), width)
            score = (agree, width)
            # One line split alike proves nothing unless it starts the table: a tab, a
            # pipe or a space inside the one value of a one-column file is text.
            starts = _starts_table(lines, options, width)
            if delim in RARE_DELIMITERS:
                plausible = width >= best_score[1] and starts
            else:
                plausible = starts or (agree >= 2 and _names_first(lines, options, width))
            if score > best_score and plausible:
                best, best_score = delim, score
    if best == "," and _space_after_commas(lines, quotechar, escapechar):
        return COMMA_SPACE
    return best


def _longest_run(rows: Iterable[list[str]], width: int) -> int:
    """How many rows split ``width`` wide follow one another at most (rows of nothing
    but delimiters, a table's blank rows, neither count nor break a run)."""
    longest = run = 0
    for row in rows:
        if len(row) > 1 and not any(c.strip() for c in row):
            continue
        run = run + 1 if len(row) == width else 0
        longest = max(longest, run)
    return longest


def _starts_table(lines: list[str], options: dict[str, Any], width: int) -> bool:
    """Whether the first line split ``width`` wide starts the file or follows a blank line.

    A colon or a space splits the values of a one-column file too ('12/31/2017 11:59 PM'
    under a header 'date'); a header row split alike says it is the delimiter.
    """
    before: list[list[str]] = []
    for row in csv.reader(lines, **options):
        if len(row) == width:
            # blank: an empty line, or one of nothing but delimiters (an empty value
            # written quoted, '""', is a value of a one-column file, not a blank line)
            return not before or before[-1] == [] or (len(before[-1]) > 1
                                                      and not any(before[-1]))
        before.append(row)
    return False


def _names_first(lines: list[str], options: dict[str, Any], width: int) -> bool:
    """Whether the first line split ``width`` wide names every column, as a header under
    a title does ('0|' under a header 'col0' is a value holding the character), or is
    the top row of a two-row header (',Budget,,Actual,') over a line that does."""
    rows = csv.reader(lines, **options)
    for row in rows:
        if len(row) >= width:  # (a ragged file's header may be wider than most rows)
            if all(c.strip() for c in row[:width]):
                return True
            under = next(rows, [])
            return (not row[0].strip() and any(c.strip() for c in row)
                    and len(under) >= width and all(c.strip() for c in under[:width]))
    return False


def _agreement(lines: list[str], dialect: Dialect) -> int:
    counts = [len(r) for r in csv.reader(lines, **dialect.reader_options()) if len(r) > 1]
    return Counter(counts).most_common(1)[0][1] if counts else 0


def _space_after_commas(lines: list[str], quotechar: str, escapechar: str | None) -> bool:
    """Whether the file is written with comma-plus-space: read so, its rows agree better
    (quoted values after ', '), only so do its quotes close where they should (a value
    holding ',"' read without the space may still come out as wide), or every field
    after a comma starts with a space."""
    plain, spaced = (Dialect(",", quotechar, escapechar, skipinitialspace=s)
                     for s in (False, True))
    a0, a1 = _agreement(lines, plain), _agreement(lines, spaced)
    if a1 != a0:
        return a1 > a0
    broken = _misreads(lines, plain)[0], _misreads(lines, spaced)[0]
    if broken[0] != broken[1]:
        return broken[0]
    later = [f for r in csv.reader(lines, **plain.reader_options()) if len(r) > 1
             for f in r[1:] if f]
    return len(later) >= 2 and sum(1 for f in later if f.startswith(" ")) >= 0.95 * len(later)


def detect_dialect(text: str, delimiter: str | None = None,
                   quote: str | None = None) -> Dialect:
    """The dialect of a file from a sample of its text; a given delimiter or quote wins.

    ``quote`` may be ``'"'``, ``"'"`` or ``""`` (no quoting at all). Quotes escaped with
    a backslash are chosen only if the sample does not read better with doubled quotes
    (every quote closing, only a delimiter after it), and the other way round.
    """
    lines = "\n".join(_sample_lines(text))  # (the first lines tell as well as 1 MB)
    quotechar = (quote or None) if quote is not None else detect_quote(lines)
    escapechar = detect_escape(lines, quotechar) if quotechar else None
    chosen = delimiter or detect_delimiter(text, quotechar or '"', escapechar)
    found = _dialect(chosen, quotechar, escapechar)
    checked = _checked_escape(lines.split("\n"), found)
    if checked.escapechar != escapechar and not delimiter:  # the delimiter read it wrongly
        chosen = detect_delimiter(text, quotechar or '"', checked.escapechar)
        checked = _dialect(chosen, quotechar, checked.escapechar)
    return checked


def _dialect(chosen: str, quotechar: str | None, escapechar: str | None) -> Dialect:
    if chosen == COMMA_SPACE:
        return Dialect(",", quotechar, escapechar, skipinitialspace=True)
    return Dialect(chosen, quotechar, escapechar)


def read_rows(lines: Iterable[str], dialect: Dialect, width: int | None) -> Iterator[list[str]]:
    """The rows of ``lines`` (read with ``newline=''``), stray quotes taken literally.

    A row that took several lines and came out the wrong width, or swallowed lines that
    are each a whole row, began with a quote that never closed where it should: its
    first line is read again with quotes as ordinary characters, and reading goes on
    from the next line. Without ``width``
    the rows are read exactly as the dialect says.
    """
    options = dialect.reader_options()
    if width is None or dialect.quotechar is None:
        yield from csv.reader(lines, **options)
        return
    plain = Dialect(dialect.delimiter, None,
                    skipinitialspace=dialect.skipinitialspace).reader_options()
    feed = _Feed(iter(lines))
    while True:
        for row in csv.reader(feed, **options):
            if _stray(row, feed.taken, width, plain):
                first, rest = feed.taken[0], feed.taken[1:]
                yield next(csv.reader([first], **plain), [])
                feed.give_back(rest)
                break  # a new reader: this one may have met the end of the lines
            feed.taken.clear()
            yield row
        else:
            return


class _Feed:
    """Lines for a csv reader, remembering those of the row being read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.pending: list[str] = []
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.pending.pop() if self.pending else next(self.lines)
        self.taken.append(line)
        return line

    def give_back(self, lines: list[str]) -> None:
        self.taken.clear()
        self.pending.extend(reversed(lines))


def _stray(row: list[str], taken: list[str], width: int, plain: dict[str, Any]) -> bool:
    """Did ``row`` swallow lines after a stray quote? It ran over several lines and came
    out the wrong width, or the lines it swallowed are each a whole row on their own."""
    if len(taken) < 2:
        return False
    return len(row) != width or (len(taken) > 2 and all(
        len(next(csv.reader([line], **plain), [])) == width for line in taken[1:]))


def has_stray_quote(text: str, dialect: Dialect, width: int) -> bool:
    """Whether a sample of a file's rows holds a stray quote (see :func:`read_rows`)."""
    if dialect.quotechar is None or dialect.quotechar not in text:
        return False
    lines = list(io.StringIO(text, newline=""))[:SAMPLE_LINES * 5]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    plain = Dialect(dialect.delimiter, None,
                    skipinitialspace=dialect.skipinitialspace).reader_options()
    feed = _Feed(iter(lines))
    for row in csv.reader(feed, **dialect.reader_options()):
        if _stray(row, feed.taken, width, plain):
            return True
        feed.taken.clear()
    return False
