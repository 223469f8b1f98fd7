"""Pack values laid out in their own direction, whatever the window's.

In a right-to-left window (Arabic) Qt lays out every item's text right to left, so a
Latin value with a number at one end reads backwards: "2041 W NORTH AVE" shows as
"W NORTH AVE 2041" and "(39.3, -76.6)" loses its brackets' order. A value is data, not
interface text: it should read in the direction of its own first strong letter (Arabic
right to left; Latin, numbers and dates left to right), as spreadsheets show it, while the
column's alignment keeps following the window (right-aligned in Arabic).

Two tools, neither of which changes a stored, exported or copied value:

* :class:`ValueDirectionDelegate`, for views whose items are values alone (the grid, the
  tidy dialog's tables, the kiosk's record view): each item is laid out in the direction
  its text starts with (``Qt.LayoutDirectionAuto``), its alignment fixed to the view's
  side first. The model's text is drawn as it is.
* :func:`isolate`, for one value inside a sentence or label made by the interface (a facet
  entry "value — count"): the value is wrapped in Unicode first-strong isolates (FSI ...
  PDI), which Qt's text layout honours, so it keeps its own order and cannot pull the
  count or the words around it out of place. Only for text that is drawn; never for text
  stored, exported, copied or given to a screen reader.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from tde_desktop.core.text_direction import FSI, PDI, isolate, plain

__all__ = ["FSI", "PDI", "ValueDirectionDelegate", "isolate", "plain"]

_AUTO = Qt.LayoutDirection.LayoutDirectionAuto


class ValueDirectionDelegate(QStyledItemDelegate):
    """Draws each item's text in its own direction (first strong letter; left to right when
    there is none, as for numbers), aligned as the view's direction puts it.

    Only the style option changes: the text, the model and what is copied stay the same.
    """

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        # Fix the alignment to the view's side (AlignLeading becomes right in Arabic and is
        # marked absolute), then let the text layout find the text's own direction.
        option.displayAlignment = QStyle.visualAlignment(
            option.direction, option.displayAlignment)
        option.direction = _AUTO
