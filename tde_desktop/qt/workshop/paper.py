"""The paper fallback: print an exercise as an A4 PDF handout, type paper answers in later.

:func:`write_handout` draws each question with boxes to tick and lines to write
on, in every language of the workshop (one after the other), with QPdfWriter.
:class:`PaperEntry` is one row per paper sheet: the facilitator types what is on
the sheet, each sheet becomes a new anonymous participant, and every answer goes
through :func:`responses.submit_answer`, so paper answers are checked exactly as
kiosk answers are. A sheet is checked whole before anything of it is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from PySide6.QtWidgets import (
    QFileDialog,
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
from tde_desktop.core.i18n import _, ngettext, thread_language, translate
from tde_desktop.core.safe_names import safe_file_stem
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.answer_checks import AnswerRejected, validate_answer
from tde_desktop.core.workshop.exercises import Question, label_text
from tde_desktop.qt.common.table_cells import cell

DPI = 72  # one unit = one point, so sizes below read as print sizes
LINE_KINDS = {"open_text": 4, "sticky_note": 4, "story": 8, "question_asked": 3,
              "plan_feedback": 4}
FIELD_KINDS = {
    "data_request": ("Who needs it?", "What data is needed?", "Why is it needed?",
                     "In what form?", "Which department has it?"),
    "question_asked": ("Your question about this data", "What other data would help answer it?",
                       "Where could that data come from?"),
    "asset": ("Name of the place or group", "Where is it?", "A note (optional)"),
    "flag_record": ("Which record? (address or ID)", "What is wrong? (comment)",
                    "What should it say? (optional)"),
    "story": ("A title (optional)", "Where? (optional)"),
}


class _Page:
    """A cursor down A4 pages that starts a new page when the next block does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        rect = writer.pageLayout().paintRectPixels(DPI)
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.y = 0.0

    def need(self, height: float) -> None:
        if self.y + height > self.height:
            self.writer.newPage()
            self.y = 0.0

    def text(self, text: str, size: int = 12, bold: bool = False, indent: float = 0) -> None:
        font = QFont("Helvetica", size)
        font.setBold(bold)
        self.painter.setFont(font)
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = self.painter.boundingRect(QRectF(indent, 0, self.width - indent, 10_000),
                                           flags, text)
        self.need(bounds.height() + 4)
        self.painter.drawText(QRectF(indent, self.y, self.width - indent, bounds.height()),
                              flags, text)
        self.y += bounds.height() + 4

    def box(self, label: str, size: int = 12) -> None:
        """A square to tick, then its label."""
        self.need(size * 2)
        self.painter.setPen(QPen(Qt.GlobalColor.black, 1))
        self.painter.drawRect(QRectF(12, self.y + 2, size, size))
        self.text(label, size, indent=size + 22)
        self.y += 2

    def lines(self, count: int, label: str = "") -> None:
        """``count`` ruled lines to write on, with an optional label above."""
        if label:
            self.text(label, 11)
        for _i in range(count):
            self.need(26)
            self.y += 24
            self.painter.setPen(QPen(Qt.GlobalColor.gray, 0.8))
            self.painter.drawLine(QRectF(12, self.y, self.width - 12, 0).topLeft(),
                                  QRectF(12, self.y, self.width - 12, 0).topRight())
        self.y += 8


