"""The column type rules of :mod:`.type_rules` on chunks of Python strings, at C speed.

Every importer's rows pass through here (the fast CSV path uses :mod:`.arrow_types`
instead). A column's candidate kinds shrink as chunks arrive. Each check runs one
regular expression over the *distinct* values of a chunk joined by NUL, so the cost
per chunk is a ``set()`` and a regex scan rather than a Python call per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from tde_desktop.core.importers.type_rules import (
    CENTURY_PIVOT,
    FORCED_KINDS,
    KINDS,
    LONG_DIGITS,
    MAX_DIGITS,
    MAX_EXPONENT_DIGITS,
    MISSING_MARKERS,
    NUMERIC_KINDS,
    PREFERENCE,
    REAL_KINDS,
    SLASH_DATE_PARTS,
    TEXT,
    THOUSANDS,
    UNKNOWN,
)

_SEP = "\x00"
# The precise check: one regex over a chunk's distinct values (markers removed), each
# value matched inside an atomic group that must end at a separator, so a failing
# value never makes the engine retry earlier values.
_ALL_MATCHERS = {
    name: re.compile(f"(?>(?:{kind.pattern})(?={_SEP}|\\Z))"
                     f"(?:{_SEP}(?>(?:{kind.pattern})(?={_SEP}|\\Z)))*+", re.ASCII)
    for name, kind in KINDS.items()
}
# The fast check for the common case of a plain numeric column: a character-class scan,
# two searches for what would make a number an identifier, then int()/float() in C.
# Anything unusual falls through to the precise check; tests/core/test_column_types.py
# checks that both always decide alike.
# Every value a plain integer of at most MAX_DIGITS digits without a leading zero, or
# empty: one pass; atomic groups and a possessive loop keep a failure from backtracking.
_PLAIN_INTEGERS = re.compile(f"(?:{_SEP}(?>-?[1-9][0-9]{{0,{MAX_DIGITS - 1}}}|-?0|))*+")
_NUM_CHARS = re.compile(f"[0-9{_SEP}.eE+-]*")
_LEADING_ZERO = re.compile(f"{_SEP}[-+]?0[0-9]")
# Shapes float() accepts that the number pattern does not: a plus sign other than in an
# exponent, a point with no digit after it, an exponent after a bare fraction, an exponent
# of too many digits. Any of them sends the chunk to the precise check.
_ODD_NUMBER = re.compile(r"(?<![eE])\+|\.(?![0-9])|(?<![0-9])\.[0-9]+[eE]"
                         rf"|[eE][-+]?[0-9]{{{MAX_EXPONENT_DIGITS + 1}}}")
# A whole value of too many digits is an identifier (a REAL would also lose its digits).
# (Written with a leading separator, not ``(?:^|SEP)``: a literal first character lets the
# regex engine skip ahead, five times faster; callers join with a separator in front.)
_LONG_INTEGER = re.compile(f"{_SEP}(?:{LONG_DIGITS})(?={_SEP}|\\Z)")
_TO_NONE: dict[str, None] = dict.fromkeys(MISSING_MARKERS)
_MARKERS_BUT_EMPTY = MISSING_MARKERS - {""}
_INTEGER_FITS = frozenset(NUMERIC_KINDS)
_NUMBER_FITS = frozenset(REAL_KINDS)


def _all_parse(parse: Callable[[str], object], col: Sequence[str]) -> bool:
    try:
        for _v in map(parse, filter(None, col)):
            pass
    except ValueError:
        return False
    return True


@dataclass
class ColumnState:
    """What is known so far about one column."""

    kinds: set[str] = field(default_factory=lambda: set(KINDS))
    seen_value: bool = False  # any non-missing value so far
    forced: str | None = None  # a type the facilitator chose
    missing: int = 0

    def best(self) -> str:
        """The current best kind, ``text``, or ``unknown`` before any value was seen."""
        if self.forced is not None:
            return FORCED_KINDS[self.forced]
        if not self.seen_value:
            return UNKNOWN
        for kind in PREFERENCE:
            if kind in self.kinds:
                return kind
        return TEXT

    def observe(self, col: Sequence[str]) -> bool | list[float]:
        """Narrow the candidates with one chunk of a column (a tuple of raw text).

        Returns True when the chunk is known to hold no missing marker other than the
        empty string (so a converter need not look for ``N/A`` and friends), or, for a
        chunk of decimals with no empty cell, the floats already parsed while checking.
        """
        if self.forced is not None or not self.kinds:
            if not self.seen_value:
                self.seen_value = bool(set(col) - MISSING_MARKERS)
            return False
        if self.seen_value and self.kinds & _INTEGER_FITS:
            fast = self._fast_numeric(col)
            if fast is not False:
                return fast
        values = set(col) - MISSING_MARKERS
        if not values:
            return False
        self.seen_value = True
        joined = _SEP.join(values)
        if joined.count(_SEP) != len(values) - 1:  # a value holds NUL itself: call it text
            self.kinds.clear()
            return False
        if _LONG_INTEGER.search(_SEP + joined):
            self.kinds -= NUMERIC_KINDS
        for kind in list(self.kinds):
            if not _ALL_MATCHERS[kind].fullmatch(joined):
                self.kinds.discard(kind)
        return False

    def _fast_numeric(self, col: Sequence[str]) -> bool | list[float]:
        """Settle a chunk of plain numbers quickly; False when the precise check is needed.

        Plain integers are recognised by one regex pass; decimals by float() in C, which
        checks the shape of each number (a sign only in front, one decimal point). A
        leading zero (an identifier) sends the chunk to the precise check.
        """
        joined = _SEP + _SEP.join(col)
        if joined.count(_SEP) != len(col):  # a value holds NUL itself
            return False
        if _PLAIN_INTEGERS.fullmatch(joined):
            self.kinds &= _INTEGER_FITS
            return True
        if _LEADING_ZERO.search(joined) or _LONG_INTEGER.search(joined):
            return False
        if not _NUM_CHARS.fullmatch(joined) or _ODD_NUMBER.search(joined):
            return False
        if "" in col:
            if not _all_parse(float, col):
                return False
            self.kinds &= _NUMBER_FITS
            return True
        try:
            parsed = list(map(float, col))  # the check and the conversion in one pass
        except ValueError:
            return False
        self.kinds &= _NUMBER_FITS
        return parsed


# -- converting one chunk of one column ---------------------------------------------


_SLASH_DATE = re.compile(SLASH_DATE_PARTS, re.ASCII)


def _iso_from_match(m: re.Match[str], day_first: bool) -> str:
    a, b, y, hour, minute, second, ampm = m.groups()
    month, day = (b, a) if day_first else (a, b)
    if len(y) == 2:
        y = ("20" if int(y) < CENTURY_PIVOT else "19") + y
    iso = f"{y}-{int(month):02d}-{int(day):02d}"
    if hour is None:
        return iso
    h = int(hour)
    if ampm in ("P", "p") and h < 12:
        h += 12
    elif ampm in ("A", "a") and h == 12:
        h = 0
    return f"{iso}T{h:02d}:{minute}:{second or '00'}"


def _convert_date(value: str, day_first: bool) -> str:
    """One ``M/D/YYYY [h:mm[:ss] [AM|PM]]`` value (or day first) as ISO-8601 text."""
    m = _SLASH_DATE.fullmatch(value)
    return _iso_from_match(m, day_first) if m else value


def _convert_dates(col: Sequence[str], day_first: bool) -> list[str | None]:
    """A whole chunk at once: one regex pass over the joined column, then split.

    Every value already matched the column's date pattern (or is a missing marker), so
    the substitution touches exactly the values and never the separators. (Chains of
    template-only substitutions were tried and were slower on the 311 benchmark.)
    """
    joined = _SEP.join(col)
    text = _SLASH_DATE.sub(lambda m: _iso_from_match(m, day_first), joined)
    converted: list[str | None] = list(text.split(_SEP))
    if MISSING_MARKERS.isdisjoint(col):
        return converted
    return [None if v in MISSING_MARKERS else c for v, c in zip(col, converted, strict=True)]


def _to_real(value: str) -> object:
    """A decimal number as a float; missing markers as None; anything else kept as text."""
    if value in MISSING_MARKERS:
        return None
    try:
        return float(value.replace(THOUSANDS, ""))
    except ValueError:
        return value


def converter(kind: str) -> Callable[[Sequence[str], bool | list[float]], Iterable[object]]:
    """A function turning a chunk of raw text for a column of ``kind`` into stored values.

    The function takes the chunk and whether it is known to hold no marker but ``""``;
    it returns the chunk itself when nothing needs changing (the writer's INSERT turns
    empty cells into NULL).
    Numbers are passed on as text: the column's INTEGER or REAL affinity makes SQLite
    convert them, which is safe because every value was checked to be a plain number.
    """
    if kind in (TEXT, UNKNOWN):
        def conv_text(col: Sequence[str], plain: bool | list[float]) -> Iterable[object]:
            return col  # empty cells become NULL in the INSERT itself
        return conv_text

    rules = KINDS[kind]
    dates, day_first = bool(rules.slash_order), rules.day_first
    thousands = rules.thousands
    real = kind in REAL_KINDS

    def conv_typed(col: Sequence[str], plain: bool | list[float]) -> Iterable[object]:
        if dates:
            return _convert_dates(col, day_first)
        if real:
            # Decimals are parsed by Python, not by SQLite's affinity: SQLite's own text to
            # number conversion can differ from the correctly rounded value in the last bit.
            if isinstance(plain, list):
                return plain
            if plain and not thousands:
                if "" not in col:
                    return list(map(float, col))
                return [float(v) if v else None for v in col]
            return [_to_real(v) for v in col]
        if thousands:
            return [None if v in MISSING_MARKERS else v.replace(THOUSANDS, "") for v in col]
        if not plain and not _MARKERS_BUT_EMPTY.isdisjoint(col):
            return map(_TO_NONE.get, col, col)
        return col  # empty cells become NULL in the INSERT itself

    return conv_typed
