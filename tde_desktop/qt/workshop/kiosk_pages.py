"""The kiosk's three pages (welcome, question, thank you) and its large type.

The pages are built here and driven by :class:`tde_desktop.qt.workshop.kiosk.Kiosk`.
Sizes follow View > Text size but are capped by the window's height: the kiosk's
type is already large (20 pt body at 100%), and a 200% kiosk on a 720 px
projector must still show a station's chart, every choice and the note box at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, translate
from tde_desktop.qt.common import theme
from tde_desktop.qt.common.qt_translations import direction
from tde_desktop.qt.workshop.kiosk_answer import plain_label

if TYPE_CHECKING:
    from tde_desktop.qt.workshop.kiosk import Kiosk

tr = translate  # texts in the participant's language; the catalogue finds tr("...")

KIOSK_STYLE = """
* {{ font-size: {body}pt; }}
QLabel#title {{ font-size: {title}pt; font-weight: bold; }}
QLabel#question {{ font-size: {question}pt; font-weight: bold; }}
QLabel#error {{ color: {error}; font-weight: bold; }}
QLabel#dots, QLabel#dotsLeft {{ font-size: {question}pt; font-weight: bold; }}
QPushButton {{ min-height: {button}px; padding: 4px 24px; }}
QPushButton#dotButton {{ min-width: {button}px; max-width: {button}px; padding: 0px;
                         font-size: {title}pt; font-weight: bold; }}
QPushButton#language {{ min-height: {language}px; font-size: {title}pt; }}
QRadioButton, QCheckBox {{ min-height: {choice}px; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: {box}px; height: {box}px; }}
QLineEdit, QSpinBox {{ min-height: {choice}px; }}
QSpinBox {{ padding-right: {spin}px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: {spin_button}px; }}
"""

#: the body text at 100% (points); everything else is sized from it
BODY_PT = 20


def body_points(height: int | None = None) -> float:
    """The body size: 20 pt times the text size, at most what fits ``height`` pixels
    (about 24 lines of body text on the screen, never under 18 pt)."""
    wanted = BODY_PT * theme.text_scale()
    if height is None or height <= 0:
        return wanted
    return max(18.0, min(wanted, height / 33))


def kiosk_style(height: int | None = None) -> str:
    """The kiosk's big type, following View > Text size and contrast (capped by ``height``)."""
    body = body_points(height)
    return KIOSK_STYLE.format(body=round(body), title=round(body * 1.5),
                              question=round(body * 1.2), error=theme.colours()["error"],
                              button=round(body * 2.8), choice=round(body * 2.4),
                              box=round(body * 1.4), spin=round(body * 2.8),
                              spin_button=round(body * 2.6), language=round(body * 4))


class OnceButton(QPushButton):
    """A button where a double click counts as one click."""

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()


def button(name: str = "") -> OnceButton:
    made = OnceButton()
    made.setAccessibleName(name)
    return made


