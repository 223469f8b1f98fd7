"""The agenda editor: change a workshop's exercises offline, before or during the day.

Exercises can be added from a template, removed (refused by the core if answers
exist), and reordered. For the selected exercise the facilitator edits the
title, instructions, time box and mode, and its questions: add, remove and
reorder questions and their options, in the exercise's language. "Preview as a
participant" opens the kiosk on the unsaved exercise; a preview stores nothing.
Save goes through :func:`workshops.update_exercise`, which refuses a broken
question list, so nothing half-edited reaches the pack.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.exercises import MODES, QUESTION_KINDS, label_text
from tde_desktop.core.workshop.templates import load_templates
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.workshop.agenda_editor_widgets import (
    FormScroll,
    InstructionsEdit,
    RowsList,
    RowsTable,
    labelled_button,
    move_item,
)


class AgendaEditor(QWidget):
    """Edits every exercise of one workshop; emits ``changed`` after each save."""

    changed = Signal()

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.workshop_id = workshop_id
        self.exercises: list[ws.Exercise] = []
        self.exercise: ws.Exercise | None = None
        self.questions: list[dict[str, Any]] = []
        self.preview: QWidget | None = None
        self.setWindowTitle(_("Edit the agenda"))
        self.setAccessibleName(_("Edit the agenda"))
        screen = self.screen()
        size = QSize(1150, 720)
        self.resize(size.boundedTo(screen.availableGeometry().size()) if screen else size)
        layout = QHBoxLayout(self)
        layout.addLayout(self._build_agenda(), 1)
        layout.addLayout(self._build_exercise(), 2)
        self.reload()

    def _build_agenda(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.exercise_list = QListWidget()
        self.exercise_list.setAccessibleName(_("Exercises"))
        self.exercise_list.currentRowChanged.connect(self._exercise_chosen)
        column.addWidget(QLabel(_("Exercises")))
        column.addWidget(self.exercise_list, 1)
        self.template_box = ElidedComboBox()
        self.template_box.setAccessibleName(_("Template for a new exercise"))
        # Long template titles are elided rather than widening the window.
        self.template_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_box.setMinimumContentsLength(14)
        lang = self._lang()
        for name, tpl in sorted(load_templates().items()):
            self.template_box.addItem(tpl.text("title", lang), name)
        column.addWidget(self.template_box)
        row = QHBoxLayout()
        for text, slot in ((_("&Add"), self.add_exercise), (_("Remove"), self.remove_exercise),
                           (_("Up"), lambda: self.move_exercise(-1)),
                           (_("Down"), lambda: self.move_exercise(1))):
            row.addWidget(labelled_button(text, slot))
        column.addLayout(row)
        return column

    def _build_exercise(self) -> QVBoxLayout:
        """The selected exercise's form, scrolling up and down when the screen is short,
        above the Preview and Save buttons, which stay on screen."""
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.participant_edit = InstructionsEdit()
        self.facilitator_edit = InstructionsEdit()
        self.time_spin = QSpinBox()
        self.time_spin.setRange(0, 240)
        self.time_spin.setSuffix(" " + _("min"))
        self.mode_box = QComboBox()
        for mode in MODES:
            self.mode_box.addItem(_(mode), mode)
        for label, widget in ((_("Title"), self.title_edit),
                              (_("Instructions for participants"), self.participant_edit),
                              (_("Instructions for the facilitator"), self.facilitator_edit),
                              (_("Time box"), self.time_spin), (_("Done as"), self.mode_box)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        body_layout.addLayout(form)
        body_layout.addWidget(self._build_questions(), 1)

        column = QVBoxLayout()
        column.addWidget(FormScroll(body), 1)
        row = QHBoxLayout()
        self.preview_button = labelled_button(_("&Preview as a participant"), self.show_preview)
        self.save_button = labelled_button(_("&Save"), self.save)
        self.message = QLabel()
        self.message.setAccessibleName(_("Message"))
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        row.addWidget(self.preview_button)
        row.addWidget(self.save_button)
        column.addLayout(row)
        return column

    def _build_questions(self) -> QGroupBox:
        """The exercise's questions, the selected question and its options."""
        questions = QGroupBox(_("Questions"))
        q_layout = QVBoxLayout(questions)
        self.question_list = RowsList()
        self.question_list.setAccessibleName(_("Questions"))
        self.question_list.currentRowChanged.connect(self._question_chosen)
        q_layout.addWidget(self.question_list)
        row = QHBoxLayout()
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName(_("Kind of new question"))
        for kind in QUESTION_KINDS:
            self.kind_box.addItem(_(kind.replace("_", " ")), kind)
        row.addWidget(self.kind_box, 1)
        row.addWidget(labelled_button(_("Add &question"), self.add_question))
        q_layout.addLayout(row)
        row = QHBoxLayout()  # a second row keeps the editor narrow at 200% text
        for text, slot in ((_("Remove question"), self.remove_question),
                           (_("Up"), lambda: self.move_question(-1)),
                           (_("Down"), lambda: self.move_question(1))):
            row.addWidget(labelled_button(text, slot))
        row.addStretch(1)
        q_layout.addLayout(row)
        q_form = QFormLayout()
        self.question_text = QLineEdit()
        self.question_text.setAccessibleName(_("Question text"))
        self.question_text.textEdited.connect(self._question_text_edited)
        self.required_box = QCheckBox(_("An answer is needed"))
        self.required_box.setAccessibleName(_("An answer is needed"))
        self.required_box.toggled.connect(self._required_toggled)
        q_form.addRow(_("Question text"), self.question_text)
        q_form.addRow("", self.required_box)
        q_layout.addLayout(q_form)
        self.options = RowsTable(0, 2)
        self.options.setHorizontalHeaderLabels([_("Code"), _("Label")])
        self.options.horizontalHeader().setStretchLastSection(True)
        self.options.setAccessibleName(_("Options"))
        self.options.itemChanged.connect(self._options_edited)
        q_layout.addWidget(self.options)
        row = QHBoxLayout()
        for text, slot in ((_("Add &option"), self.add_option),
                           (_("Remove option"), self.remove_option),
                           (_("Up"), lambda: self.move_option(-1)),
                           (_("Down"), lambda: self.move_option(1))):
            row.addWidget(labelled_button(text, slot))
        q_layout.addLayout(row)
        return questions

    def _lang(self) -> str:
        return (ws.get_workshop(self.pack, self.workshop_id).languages or ["en"])[0]

    # -- exercises -----------------------------------------------------------------------

    def reload(self, select_id: str | None = None) -> None:
        select_id = select_id or (self.exercise.id if self.exercise else None)
        self.exercises = ws.list_exercises(self.pack, self.workshop_id)
        self.exercise_list.blockSignals(True)
        self.exercise_list.clear()
        for i, exercise in enumerate(self.exercises, start=1):
            self.exercise_list.addItem(f"{i}. {exercise.title}")
        self.exercise_list.blockSignals(False)
        ids = [e.id for e in self.exercises]
        row = ids.index(select_id) if select_id in ids else (0 if ids else -1)
        self.exercise_list.setCurrentRow(row)
        self._exercise_chosen(row)

    def select(self, exercise_id: str) -> None:
        self.reload(exercise_id)

    def _exercise_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.exercises):
            self.exercise = None
            return
        self.exercise = self.exercises[row]
        e = self.exercise
        self.title_edit.setText(e.title)
        self.participant_edit.setPlainText(e.instructions_participant)
        self.facilitator_edit.setPlainText(e.instructions_facilitator)
        self.time_spin.setValue(e.time_box_minutes)
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(e.mode)))
        self.questions = copy.deepcopy(e.config.get("questions", []))
        self._fill_questions(0)

    def _do(self, action: Any, done: str) -> bool:
        try:
            action()
        except TdeError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(done)
        self.changed.emit()
        return True

    def add_exercise(self) -> None:
        name = self.template_box.currentData()
        position = self.exercise_list.currentRow() + 1
        holder: list[ws.Exercise] = []
        if self._do(lambda: holder.append(add_exercise_from_template(
                self.pack, self.workshop_id, name, position=position)), _("Exercise added.")):
            self.reload(holder[0].id)

    def remove_exercise(self) -> None:
        if self.exercise is not None and self._do(
                lambda: ws.remove_exercise(self.pack, self.exercise.id),
                _("Exercise removed.")):
            self.exercise = None
            self.reload()

    def move_exercise(self, step: int) -> None:
        if self.exercise is not None:
            exercise_id = self.exercise.id
            self._do(lambda: ws.move_exercise(self.pack, exercise_id,
                                              self.exercise_list.currentRow() + step),
                     _("Exercise moved."))
            self.reload(exercise_id)

    # -- questions and options -----------------------------------------------------------

    def _fill_questions(self, select: int) -> None:
        lang = self.exercise.language if self.exercise else "en"
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for q in self.questions:
            self.question_list.addItem(f"{label_text(q.get('text', {}), lang)}  "
                                       f"[{_(q['kind'].replace('_', ' '))}]")
        self.question_list.blockSignals(False)
        self.question_list.setCurrentRow(min(select, len(self.questions) - 1))
        self._question_chosen(self.question_list.currentRow())

    def _current_question(self) -> dict[str, Any] | None:
        row = self.question_list.currentRow()
        return self.questions[row] if 0 <= row < len(self.questions) else None

    def _question_chosen(self, row: int) -> None:
        q = self._current_question()
        lang = self.exercise.language if self.exercise else "en"
        self.question_text.setText(label_text(q.get("text", {}), lang) if q else "")
        self.required_box.blockSignals(True)
        self.required_box.setChecked(bool(q.get("required", True)) if q else False)
        self.required_box.blockSignals(False)
        self.options.blockSignals(True)
        self.options.setRowCount(0)
        for option in (q or {}).get("options", []):
            r = self.options.rowCount()
            self.options.insertRow(r)
            self.options.setItem(r, 0, QTableWidgetItem(str(option.get("code", ""))))
            self.options.setItem(r, 1, QTableWidgetItem(label_text(option.get("label", {}),
                                                                   lang)))
        self.options.blockSignals(False)

    def _question_text_edited(self, text: str) -> None:
        q = self._current_question()
        if q is not None and self.exercise is not None:
            q["text"] = {**(q.get("text") or {}), self.exercise.language: text}
            item = self.question_list.currentItem()
            item.setText(f"{text}  [{_(q['kind'].replace('_', ' '))}]")

    def _required_toggled(self, checked: bool) -> None:
        q = self._current_question()
        if q is not None:
            q["required"] = checked

    def add_question(self) -> None:
        kind = self.kind_box.currentData()
        keys = {q["key"] for q in self.questions}
        n = len(self.questions) + 1
        while f"q{n}" in keys:
            n += 1
        lang = self.exercise.language if self.exercise else "en"
        self.questions.insert(self.question_list.currentRow() + 1,
                              {"key": f"q{n}", "kind": kind, "text": {lang: _("New question")},
                               "options": []})
        self._fill_questions(self.question_list.currentRow() + 1)

    def remove_question(self) -> None:
        row = self.question_list.currentRow()
        if 0 <= row < len(self.questions):
            del self.questions[row]
            self._fill_questions(max(0, row - 1))

    def move_question(self, step: int) -> None:
        self._fill_questions(move_item(self.questions, self.question_list.currentRow(), step))

    def _options_edited(self, item: QTableWidgetItem) -> None:
        q = self._current_question()
        if q is None or self.exercise is None:
            return
        lang = self.exercise.language
        old = q.get("options", [])
        new = []
        for r in range(self.options.rowCount()):
            code_item, text_item = self.options.item(r, 0), self.options.item(r, 1)
            code = code_item.text().strip() if code_item is not None else ""
            text = text_item.text() if text_item is not None else ""
            base = dict(old[r]) if r < len(old) else {"label": {}}
            base["code"] = code or f"option_{r + 1}"
            base["label"] = {**(base.get("label") or {}), lang: text}
            new.append(base)
        q["options"] = new

    def add_option(self) -> None:
        q = self._current_question()
        if q is not None and self.exercise is not None:
            n = len(q.setdefault("options", [])) + 1
            q["options"].append({"code": f"option_{n}",
                                 "label": {self.exercise.language: _("New choice")}})
            self._question_chosen(self.question_list.currentRow())
            self.options.setCurrentCell(n - 1, 1)  # ready to type its label

    def remove_option(self) -> None:
        q = self._current_question()
        row = self.options.currentRow()
        if q is not None and 0 <= row < len(q.get("options", [])):
            del q["options"][row]
            self._question_chosen(self.question_list.currentRow())

    def move_option(self, step: int) -> None:
        q = self._current_question()
        if q is not None:
            row = move_item(q.setdefault("options", []), self.options.currentRow(), step)
            self._question_chosen(self.question_list.currentRow())
            self.options.setCurrentCell(row, 1)

    # -- save and preview ----------------------------------------------------------------

    def edited_fields(self) -> dict[str, Any]:
        assert self.exercise is not None
        return {"title": self.title_edit.text().strip() or self.exercise.title,
                "instructions_participant": self.participant_edit.toPlainText(),
                "instructions_facilitator": self.facilitator_edit.toPlainText(),
                "time_box_minutes": self.time_spin.value(),
                "mode": self.mode_box.currentData(),
                "config": {**self.exercise.config, "questions": self.questions}}

    def save(self) -> bool:
        if self.exercise is None:
            return False
        exercise_id = self.exercise.id
        ok = self._do(lambda: ws.update_exercise(self.pack, exercise_id,
                                                 **self.edited_fields()), _("Saved."))
        if ok:
            self.reload(exercise_id)
        return ok

    def show_preview(self) -> QWidget | None:
        """The kiosk on the exercise as edited (not saved); it stores nothing."""
        if self.exercise is None:
            return None
        from dataclasses import replace

        from tde_desktop.qt.workshop.kiosk import Kiosk

        try:
            draft = replace(self.exercise, **self.edited_fields())
            draft.questions  # noqa: B018 - refuses a broken question list here
        except TdeError as exc:
            self.message.setText(str(exc))
            return None
        self.preview = Kiosk(self.pack, self.workshop_id, preview=draft)
        self.preview.setWindowTitle(_("Preview: {title}").format(title=draft.title))
        self.preview.resize(1000, 720)
        self.preview.show()
        return self.preview
