"""The participant kiosk: one question at a time, in large type, by mouse or keyboard.

Guarantees:

* An answer is sent with :func:`~tde_desktop.core.workshop.responses.submit_answer` the
  moment Next is pressed, and the screen moves on only after that call returned
  (the commit is the acknowledgement). Each question screen keeps one
  ``response_id`` for the participant, so a double click, a retry or Back-then-Next
  updates one row and never makes a duplicate.
* A refused answer shows the core's one plain sentence next to the control.
* Nothing of the facilitator's screens is reachable from here: Escape, Ctrl+Q and
  closing the window all ask for the facilitator PIN.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import Question, label_text
from tde_desktop.qt.common import theme
from tde_desktop.qt.workshop.kiosk_widgets import AnswerWidget, answer_widget
from tde_desktop.qt.workshop.pin_dialog import PinDialog, ask_pin

KIOSK_STYLE = """
* {{ font-size: {body}pt; }}
QLabel#title {{ font-size: {title}pt; font-weight: bold; }}
QLabel#question {{ font-size: {question}pt; font-weight: bold; }}
QLabel#error {{ color: {error}; font-weight: bold; }}
QPushButton {{ min-height: {button}px; padding: 4px 24px; }}
QRadioButton, QCheckBox {{ min-height: {choice}px; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: {box}px; height: {box}px; }}
QLineEdit, QSpinBox {{ min-height: {choice}px; }}
QSpinBox {{ padding-right: {spin}px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: {spin_button}px; }}
"""


def kiosk_style() -> str:
    """The kiosk's big type (20 pt body at 100%), following View > Text size and contrast."""
    return KIOSK_STYLE.format(body=theme.scaled(20), title=theme.scaled(30),
                              question=theme.scaled(24), error=theme.colours()["error"],
                              button=theme.scaled(56), choice=theme.scaled(48),
                              box=theme.scaled(28), spin=theme.scaled(56),
                              spin_button=theme.scaled(52))


#: sign-in answers that are also kept on the participant record (for the Participants sheet)
SIGNIN_KEYS = ("neighbourhood", "age_band", "affiliation", "first_time", "consent_quote",
               "consent_contact")


@dataclass
class Step:
    """One question screen."""

    exercise: ws.Exercise
    question: Question


class OnceButton(QPushButton):
    """A button where a double click counts as one click."""

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()


def _button(text: str, name: str = "") -> OnceButton:
    button = OnceButton(text)
    button.setAccessibleName(name or text.replace("&", ""))
    return button


