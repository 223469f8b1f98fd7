"""One answer widget per question kind, for the participant kiosk.

Every widget turns what a participant clicked or typed into the raw answer that
:func:`tde_desktop.core.workshop.responses.submit_answer` expects (see the table in
:mod:`tde_desktop.core.workshop.exercises`) and can show a stored answer again when the
participant goes Back. Checking the answer is the core's job, not the widget's:
a widget never refuses anything, so there is one source of truth for what fits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.exercises import Option, Question


class TextBox(QPlainTextEdit):
    """Multi-line text where Enter means Next (Shift+Enter starts a new line) and Tab
    moves on, so the kiosk works by keyboard alone."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName(name)
        self.setPlaceholderText(name)
        self.setMinimumHeight(96)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.ignore()  # the kiosk takes it as Next
            return
        super().keyPressEvent(event)


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class AnswerWidget(QWidget):
    """Base: ``value()`` gives the raw answer, ``set_value()`` shows a stored one."""

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

    def options(self) -> list[Option]:
        return self.question.all_options()

    def _radios(self, items: list[tuple[str, str]], title: str,
                across: bool = False) -> QButtonGroup:
        """Radio buttons, one per (code, label); the code is kept as a property."""
        group = QButtonGroup(self)
        box = QWidget()
        box.setAccessibleName(title)
        column = QHBoxLayout(box) if across else QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        for code, label in items:
            button = QRadioButton(label)
            button.setProperty("code", code)
            button.setAccessibleName(label)
            group.addButton(button)
            column.addWidget(button)
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


class SingleChoice(AnswerWidget):
    def build(self) -> None:
        items = [(o.code, o.text(self.lang)) for o in self.options()]
        if self.question.allow_skip:
            items.append(("skip", _("Skip this question")))
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
            items.append(("skip", _("Skip this question")))
        self.group = self._radios(items, q.key)

    def value(self) -> Any:
        code = self._checked(self.group)
        return None if code in (None, "skip") else int(code)


class MultipleChoice(AnswerWidget):
    def build(self) -> None:
        self.boxes: list[QCheckBox] = []
        for option in self.options():
            box = QCheckBox(option.text(self.lang))
            box.setProperty("code", option.code)
            box.setAccessibleName(option.text(self.lang))
            self.boxes.append(box)
            self.layout_.addWidget(box)

    def value(self) -> Any:
        return [str(b.property("code")) for b in self.boxes if b.isChecked()]

    def set_value(self, answer: Any) -> None:
        for box in self.boxes:
            box.setChecked(box.property("code") in (answer or []))


class OpenText(AnswerWidget):
    def build(self) -> None:
        self.text = TextBox(_("Your answer"))
        self.layout_.addWidget(self.text)

    def value(self) -> Any:
        return self.text.toPlainText()

    def set_value(self, answer: Any) -> None:
        self.text.setPlainText(str(answer or ""))


class StickyNote(AnswerWidget):
    def build(self) -> None:
        options = [(o.code, o.text(self.lang)) for o in self.options()]
        self.group = self._radios(options, _("Which prompt?")) if options else None
        self.text = TextBox(_("Your note"))
        self.layout_.addWidget(self.text)

    def value(self) -> Any:
        prompt = self._checked(self.group) if self.group else None
        return {"text": self.text.toPlainText(), "prompt": prompt or ""}

    def set_value(self, answer: Any) -> None:
        answer = answer if isinstance(answer, dict) else {"text": answer}
        self.text.setPlainText(str(answer.get("text", "")))
        if self.group and answer.get("prompt"):
            self._check(self.group, answer["prompt"])


class Ranking(AnswerWidget):
    """A list in the participant's order, moved with buttons (no dragging needed)."""

    def build(self) -> None:
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Your order, most important first"))
        for option in self.options():
            item = QListWidgetItem(option.text(self.lang))
            item.setData(Qt.ItemDataRole.UserRole, option.code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.up = QPushButton(_("Move up"))
        self.down = QPushButton(_("Move down"))
        for button, step in ((self.up, -1), (self.down, 1)):
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _c=False, s=step: self.move(s))
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.layout_.addLayout(row)

    def move(self, step: int) -> None:
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


