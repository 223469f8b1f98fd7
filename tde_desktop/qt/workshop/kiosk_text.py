"""Kiosk answers that are typed: open text, a sticky note, and the composite kinds
(a data request, a question about the data, plan feedback, an asset, a story)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QFormLayout, QGridLayout, QSpinBox

from tde_desktop.core.i18n import translate
from tde_desktop.core.workshop.answer_checks import MAX_TEXT
from tde_desktop.qt.common.shown_text import shown_text
from tde_desktop.qt.workshop.kiosk_answer import (
    AnswerWidget,
    TextBox,
    line_edit,
    literal,
    plain_label,
)

tr = translate  # texts in the participant's language; the catalogue finds tr("...")


def typed(value: Any) -> str:
    """A stored answer as its box shows it again: at most what a participant can type
    (a stranger's pack may hold megabytes, which the box would take minutes to lay out and
    the answer checks would refuse anyway)."""
    return shown_text(str(value or ""), MAX_TEXT)


class OpenText(AnswerWidget):
    def build(self) -> None:
        self.text = TextBox(tr("Your answer", self.lang))
        self.layout_.addWidget(self.text)

    def value(self) -> Any:
        return self.text.toPlainText()

    def set_value(self, answer: Any) -> None:
        self.text.setPlainText(typed(answer))


class StickyNote(AnswerWidget):
    def build(self) -> None:
        options = [(o.code, o.text(self.lang)) for o in self.options()]
        self.group = (self._radios(options, tr("Which prompt?", self.lang))
                      if options else None)
        self.text = TextBox(tr("Your note", self.lang))
        self.layout_.addWidget(self.text)

    def value(self) -> Any:
        prompt = self._checked(self.group) if self.group else None
        return {"text": self.text.toPlainText(), "prompt": prompt or ""}

    def set_value(self, answer: Any) -> None:
        answer = answer if isinstance(answer, dict) else {"text": answer}
        self.text.setPlainText(typed(answer.get("text", "")))
        if self.group and answer.get("prompt"):
            self._check(self.group, answer["prompt"])


def field_spec(kind: str, lang: str) -> tuple[list[tuple[str, str]], str, str]:
    """kind -> (text fields (key, label), the choice key or "", the multi-line field)."""
    if kind == "data_request":
        return ([("what", tr("What data is needed?", lang)), ("who", tr("Who needs it?", lang)),
                 ("why", tr("Why is it needed?", lang)), ("format", tr("In what form?", lang)),
                 ("department", tr("Which department has it?", lang))], "urgency", "")
    if kind == "question_asked":
        return ([("question", tr("Your question about this data", lang)),
                 ("other_data", tr("What other data would help answer it?", lang)),
                 ("source", tr("Where could that data come from?", lang))], "", "")
    if kind == "plan_feedback":
        return [], "category", "text"
    if kind == "asset":
        return ([("name", tr("Name of the place or group", lang)),
                 ("location", tr("Where is it?", lang)),
                 ("note", tr("A note (optional)", lang))], "category", "")
    if kind == "story":
        return ([("title", tr("A title (optional)", lang)),
                 ("place", tr("Where? (optional)", lang))], "", "text")
    if kind == "flag_record":
        return ([("comment", tr("What is wrong? (comment)", lang)),
                 ("correction", tr("What should it say? (optional)", lang))], "flag", "")
    return [], "", ""


class Fields(AnswerWidget):
    """Several text fields plus an optional choice, for the composite kinds."""

    def spec(self) -> tuple[list[tuple[str, str]], str, str]:
        return field_spec(self.question.kind, self.lang)

    def build(self) -> None:
        fields, self.choice_key, self.long_key = self.spec()
        self.long: TextBox | None = None
        if self.long_key:
            self.long = TextBox(tr("Your story", self.lang)
                                if self.question.kind == "story"
                                else tr("Your note", self.lang))
            self.layout_.addWidget(self.long)
        start = self.layout_.count()
        form = QFormLayout()
        self.edits: dict[str, Any] = {}
        for key, label in fields:
            edit = line_edit(label)
            text = plain_label(label)
            text.setBuddy(edit)
            form.addRow(text, edit)
            self.edits[key] = edit
        self.layout_.addLayout(form)
        self.group: QButtonGroup | None = None
        if self.choice_key:
            # The choice comes first for a flag (what is wrong), after the fields otherwise.
            at = start if self.question.kind == "flag_record" else self.layout_.count()
            self.layout_.insertWidget(at, plain_label(tr("Choose one:", self.lang)))
            self.group = self._radios([(o.code, o.text(self.lang)) for o in self.options()],
                                      self.choice_key, across=self.question.kind == "flag_record")
            moved = self.layout_.takeAt(self.layout_.count() - 1)  # the radio buttons
            if moved is not None and (radios := moved.widget()) is not None:
                self.layout_.insertWidget(at + 1, radios)
        self.extra()

    def extra(self) -> None:
        """Kind-specific controls below the fields."""
        self.grade: QSpinBox | None = None
        self.tags: list[QCheckBox] = []
        self.consent: QCheckBox | None = None
        if self.question.kind == "asset":
            self.grade = QSpinBox()
            self.grade.setRange(self.question.scale_min - 1, self.question.scale_max)
            self.grade.setSpecialValueText(tr("no grade", self.lang))
            self.grade.setValue(self.grade.minimum())
            name = tr("How good is it? {lo} to {hi}", self.lang).format(
                lo=self.question.scale_min, hi=self.question.scale_max)
            self.grade.setAccessibleName(name)
            label = plain_label(name)
            label.setBuddy(self.grade)
            self.layout_.addWidget(label)
            self.layout_.addWidget(self.grade)
        if self.question.kind == "story":
            self.layout_.addWidget(plain_label(tr("What is it about?", self.lang)))
            grid = QGridLayout()
            for i, option in enumerate(self.options()):
                box = QCheckBox(literal(option.text(self.lang)))
                box.setProperty("code", option.code)
                box.setAccessibleName(option.text(self.lang))
                grid.addWidget(box, i // 3, i % 3)
                self.tags.append(box)
            self.layout_.addLayout(grid)
            self.consent = QCheckBox(tr("You may quote my story (without my name)",
                                               self.lang))
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
            self.long.setPlainText(typed(answer.get(self.long_key)))
        if self.group is not None and answer.get(self.choice_key):
            self._check(self.group, answer[self.choice_key])
        if self.grade is not None and answer.get("grade") is not None:
            self.grade.setValue(int(answer["grade"]))
        for box in self.tags:
            box.setChecked(box.property("code") in (answer.get("tags") or []))
        if self.consent is not None:
            self.consent.setChecked(bool(answer.get("consent_quote")))
