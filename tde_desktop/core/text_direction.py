"""A pack value inside a sentence the app composes, kept in its own direction.

In a right-to-left interface (Arabic) the words around a value set the direction of the
whole line, so a Latin value with a number at one end is reordered: "Most common: 2041 W
NORTH AVE, 5% of rows" shows the address as "W NORTH AVE 2041", and "-76.6" as "76.6-".
Wrapping the value in Unicode first-strong isolates (FSI ... PDI) makes it read in the
direction of its own first strong letter (left to right when it has none, as a number)
and keeps it one unit among the words around it. Qt's text layout and every browser
honour the isolates; on a left-to-right line they change nothing that shows.

Only for text drawn for people. Stored values, exported workbooks and CSV, copied cells,
text given to a screen reader and text other code parses never get the marks
(:func:`plain` takes them out again).
"""

from __future__ import annotations

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidirectional algorithm)
FSI = "\u2068"
PDI = "\u2069"


def isolate(text: str) -> str:
    """``text`` between FSI and PDI: drawn in the direction of its first strong letter and
    kept as one unit inside the surrounding line; "" stays "" (nothing to isolate)."""
    return f"{FSI}{text}{PDI}" if text else text


def plain(text: str) -> str:
    """``text`` without the isolates :func:`isolate` adds, for a screen reader or a test."""
    return text.replace(FSI, "").replace(PDI, "")
