"""Numbers as the person reads them: the thousands and decimal marks of their language.

"16,747 filas" reads wrong in Spanish, where it is "16.747 filas". Screens format
the counts they show with :func:`format_number`, and the numbers of a table's cells
with :func:`readable_float` (15 significant digits, as a spreadsheet shows them);
files for other programs (workbooks, CSV, JSON) keep plain, exact numbers and never
go through either. Digits stay Western (0-9) in every language, Arabic included:
that is what the city's own tables and the workbook use, so a number reads the
same on every screen.
"""

from __future__ import annotations

from tde_desktop.core.i18n import current_language

#: (thousands mark, decimal mark, fewest integer digits that get a thousands mark)
#: for languages that differ from English. Spanish leaves four-digit numbers
#: alone (1850, 16.747), as the RAE and CLDR write them.
MARKS: dict[str, tuple[str, str, int]] = {
    "es": (".", ",", 5),
    "pt": (".", ",", 4),
    "it": (".", ",", 4),
    "de": (".", ",", 4),
    "nl": (".", ",", 4),
    "id": (".", ",", 4),
    "fr": ("\u202f", ",", 4),  # a narrow no-break space
}
#: English and every other language: 16,747 and 2.5
DEFAULT_MARKS = (",", ".", 4)


def marks(lang: str | None = None) -> tuple[str, str, int]:
    """The (thousands, decimal, grouping from N digits) marks of ``lang`` (the
    interface language when None); "es_MX" reads as "es"."""
    code = (lang or current_language() or "en").replace("-", "_").split("_")[0].lower()
    return MARKS.get(code, DEFAULT_MARKS)


def format_number(value: float, decimals: int | None = None, lang: str | None = None) -> str:
    """``value`` written with ``lang``'s marks (the interface language when None).

    Guarantees: Western digits; a whole number (an int, or a float with no
    fraction when ``decimals`` is None) has no decimal part; ``decimals`` fixes
    the number of decimals, rounded half to even as Python rounds; otherwise a
    fraction shows at most two decimals, without trailing zeros. Never raises
    for a finite number; ``nan`` and infinities come back as Python writes them.
    """
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return str(value)
    if isinstance(value, int) and decimals is None:
        text = f"{abs(value):,}"  # exact, however large
    elif decimals is None:
        text = f"{abs(number):,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{abs(number):,.{max(0, decimals)}f}"
    whole, _dot, fraction = text.partition(".")
    thousands, decimal, grouping = marks(lang)
    digits = whole.replace(",", "")
    whole = whole.replace(",", thousands) if len(digits) >= grouping else digits
    sign = "-" if number < 0 and text.strip("0.,") else ""  # never "-0"
    return sign + whole + (decimal + fraction if fraction else "")


#: significant digits a spreadsheet shows of a number (Excel and LibreOffice: 15)
SHOWN_DIGITS = 15


def readable_float(value: float, *, point_zero: bool = False) -> str:
    """``value`` as a spreadsheet shows a number cell: at most 15 significant digits.

    A sum stored by Excel as 8218656.600000001 reads "8218656.6", and 0.1 + 0.2 reads
    "0.3", as in Excel and LibreOffice; the stored number itself is never changed.
    Guarantees: no trailing zeros; the shortest text of the number rounded to 15
    significant digits, otherwise written as Python writes floats (no exponent from
    0.0001 up to below 1e16, an exponent beyond: "1e-07", "1e+20"); a whole number
    without ".0" unless ``point_zero`` (for screens that always showed it); zero
    never "-0"; ``nan`` and infinities as Python writes them. Plain marks (a dot, no
    grouping): for cells of a table, where :func:`format_number` is for counts.
    """
    text = repr(value)
    if len(text) > SHOWN_DIGITS + 1:  # (a repr has '.' or 'e': 16 characters hold 15 digits)
        rounded = f"{value:.{SHOWN_DIGITS}g}"  # (without trailing zeros)
        if "e" not in rounded:
            text = rounded if "." in rounded else rounded + ".0"
        else:  # Python's notation: 1e+15 is written out, 1e+16 keeps its exponent
            shortest = repr(float(rounded))
            # (near the largest float, rounding up overflows: the digits as they are)
            text = rounded if shortest.endswith("inf") else shortest
    if text[0] == "-" and not value:  # -0.0
        text = text[1:]
    if not point_zero and text.endswith(".0"):
        text = text[:-2]
    return text


class LocalNumber:
    """A number that writes itself with ``lang``'s marks inside ``str.format``.

    For messages whose text (and translations) already say ``{n:,}`` or
    ``{cost:,.0f}``: ``_("{n:,} rows").format(n=LocalNumber(16747))`` gives
    "16.747 filas" in Spanish. Other format specs are Python's own.
    """

    def __init__(self, value: float, lang: str | None = None) -> None:
        self.value = value
        self.lang = lang

    def __format__(self, spec: str) -> str:
        if spec in ("", ","):
            return format_number(self.value, lang=self.lang)
        if spec.startswith(",.") and spec.endswith("f") and spec[2:-1].isdigit():
            return format_number(self.value, int(spec[2:-1]), self.lang)
        return format(self.value, spec)

    def __str__(self) -> str:
        return format_number(self.value, lang=self.lang)