def build_welcome(kiosk: Kiosk) -> QWidget:
    """Title, the language buttons, the welcome text and the two Start buttons."""
    page = QWidget()
    layout = QVBoxLayout(page)
    kiosk.title_label = plain_label(kiosk.workshop.title)
    kiosk.title_label.setObjectName("title")
    layout.addWidget(kiosk.title_label)
    row = QGridLayout()  # one big button per language, wrapping onto more rows
    kiosk.language_buttons = {}
    codes = [c for c in kiosk.workshop.languages if c in SUPPORTED_LANGUAGES]
    codes += [c for c in SUPPORTED_LANGUAGES if c not in codes]
    columns = -(-len(codes) // -(-len(codes) // 3))  # at most 3 a row, rows evenly filled
    for position, code in enumerate(codes):
        choice = button(SUPPORTED_LANGUAGES[code])
        choice.setText(SUPPORTED_LANGUAGES[code])
        choice.setObjectName("language")
        choice.setCheckable(True)
        choice.setLayoutDirection(direction(code))  # each name reads in its own direction
        choice.clicked.connect(lambda _c=False, lang=code: kiosk.choose_language(lang))
        kiosk.language_buttons[code] = choice
        row.addWidget(choice, position // columns, position % columns)
    layout.addLayout(row)
    kiosk.intro = plain_label()
    layout.addWidget(kiosk.intro)
    layout.addStretch(1)
    kiosk.start_button = button()
    kiosk.start_button.clicked.connect(lambda: kiosk.start())
    layout.addWidget(kiosk.start_button)
    group_row = QHBoxLayout()
    kiosk.group_size = QSpinBox()
    kiosk.group_size.setRange(2, 20)
    kiosk.group_size.setValue(4)
    kiosk.group_button = button()
    kiosk.group_button.clicked.connect(lambda: kiosk.start(group=True))
    group_row.addWidget(kiosk.group_button, 1)
    group_row.addWidget(kiosk.group_size)
    layout.addLayout(group_row)
    kiosk.welcome_note = plain_label()
    layout.addWidget(kiosk.welcome_note)
    return page


def build_question(kiosk: Kiosk) -> QWidget:
    """Title and progress across the top; a station's chart on the left, the question
    and its answers on the right; Back, Undo and Next along the bottom."""
    page = QWidget()
    layout = QVBoxLayout(page)
    top = QHBoxLayout()
    kiosk.exercise_title = plain_label()
    kiosk.exercise_title.setObjectName("title")
    kiosk.progress = plain_label(wrap=False)
    kiosk.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    top.addWidget(kiosk.exercise_title, 1)
    top.addWidget(kiosk.progress)
    layout.addLayout(top)
    kiosk.body = QHBoxLayout()  # a station's chart goes first, beside the answers
    column = QVBoxLayout()
    kiosk.instructions = plain_label()
    kiosk.question_label = plain_label()
    kiosk.question_label.setObjectName("question")
    kiosk.error = plain_label()
    kiosk.error.setObjectName("error")
    kiosk.error.hide()
    kiosk.scroll = QScrollArea()
    kiosk.scroll.setWidgetResizable(True)
    kiosk.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    kiosk.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for widget in (kiosk.instructions, kiosk.question_label, kiosk.error):
        column.addWidget(widget)
    column.addWidget(kiosk.scroll, 1)
    kiosk.note = plain_label()
    kiosk.note.hide()  # shown only with a message (an answer taken back)
    column.addWidget(kiosk.note)
    kiosk.answer_column = column
    kiosk.body.addLayout(column, 1)
    layout.addLayout(kiosk.body, 1)
    kiosk.question_layout = column
    kiosk.buttons = QGridLayout()
    kiosk.back_button = button()
    kiosk.undo_button = button()
    kiosk.next_button = button()
    kiosk.back_button.clicked.connect(kiosk.back)
    kiosk.undo_button.clicked.connect(kiosk.undo)
    kiosk.next_button.clicked.connect(kiosk.next)
    layout.addLayout(kiosk.buttons)
    return page


def build_done(kiosk: Kiosk) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    kiosk.done_label = plain_label()
    kiosk.done_label.setObjectName("title")
    layout.addWidget(kiosk.done_label)
    layout.addStretch(1)
    kiosk.done_back = button()
    kiosk.done_back.clicked.connect(kiosk.back)
    layout.addWidget(kiosk.done_back)
    kiosk.pass_button = button()
    kiosk.pass_button.clicked.connect(kiosk.pass_on)
    layout.addWidget(kiosk.pass_button)
    return page


def arrange_buttons(kiosk: Kiosk) -> None:
    """Back, Undo and Next on one row; Undo on a row of its own only when the three
    would need more than the window's width."""
    grid = kiosk.buttons
    trio = (kiosk.back_button, kiosk.undo_button, kiosk.next_button)
    for widget in trio:
        grid.removeWidget(widget)
    grid.addWidget(kiosk.back_button, 0, 0)
    grid.setColumnStretch(2, 1)
    grid.addWidget(kiosk.next_button, 0, 3)
    needed = sum(b.sizeHint().width() for b in trio) + 4 * max(8, grid.spacing())
    if needed > max(kiosk.width(), 1):
        grid.addWidget(kiosk.undo_button, 1, 0, 1, 2)
    else:
        grid.addWidget(kiosk.undo_button, 0, 1)


def retranslate(kiosk: Kiosk) -> None:
    """Every fixed text of the three pages in the participant's language (``kiosk.lang``)."""
    lang = kiosk.lang
    kiosk.setLayoutDirection(direction(lang))  # Arabic mirrors the participant's screens
    kiosk.setWindowTitle(tr("Workshop: {title}", lang).format(title=kiosk.workshop.title))
    kiosk.setAccessibleName(tr("Participant screen", lang))
    kiosk.title_label.setAccessibleName(tr("Workshop title", lang))
    for code, choice in kiosk.language_buttons.items():
        choice.setChecked(code == kiosk.lang)
    kiosk.intro.setAccessibleName(tr("Welcome", lang))
    kiosk.intro.setText(tr("Welcome! Your answers are anonymous: you get a code, not a name. "
                         "You can skip any question you do not want to answer.", lang))
    kiosk.start_button.setText(tr("Start", lang))
    kiosk.start_button.setAccessibleName(tr("Start on my own", lang))
    kiosk.group_size.setAccessibleName(tr("How many people in the group", lang))
    kiosk.group_size.setSuffix(" " + tr("people", lang))
    kiosk.group_button.setText(tr("Start as a table group", lang))
    kiosk.group_button.setAccessibleName(tr("Start as a table group", lang))
    kiosk.welcome_note.setAccessibleName(tr("Message", lang))
    # Explicit shortcuts rather than mnemonics: some platforms turn mnemonics off.
    for widget, text, name in (
            (kiosk.back_button, tr("Back (Alt+←)", lang), tr("Back", lang)),
            (kiosk.undo_button, tr("Undo my last answer", lang),
             tr("Undo my last answer", lang)),
            (kiosk.next_button, tr("Next (Enter)", lang), tr("Next", lang)),
            (kiosk.done_back, tr("Back (Alt+←)", lang), tr("Back", lang)),
            (kiosk.pass_button, tr("Done: hand the laptop to the next person", lang),
             tr("Done: hand the laptop to the next person", lang))):
        widget.setText(text)
        widget.setAccessibleName(name)
    for label, name in ((kiosk.exercise_title, tr("Exercise", lang)),
                        (kiosk.progress, tr("Progress", lang)),
                        (kiosk.instructions, tr("Instructions", lang)),
                        (kiosk.question_label, tr("Question", lang)),
                        (kiosk.error, tr("Problem with this answer", lang)),
                        (kiosk.note, tr("Message", lang)),
                        (kiosk.done_label, tr("Thank you", lang))):
        label.setAccessibleName(name)
    arrange_buttons(kiosk)