class Amounts(AnswerWidget):
    """Dots or money per option, with what is left written out (not only coloured)."""

    def build(self) -> None:
        grid = QGridLayout()
        self.spins: dict[str, QSpinBox] = {}
        budget = self.question.kind == "budget"
        for row, option in enumerate(self.options()):
            label = option.text(self.lang)
            if budget and option.cost is not None:
                label = _("{name} (up to {cost:,.0f})").format(name=label, cost=option.cost)
            text = QLabel(label)
            text.setWordWrap(True)
            spin = QSpinBox()
            spin.setAccessibleName(label)
            if budget:
                spin.setRange(0, int(option.cost if option.cost is not None
                                     else self.question.total or 10**9))
                spin.setSingleStep(5000)
                spin.setGroupSeparatorShown(True)
            else:
                spin.setRange(0, self.question.dots if self.question.stacking else 1)
            spin.setMinimumWidth(200)
            spin.setMaximumWidth(320)
            text.setBuddy(spin)
            spin.valueChanged.connect(self._update_left)
            grid.addWidget(text, row, 0)
            grid.addWidget(spin, row, 1)
            self.spins[option.code] = spin
        grid.setColumnStretch(0, 1)
        self.layout_.addLayout(grid)
        self.left = QLabel()
        self.left.setAccessibleName(_("What is left"))
        self.layout_.addWidget(self.left)
        self._update_left()

    def _update_left(self) -> None:
        used = sum(s.value() for s in self.spins.values())
        if self.question.kind == "budget":
            self.left.setText(_("Spent {used:,} of {total:,.0f}").format(
                used=used, total=self.question.total))
        else:
            self.left.setText(_("Dots placed: {used} of {total}").format(
                used=used, total=self.question.dots))

    def value(self) -> Any:
        return {code: s.value() for code, s in self.spins.items() if s.value()}

    def set_value(self, answer: Any) -> None:
        for code, spin in self.spins.items():
            spin.setValue(int((answer or {}).get(code, 0)))


