"""The dataset card: what a dataset is and where it came from, in plain words."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import DatasetInfo
from tde_desktop.qt.common.shown_text import PROSE_LIMIT, shown_text

#: characters without a space after which a card value may break (see :func:`wrappable`)
BREAK_RUN = 12
_BREAK = "\u200b"  # ZERO WIDTH SPACE: a line may break here; nothing shows
_JOINER = "\u200d"  # ZERO WIDTH JOINER: emoji and letters it joins stay together
#: a table's attribute that puts it on the right of a right-to-left card
RIGHT = " align='right'"


def breakable(url: str) -> str:
    """Escaped text with zero-width spaces after / ? & so a long address can wrap (at most
    a few hundred characters of it: :func:`shown_text`)."""
    text = html.escape(shown_text(url))
    for ch in ("/", "?", "&amp;", "_", "."):
        text = text.replace(ch, ch + "\u200b")
    return text


def wrappable(text: str) -> str:
    """Escaped ``text`` (at most :func:`shown_text` of it) with zero-width spaces inside
    runs of more than :data:`BREAK_RUN` characters without a space, so a long value (a
    300-character tidied value, a code) wraps at the edge of a narrow card instead of
    running past it. Nothing is put before a combining mark or next to a joiner, so
    accents and joined letters stay whole; the spaces are invisible where no line breaks."""
    out: list[str] = []
    run = 0
    for ch in shown_text(text):
        if ch.isspace():
            run = 0
        elif (run >= BREAK_RUN and not unicodedata.category(ch).startswith("M")
              and ch != _JOINER and out[-1] != _JOINER):
            out.append(_BREAK)
            run = 0
        out.append(ch)
        run = 0 if ch.isspace() else run + 1
    return html.escape("".join(out))


def table_row(cells: Sequence[str], rtl: bool = False) -> str:
    """One ``<tr>`` of ``cells`` (each a ``<td>...</td>``), first cell on the right when
    ``rtl``: Qt's rich text never mirrors a table, so a right-to-left card lists the cells
    the other way round to read from the right."""
    return "<tr>" + "".join(reversed(cells) if rtl else cells) + "</tr>"


def card_html(info: DatasetInfo, steps: Sequence[Any] = (), rtl: bool = False) -> str:
    """The card as simple HTML (every value escaped; URLs made into links); ``steps`` are
    the dataset's tidy steps (core/explore/tidy.py), listed with their original values.
    Each pack value is cut to a bounded length (:func:`shown_text`) before it is escaped,
    and long runs get break opportunities (:func:`wrappable`). ``rtl``: the card is shown
    right to left, labels on the right of their values."""

    def e(text: str) -> str:
        return wrappable(text)

    rows = [
        (_("Rows"), format_number(info.row_count)),
        (_("Columns"), format_number(info.column_count)),
        (_("Publisher"), e(info.publisher)),
        (_("Licence"), e(info.licence)),
        (_("Retrieved"), e(info.retrieved_at)),
        (_("Source"), f'<a href="{html.escape(info.source_url)}">{breakable(info.source_url)}</a>'
         if info.source_url else ""),
        (_("Original file"), breakable(info.original_filename)),
        # In groups of eight so it wraps in a narrow panel and is easy to read out.
        (_("Checksum (SHA-256)"),
         "<small><tt>" + " ".join(info.sha256[i:i + 8] for i in range(0, len(info.sha256), 8))
         + "</tt></small>"),
    ]
    parts = [f"<h2>{e(info.title)}</h2>"]
    if info.description:
        parts.append(f"<p>{html.escape(shown_text(info.description, PROSE_LIMIT))}</p>")
    parts.append(f"<table cellspacing='4'{RIGHT if rtl else ''}>")
    for label, value in rows:
        shown = value or f"<i>{e(_('not recorded'))}</i>"
        parts.append(table_row([f"<td><b>{e(label)}</b></td>", f"<td>{shown}</td>"], rtl))
    parts.append("</table>")
    if info.warnings:
        parts.append(f"<h3>{e(_('Notes from the import'))}</h3><ul>")
        parts.extend(f"<li>{e(w)}</li>" for w in info.warnings)
        parts.append("</ul>")
    if steps:
        labels = {c.name: c.original_name for c in info.columns}
        parts.append(f"<h3>{e(_('Tidied values (the original values are kept)'))}</h3><ul>")
        parts.extend("<li>" + html.escape(_("{column}: {old} \u2192 {new}").format(
            column=shown_text(str(labels.get(s.column, s.column))),
            old=shown_text(str(s.from_value)), new=shown_text(str(s.to_value)))) + "</li>"
            for s in steps)
        parts.append("</ul>")
    return "".join(parts)


class DatasetCard(QScrollArea):
    """Title, description, source, publisher, licence, dates, checksum and warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("About this dataset"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.label = QLabel()
        self.label.setAccessibleName(_("Dataset details"))
        self.label.setWordWrap(True)
        # Wrap to the panel's width at any text size instead of widening the window.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setOpenExternalLinks(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.setWidget(inner)

    def set_dataset(self, info: DatasetInfo | None, steps: Sequence[Any] = ()) -> None:
        self.label.setText("" if info is None
                           else card_html(info, steps, rtl=self.isRightToLeft()))
