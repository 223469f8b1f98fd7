"""Every control on every screen has a name a screen reader can say.

The walk asks Qt's own accessibility layer (what a screen reader receives), so a
button's text or a form label set as buddy counts, and an unnamed control fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tde_desktop.core.workshop import workshops as ws
from tests.qt.conftest import make_workshop, wait_idle

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QTabBar, QTextEdit, QPlainTextEdit, QSlider)
#: every template, so each kind of answer screen is walked
EXTRA_TEMPLATES = ("asset_map", "budget", "data_story", "explore_question", "multiple_choice",
                   "open_text", "plan_feedback", "ranking", "rating", "single_choice")


def spoken_name(widget: QWidget) -> str:
    """The name Qt gives assistive technology for ``widget`` (accessibleName, text, buddy)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _is_part_of_another_control(widget: QWidget) -> bool:
    # A spin box's or combo box's own line edit, a tab bar's scroll arrows and an item
    # view's headers are reached through their owner, which carries the name.
    # A line edit's clear button and a combo box's pop-up list likewise.
    parent = widget.parentWidget()
    return (isinstance(widget, QHeaderView)
            or isinstance(parent, QAbstractSpinBox | QComboBox | QTabBar | QLineEdit)
            or (parent is not None and isinstance(parent.parentWidget(), QComboBox))
            or widget.objectName().startswith("qt_"))


def unnamed_controls(root: QWidget) -> list[str]:
    """Descriptions of the interactive controls under ``root`` that have no spoken name."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, CONTROLS) or _is_part_of_another_control(widget):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(
                widget, QAbstractButton):
            continue
        if isinstance(widget, QTabBar):
            problems += [f"{type(root).__name__}: tab {i} of {widget.objectName()!r}"
                         for i in range(widget.count()) if not widget.tabText(i).strip()]
            continue
        if not spoken_name(widget):
            where = widget.parentWidget()
            problems.append(f"{type(root).__name__}: {type(widget).__name__} "
                            f"{widget.objectName()!r} in {type(where).__name__}")
    return problems


def test_main_window_dialogs_and_panels_are_named(make_main_window: Any, baltimore_pack: Path,
                                                  qtbot: Any) -> None:
    from tde_desktop.qt.explorer.import_dialog import ImportDialog
    from tde_desktop.qt.explorer.view_actions import SavedViewsDialog
    from tde_desktop.qt.results.results_actions import ExportOptionsDialog
    from tde_desktop.qt.shell.about_dialog import AboutDialog
    from tde_desktop.qt.shell.first_run import WelcomeDialog
    from tde_desktop.qt.workshop.workshop_menu import NewWorkshopDialog

    empty = make_main_window()
    problems = unnamed_controls(empty)
    window = make_main_window(baltimore_pack)
    for position in range(window.explorer.tabs.count()):
        window.explorer.tabs.setCurrentIndex(position)
        window.explorer.panel(position)
    wait_idle(qtbot)
    problems += unnamed_controls(window)
    for dialog in (ImportDialog(window), WelcomeDialog(window), AboutDialog(window),
                   ExportOptionsDialog(window), SavedViewsDialog(window, window.pack),
                   NewWorkshopDialog(window)):
        qtbot.addWidget(dialog)
        problems += unnamed_controls(dialog)
    assert not problems, "\n".join(problems)


def test_workshop_screens_are_named(make_main_window: Any, baltimore_pack: Path,
                                    qtbot: Any) -> None:
    from tde_desktop.qt.results.next_steps import NextStepsEditor
    from tde_desktop.qt.workshop.kiosk import Kiosk
    from tde_desktop.qt.workshop.paper import PaperEntry
    from tde_desktop.qt.workshop.pin_dialog import PinDialog

    window = make_main_window(baltimore_pack)
    pack = window.pack
    workshop = make_workshop(pack, *EXTRA_TEMPLATES)
    menu = window.workshop_menu
    console = menu.open_console_unlocked(workshop.id)
    problems = unnamed_controls(console)
    problems += unnamed_controls(console.edit_agenda())
    problems += unnamed_controls(menu.ask_projector(workshop.id))
    problems += unnamed_controls(NextStepsEditor(pack, workshop.id))
    problems += unnamed_controls(PinDialog(pack, workshop.id, window))
    first = ws.list_exercises(pack, workshop.id)[1]
    problems += unnamed_controls(PaperEntry(pack, first.id))

    kiosk = Kiosk(pack, workshop.id, device_id="a11y")
    qtbot.addWidget(kiosk)
    kiosk.show()
    problems += unnamed_controls(kiosk)  # the welcome page
    kiosk.start()
    kinds = set()
    for index in range(len(kiosk.steps)):
        kiosk.show_step(index)
        kinds.add(kiosk.steps[index].question.kind)
        problems += [f"{p} ({kiosk.steps[index].question.kind})"
                     for p in unnamed_controls(kiosk)]
    assert len(kinds) >= 12  # every kind of answer screen was walked
    kiosk.allow_close = True
    menu.close_all()
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_walk_catches_an_unnamed_control(qtbot: Any) -> None:
    from PySide6.QtWidgets import QFormLayout, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    form = QFormLayout()
    labelled, bare = QLineEdit(), QLineEdit("typed text is not a name")
    form.addRow("&Venue:", labelled)
    layout.addLayout(form)
    layout.addWidget(bare)
    layout.addWidget(QComboBox())
    assert len(unnamed_controls(root)) == 2
    bare.setAccessibleName("Notes")
    assert unnamed_controls(root) == ["QWidget: QComboBox '' in QWidget"]
