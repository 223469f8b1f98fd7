"""The column type rules, written once for both import paths.

Which values make a column a number or a date, and how such values are stored, is
decided here and nowhere else. Two engines apply these rules:

- :mod:`.column_types` (every file, row chunks of Python strings) compiles the
  patterns with Python's ``re``;
- :mod:`.arrow_types` (the fast CSV path, whole Arrow columns) runs the same
  patterns with RE2 through ``pyarrow.compute``.

So every pattern below is written in the part of the syntax both engines read
alike: no lookaround, no backreference, no atomic group, ``[0-9]`` rather than
``\\d``, named groups as ``(?P<name>...)``. ``tests/core/test_type_rules.py`` runs
examples of every rule through both engines and checks that they agree.

The rules:

- an empty cell is always missing; ``N/A``, ``NA``, ``-`` ... (:data:`MISSING_MARKERS`)
  are missing only in a column whose other values are numbers or dates (``NA`` is also
  Namibia's code), and kept as written in a text column;
- a leading zero, or a whole number of more than :data:`MAX_DIGITS` digits, makes a
  column text: it holds identifiers (and a REAL would lose digits);
- so do names that say a column holds codes (ZIP, FIPS, BBL, tract, parcel, block,
  lot, ...id; :data:`CODE_NAME`);
- ``"625,000"`` is a number only when every value of the column has that shape;
- only calendar dates are dates: ``2/31/2019``, ``31/02/2019``, ``2019-02-30`` or
  ``2/29/2023`` fit no date kind, so a column holding one stays text, every value as
  written (never an impossible ISO date such as ``2019-02-31``);
- ISO dates and date-times are stored as written; US ``M/D/YYYY`` and day-first
  ``D/M/YYYY`` dates (optionally with a clock, 12- or 24-hour) become ISO-8601 text when
  the whole column agrees on one reading; two-digit years below
  :data:`CENTURY_PIVOT` are in the 2000s, the others in the 1900s;
- when several kinds fit every value, the first in :data:`KINDS` wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MISSING_MARKERS = frozenset(
    {"", "NA", "N/A", "n/a", "na", "NULL", "null", "None", "none", "-", "--", "nan", "NaN",
     "#N/A", "(null)"}
)
#: the most digits a whole number may have; longer digit strings are identifiers
MAX_DIGITS = 12
#: the most digits of a decimal exponent (``1e308``); longer ones make a value text
MAX_EXPONENT_DIGITS = 3
#: the thousands separator, removed before a number is stored
THOUSANDS = ","
#: a two-digit year below this is 20YY, any other 19YY
CENTURY_PIVOT = 70
#: the kind of a column that holds something other than numbers and dates
TEXT = "text"
#: the kind of a column in which no value has been seen yet
UNKNOWN = "unknown"

# -- the shape of one whole value ------------------------------------------------------

_INT = rf"-?(?:0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})"
_GROUPS = (MAX_DIGITS - 3) // 3  # groups of three digits after the first one to three
_INT_SEP = (rf"-?(?:0|[1-9][0-9]{{0,2}}(?:,[0-9]{{3}}){{0,{_GROUPS}}}"
            rf"|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})")
_FRAC = rf"(?:\.[0-9]+)?(?:[eE][-+]?[0-9]{{1,{MAX_EXPONENT_DIGITS}}})?"
_NUM = r"-?(?:(?:0|[1-9][0-9]*)" + _FRAC + r"|\.[0-9]+)"
_NUM_SEP = r"-?(?:(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3})*|[1-9][0-9]*)" + _FRAC + r"|\.[0-9]+)"
# Only calendar dates: a day the month has (31 in seven months, 30 in four, 28 in
# February, 29 in a leap year). Leap years: a multiple of 4 not ending in 00, or a
# multiple of 400; a two-digit year is 19YY or 20YY, leap alike for every YY (00 is 2000).
_LEAP4 = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_LEAP2 = r"(?:0[048]|[2468][048]|[13579][26])"
_M31, _M30 = r"(?:0?[13578]|1[02])", r"(?:0?[469]|11)"
_D31, _D30, _D28 = r"(?:0?[1-9]|[12][0-9]|3[01])", r"(?:0?[1-9]|[12][0-9]|30)", \
    r"(?:0?[1-9]|1[0-9]|2[0-8])"
_DATE_ISO = (r"(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
             r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
             rf"|{_LEAP4}-02-29)")
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
_DATETIME_ISO = _DATE_ISO + r"[T ]" + _TIME + r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
_Y = r"(?:[0-9]{4}|[0-9]{2})"
_LEAP = rf"(?:{_LEAP4}|{_LEAP2})"
_CLOCK = r"(?:0?[0-9]|1[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?: ?[AaPp][Mm])?"
_DATE_MDY = (rf"(?:(?:{_M31}/{_D31}|{_M30}/{_D30}|0?2/{_D28})/{_Y}"
             rf"|0?2/29/{_LEAP})")
_DATE_DMY = (rf"(?:(?:{_D31}/{_M31}|{_D30}/{_M30}|{_D28}/0?2)/{_Y}"
             rf"|29/0?2/{_LEAP})")


@dataclass(frozen=True)
class Kind:
    """One way a column's values can be read, and how they are then stored."""

    pattern: str  # one whole value, unanchored, in the syntax of both engines
    semantic: str  # the type in the data dictionary
    affinity: str  # the SQLite column type
    thousands: bool = False  # THOUSANDS separators are removed before storing
    slash_order: str = ""  # "mdy" or "dmy": stored as ISO-8601 text; else as written

    @property
    def day_first(self) -> bool:
        """Whether a slash date reads day/month/year."""
        return self.slash_order == "dmy"