class Kiosk(QWidget):
    """The participant screen for one workshop. ``preview`` shows one exercise to a
    facilitator and stores nothing."""

    participant_done = Signal(str)
    unlocked = Signal()

    def __init__(self, pack: Pack, workshop_id: str, *, device_id: str = "kiosk",
                 preview: ws.Exercise | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop = ws.get_workshop(pack, workshop_id)
        self.lang = (self.workshop.languages or ["en"])[0]
        self.device_id = device_id
        self.preview = preview
        self.participant: ws.Participant | None = None
        self.steps: list[Step] = []
        self.index = 0
        self.widget: AnswerWidget | None = None
        self.response_ids: dict[int, str] = {}
        self.given: dict[int, Any] = {}  # what was acknowledged, shown again on Back
        self.allow_close = False
        self.pin_dialog: PinDialog | None = None
        self.station_chart: Any = None  # a StationChart, built for the first station
        self.setWindowTitle(_("Workshop: {title}").format(title=self.workshop.title))
        self.setAccessibleName(_("Participant screen"))
        self.setStyleSheet(kiosk_style())
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        self._build_welcome()
        self._build_question()
        self._build_done()
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+Q")):
            QShortcut(keys, self, activated=self.ask_unlock)
        QShortcut(QKeySequence("Alt+B"), self, activated=self.back)
        QShortcut(QKeySequence("Alt+N"), self, activated=self.next)
        if preview is not None:
            self.start(preview=True)

    # -- pages ---------------------------------------------------------------------------

    def _label(self, name: str = "", object_name: str = "") -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        if object_name:
            label.setObjectName(object_name)
        return label

    def _build_welcome(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = self._label(_("Workshop title"), "title")
        title.setText(self.workshop.title)
        layout.addWidget(title)
        self.intro = self._label(_("Welcome"))
        layout.addWidget(self.intro)
        layout.addStretch(1)
        self.start_button = _button(_("Start"), _("Start on my own"))
        self.start_button.clicked.connect(lambda: self.start())
        layout.addWidget(self.start_button)
        row = QHBoxLayout()
        self.group_size = QSpinBox()
        self.group_size.setRange(2, 20)
        self.group_size.setValue(4)
        self.group_button = _button(_("Start as a table group"))
        self.retranslate_welcome()
        self.group_button.clicked.connect(lambda: self.start(group=True))
        row.addWidget(self.group_button, 1)
        row.addWidget(self.group_size)
        layout.addLayout(row)
        self.welcome_note = self._label(_("Message"))
        layout.addWidget(self.welcome_note)
        self.stack.addWidget(page)

    def retranslate_welcome(self) -> None:
        """The welcome page's words in the current language (after Language > ...)."""
        self.intro.setAccessibleName(_("Welcome"))
        self.intro.setText(_("Welcome! Your answers are anonymous: you get a code, not a name. "
                             "You can skip any question you do not want to answer."))
        self.start_button.setText(_("Start"))
        self.start_button.setAccessibleName(_("Start on my own"))
        self.group_size.setAccessibleName(_("How many people in the group"))
        self.group_size.setSuffix(" " + _("people"))
        self.group_button.setText(_("Start as a table group"))
        self.group_button.setAccessibleName(_("Start as a table group"))

    def _build_question(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.exercise_title = self._label(_("Exercise"), "title")
        self.progress = self._label(_("Progress"))
        self.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.exercise_title, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)
        self.instructions = self._label(_("Instructions"))
        layout.addWidget(self.instructions)
        self.question_layout = layout  # a station's chart goes here, above its prompts
        self.question_label = self._label(_("Question"), "question")
        layout.addWidget(self.question_label)
        self.error = self._label(_("Problem with this answer"), "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.note = self._label(_("Message"))
        layout.addWidget(self.note)
        self.buttons = QGridLayout()
        # Explicit shortcuts rather than mnemonics: some platforms turn mnemonics off.
        self.back_button = _button(_("Back (Alt+B)"), _("Back"))
        self.undo_button = _button(_("Undo my last answer"))
        self.next_button = _button(_("Next (Enter)"), _("Next"))
        self.back_button.clicked.connect(self.back)
        self.undo_button.clicked.connect(self.undo)
        self.next_button.clicked.connect(self.next)
        self._arrange_buttons()
        layout.addLayout(self.buttons)
        self.stack.addWidget(page)

    def _build_done(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.done_label = self._label(_("Thank you"), "title")
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        self.done_back = _button(_("Back (Alt+B)"), _("Back"))
        self.done_back.clicked.connect(self.back)
        layout.addWidget(self.done_back)
        self.pass_button = _button(_("Done: hand the laptop to the next person"))
        self.pass_button.clicked.connect(self.pass_on)
        layout.addWidget(self.pass_button)
        self.stack.addWidget(page)

    # -- flow ----------------------------------------------------------------------------

    def open_steps(self) -> list[Step]:
        """Every question of every open exercise, in agenda order."""
        if self.preview is not None:
            return [Step(self.preview, q) for q in self.preview.questions]
        return [Step(e, q) for e in ws.list_exercises(self.pack, self.workshop.id)
                if e.status == "open" for q in e.questions]

    def start(self, group: bool = False, preview: bool = False) -> None:
        """A fresh anonymous participant (or table group) starts at the first question."""
        self.steps = self.open_steps()
        if not self.steps:
            self.welcome_note.setText(_("Please wait: the facilitator has not opened an "
                                        "exercise yet."))
            return
        if not preview:
            # The facilitator may have switched the language since the last participant.
            self.workshop = ws.get_workshop(self.pack, self.workshop.id)
            self.lang = (self.workshop.languages or ["en"])[0]
            self.participant = ws.add_participant(
                self.pack, self.workshop.id, is_group=group,
                group_size=self.group_size.value() if group else None,
                device_id=self.device_id)
        self.response_ids.clear()
        self.given.clear()
        self.welcome_note.clear()
        self.show_step(0)

    def _skipped(self, index: int) -> bool:
        # The contact question appears only after consent to be contacted.
        step = self.steps[index]
        if step.exercise.type == "sign_in" and step.question.key == "contact":
            consent = [self.given.get(i) for i, s in enumerate(self.steps)
                       if s.exercise.id == step.exercise.id and s.question.key ==
                       "consent_contact"]
            return consent != ["yes"]
        return False

    def show_step(self, index: int) -> None:
        self.index = index
        step = self.steps[index]
        exercise = step.exercise
        self.exercise_title.setText(exercise.text("title", self.lang))
        self.instructions.setText(exercise.text("instructions_participant", self.lang))
        self.question_label.setText(label_text(step.question.text, self.lang))
        self._show_station(exercise)
        self.progress.setText(_("{n} of {total}").format(n=index + 1, total=len(self.steps)))
        self.error.hide()
        self.widget = answer_widget(step.question, self.lang, self.pack, exercise.dataset_id)
        self.widget.setAccessibleName(label_text(step.question.text, self.lang))
        if index in self.given:
            self.widget.set_value(self.given[index])
        self.scroll.setWidget(self.widget)
        self.back_button.setEnabled(index > 0)
        self.undo_button.setEnabled(self.participant is not None and bool(self.given))
        self.stack.setCurrentIndex(1)
        self._focus_first(self.widget)

    def _show_station(self, exercise: ws.Exercise) -> None:
        """A data-walk station shows its saved view's chart above the prompts."""
        if exercise.view_id is None and self.station_chart is None:
            return  # no station yet: matplotlib is not even imported
        if self.station_chart is None:
            from tde_desktop.qt.workshop.station_chart import StationChart

            self.station_chart = StationChart(theme.scaled(20))
            position = self.question_layout.indexOf(self.instructions) + 1
            self.question_layout.insertWidget(position, self.station_chart, 2)
        self.station_chart.show_view(self.pack.path, exercise.view_id)

    @staticmethod
    def _focus_first(widget: QWidget) -> None:
        for child in widget.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isEnabled():
                child.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _move(self, start: int, step: int) -> None:
        index = start
        while 0 <= index < len(self.steps) and self._skipped(index):
            index += step
        if index >= len(self.steps):
            self.show_done()
        elif index >= 0:
            self.show_step(index)

    def show_done(self) -> None:
        code = self.participant.code if self.participant else ""
        self.done_label.setText(_("Thank you! Your answers are saved. Your code is {code}.")
                                .format(code=code) if code else _("End of the preview."))
        self.stack.setCurrentIndex(2)
        self.pass_button.setFocus()

    def next(self) -> bool:
        """Send this screen's answer and move on; False (and a sentence) if refused."""
        if self.widget is None or self.stack.currentIndex() != 1:
            return False
        step = self.steps[self.index]
        question = step.question
        value = self.widget.value()
        send = True
        if self.widget.is_empty() and question.allow_skip:
            value = None
        elif self.widget.is_empty() and not question.required:
            send = False
        try:
            if self.preview is not None:
                from tde_desktop.core.workshop.answer_checks import validate_answer

                if send:
                    validate_answer(question, value, self.lang)
            elif send:
                self._send(step, value)
        except TdeError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        if send:
            self.given[self.index] = value
        self._move(self.index + 1, 1)
        return True

    def _send(self, step: Step, value: Any) -> None:
        assert self.participant is not None
        key = step.question.key
        if step.exercise.type == "sign_in" and key == "contact":
            # A contact is kept on the participant record only, and only with consent.
            ws.update_participant(self.pack, self.participant.id, contact=value or "")
            return
        response_id = self.response_ids.setdefault(self.index, str(uuid.uuid4()))
        responses.submit_answer(
            self.pack, workshop_id=self.workshop.id, exercise_id=step.exercise.id,
            participant_id=self.participant.id, question_key=key, answer=value,
            device_id=self.device_id, response_id=response_id, lang=self.lang)
        if step.exercise.type == "sign_in" and key in SIGNIN_KEYS:
            ws.update_participant(self.pack, self.participant.id,
                                         **{key: "" if value is None else value})

    def back(self) -> None:
        if self.stack.currentIndex() == 2:
            self._move(len(self.steps) - 1, -1)
        elif self.stack.currentIndex() == 1 and self.index > 0:
            self._move(self.index - 1, -1)

    def undo(self) -> None:
        """Take back this participant's most recent answer and show its question again."""
        if self.participant is None:
            return
        undone = responses.undo_last_answer(self.pack, self.participant.id)
        if undone is None:
            self.note.setText(_("There is no answer to take back."))
            return
        for i, step in enumerate(self.steps):
            if step.exercise.id == undone.exercise_id and step.question.key == \
                    undone.question_key:
                self.given.pop(i, None)
                self.response_ids.pop(i, None)  # a re-sent undone id would stay undone
                self.show_step(i)
                break
        self.note.setText(_("Your last answer was taken back. You can answer again."))

    def pass_on(self) -> None:
        """Finish this participant: the next person starts fresh and anonymous."""
        if self.participant is not None:
            self.participant_done.emit(self.participant.id)
        self.participant = None
        self.widget = None
        self.given.clear()
        self.response_ids.clear()
        self.note.clear()
        self.stack.setCurrentIndex(0)
        self.start_button.setFocus()

    # -- keyboard and leaving ------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.isAutoRepeat():
                return  # a held Enter key must not send several screens
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and focus is not self.next_button:
                focus.click()
            elif self.stack.currentIndex() == 1:
                self.next()
            elif self.stack.currentIndex() == 0:
                self.start_button.click()
            else:
                self.pass_button.click()
            return
        super().keyPressEvent(event)

    def ask_unlock(self) -> None:
        """Escape / Ctrl+Q: only the facilitator PIN leaves the kiosk."""
        def unlocked() -> None:
            self.allow_close = True
            self.unlocked.emit()
            self.close()

        self.pin_dialog = ask_pin(self, self.pack, self.workshop.id, unlocked,
                                  _("To leave the participant screen, type the facilitator "
                                    "PIN."))

    def _arrange_buttons(self) -> None:
        """Back, Undo and Next on one row; Undo on a row of its own when text is large,
        so the three never need more than the screen's width."""
        for button in (self.back_button, self.undo_button, self.next_button):
            self.buttons.removeWidget(button)
        self.buttons.addWidget(self.back_button, 0, 0)
        self.buttons.setColumnStretch(2, 1)
        self.buttons.addWidget(self.next_button, 0, 3)
        if theme.text_scale() > 1.25:
            self.buttons.addWidget(self.undo_button, 1, 0, 1, 2)
        else:
            self.buttons.addWidget(self.undo_button, 0, 1)

    def apply_theme(self) -> None:
        """Follow a change of View > Text size or High contrast."""
        self.setStyleSheet(kiosk_style())
        self._arrange_buttons()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close or self.preview is not None:
            event.accept()
            return
        event.ignore()
        self.ask_unlock()
