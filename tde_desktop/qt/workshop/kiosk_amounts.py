"""Kiosk answers that share out an amount: dots over options, or a budget.

Dot voting uses large + and - buttons and a hard cap: + is disabled once every
dot is placed (or an option holds all it may), so the screen never reads
"4 of 3". What is left is written out, not only coloured.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from tde_desktop.core.i18n import translate
from tde_desktop.core.numbers import LocalNumber
from tde_desktop.qt.workshop.kiosk_answer import AnswerWidget, plain_label

tr = translate  # texts in the participant's language; the catalogue finds tr("...")


class DotCounter(QWidget):
    """- count + for one option; ``value()`` is the dots on it."""

    changed = Signal()

    def __init__(self, name: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._value = 0
        self.maximum = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.minus = QPushButton("\u2212")
        self.minus.setAccessibleName(tr("One dot less on {option}", lang).format(
            option=name))
        self.plus = QPushButton("+")
        self.plus.setAccessibleName(tr("One dot more on {option}", lang).format(
            option=name))
        self.count = QLabel("0")
        self.count.setObjectName("dots")
        self.count.setAccessibleName(tr("Dots on {option}", lang).format(option=name))
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for button in (self.minus, self.plus):
            button.setObjectName("dotButton")
            button.setAutoRepeat(False)
            # A click does not take the keyboard, and Enter still means Next here (the
            # kiosk reads this property); Space presses the button Tab reached.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setProperty("enter_means_next", True)
        self.minus.clicked.connect(lambda: self.setValue(self._value - 1))
        self.plus.clicked.connect(lambda: self.setValue(self._value + 1))
        row.addWidget(self.minus)
        row.addWidget(self.count)
        row.addWidget(self.plus)

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:  # noqa: N802 - the Qt spelling, as QSpinBox
        value = max(0, min(int(value), self.maximum))
        if value != self._value:
            self._value = value
            self.count.setText(str(value))
            self.changed.emit()
        self.minus.setEnabled(value > 0)


class DotVote(AnswerWidget):
    """Dots over options with + and - buttons; never more than the question's dots."""

    def build(self) -> None:
        grid = QGridLayout()
        self.spins: dict[str, DotCounter] = {}  # the name the agenda editor's preview reads
        per_option = self.question.dots if self.question.stacking else 1
        for row, option in enumerate(self.options()):
            label = option.text(self.lang)
            text = plain_label(label)
            counter = DotCounter(label, self.lang)
            counter.maximum = per_option
            counter.changed.connect(self._update_left)
            text.setBuddy(counter.plus)
            grid.addWidget(text, row, 0)
            grid.addWidget(counter, row, 1)
            self.spins[option.code] = counter
        grid.setColumnStretch(0, 1)
        self.layout_.addLayout(grid)
        self.left = plain_label(name=tr("What is left", self.lang))
        self.left.setObjectName("dotsLeft")
        self.layout_.addWidget(self.left)
        self._update_left()

    def used(self) -> int:
        return sum(c.value() for c in self.spins.values())

    def _update_left(self) -> None:
        total = self.question.dots
        left = max(0, total - self.used())
        self.left.setText(tr("Dots left: {left} of {total}", self.lang).format(
            left=left, total=total))
        for counter in self.spins.values():
            counter.plus.setEnabled(left > 0 and counter.value() < counter.maximum)
            counter.minus.setEnabled(counter.value() > 0)

    def value(self) -> Any:
        return {code: c.value() for code, c in self.spins.items() if c.value()}

    def set_value(self, answer: Any) -> None:
        for counter in self.spins.values():
            counter.setValue(0)
        for code, counter in self.spins.items():
            room = self.question.dots - self.used()
            counter.setValue(min(room, int((answer or {}).get(code, 0))))
        self._update_left()


class Amounts(AnswerWidget):
    """Money per option, with what is spent written out; the core refuses overspending."""

    def build(self) -> None:
        grid = QGridLayout()
        self.spins: dict[str, QSpinBox] = {}
        for row, option in enumerate(self.options()):
            label = option.text(self.lang)
            if option.cost is not None:
                label = tr("{name} (up to {cost:,.0f})", self.lang).format(
                    name=label, cost=LocalNumber(option.cost, self.lang))
            text = plain_label(label)
            spin = QSpinBox()
            spin.setAccessibleName(label)
            spin.setRange(0, int(option.cost if option.cost is not None
                                 else self.question.total or 10**9))
            spin.setSingleStep(5000)
            spin.setGroupSeparatorShown(True)
            spin.setMinimumWidth(200)
            spin.setMaximumWidth(320)
            text.setBuddy(spin)
            spin.valueChanged.connect(self._update_left)
            grid.addWidget(text, row, 0)
            grid.addWidget(spin, row, 1)
            self.spins[option.code] = spin
        grid.setColumnStretch(0, 1)
        self.layout_.addLayout(grid)
        self.left = plain_label(name=tr("What is left", self.lang))
        self.layout_.addWidget(self.left)
        self._update_left()

    def _update_left(self) -> None:
        used = sum(s.value() for s in self.spins.values())
        self.left.setText(tr("Spent {used:,} of {total:,.0f}", self.lang).format(
            used=LocalNumber(used, self.lang), total=LocalNumber(self.question.total or 0,
                                                                 self.lang)))

    def value(self) -> Any:
        return {code: s.value() for code, s in self.spins.items() if s.value()}

    def set_value(self, answer: Any) -> None:
        for code, spin in self.spins.items():
            spin.setValue(int((answer or {}).get(code, 0)))
