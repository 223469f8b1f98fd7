"""The dataset card: what a dataset is and where it came from, in plain words."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from tde_desktop.core.i18n import _
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import DatasetInfo
from tde_desktop.qt.common.shown_text import PROSE_LIMIT, shown_text


def breakable(url: str) -> str:
    """Escaped text with zero-width spaces after / ? & so a long address can wrap (at most
    a few hundred characters of it: :func:`shown_text`)."""
    text = html.escape(shown_text(url))
    for ch in ("/", "?", "&amp;", "_", "."):
        text = text.replace(ch, ch + "\u200b")
    return text


def card_html(info: DatasetInfo, steps: Sequence[Any] = ()) -> str:
    """The card as simple HTML (every value escaped; URLs made into links); ``steps`` are
    the dataset's tidy steps (core/explore/tidy.py), listed with their original values.
    Each pack value is cut to a bounded length (:func:`shown_text`) before it is escaped."""

    def e(text: str) -> str:
        return html.escape(shown_text(text))

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
    parts.append("<table cellspacing='4'>")
    for label, value in rows:
        shown = value or f"<i>{e(_('not recorded'))}</i>"
        parts.append(f"<tr><td><b>{e(label)}</b></td><td>{shown}</td></tr>")
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
        self.label.setText("" if info is None else card_html(info, steps))
