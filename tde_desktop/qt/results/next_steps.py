"""Next steps: closing the loop at the end of a workshop.

One row per thing heard: what the city will do, who owns it, by when, and how
participants will be told. Saved with :func:`workshops.set_next_steps`, which
replaces the whole table in one transaction.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws


def headers() -> list[str]:
    return [_("What we heard"), _("What the city will do"), _("Owner"), _("Due date"),
            _("How participants will be told")]


class NextStepsEditor(QWidget):
    """An editable table of next steps for one workshop."""

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.setWindowTitle(_("Next steps"))
        self.setAccessibleName(_("Next steps"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Close the loop: what we heard, what the city will do, "
                                  "and how participants will hear back.")))
        self.table = QTableWidget(0, len(ws.NEXT_STEP_KEYS))
        self.table.setHorizontalHeaderLabels(headers())
        self.table.setAccessibleName(_("Next steps"))
        # Each column as wide as its heading, the last one taking the rest; a narrow window
        # scrolls sideways rather than cutting "How participants will be told".
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        for text, slot in ((_("&Add a row"), self.add_row), (_("&Remove row"), self.remove_row),
                           (_("&Save"), self.save)):
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(_("Message"))
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        for step in ws.get_workshop(pack, workshop_id).next_steps:
            self.add_row([step.get(k, "") for k in ws.NEXT_STEP_KEYS])
        if not self.table.rowCount():
            self.add_row()
        self.fit_headings()

    def fit_headings(self) -> int:
        """Make each column as wide as its whole heading; returns the table's total width.

        Headings stay in plain type (no bold heading for the current cell's column,
        which would need more room than Qt gives it).
        """
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for col in range(header.count()):
            header.resizeSection(col, header.sectionSizeHint(col) + 8)
        total = header.length() + self.table.verticalHeader().sizeHint().width()
        if not self.isVisible():  # opens wide enough for every heading (capped to the screen)
            self.resize(max(1000, total + 60), 420)  # the window's margins and a scroll bar
        return total

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_headings()  # View > Text size

    def add_row(self, values: list[str] | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate(values or [""] * len(ws.NEXT_STEP_KEYS)):
            self.table.setItem(row, col, QTableWidgetItem(value))

    def remove_row(self) -> None:
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())

    def rows(self) -> list[dict[str, str]]:
        result = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, col) for col in range(len(ws.NEXT_STEP_KEYS))]
            values = {key: (item.text().strip() if item is not None else "")
                      for key, item in zip(ws.NEXT_STEP_KEYS, items, strict=True)}
            if any(values.values()):
                result.append(values)
        return result

    def save(self) -> bool:
        try:
            ws.set_next_steps(self.pack, self.workshop_id, self.rows())
        except TdeError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(_("Next steps saved."))
        return True
