"""Plain column labels in Qt widgets: the label on screen, the raw name in a tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tde_desktop.core.explore.labels import description, plain_label
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import ColumnInfo
from tde_desktop.qt.common.ops import plain_tooltip
from tde_desktop.qt.common.shown_text import shown_text


def shown_label(column: ColumnInfo) -> str:
    """The column's plain label as a widget shows it: at most a few hundred characters
    (:func:`~tde_desktop.qt.common.shown_text.shown_text`)."""
    return shown_text(plain_label(column))


def column_tooltip_text(column: ColumnInfo) -> str:
    """The original name, the full description (current language, else English) and type,
    one per line, as plain text."""
    text = description(column)
    kind = _("Type: {type}").format(type=_(column.type))
    return "\n".join(p for p in (shown_text(column.original_name), text, kind) if p)


def column_tooltip(column: ColumnInfo) -> str:
    """:func:`column_tooltip_text` as a tooltip that shows the pack's words as written."""
    return plain_tooltip(column_tooltip_text(column))


def fill_column_box(box: QComboBox, columns: list[ColumnInfo]) -> None:
    """Add one item per column: plain label shown, name as data, details as tooltip."""
    for c in columns:
        box.addItem(shown_label(c), c.name)
        box.setItemData(box.count() - 1, column_tooltip(c), Qt.ItemDataRole.ToolTipRole)