#: every kind, in order of preference when several fit every value of a column
KINDS: dict[str, Kind] = {
    "integer": Kind(_INT, "integer", "INTEGER"),
    "integer_sep": Kind(_INT_SEP, "integer", "INTEGER", thousands=True),
    "number": Kind(_NUM, "number", "REAL"),
    "number_sep": Kind(_NUM_SEP, "number", "REAL", thousands=True),
    "date_iso": Kind(_DATE_ISO, "date", "TEXT"),
    "datetime_iso": Kind(_DATETIME_ISO, "datetime", "TEXT"),
    "date_mdy": Kind(_DATE_MDY, "date", "TEXT", slash_order="mdy"),
    "date_dmy": Kind(_DATE_DMY, "date", "TEXT", slash_order="dmy"),
    "datetime_mdy": Kind(_DATE_MDY + " " + _CLOCK, "datetime", "TEXT", slash_order="mdy"),
    "datetime_dmy": Kind(_DATE_DMY + " " + _CLOCK, "datetime", "TEXT", slash_order="dmy"),
}
PREFERENCE = tuple(KINDS)
NUMERIC_KINDS = frozenset(k for k, v in KINDS.items() if v.affinity in ("INTEGER", "REAL"))
INTEGER_KINDS = frozenset(k for k, v in KINDS.items() if v.affinity == "INTEGER")
REAL_KINDS = frozenset(k for k, v in KINDS.items() if v.affinity == "REAL")
SLASH_DATE_KINDS = frozenset(k for k, v in KINDS.items() if v.slash_order)
#: kinds whose pattern matches every value the key's pattern matches, so that one check
#: settles them all (integer within integer_sep and number, both within number_sep)
WIDER: dict[str, frozenset[str]] = {
    "integer": frozenset({"integer_sep", "number", "number_sep"}),
    "integer_sep": frozenset({"number_sep"}),
    "number": frozenset({"number_sep"}),
}
#: a whole value of more than MAX_DIGITS digits: an identifier, never a number
LONG_DIGITS = rf"[-+]?[0-9]{{{MAX_DIGITS + 1},}}"
#: a value of a slash-date kind, in named parts for writing it as ISO-8601 text:
#: a/b/y are month/day/year or day/month/year; h, mi, s the clock; ap the A or P of AM/PM
SLASH_DATE_PARTS = (
    r"(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?: (?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?: ?(?P<ap>[AaPp])[Mm])?)?"
)

# -- types a facilitator chooses, and column names -------------------------------------

#: the types a facilitator can choose for a column
USER_TYPES = ("text", "integer", "number", "date", "datetime")
#: the kind a chosen type stores its values as (a forced number accepts separators)
FORCED_KINDS = {"text": TEXT, "integer": "integer_sep", "number": "number_sep",
                "date": "date_iso", "datetime": "datetime_iso"}
#: names of columns that hold codes (the code word ends the name, as in ``county_fips`` or
#: ``group_id``, so ``bbl_population_estimate`` stays a number)
CODE_NAME = re.compile(
    r"(?:^|_)(?:id|zip|zipcode|zip_code|zcta|modzcta|postal|postcode|fips|geoid|bbl|bin|block|"
    r"lot|parcel|tract|phone|srnumber|referenceid|objectid)$",
    re.IGNORECASE,
)


def semantic_type(kind: str) -> str:
    """The dictionary type of a kind: text, integer, number, date or datetime."""
    if kind in (TEXT, UNKNOWN):
        return "text"
    return KINDS[kind].semantic


def affinity(kind: str) -> str:
    """The SQLite column type to declare for a kind ('' when nothing is known yet)."""
    if kind == UNKNOWN:
        return ""
    if kind == TEXT:
        return "TEXT"
    return KINDS[kind].affinity


def is_code_column(safe_name: str) -> bool:
    """Whether a column's name says it holds codes (ZIP, FIPS, block, lot, ...id)."""
    return bool(CODE_NAME.search(safe_name))


def looks_like_identifier(name: str, semantic: str) -> bool:
    """Whether a column probably names things rather than measures them."""
    return semantic in ("text", "integer") and is_code_column(name)