def _question(page: _Page, q: Question, lang: str, number: int) -> None:
    t = translate  # the handout is in the language of each half, not of the app
    page.need(60)
    page.y += 10
    page.text(f"{number}. {label_text(q.text, lang)}", 14, bold=True)
    options = q.all_options()
    if q.kind in ("single_choice", "multiple_choice", "flag_record", "plan_feedback"):
        hint = t("Tick one box.", lang) if q.kind != "multiple_choice" else \
            t("Tick all that apply.", lang)
        page.text(hint, 10)
        for option in options:
            page.box(option.text(lang))
        if q.allow_skip:
            page.box(t("Skip this question", lang))
    elif q.kind == "rating":
        for point in range(q.scale_min, q.scale_max + 1):
            labelled = q.option(str(point))
            page.box(f"{point}  {labelled.text(lang)}" if labelled else str(point))
        if q.allow_skip:
            page.box(t("Skip this question", lang))
    elif q.kind == "ranking":
        page.text(t("Write 1 next to the most important, then 2, 3...", lang), 10)
        for option in options:
            page.box(option.text(lang))
    elif q.kind == "dot_vote":
        with thread_language(lang):
            dots = ngettext("You have {n} dot: write how many you give each.",
                            "You have {n} dots: write how many you give each.", q.dots)
        page.text(dots.format(n=q.dots), 10)
        for option in options:
            page.box(option.text(lang))
    elif q.kind == "budget":
        page.text(t("You have {total:,.0f} to spend. Write an amount next to each.", lang)
                  .format(total=q.total), 10)
        for option in options:
            cost = f" (\u2264 {option.cost:,.0f})" if option.cost is not None else ""
            page.lines(1, option.text(lang) + cost)
    elif q.kind in ("data_request", "asset"):
        for option in options:
            page.box(option.text(lang))
    for label in FIELD_KINDS.get(q.kind, ()):
        page.lines(1, t(label, lang))
    if q.kind in LINE_KINDS:
        page.lines(LINE_KINDS[q.kind])
    if q.kind == "story":
        page.box(t("You may quote my story (without my name)", lang))


def write_handout(pack: Any, exercise_id: str, path: str | Path) -> Path:
    """Write an A4 PDF handout for one exercise, in every language of the workshop.

    Guarantees a complete file at ``path`` or a :class:`TdeError`; the handout holds
    a box for the participant code, the instructions and every question.
    """
    exercise = ws.get_exercise(pack, exercise_id)
    workshop = ws.get_workshop(pack, exercise.workshop_id)
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(exercise.title)
    painter = QPainter()
    if not painter.begin(writer):
        raise TdeError(_("Cannot write the handout to {name}.").format(name=path.name))
    try:
        page = _Page(writer, painter)
        for i, lang in enumerate(workshop.languages or ["en"]):
            if i:
                writer.newPage()
                page.y = 0
            page.text(workshop.title, 11)
            page.text(exercise.text("title", lang), 20, bold=True)
            page.lines(1, translate("Sheet number or code (filled in by the facilitator)",
                                    lang))
            page.text(exercise.text("instructions_participant", lang), 12)
            for number, question in enumerate(exercise.questions, start=1):
                _question(page, question, lang, number)
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise TdeError(_("Cannot write the handout to {name}.").format(name=path.name))
    return path


def ask_handout_path(parent: QWidget | None, exercise: ws.Exercise) -> str:
    name = safe_file_stem(exercise.title, "exercise")[:40].rstrip(" .") + ".pdf"
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save the handout"), name,
                                                _("PDF files (*.pdf)"))
    return path


# -- typing paper answers in ---------------------------------------------------------------


def _resolve(q: Question, text: str, lang: str) -> str:
    """An option code from what was typed: its number on the sheet, its code or its label."""
    text = text.strip()
    options = q.all_options()
    if text.isdigit() and 1 <= int(text) <= len(options) and q.kind != "rating":
        return options[int(text) - 1].code
    for option in options:
        if text.casefold() in (option.code.casefold(), option.text(lang).casefold()):
            return option.code
    return text


def _parts(text: str, sep: str = ";") -> list[str]:
    return [p.strip() for p in text.split(sep)]


