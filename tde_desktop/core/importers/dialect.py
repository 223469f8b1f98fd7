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
from dataclasses import dataclass
from typing import Any

#: in order of preference when two split the lines equally well
DELIMITERS = [",", ";", "\t", "|", ":", " "]
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


def _sample_lines(text: str) -> list[str]:
    lines = text.splitlines()[:SAMPLE_LINES]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    return lines


def _field_quotes(text: str, q: str) -> int:
    """How many fields in ``text`` look quoted with ``q`` (opened at a field's start)."""
    seps = re.escape("".join(DELIMITERS))
    return len(re.findall(rf"(?:^|[{seps}]){re.escape(q)}", text, flags=re.MULTILINE))


def detect_quote(text: str) -> str:
    """``'`` when fields are quoted with single quotes more often than double; else ``"``."""
    single, double = _field_quotes(text, "'"), _field_quotes(text, '"')
    return "'" if single >= 2 and single > double else '"'


def detect_escape(text: str, quotechar: str) -> str | None:
    """``'\\\\'`` when quotes inside fields are escaped with a backslash, else ``None``."""
    escaped = text.count("\\" + quotechar)
    doubled = text.count(quotechar * 2) - text.count(quotechar * 3)
    return "\\" if escaped and escaped >= doubled else None


def detect_delimiter(text: str, quotechar: str = '"', escapechar: str | None = None) -> str:
    """The delimiter that splits the first lines into the most consistent field counts.

    Returns one of :data:`DELIMITERS`, or ``', '`` when commas are always followed by a
    space (a comma-plus-space file).
    """
    lines = _sample_lines(text)
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        options = Dialect(delim, quotechar, escapechar).reader_options()
        counts = [len(r) for r in csv.reader(lines, **options) if r]
        if not counts:
            continue
        width, agree = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (agree, width)
        if score > best_score:
            best, best_score = delim, score
    if best == ",":
        commas = sum(line.count(",") for line in lines)
        spaced = sum(line.count(", ") for line in lines)
        if commas >= len(lines) and spaced >= 0.95 * commas:
            return COMMA_SPACE
    return best


def detect_dialect(text: str, delimiter: str | None = None,
                   quote: str | None = None) -> Dialect:
    """The dialect of a file from a sample of its text; a given delimiter or quote wins.

    ``quote`` may be ``'"'``, ``"'"`` or ``""`` (no quoting at all).
    """
    quotechar = (quote or None) if quote is not None else detect_quote(text)
    escapechar = detect_escape(text, quotechar) if quotechar else None
    chosen = delimiter or detect_delimiter(text, quotechar or '"', escapechar)
    if chosen == COMMA_SPACE:
        return Dialect(",", quotechar, escapechar, skipinitialspace=True)
    return Dialect(chosen, quotechar, escapechar)


def read_rows(lines: Iterable[str], dialect: Dialect, width: int | None) -> Iterator[list[str]]:
    """The rows of ``lines`` (read with ``newline=''``), stray quotes taken literally.

    A row that took several lines and did not come out ``width`` fields wide began with
    a quote that never closed where it should: its first line is read again with quotes
    as ordinary characters, and reading goes on from the next line. Without ``width``
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
            if len(feed.taken) > 1 and len(row) != width:
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


def has_stray_quote(text: str, dialect: Dialect, width: int) -> bool:
    """Whether a sample of a file's rows holds a stray quote (see :func:`read_rows`):
    a row that ran over several lines and did not come out ``width`` fields wide."""
    if dialect.quotechar is None or dialect.quotechar not in text:
        return False
    lines = list(io.StringIO(text, newline=""))[:SAMPLE_LINES * 5]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    rows = csv.reader(lines, **dialect.reader_options())
    return any(len(r) != width and any("\n" in c or "\r" in c for c in r) for r in rows)
