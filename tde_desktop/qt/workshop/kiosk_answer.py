"""The base of every kiosk answer widget, and the pieces the families share.

Every widget turns what a participant clicked or typed into the raw answer that
:func:`tde_desktop.core.workshop.responses.submit_answer` expects (see the table in
:mod:`tde_desktop.core.workshop.exercises`) and can show a stored answer again when the
participant goes Back. Checking the answer is the core's job, not the widget's:
a widget never refuses anything, so there is one source of truth for what fits.

Texts are in the participant's language (``lang``), not the facilitator's: the
kiosk and the console run side by side in one app. Participant and pack text is
shown as plain text, so markup typed by someone is shown literally.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.exercises import Option, Question

#: more choices than this, all short, are laid out in two columns
MAX_IN_COLUMN = 5
SHORT_CHOICE = 24


def plain_label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally (never as rich text)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setAccessibleName(name)
    return label


def literal(text: str) -> str:
    """``text`` for a button's label: an ampersand is shown, not taken as a shortcut key."""
    return text.replace("&", "&&")


class TextBox(QPlainTextEdit):
    """Multi-line text where Enter means Next (Shift+Enter starts a new line) and Tab
    moves on, so the kiosk works by keyboard alone."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName(name)
        self.setPlaceholderText(name)
        self.setMinimumHeight(96)
        self.setMaximumHeight(240)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.ignore()  # the kiosk takes it as Next
            return
        super().keyPressEvent(event)


def line_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class AnswerWidget(QWidget):
    """Base: ``value()`` gives the raw answer, ``set_value()`` shows a stored one.

    ``scrolls_itself`` widgets (a record list) are laid out directly on the
    question page, never inside its scroll area, so no list scrolls inside a
    scrolling page.
    """

    scrolls_itself = False

    def __init__(self, question: Question, lang: str, pack: Pack | None = None,
                 dataset_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.lang = lang
        self.pack = pack
        self.dataset_id = dataset_id
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.build()

    def build(self) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, answer: Any) -> None:
        raise NotImplementedError

    def is_empty(self) -> bool:
        """True when nothing was given; an optional question is then not sent at all."""
        value = self.value()
        if isinstance(value, dict):
            return not any(v for k, v in value.items() if k not in ("dataset_id",))
        return value in (None, "", [], {})

    def first_input(self) -> QWidget | None:
        """The control to bring into view when the answer is refused (the text box)."""
        boxes: list[QWidget] = [*self.findChildren(QPlainTextEdit),
                                *self.findChildren(QLineEdit)]
        return boxes[0] if boxes else None

    def options(self) -> list[Option]:
        return self.question.all_options()

    def _radios(self, items: list[tuple[str, str]], title: str,
                across: bool = False) -> QButtonGroup:
        """Radio buttons, one per (code, label); the code is kept as a property."""
        group = QButtonGroup(self)
        box = QWidget()
        box.setAccessibleName(title)
        # Many short choices go in two columns, so they show without scrolling.
        two = not across and len(items) > MAX_IN_COLUMN and \
            max(len(label) for _code, label in items) <= SHORT_CHOICE
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        rows = (len(items) + 1) // 2 if two else len(items)
        for i, (code, label) in enumerate(items):
            button = QRadioButton(literal(label))
            button.setProperty("code", code)
            button.setAccessibleName(label)
            group.addButton(button)
            if across:
                grid.addWidget(button, 0, i)
            else:
                grid.addWidget(button, i % rows, i // rows)  # down the first column first
        self.layout_.addWidget(box)
        return group

    @staticmethod
    def _checked(group: QButtonGroup) -> str | None:
        button = group.checkedButton()
        return None if button is None else str(button.property("code"))

    @staticmethod
    def _check(group: QButtonGroup, code: Any) -> None:
        for button in group.buttons():
            if button.property("code") == str(code):
                button.setChecked(True)
                return
