"""Kiosk answers picked from a list: one choice, a rating, several choices, a ranking."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from tde_desktop.core.i18n import translate
from tde_desktop.qt.workshop.kiosk_answer import AnswerWidget, literal

tr = translate  # texts in the participant's language; the catalogue finds tr("...")


class SingleChoice(AnswerWidget):
    def build(self) -> None:
        items = [(o.code, o.text(self.lang)) for o in self.options()]
        if self.question.allow_skip:
            items.append(("skip", tr("Skip this question", self.lang)))
        self.group = self._radios(items, self.question.key)

    def value(self) -> Any:
        code = self._checked(self.group)
        return None if code == "skip" else code

    def is_empty(self) -> bool:
        return self.group.checkedButton() is None

    def set_value(self, answer: Any) -> None:
        self._check(self.group, "skip" if answer is None else answer)


class Rating(SingleChoice):
    def build(self) -> None:
        q = self.question
        items = []
        for point in range(q.scale_min, q.scale_max + 1):
            option = q.option(str(point))
            text = f"{point}  {option.text(self.lang)}" if option else str(point)
            items.append((str(point), text))
        if q.allow_skip:
            items.append(("skip", tr("Skip this question", self.lang)))
        self.group = self._radios(items, q.key)

    def value(self) -> Any:
        code = self._checked(self.group)
        return None if code in (None, "skip") else int(code)


class MultipleChoice(AnswerWidget):
    def build(self) -> None:
        self.boxes: list[QCheckBox] = []
        for option in self.options():
            box = QCheckBox(literal(option.text(self.lang)))
            box.setProperty("code", option.code)
            box.setAccessibleName(option.text(self.lang))
            self.boxes.append(box)
            self.layout_.addWidget(box)

    def value(self) -> Any:
        return [str(b.property("code")) for b in self.boxes if b.isChecked()]

    def set_value(self, answer: Any) -> None:
        for box in self.boxes:
            box.setChecked(box.property("code") in (answer or []))


class Ranking(AnswerWidget):
    """A list in the participant's order, moved with buttons (no dragging needed).

    The list is as tall as its items, so it never scrolls inside the page.
    """

    def build(self) -> None:
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Your order, most important first", self.lang))
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        for option in self.options():
            item = QListWidgetItem(option.text(self.lang))
            item.setData(Qt.ItemDataRole.UserRole, option.code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.up = QPushButton(tr("Move up", self.lang))
        self.down = QPushButton(tr("Move down", self.lang))
        for button, step in ((self.up, -1), (self.down, 1)):
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _c=False, s=step: self.move_item(s))
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.layout_.addLayout(row)

    def fit_rows(self) -> None:
        """Make the list exactly as tall as its rows (after the kiosk's font applies)."""
        rows = sum(self.list.sizeHintForRow(i) for i in range(self.list.count()))
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self.fit_rows()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.fit_rows()

    def move_item(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def value(self) -> Any:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.list.count())]

    def is_empty(self) -> bool:
        return False

    def set_value(self, answer: Any) -> None:
        order = list(answer or [])
        items = [self.list.takeItem(0) for _i in range(self.list.count())]
        items.sort(key=lambda it: order.index(it.data(Qt.ItemDataRole.UserRole))
                   if it.data(Qt.ItemDataRole.UserRole) in order else len(order))
        for item in items:
            self.list.addItem(item)