def parse_cell(q: Question, text: str, lang: str) -> Any:
    """The raw answer for what a facilitator typed from a paper sheet.

    Choices may be typed as their number on the sheet, code or label; several are
    separated by commas; amounts are ``number=amount`` pairs or one number per option.
    Composite answers are ``first; second; third`` in the order printed on the sheet.
    """
    text = text.strip()
    kind = q.kind
    if kind in ("single_choice", "rating") and text.casefold() in ("skip", "-", "?"):
        return None
    if kind == "single_choice":
        return _resolve(q, text, lang)
    if kind == "rating":
        return text
    if kind in ("multiple_choice", "ranking"):
        return [_resolve(q, p, lang) for p in _parts(text, ",") if p]
    if kind in ("dot_vote", "budget"):
        if "=" not in text:
            numbers = _parts(text, ",")
            return {o.code: n for o, n in zip(q.all_options(), numbers, strict=False) if n}
        pairs = [p.split("=", 1) for p in _parts(text, ",") if p]
        return {_resolve(q, k, lang): v.strip() for k, v in pairs}
    parts = _parts(text) + [""] * 5
    if kind == "flag_record":
        return {"flag": _resolve(q, parts[0], lang), "comment": parts[1],
                "correction": parts[2]}
    if kind == "plan_feedback":
        return {"category": _resolve(q, parts[0], lang), "text": parts[1]}
    if kind == "asset":
        return {"name": parts[0], "category": _resolve(q, parts[1], lang) if parts[1] else "",
                "location": parts[2]}
    if kind == "data_request":
        return {"what": parts[0], "who": parts[1], "why": parts[2]}
    if kind == "question_asked":
        return {"question": parts[0], "other_data": parts[1], "source": parts[2]}
    return text  # open_text, sticky_note, story


class PaperEntry(QWidget):
    """One row per paper sheet; Save stores every new sheet as a new participant."""

    saved = Signal()

    def __init__(self, pack: Any, exercise_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pack = pack
        self.exercise = ws.get_exercise(pack, exercise_id)
        self.lang = self.exercise.language
        self.questions = self.exercise.questions
        self.setWindowTitle(_("Paper answers: {title}").format(title=self.exercise.title))
        self.setAccessibleName(_("Paper answers"))
        self.resize(1100, 500)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("One row per paper sheet. Choices: type the number on the "
                                  "sheet. Several: 1, 3. Parts: separate with ;")))
        headers = [label_text(q.text, self.lang) for q in self.questions]
        self.code_col = len(headers)
        self.table = QTableWidget(0, len(headers) + 2)
        self.table.setHorizontalHeaderLabels([*headers, _("Code"), _("Result")])
        for col, text in enumerate(headers):  # a long question is cut in its column
            heading = self.table.horizontalHeaderItem(col)
            if heading is not None:
                heading.setToolTip(text)
        self.table.setAccessibleName(_("Paper sheets"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(200)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("&Add a sheet"))
        self.save_button = QPushButton(_("&Save sheets"))
        for button, slot in ((self.add_button, self.add_sheet), (self.save_button, self.save)):
            button.setAccessibleName(button.text().replace("&", ""))
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_sheet()

    def add_sheet(self, values: list[str] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col in range(self.table.columnCount()):
            item = QTableWidgetItem(values[col] if values and col < len(values) else "")
            if col >= self.code_col:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, item)
        self.table.setCurrentCell(row, 0)
        return row

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item else ""

    def save(self) -> int:
        """Store every sheet not yet saved; returns how many were stored."""
        stored = 0
        for row in range(self.table.rowCount()):
            texts = [self._cell(row, c) for c in range(self.code_col)]
            if self._cell(row, self.code_col) or not any(t.strip() for t in texts):
                continue
            answers = []
            try:
                for q, text in zip(self.questions, texts, strict=True):
                    if not text.strip() and not q.required:
                        continue
                    raw = parse_cell(q, text, self.lang)
                    validate_answer(q, raw, self.lang)  # the whole sheet first
                    answers.append((q, raw))
            except AnswerRejected as exc:
                cell(self.table, row, self.code_col + 1).setText(
                    f"{label_text(q.text, self.lang)}: {exc}")
                continue
            person = ws.add_participant(self.pack, self.exercise.workshop_id,
                                        device_id="paper")
            try:
                for q, raw in answers:
                    responses.submit_answer(
                        self.pack, workshop_id=self.exercise.workshop_id,
                        exercise_id=self.exercise.id, participant_id=person.id,
                        question_key=q.key, answer=raw, device_id="paper", lang=self.lang)
            except TdeError as exc:  # e.g. the exercise was removed meanwhile
                cell(self.table, row, self.code_col + 1).setText(str(exc))
            else:
                cell(self.table, row, self.code_col + 1).setText(_("Saved"))
                stored += 1
            cell(self.table, row, self.code_col).setText(person.code)
        if stored:
            self.saved.emit()
        return stored
