"""Withdraw a participant by picking them from a list, not by a code seen once.

The list shows each participant's code, the time they joined and how many
answers they gave (counted, see :func:`room_state.participant_rows`), newest
first, so the person asking to withdraw is usually at the top. Withdrawing asks
for confirmation and names the answers that will go; it cannot be undone.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import room_state
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.room_state import Change
from tde_desktop.qt.common.ops import report_changes

COLUMNS = ("Code", "Joined at", "Answers")


def joined_time(created_at: str) -> str:
    """'14:05' in the computer's time zone for a stored UTC time ('' if unreadable)."""
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().strftime("%H:%M")
    except ValueError:
        return ""


class WithdrawDialog(QDialog):
    """The workshop's participants; pick one and press Withdraw."""

    withdrawn = Signal(str, int)  # participant id, answers removed

    def __init__(self, pack: Pack, workshop_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.workshop_id = workshop_id
        self.rows: list[room_state.ParticipantRow] = []
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle(_("Withdraw a participant"))
        self.setAccessibleName(_("Withdraw a participant"))
        layout = QVBoxLayout(self)
        hint = QLabel(_("Pick the participant who asks to leave: their code is on their "
                        "screen, and the newest are at the top."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Participants"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.withdraw_button = buttons.addButton(_("&Withdraw..."),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.withdraw_button.setAccessibleName(_("Withdraw"))
        self.withdraw_button.clicked.connect(lambda _c=False: self.ask())
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Re-read the participants (codes, times joined and answer counts)."""
        self.rows = room_state.participant_rows(self.pack, self.workshop_id)
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            code = row.code + (" " + _("(group)") if row.is_group else "")
            for col, text in enumerate((code, joined_time(row.joined_at), str(row.answers))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(i, col, item)
        self._update()

    def select_code(self, code: str) -> bool:
        """Select the row of ``code``; False if no such participant is listed."""
        for i, row in enumerate(self.rows):
            if row.code == code:
                self.table.selectRow(i)
                return True
        return False

    def selected(self) -> room_state.ParticipantRow | None:
        picked = self.table.selectionModel().selectedRows()
        return self.rows[picked[0].row()] if picked else None

    def _update(self) -> None:
        self.withdraw_button.setEnabled(self.selected() is not None)

    def ask(self) -> QMessageBox | None:
        """Confirm, naming how many answers will go, then withdraw the one picked."""
        row = self.selected()
        if row is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, _("Withdraw a participant"),
                          ngettext("Withdraw {code}? This removes their {n} answer for good "
                                   "and cannot be undone.",
                                   "Withdraw {code}? This removes their {n} answers for good "
                                   "and cannot be undone.", row.answers
                                   ).format(code=row.code, n=row.answers),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a participant's code is never markup
        box.setAccessibleName(_("Withdraw a participant"))
        box.button(QMessageBox.StandardButton.Yes).setText(_("Withdraw"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep"))
        box.accepted.connect(lambda: self.withdraw(row.id))
        box.open()
        self.confirm_box = box
        return box

    def withdraw(self, participant_id: str) -> int:
        """Withdraw now (no question asked); every screen on the pack is told."""
        removed = ws.withdraw_participant(self.pack, participant_id)
        report_changes(self.pack.path,
                       {Change.PARTICIPANTS, Change.ANSWERS, Change.MODERATION})
        self.reload()
        self.withdrawn.emit(participant_id, removed)
        return removed
