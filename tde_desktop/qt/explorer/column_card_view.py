"""The column card: what one column holds, in plain words and a small histogram."""

from __future__ import annotations

import dataclasses
import html
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.explore import column_card
from tde_desktop.core.explore.filters import format_value
from tde_desktop.core.explore.labels import plain_label
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.numbers import format_number
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.ops import plain_tooltip
from tde_desktop.qt.explorer.column_labels import column_tooltip, fill_column_box, shown_label
from tde_desktop.qt.explorer.dataset_card import RIGHT, table_row, wrappable


class Histogram(QWidget):
    """Bars drawn with QPainter (no matplotlib needed for a thumbnail)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: list[int] = []
        self.first = self.last = ""
        self.setMinimumHeight(110)
        self.setAccessibleName(_("Histogram"))

    def set_data(self, counts: list[int], first: str, last: str) -> None:
        self.counts, self.first, self.last = counts, first, last
        self.setAccessibleDescription(
            ngettext("{n} bar from {first} to {last}", "{n} bars from {first} to {last}",
                     len(counts)).format(n=len(counts), first=first, last=last) + "; "
            + ngettext("the tallest holds {n} row", "the tallest holds {n} rows",
                       max(counts, default=0)).format(n=format_number(max(counts, default=0))))
        self.setVisible(bool(counts))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.counts:
            return
        painter = QPainter(self)
        text_h = painter.fontMetrics().height() + 4
        w, h = self.width(), self.height() - text_h
        top = max(self.counts) or 1
        step = w / len(self.counts)
        palette = self.palette()
        painter.setPen(palette.color(palette.ColorRole.WindowText))
        painter.setBrush(QColor("#4c72b0"))
        for i, n in enumerate(self.counts):
            bar_h = (h - 2) * n / top
            painter.drawRect(QRectF(i * step + 1, h - bar_h, max(1.0, step - 2), bar_h))
        painter.drawText(QRectF(0, h, w / 2, text_h), Qt.AlignmentFlag.AlignLeft, self.first)
        painter.drawText(QRectF(w / 2, h, w / 2, text_h), Qt.AlignmentFlag.AlignRight,
                         self.last)
        painter.end()


def card_text(card: column_card.ColumnCard, rtl: bool = False) -> str:
    """The card as HTML: the sentences, then the most common values. Pack words are cut to
    what a card shows and may break anywhere in a long run (:func:`wrappable`), so the card
    wraps to its panel; ``rtl`` puts each value on the right of its count, as read in
    Arabic. Each value is its own paragraph, laid out in its own direction."""
    def e(text: str) -> str:
        return wrappable(text)

    parts = [f"<h3>{e(card.label)}</h3>",
             f"<p><i>{e(_('Type: {type}').format(type=_(card.type)))}</i></p><ul>"]
    parts.extend(f"<li>{e(line)}</li>" for line in card.summary())
    parts.append("</ul>")
    if card.top and card.type not in column_card.NUMERIC_TYPES:
        parts.append(f"<p><b>{e(_('Most common values'))}</b></p>"
                     f"<table cellspacing='3'{RIGHT if rtl else ''}>")
        number = "<td align='left'>" if rtl else "<td align='right'>"  # counts line up
        for value, n, pct in card.top:
            parts.append(table_row([f"<td>{e(format_value(value))}</td>",
                                    f"{number}{format_number(n)}</td>",
                                    f"{number}{e(column_card.format_pct(pct))}</td>"], rtl))
        parts.append("</table>")
    return "".join(parts)


class ColumnCardView(QWidget):
    """Follows the grid's current column (or the one chosen here)."""

    def __init__(self, explorer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explorer = explorer
        self.card: column_card.ColumnCard | None = None
        self.column_box = ElidedComboBox()
        self.column_box.setAccessibleName(_("Column to describe"))
        self.text = QLabel()
        self.text.setAccessibleName(_("Column card"))
        self.text.setWordWrap(True)
        # Wrap to the panel's width: a long value never widens the label past the panel.
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        self.histogram = Histogram()
        self.histogram.hide()
        row = QHBoxLayout()
        label = QLabel(_("C&olumn"))
        label.setBuddy(self.column_box)
        row.addWidget(label)
        row.addWidget(self.column_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.text)
        layout.addWidget(self.histogram)
        layout.addStretch(1)
        self._generation = 0
        self.column_box.currentIndexChanged.connect(lambda _i: self.refresh())
        explorer.dataset_changed.connect(self._dataset_changed)
        explorer.current_column_changed.connect(self.set_column)
        self._dataset_changed()

    def _dataset_changed(self) -> None:
        self.column_box.blockSignals(True)
        self.column_box.clear()
        info = self.explorer.dataset
        fill_column_box(self.column_box, info.columns if info else [])
        self.column_box.blockSignals(False)
        self.text.clear()
        self.histogram.set_data([], "", "")

    def set_column(self, name: str) -> None:
        position = self.column_box.findData(name)
        if position >= 0 and position != self.column_box.currentIndex():
            self.column_box.setCurrentIndex(position)  # refreshes

    def refresh(self) -> None:
        """Describe the chosen column under the current filters (in the background)."""
        info, pack = self.explorer.dataset, self.explorer.pack
        name = self.column_box.currentData()
        if info is None or pack is None or name is None:
            return
        column = next(c for c in info.columns if c.name == name)
        filters = list(self.explorer.filters)
        self._generation += 1
        generation = self._generation
        self.text.setText(_("Looking at {name}...").format(name=html.escape(shown_label(column))))
        from tde_desktop.qt.common.ops import run_op

        def work(p: Pack, _progress: object) -> column_card.ColumnCard:
            card = column_card.column_card(p.conn, info.table_name, column, filters)
            # The heading is the plain label; the raw name stays in the tooltip.
            return dataclasses.replace(card, label=plain_label(column))

        run_op(self, work, pack_path=pack.path, label=_("Describing the column"),
               on_done=lambda card: self._show(generation, card))

    def _show(self, generation: int, card: column_card.ColumnCard) -> None:
        if generation != self._generation:
            return
        self.card = card
        self.text.setText(card_text(card, rtl=self.isRightToLeft()))
        info = self.explorer.dataset
        column = next((c for c in info.columns if c.name == card.name), None) if info else None
        self.text.setToolTip(column_tooltip(column) if column is not None
                            else plain_tooltip(card.name))
        hist = card.histogram or []
        if hist and len(hist[0]) == 3:
            counts = [int(b[2]) for b in hist]
            first = format_value(hist[0][0])
            last = format_value(hist[-1][1])
        else:
            counts = [int(b[1]) for b in hist]
            first = str(hist[0][0]) if hist else ""
            last = str(hist[-1][0]) if hist else ""
        self.histogram.set_data(counts, first, last)
