"""One cell of a QTableWidget to write into, made if the table has none there yet."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item at ``row``, ``column``; an empty one is put there first if it is missing,
    so ``cell(table, r, c).setText(...)`` never fails on a cell that was never filled."""
    item = table.item(row, column)
    if item is None:
        item = QTableWidgetItem()
        table.setItem(row, column, item)
    return item
