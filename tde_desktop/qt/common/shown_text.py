"""A bounded amount of a pack's text for a widget to lay out.

A pack can legitimately hold very long text: an import keeps any header, a tidy step any
value of the data. Qt measures a label's, an item's or a header's whole text to size it,
on the UI thread: a 1 MB column name held the main window for seconds. Every screen that
shows pack text passes it through :func:`shown_text` (labels, list and table items,
headers, chips, facets, chart and map titles) or :func:`shown_tip` (tooltips, which may
show more). Only what is drawn is cut; exports keep the whole text.
"""

from __future__ import annotations

#: Characters a label, item, header or chip shows at most (then "…").
SHOWN_LIMIT = 300
#: Characters a tooltip shows at most (then "…").
TIP_LIMIT = 2000
#: Characters of prose (a description) a scrolling card shows at most (then "…").
PROSE_LIMIT = 4000
ELLIPSIS = "\u2026"


def shown_text(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text`` unchanged when it has at most ``limit`` characters; else its first
    ``limit - 1`` characters (whole code points) and "…", so the result never exceeds
    ``limit`` characters. The result is plain text, like the input: it still goes through
    the widget's plain-text rules (escaping, ``PlainText`` format)."""
    if len(text) <= limit:
        return text
    return text[:max(0, limit - 1)] + ELLIPSIS


def shown_tip(text: str) -> str:
    """``text`` cut to :data:`TIP_LIMIT` characters, for a tooltip (see :func:`shown_text`)."""
    return shown_text(text, TIP_LIMIT)
