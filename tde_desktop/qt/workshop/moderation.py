"""The console's moderation panel: every note in full, filtered by exercise.

Each note wraps (a list row grows to show all of it); its status and, once
corrected, the participant's original are written under it. Tick a note (or
press Approve) to show it on the projector, Reject to keep it off for good,
Edit to fix a typo: the participant's words are kept
(:mod:`tde_desktop.core.workshop.moderation`). Each step goes through the
console's ``do`` so Undo covers it and the other screens are told.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import moderation as mod
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.answer_checks import MAX_TEXT
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.elided_combo import ElidedComboBox
from tde_desktop.qt.common.shown_text import PROSE_LIMIT, shown_text

#: the console's step runner: (what, action, inverse, changes) -> succeeded
Doer = Callable[[str, Callable[[], object], Callable[[], object] | None, frozenset[Change]],
                bool]
STATUS_TEXT = {mod.PENDING: "waiting", mod.APPROVED: "on the projector",
               mod.REJECTED: "rejected"}
MODERATION = frozenset({Change.MODERATION})


def note_text(note: mod.Note, exercise: str = "") -> str:
    """A note as the list shows it: the exercise it came from (when ``exercise`` is
    given, as the "All exercises" filter does), prompt, text, status, and the
    original once corrected. Each is cut to what a participant can type (a stranger's pack
    may hold more: :func:`shown_text`); the pack keeps the whole text."""
    text = shown_text(note.text, MAX_TEXT)
    head = f"{shown_text(note.prompt, PROSE_LIMIT)} \u2014 {text}" if note.prompt else text
    lines = [head, f"[{_(STATUS_TEXT[note.status])}]"]
    if exercise:
        lines.insert(0, shown_text(exercise))
    if note.edited:
        lines[-1] += " " + _("corrected; the participant wrote: {text}").format(
            text=shown_text(note.original, MAX_TEXT))
    return "\n".join(lines)


class NoteEditDialog(QDialog):
    """Fix a note's typos; the participant's original is shown and kept."""

    saved = Signal(str)

    def __init__(self, note: mod.Note, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note
        self.setWindowTitle(_("Correct a note"))
        self.setAccessibleName(_("Correct a note"))
        layout = QVBoxLayout(self)
        original = QLabel(_("The participant wrote: {text}").format(
            text=shown_text(note.original, MAX_TEXT)))
        original.setTextFormat(Qt.TextFormat.PlainText)
        original.setWordWrap(True)
        layout.addWidget(original)
        self.edit = QPlainTextEdit(note.text)
        self.edit.setAccessibleName(_("Text shown on the projector"))
        layout.addWidget(self.edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save(self) -> None:
        self.saved.emit(self.edit.toPlainText())
        self.accept()


class ModerationPanel(QWidget):
    """Notes of one exercise (or all) to approve, reject or correct."""

    def __init__(self, pack: Pack, workshop_id: str, do: Doer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop_id = workshop_id
        self.do = do
        self.notes: list[mod.Note] = []
        self._state: object = None
        self.editor: NoteEditDialog | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        shown = QLabel(_("Notes of:"))
        self.filter_box = ElidedComboBox()
        self.filter_box.setAccessibleName(_("Show the notes of"))
        shown.setBuddy(self.filter_box)
        self.filter_box.currentIndexChanged.connect(lambda _i: self.reload(force=True))
        row.addWidget(shown)
        row.addWidget(self.filter_box, 1)
        layout.addLayout(row)
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName(_("Free-text answers to approve"))
        self.notes_list.setWordWrap(True)
        self.notes_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.notes_list.setUniformItemSizes(False)
        self.notes_list.setSpacing(4)
        self.notes_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.notes_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_list.itemChanged.connect(self._ticked)
        layout.addWidget(self.notes_list, 1)
        buttons = QGridLayout()
        self.approve_button = self._button(_("A&pprove"), lambda: self.set_status(mod.APPROVED))
        self.reject_button = self._button(_("&Reject"), lambda: self.set_status(mod.REJECTED))
        self.edit_button = self._button(_("Correct &typos..."), self.edit_selected)
        self.all_button = self._button(_("Approve a&ll shown"), self.approve_all)
        for i, b in enumerate((self.approve_button, self.reject_button, self.edit_button,
                               self.all_button)):
            buttons.addWidget(b, i // 2, i % 2)
        layout.addLayout(buttons)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(lambda _c=False: slot())
        return button

    def set_exercises(self, exercises: list[ws.Exercise]) -> None:
        """Offer 'All exercises' and each exercise of the agenda in the filter."""
        current = self.filter_box.currentData()
        self.filter_box.blockSignals(True)
        self.filter_box.clear()
        self.filter_box.addItem(_("All exercises"), None)
        for i, exercise in enumerate(exercises):
            self.filter_box.addItem(f"{i + 1}. {exercise.title}", exercise.id)
        self.filter_box.setCurrentIndex(max(0, self.filter_box.findData(current)))
        self.filter_box.blockSignals(False)

    def show_exercise(self, exercise_id: str | None) -> None:
        """Filter on one exercise (None: all of them)."""
        self.filter_box.setCurrentIndex(max(0, self.filter_box.findData(exercise_id)))
        self.reload(force=True)

    def reload(self, force: bool = False) -> None:
        """Re-read the notes shown; the list is rebuilt only if one of them changed."""
        notes = mod.notes(self.pack, self.workshop_id, self.filter_box.currentData())
        if notes == self.notes and not force and self._state is not None:
            return
        selected = self.selected()
        self.notes, self._state = notes, True
        every_exercise = self.filter_box.currentData() is None
        self.notes_list.blockSignals(True)
        self.notes_list.clear()
        for note in notes:
            item = QListWidgetItem(note_text(
                note, self._exercise_label(note) if every_exercise else ""))
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if note.status == mod.APPROVED
                               else Qt.CheckState.Unchecked)
            self.notes_list.addItem(item)
            if selected is not None and note.id == selected.id:
                self.notes_list.setCurrentItem(item)
        self.notes_list.blockSignals(False)

    def _exercise_label(self, note: mod.Note) -> str:
        """The note's exercise as the filter names it ("3. Station 2: ..."), so two
        stations asking the same question stay apart."""
        index = self.filter_box.findData(note.exercise_id)
        return self.filter_box.itemText(index) if index > 0 else note.exercise_title

    def selected(self) -> mod.Note | None:
        row = self.notes_list.currentRow()
        return self.notes[row] if 0 <= row < len(self.notes) else None

    def _status_step(self, note: mod.Note, status: str) -> bool:
        before = note.status
        what = {mod.APPROVED: _("Note approved for the projector"),
                mod.REJECTED: _("Note rejected"), mod.PENDING: _("Note hidden")}[status]
        return self.do(what, lambda: mod.set_status(self.pack, note.id, status),
                       lambda: mod.set_status(self.pack, note.id, before), MODERATION)

    def _ticked(self, item: QListWidgetItem) -> None:
        row = self.notes_list.row(item)
        if 0 <= row < len(self.notes):
            # the ticked note becomes the selected one: Reject or Correct typos act on it
            self.notes_list.setCurrentRow(row)
            show = item.checkState() == Qt.CheckState.Checked
            self._status_step(self.notes[row], mod.APPROVED if show else mod.PENDING)

    def set_status(self, status: str) -> bool:
        """Approve or reject the selected note."""
        note = self.selected()
        return note is not None and self._status_step(note, status)

    def approve_all(self) -> int:
        """Approve every note shown that is waiting (rejected ones stay rejected)."""
        waiting = [n for n in self.notes if n.status == mod.PENDING]
        for note in waiting:
            self._status_step(note, mod.APPROVED)
        return len(waiting)

    def edit_selected(self) -> NoteEditDialog | None:
        """Open the correction dialog for the selected note."""
        note = self.selected()
        if note is None:
            return None
        dialog = NoteEditDialog(note, self)
        dialog.saved.connect(lambda text: self.correct(note, text))
        dialog.open()
        self.editor = dialog
        return dialog

    def correct(self, note: mod.Note, text: str) -> bool:
        before = note.edited
        return self.do(_("Note corrected"), lambda: mod.edit_text(self.pack, note.id, text),
                       lambda: mod.edit_text(self.pack, note.id, before or note.original),
                       MODERATION)