class Fields(AnswerWidget):
    """Several text fields plus an optional choice, for the composite kinds."""

    #: kind -> (text fields (key, label), the choice key or "", multi-line field)
    def spec(self) -> tuple[list[tuple[str, str]], str, str]:
        kind = self.question.kind
        if kind == "data_request":
            return ([("what", _("What data is needed?")), ("who", _("Who needs it?")),
                     ("why", _("Why is it needed?")), ("format", _("In what form?")),
                     ("department", _("Which department has it?"))], "urgency", "")
        if kind == "question_asked":
            return ([("question", _("Your question about this data")),
                     ("other_data", _("What other data would help answer it?")),
                     ("source", _("Where could that data come from?"))], "", "")
        if kind == "plan_feedback":
            return [], "category", "text"
        if kind == "asset":
            return ([("name", _("Name of the place or group")), ("location", _("Where is it?")),
                     ("note", _("A note (optional)"))], "category", "")
        if kind == "story":
            return [("title", _("A title (optional)")), ("place", _("Where? (optional)"))], \
                "", "text"
        return [], "", ""

    def build(self) -> None:
        fields, self.choice_key, self.long_key = self.spec()
        self.long: TextBox | None = None
        if self.long_key:
            self.long = TextBox(_("Your story") if self.question.kind == "story"
                                else _("Your note"))
            self.layout_.addWidget(self.long)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in fields:
            edit = _line(label)
            text = QLabel(label)
            text.setWordWrap(True)
            text.setBuddy(edit)
            form.addRow(text, edit)
            self.edits[key] = edit
        self.layout_.addLayout(form)
        self.group: QButtonGroup | None = None
        if self.choice_key:
            # The choice comes first for a flag (what is wrong), after the fields otherwise.
            at = 1 if self.question.kind == "flag_record" else self.layout_.count()
            self.layout_.insertWidget(at, QLabel(_("Choose one:")))
            self.group = self._radios([(o.code, o.text(self.lang)) for o in self.options()],
                                      self.choice_key, across=self.question.kind == "flag_record")
            self.layout_.insertWidget(at + 1, self.layout_.takeAt(
                self.layout_.count() - 1).widget())
        self.extra()

    def extra(self) -> None:
        """Kind-specific controls below the fields."""
        self.grade: QSpinBox | None = None
        self.tags: list[QCheckBox] = []
        self.consent: QCheckBox | None = None
        if self.question.kind == "asset":
            self.grade = QSpinBox()
            self.grade.setRange(self.question.scale_min - 1, self.question.scale_max)
            self.grade.setSpecialValueText(_("no grade"))
            self.grade.setValue(self.grade.minimum())
            name = _("How good is it? {lo} to {hi}").format(lo=self.question.scale_min,
                                                          hi=self.question.scale_max)
            self.grade.setAccessibleName(name)
            label = QLabel(name)
            label.setBuddy(self.grade)
            self.layout_.addWidget(label)
            self.layout_.addWidget(self.grade)
        if self.question.kind == "story":
            self.layout_.addWidget(QLabel(_("What is it about?")))
            grid = QGridLayout()
            for i, option in enumerate(self.options()):
                box = QCheckBox(option.text(self.lang))
                box.setProperty("code", option.code)
                box.setAccessibleName(option.text(self.lang))
                grid.addWidget(box, i // 3, i % 3)
                self.tags.append(box)
            self.layout_.addLayout(grid)
            self.consent = QCheckBox(_("You may quote my story (without my name)"))
            self.consent.setAccessibleName(self.consent.text())
            self.layout_.addWidget(self.consent)

    def value(self) -> Any:
        result: dict[str, Any] = {k: e.text() for k, e in self.edits.items()}
        if self.long is not None:
            result[self.long_key] = self.long.toPlainText()
        if self.group is not None:
            result[self.choice_key] = self._checked(self.group) or ""
        if self.grade is not None and self.grade.value() >= self.question.scale_min:
            result["grade"] = self.grade.value()
        if self.question.kind == "story":
            result["tags"] = [str(b.property("code")) for b in self.tags if b.isChecked()]
            result["consent_quote"] = bool(self.consent and self.consent.isChecked())
        return result

    def set_value(self, answer: Any) -> None:
        answer = answer if isinstance(answer, dict) else {}
        for key, edit in self.edits.items():
            edit.setText(str(answer.get(key) or ""))
        if self.long is not None:
            self.long.setPlainText(str(answer.get(self.long_key) or ""))
        if self.group is not None and answer.get(self.choice_key):
            self._check(self.group, answer[self.choice_key])
        if self.grade is not None and answer.get("grade") is not None:
            self.grade.setValue(int(answer["grade"]))
        for box in self.tags:
            box.setChecked(box.property("code") in (answer.get("tags") or []))
        if self.consent is not None:
            self.consent.setChecked(bool(answer.get("consent_quote")))


class FlagRecord(Fields):
    """Check the data: pick a record in the grid, then say what is wrong with it."""

    def spec(self) -> tuple[list[tuple[str, str]], str, str]:
        return ([("comment", _("What is wrong? (comment)")),
                 ("correction", _("What should it say? (optional)"))], "flag", "")

    def build(self) -> None:
        self.table = QTableView()
        self.table.setAccessibleName(_("Records: pick the one to flag"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(220)
        self.model: Any = None
        if self.pack is not None and self.dataset_id is not None:
            from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel

            self.model = DatasetTableModel(self.pack.conn, self.pack.dataset(self.dataset_id),
                                           parent=self)
            self.table.setModel(self.model)
            header = self.table.horizontalHeader()
            header.setResizeContentsPrecision(40)  # look at the first rows only: stays fast
            header.setMaximumSectionSize(360)
            self._sized = False
        self.layout_.addWidget(self.table, 1)
        super().build()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Columns are sized once the kiosk's large font applies, i.e. when first shown.
        if self.model is not None and not self._sized:
            self._sized = True
            self.table.resizeColumnsToContents()

    def record_rowid(self) -> int | None:
        if self.model is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        return self.model.rowid(rows[0].row()) if rows else None

    def value(self) -> Any:
        result = super().value()
        result["dataset_id"] = self.dataset_id
        result["record_rowid"] = self.record_rowid()
        return result

    def is_empty(self) -> bool:
        value = super().value()
        return not any(value.values())


WIDGETS: dict[str, type[AnswerWidget]] = {
    "single_choice": SingleChoice, "rating": Rating, "multiple_choice": MultipleChoice,
    "open_text": OpenText, "sticky_note": StickyNote, "ranking": Ranking,
    "dot_vote": Amounts, "budget": Amounts, "flag_record": FlagRecord, "story": Fields,
    "data_request": Fields, "question_asked": Fields, "plan_feedback": Fields,
    "asset": Fields,
}


def answer_widget(question: Question, lang: str, pack: Pack | None = None,
                  dataset_id: int | None = None) -> AnswerWidget:
    """The widget for ``question``'s kind, its texts in ``lang``."""
    return WIDGETS[question.kind](question, lang, pack, dataset_id)
