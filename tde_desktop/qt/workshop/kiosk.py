"""The participant kiosk: one question at a time, in large type, by mouse or keyboard.

Guarantees:

* An answer is sent with :func:`~tde_desktop.core.workshop.responses.submit_answer` the
  moment Next is pressed, and the screen moves on only after that call returned
  (the commit is the acknowledgement). Each question screen keeps one
  ``response_id`` for the participant, so a double click, a retry or Back-then-Next
  updates one row and never makes a duplicate.
* A refused answer shows the core's one plain sentence next to the control, and
  the control is scrolled into sight.
* The question list is not fixed at Start: after each answer the kiosk reads again
  which exercises are open, so one opened later is offered before "Thank you".
* The participant picks the language on the first screen; the next participant
  starts in the workshop's first language again.
* Nothing of the facilitator's screens is reachable from here: Escape, Ctrl+Q and
  closing the window all ask for the facilitator PIN; full screen, the window stays
  on top and keeps the keyboard (see :mod:`kiosk_lock`). ``opened`` and ``closed``
  tell the console when to lock itself.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
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
from tde_desktop.core.i18n import translate
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.qt.workshop import kiosk_lock, kiosk_pages
from tde_desktop.qt.workshop.kiosk_pages import (
    OnceButton,
    kiosk_style,  # noqa: F401 - kept importable
)
from tde_desktop.qt.workshop.kiosk_steps import Step, StepList
from tde_desktop.qt.workshop.kiosk_widgets import AnswerWidget, answer_widget
from tde_desktop.qt.workshop.pin_dialog import PinDialog, ask_pin

tr = translate  # texts in the participant's language; the catalogue finds tr("...")

def consent(step: Step) -> bool:
    """A sign-in consent question: never required, since consent is never assumed (a
    workshop made before they offered "Skip" still lets the participant go on)."""
    return step.exercise.type == "sign_in" and step.question.key in (
        "consent_quote", "consent_contact")


#: sign-in answers that are also kept on the participant record (for the Participants sheet)
SIGNIN_KEYS = ("neighbourhood", "age_band", "affiliation", "first_time", "consent_quote",
               "consent_contact")


class Kiosk(QWidget):
    """The participant screen for one workshop. ``preview`` shows one exercise to a
    facilitator and stores nothing."""

    participant_done = Signal(str)
    unlocked = Signal()
    #: the kiosk is on screen: the facilitator console should lock itself (PIN)
    opened = Signal()
    #: the kiosk window has closed (after the PIN, or because the pack is closing)
    closed = Signal()

    # Set by kiosk_pages.py when it builds the welcome, question and thank-you pages.
    title_label: QLabel
    intro: QLabel
    welcome_note: QLabel
    language_buttons: dict[str, OnceButton]
    start_button: OnceButton
    group_size: QSpinBox
    group_button: OnceButton
    exercise_title: QLabel
    instructions: QLabel
    progress: QLabel
    question_label: QLabel
    error: QLabel
    note: QLabel
    body: QHBoxLayout
    answer_column: QVBoxLayout
    question_layout: QVBoxLayout
    #: the answer area; the name hides QWidget.scroll(), which the kiosk never calls
    scroll: QScrollArea  # type: ignore[assignment]
    buttons: QGridLayout
    back_button: OnceButton
    next_button: OnceButton
    undo_button: OnceButton
    done_label: QLabel
    pass_button: OnceButton
    done_back: OnceButton

    def __init__(self, pack: Pack, workshop_id: str, *, device_id: str = "kiosk",
                 preview: ws.Exercise | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop = ws.get_workshop(pack, workshop_id)
        self.lang = self._workshop_language()
        self.device_id = device_id
        self.preview = preview
        self.participant: ws.Participant | None = None
        self.steps = StepList(pack, workshop_id, preview)
        self.index = 0
        self.widget: AnswerWidget | None = None
        self.response_ids: dict[tuple[str, str], str] = {}
        self.given: dict[tuple[str, str], Any] = {}  # acknowledged, shown again on Back
        self.allow_close = False
        self.is_open = False
        self.locked_down = False
        self.pin_dialog: PinDialog | None = None
        self.station_chart: Any = None  # a StationChart, built for the first station
        self._body_pt = 0.0
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        for build in (kiosk_pages.build_welcome, kiosk_pages.build_question,
                      kiosk_pages.build_done):
            self.stack.addWidget(build(self))
        self.apply_theme()
        self.retranslate()
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+Q")):
            QShortcut(keys, self).activated.connect(self.ask_unlock)
        # Back names Alt+Left, a key with the same name in every language (Alt+B, kept for
        # those who learnt it, named a letter that is not in "Atrás").
        for keys in (QKeySequence("Alt+Left"), QKeySequence("Alt+B")):
            QShortcut(keys, self).activated.connect(self.back)
        QShortcut(QKeySequence("Alt+N"), self).activated.connect(self.next)
        if preview is not None:
            self.start(preview=True)

    def _workshop_language(self) -> str:
        return (self.workshop.languages or ["en"])[0]

    # -- language ------------------------------------------------------------------------

    def choose_language(self, lang: str) -> None:
        """The participant's choice on the first screen, for every screen until they finish."""
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text of the three pages in ``self.lang``."""
        kiosk_pages.retranslate(self)

    retranslate_welcome = retranslate  # the Language menu calls it by this name

    # -- flow ----------------------------------------------------------------------------

    def start(self, group: bool = False, preview: bool = False) -> None:
        """A fresh anonymous participant (or table group) starts at the first question."""
        self.steps.reset()
        if not self.steps:
            self.welcome_note.setText(tr("Please wait: the facilitator has not opened an "
                                             "exercise yet.", self.lang))
            return
        if not preview:
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
            return self.given.get((step.exercise.id, "consent_contact")) != "yes"
        return False

    def show_step(self, index: int) -> None:
        self.index = index
        step = self.steps[index]
        exercise = step.exercise
        self.exercise_title.setText(exercise.text("title", self.lang))
        self.instructions.setText(exercise.text("instructions_participant", self.lang))
        self.question_label.setText(label_text(step.question.text, self.lang))
        self._show_station(exercise)
        self.progress.setText(tr("{n} of {total}", self.lang).format(n=index + 1,
                                                             total=len(self.steps)))
        self.error.hide()
        self.instructions.setVisible(bool(self.instructions.text()))
        self._place(answer_widget(step.question, self.lang, self.pack, exercise.dataset_id))
        assert self.widget is not None
        self.widget.setAccessibleName(label_text(step.question.text, self.lang))
        if step.key in self.given:
            self.widget.set_value(self.given[step.key])
        self.back_button.setEnabled(index > 0)
        self.undo_button.setEnabled(self.participant is not None and bool(self.given))
        self.stack.setCurrentIndex(1)
        self._focus_first(self.widget)

    def _place(self, widget: AnswerWidget) -> None:
        """Put the answer widget on the page: in the scroll area, or straight in the
        column when it scrolls by itself (a list inside a scrolling page would not)."""
        old = self.widget
        if old is not None and old.scrolls_itself:
            self.answer_column.removeWidget(old)
            old.hide()  # gone now, not when Qt gets round to deleting it
            old.deleteLater()
        self.widget = widget
        if widget.scrolls_itself:
            self.scroll.takeWidget()
            self.scroll.hide()
            self.answer_column.insertWidget(self.answer_column.indexOf(self.scroll), widget, 1)
        else:
            self.scroll.setWidget(widget)
            self.scroll.show()

    def _show_station(self, exercise: ws.Exercise) -> None:
        """A data-walk station shows its saved view's chart beside the prompts; the chart
        takes the room the answers leave."""
        if exercise.view_id is None and self.station_chart is None:
            return  # no station yet: matplotlib is not even imported
        if self.station_chart is None:
            from tde_desktop.qt.workshop.station_chart import StationChart

            self.station_chart = StationChart(kiosk_pages.body_points(self.height()))
            self.body.insertWidget(0, self.station_chart, 1)
        self.station_chart.show_view(self.pack.path, exercise.view_id, self.lang)

    @staticmethod
    def _focus_first(widget: QWidget) -> None:
        for child in widget.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isEnabled() \
                    and not child.isHidden():
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
        # a non-breaking hyphen keeps the code the participant notes down on one line
        self.done_label.setText(tr("Thank you! Your answers are saved. Your code is "
                                       "{code}.", self.lang).format(
                                           code=code.replace("-", "\u2011")) if code
                                else tr("End of the preview.", self.lang))
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
        elif self.widget.is_empty() and (not question.required or consent(step)):
            send = False  # and no choice on a consent question is consent not given
        try:
            if self.preview is not None:
                from tde_desktop.core.workshop.answer_checks import validate_answer

                if send:
                    validate_answer(question, value, self.lang)
            elif send:
                self._send(step, value)
        except TdeError as exc:
            self._refused(str(exc))
            return False
        if send:
            self.given[step.key] = value
        if self.preview is None:
            self.steps.refresh(self.index)  # anything opened since? offer it before the end
        self._move(self.index + 1, 1)
        return True

    def _refused(self, text: str) -> None:
        """The core's sentence next to the control, with the control in sight."""
        self.error.setText(text)
        # The sentence takes the instructions' place, so the answers keep all their room.
        self.instructions.hide()
        self.error.show()
        target = self.widget.first_input() if self.widget is not None else None
        if target is None:
            return
        target.setFocus()
        if self.scroll.isVisible():
            # After the layout has made room for the sentence.
            QTimer.singleShot(0, self, lambda: self.scroll.ensureWidgetVisible(target))

    def _send(self, step: Step, value: Any) -> None:
        assert self.participant is not None
        key = step.question.key
        if step.exercise.type == "sign_in" and key == "contact":
            # A contact is kept on the participant record only, and only with consent.
            ws.update_participant(self.pack, self.participant.id, contact=value or "")
            return
        response_id = self.response_ids.setdefault(step.key, str(uuid.uuid4()))
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
            self._say(tr("There is no answer to take back.", self.lang))
            return
        key = (undone.exercise_id, undone.question_key)
        self.given.pop(key, None)
        self.response_ids.pop(key, None)  # a re-sent undone id would stay undone
        index = self.steps.index_of(key)
        if index is not None:
            self.show_step(index)
        self._say(tr("Your last answer was taken back. You can answer again.", self.lang))

    def _say(self, text: str) -> None:
        """A message under the answers (hidden again when the participant finishes)."""
        self.note.setText(text)
        self.note.show()

    def pass_on(self) -> None:
        """Finish this participant: the next person starts fresh, anonymous, and in the
        workshop's language."""
        if self.participant is not None:
            self.participant_done.emit(self.participant.id)
        self.participant = None
        self.widget = None
        self.given.clear()
        self.response_ids.clear()
        self.note.clear()
        self.note.hide()
        self.workshop = ws.get_workshop(self.pack, self.workshop.id)
        self.choose_language(self._workshop_language())
        self.stack.setCurrentIndex(0)
        self.start_button.setFocus()

    # -- keyboard, size and leaving ------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.isAutoRepeat():
                return  # a held Enter key must not send several screens
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and focus is not self.next_button \
                    and not focus.property("enter_means_next"):
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

        kiosk_lock.release_keyboard(self)  # the PIN dialog needs the keys
        self.pin_dialog = ask_pin(self, self.pack, self.workshop.id, unlocked,
                                  tr("To leave the participant screen, type the "
                                         "facilitator PIN.", self.lang))
        if self.pin_dialog is not None:  # None: no PIN, the kiosk closed at once
            self.pin_dialog.finished.connect(lambda _r: kiosk_lock.grab_keyboard(self))

    def apply_theme(self) -> None:
        """Follow a change of View > Text size or High contrast (and of the window's size).

        Before it is shown the type is capped by the screen it opens on: type sized for
        no screen at all made a minimum size taller than a 768-pixel screen at 200%."""
        screen = self.screen()
        height = (self.height() if self.isVisible() else
                  screen.availableGeometry().height() if screen is not None else None)
        self._body_pt = kiosk_pages.body_points(height)
        self.setStyleSheet(kiosk_pages.kiosk_style(height))
        if self.station_chart is not None:
            self.station_chart.set_font_points(self._body_pt)
        kiosk_pages.arrange_buttons(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if kiosk_pages.body_points(self.height()) != self._body_pt:
            self.apply_theme()  # the type follows the window's height
        else:
            kiosk_pages.arrange_buttons(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.is_open:
            self.is_open = True
            self.opened.emit()

    def showFullScreen(self) -> None:
        """Full screen, on top, with the keyboard kept (see :mod:`kiosk_lock`)."""
        kiosk_lock.lock_down(self)
        super().showFullScreen()
        kiosk_lock.grab_keyboard(self)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.WindowStateChange:
            kiosk_lock.keep_full_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close or self.preview is not None:
            event.accept()
            kiosk_lock.release_keyboard(self)
            if self.is_open:
                self.is_open = False
                self.closed.emit()
            return
        event.ignore()
        self.ask_unlock()
