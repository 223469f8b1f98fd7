"""Every workshop screen fits the screens workshops meet: 1366x768 and 1280x720, at 100,
150 and 200% text.

Walks every kiosk question kind (the sample agenda's exercises and every template),
the projector before and after a reveal, the facilitator console, the main
window's tabs and every dialog. For each it asserts (see tests/qt/screen_fit.py):
the window needs no more than the screen, every visible interactive widget lies
on it, no widget is squeezed below its minimum size (or cuts its wrapped text),
and a station's answer controls show together with its chart. A failure lists
every screen and widget that does not fit, with the size and the text scale in
the test's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template, create_from_agenda
from tde_desktop.core.workshop.exercises import Question
from tde_desktop.core.workshop.templates import load_templates
from tde_desktop.qt.common import theme
from tests.qt import screen_fit as fit
from tests.qt.conftest import wait_idle

PIN = "2468"
AGENDA = "data_walk_vacant_buildings"
SCREENS = [pytest.param(size, scale, id=f"{size}-{scale}")
           for size in fit.SIZES for scale in fit.SCALES]


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


@pytest.fixture
def workshop(pack: Pack) -> ws.Workshop:
    """The sample agenda plus one exercise of every template, all open."""
    made = create_from_agenda(pack, AGENDA, pin=PIN)
    for name in sorted(load_templates()):
        add_exercise_from_template(pack, made.id, name)
    for exercise in ws.list_exercises(pack, made.id):
        ws.open_exercise(pack, exercise.id)
    return made


def text_size(scale: str) -> None:
    """View > Text size, as the facilitator sets it before opening the screens."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, scale=fit.SCALES[scale])


def report(problems: dict[str, list[str]]) -> str:
    """Every screen that does not fit, with what is wrong ("" when all fit)."""
    return "\n".join(f"{screen}:\n  " + "\n  ".join(found)
                     for screen, found in problems.items() if found)


def show(qtbot: Any, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# -- the kiosk ------------------------------------------------------------------------------


def kinds_to_walk(steps: list[Any]) -> list[int]:
    """One step per (exercise type, question kind, has a chart), in agenda order."""
    seen: set[tuple[str, str, bool]] = set()
    chosen = []
    for i, step in enumerate(steps):
        key = (step.exercise.type, step.question.kind, step.exercise.view_id is not None)
        if key not in seen:
            seen.add(key)
            chosen.append(i)
    return chosen


def kiosk_step_problems(kiosk: Any, screen: QSize) -> list[str]:
    problems = fit.fit_window(kiosk, screen)
    content = kiosk.widget
    if content is None:
        return problems
    controls = [w for w in content.findChildren(QWidget)
                if isinstance(w, fit.INTERACTIVE) and w.isVisible() and not fit.is_part(w)]
    hidden = fit.hidden_controls(content, kiosk.scroll)
    if controls and len(hidden) == len(controls):
        problems.append("no answer control shows without scrolling "
                        f"(answer area {kiosk.scroll.viewport().height()} px tall)")
    chart = kiosk.station_chart
    if chart is not None and chart.isVisible():
        if hidden:
            problems.append("with the chart, answer controls need scrolling: "
                            + ", ".join(hidden))
        if fit.in_scroll_area(kiosk.next_button, kiosk) is kiosk.scroll and \
                not fit.visible_in_viewport(kiosk.next_button, kiosk.scroll):
            problems.append("Next needs scrolling")
    return problems


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_kiosk_fits(qtbot: Any, pack: Pack, workshop: ws.Workshop, size: str,
                    scale: str) -> None:
    from tde_desktop.qt.workshop.kiosk import Kiosk

    text_size(scale)
    screen = fit.SIZES[size]
    kiosk = Kiosk(pack, workshop.id, device_id="screen-fit")
    kiosk.allow_close = True
    show(qtbot, kiosk)
    problems = {"kiosk welcome": fit.fit_window(kiosk, screen)}
    kiosk.start()
    assert kiosk.steps, "the kiosk has no question to walk"
    walked = kinds_to_walk(kiosk.steps)
    assert len(walked) >= 15  # every kind of the agenda and of the templates
    for index in walked:
        kiosk.show_step(index)
        step = kiosk.steps[index]
        name = (f"kiosk {step.exercise.type} '{step.exercise.title}' / "
                f"{step.question.key} ({step.question.kind})")
        problems[name] = kiosk_step_problems(kiosk, screen)
    kiosk.show_done()
    problems["kiosk thank-you"] = fit.fit_window(kiosk, screen)
    failing = report(problems)
    assert not failing, f"at {size}, {scale} text:\n{failing}"


# -- the projector --------------------------------------------------------------------------


def sample_answer(question: Question, n: int) -> Any:
    """A valid-looking answer of each kind, so the projector has tallies to draw."""
    codes = [o.code for o in question.all_options()]
    kind = question.kind
    if kind == "sticky_note":
        return {"text": f"A note the room should read, number {n}", "prompt": codes[n % 3]}
    if kind in ("open_text", "question_asked"):
        return f"An answer the room should read, number {n}"
    if kind == "rating":
        return question.scale_min + n % (question.scale_max - question.scale_min + 1)
    if kind == "dot_vote":
        return {codes[n % len(codes)]: 1}
    if kind == "multiple_choice":
        return codes[: 1 + n % 2]
    if kind == "ranking":
        return codes
    return codes[n % len(codes)] if codes else f"answer {n}"


def answer_everything(pack: Pack, workshop: ws.Workshop, exercise: ws.Exercise) -> None:
    for n in range(3):
        person = ws.add_participant(pack, workshop.id)
        for question in exercise.questions:
            try:
                responses.submit_answer(
                    pack, workshop_id=workshop.id, exercise_id=exercise.id,
                    participant_id=person.id, question_key=question.key,
                    answer=sample_answer(question, n))
            except TdeError:
                continue  # a kind this sample does not answer: its screen is still measured
    for note in ws.sticky_notes(pack, exercise.id, approved_only=False):
        ws.approve(pack, note.id)


def projector_problems(projector: Any, screen: QSize, revealed: bool) -> list[str]:
    """The window fits; nothing scrolls in a strip; revealed results take the room."""
    from tde_desktop.qt.workshop.projector import BarChart

    problems = fit.fit_window(projector, screen)
    for area in projector.findChildren(QScrollArea):
        content = area.widget()
        if not area.isVisible() or content is None:
            continue
        blocks = [w for w in content.findChildren(QWidget)
                  if w.parentWidget() is content and w.isVisible()]
        if blocks and not fit.visible_in_viewport(blocks[0], area):
            problems.append(f"the first result ({fit.describe(blocks[0])}) needs scrolling: "
                            f"the results area is {area.viewport().height()} px tall")
        nested = [fit.describe(w) for w in content.findChildren(QScrollArea)]
        if nested:
            problems.append("scrolling strips inside the results: " + ", ".join(nested))
    if revealed and (projector.displayed_tallies() or projector.displayed_notes()):
        shown = [w for w in projector.findChildren(QWidget) if w.isVisible()
                 and (isinstance(w, BarChart) or w.objectName() == "note")]
        tallest = max((w.height() for w in shown), default=0)
        if tallest < screen.height() // 4:
            problems.append(f"the revealed results are {tallest} px tall at most, "
                            f"less than a quarter of the screen")
    return problems


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_projector_fits(qtbot: Any, pack: Pack, workshop: ws.Workshop, size: str,
                        scale: str) -> None:
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    text_size(scale)
    screen = fit.SIZES[size]
    exercises = ws.list_exercises(pack, workshop.id)
    shown = {}
    for exercise in exercises:  # one of each type, the stations with their charts
        shown.setdefault((exercise.type, exercise.view_id is not None), exercise)
    projector = ProjectorWindow(pack, workshop.id)
    show(qtbot, projector)
    problems = {}
    for exercise in shown.values():
        answer_everything(pack, workshop, exercise)
        for revealed in (False, True):
            ws.reveal(pack, exercise.id, revealed)
            projector.exercise_id = exercise.id
            projector.refresh()
            when = "after reveal" if revealed else "before reveal"
            problems[f"projector {exercise.type} '{exercise.title}' {when}"] = \
                projector_problems(projector, screen, revealed)
    failing = report(problems)
    assert not failing, f"at {size}, {scale} text:\n{failing}"


#: bars of a station's chart the projector shows before the reveal, at least (each bar's
#: names and numbers in the chart's 24 pt-like type)
STATION_BARS = 4


@pytest.mark.parametrize("size", list(fit.SIZES))
def test_projector_station_shows_its_bars(qtbot: Any, pack: Pack, workshop: ws.Workshop,
                                          size: str) -> None:
    """Before the reveal a data-walk station's chart takes the height its prompt leaves,
    with no value axis (every bar has its number): at 1280x720 it showed 2 bars."""
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    text_size("200%")  # the projector sets its own type; the facilitator's size is moot
    station = next(e for e in ws.list_exercises(pack, workshop.id) if e.view_id)
    projector = ProjectorWindow(pack, workshop.id)
    show(qtbot, projector)
    projector.exercise_id = station.id
    projector.refresh()
    chart = projector.station_chart
    assert chart is not None
    projector.resize(fit.SIZES[size])
    qtbot.waitUntil(lambda: chart.shown is not None and not chart._redraw.isActive(),
                    timeout=15000)
    fit.settle()
    bars = len(chart.figure.axes[0].patches)
    groups = len(chart.shown.data.labels)
    assert bars >= min(STATION_BARS, groups), (
        f"{bars} of {groups} bars show in a {chart.canvas.width()}x{chart.canvas.height()} px "
        f"chart; the prompt is {projector.prompt.height()} px, the title "
        f"{projector.title.height()} px")


# -- the facilitator console and the main window ---------------------------------------------


#: exercises the console's agenda shows without scrolling: a morning's agenda
AGENDA_ROWS = 8


def agenda_rows_shown(table: Any) -> int:
    """How many of the agenda's rows show whole in the table, from the top."""
    table.scrollToTop()
    fit.settle()
    viewport = table.viewport().rect()
    return sum(1 for row in range(table.rowCount())
               if viewport.contains(table.visualRect(table.model().index(row, 1))))


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_console_fits(qtbot: Any, pack: Pack, workshop: ws.Workshop, size: str,
                      scale: str) -> None:
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    text_size(scale)
    console = FacilitatorConsole(pack, workshop.id)
    console.timer.stop()
    show(qtbot, console)
    station = next(e for e in ws.list_exercises(pack, workshop.id) if e.view_id)
    answer_everything(pack, workshop, station)
    for note in ws.sticky_notes(pack, station.id, approved_only=False)[:1]:
        ws.approve(pack, note.id, False)  # one note left to approve
    console.reload()
    console.select(station.id)
    problems = fit.fit_window(console, fit.SIZES[size])
    problems += fit.cut_headings(console)
    shown = agenda_rows_shown(console.table)
    if shown < min(AGENDA_ROWS, console.table.rowCount()):
        problems.append(f"the agenda shows {shown} exercises without scrolling, fewer than "
                        f"{AGENDA_ROWS} (the table is {console.table.width()}x"
                        f"{console.table.height()} px, its first rows "
                        f"{[console.table.rowHeight(r) for r in range(shown + 1)]} px tall)")
    assert not problems, f"console at {size}, {scale} text:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_main_window_fits(qtbot: Any, make_main_window: Callable[..., Any],
                          baltimore_pack: Path, size: str, scale: str) -> None:
    text_size(scale)
    screen = fit.SIZES[size]
    window = make_main_window(baltimore_pack)
    wait_idle(qtbot)
    notices = next(d for d in window.pack.datasets() if "notice" in d.title.lower())
    window.dataset_list.select_id(notices.id)
    wait_idle(qtbot)
    tabs = window.explorer.tabs
    problems = {}
    for position in range(tabs.count()):
        window.explorer.panel(position)
        tabs.setCurrentIndex(position)
        wait_idle(qtbot)
        problems[f"main window, tab '{tabs.tabText(position)}'"] = fit.fit_window(window,
                                                                                  screen)
    failing = report(problems)
    assert not failing, f"at {size}, {scale} text:\n{failing}"


# -- dialogs and the facilitator's other windows ---------------------------------------------


def message_boxes(window: Any, pack: Pack, workshop: ws.Workshop
                  ) -> dict[str, Callable[[], QWidget]]:
    """The message boxes we build, each with the longest text it is likely to carry."""
    from tde_desktop.core.pack.lock import LockInfo
    from tde_desktop.qt.common.ops import show_message
    from tde_desktop.qt.common.saved_files import show_saved
    from tde_desktop.qt.shell.lock_dialog import ReadOnlyQuestion
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    def kept(box: Any) -> QWidget:  # the test closes it; nothing deletes it under qtbot
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return box  # type: ignore[no-any-return]

    def end_workshop() -> QWidget:
        console = show(window._test_qtbot, FacilitatorConsole(pack, workshop.id))
        console.timer.stop()  # type: ignore[attr-defined]
        return console.end()  # type: ignore[attr-defined, no-any-return]

    def back_to_console() -> QWidget:  # asked by the console locked while a kiosk is open
        console = show(window._test_qtbot, FacilitatorConsole(pack, workshop.id))
        console.timer.stop()  # type: ignore[attr-defined]
        return console.lock_page.ask()  # type: ignore[attr-defined, no-any-return]

    saved = pack.path.parent / "results" / "Vacant buildings workshop results.xlsx"
    lock = LockInfo(pid=4242, hostname="facilitator-laptop", app_version="1.0",
                    since="2026-03-01T09:30:00+00:00", heartbeat="")
    return {
        "message": lambda: kept(show_message(window, "Can't read vacant_building_notices.csv: "
                                             "line 4,021 has 12 values where the header "
                                             "names 9. Check the file in a spreadsheet.")),
        "saved": lambda: kept(show_saved(window, saved, f"Results saved to {saved}")),
        "pack already open": lambda: ReadOnlyQuestion(lock, window),
        "remove a dataset": lambda: window.dataset_actions.ask_remove(
            pack.datasets()[0].id),
        "end the workshop": end_workshop,
        "PIN, back to the console": back_to_console,
    }


def dialogs(window: Any, pack: Pack, workshop: ws.Workshop) -> dict[str, Callable[[], QWidget]]:
    """Every dialog and secondary window, each built fresh on the open pack."""
    from tde_desktop.core.workshop import moderation
    from tde_desktop.qt.explorer.dataset_details_dialog import DatasetDetailsDialog
    from tde_desktop.qt.explorer.import_dialog import ImportDialog
    from tde_desktop.qt.explorer.tidy_dialog import TidyDialog
    from tde_desktop.qt.explorer.view_actions import SavedViewsDialog
    from tde_desktop.qt.results.next_steps import NextStepsEditor
    from tde_desktop.qt.results.results_actions import ExportOptionsDialog
    from tde_desktop.qt.shell.about_dialog import AboutDialog
    from tde_desktop.qt.shell.backup_dialog import RestoreDialog
    from tde_desktop.qt.shell.first_run import WelcomeDialog
    from tde_desktop.qt.workshop.agenda_editor import AgendaEditor
    from tde_desktop.qt.workshop.console_people import WithdrawDialog
    from tde_desktop.qt.workshop.moderation import NoteEditDialog
    from tde_desktop.qt.workshop.paper import PaperEntry
    from tde_desktop.qt.workshop.pin_dialog import PinDialog
    from tde_desktop.qt.workshop.workshop_menu import NewWorkshopDialog

    station = next(e for e in ws.list_exercises(pack, workshop.id) if e.view_id)
    answer_everything(pack, workshop, station)  # notes to correct, people to withdraw
    note = moderation.notes(pack, workshop.id)[0]
    sample = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "samples"
    text_column = next(c.name for c in window.explorer.dataset.columns if c.type == "text")

    def withdraw_confirm() -> QWidget:
        chooser = show(window._test_qtbot, WithdrawDialog(pack, workshop.id, window))
        chooser.table.selectRow(0)  # type: ignore[attr-defined]
        return chooser.ask()  # type: ignore[attr-defined, no-any-return]

    return {
        "welcome": lambda: WelcomeDialog(window, "Data: City of Baltimore, CC BY 4.0"),
        "import": lambda: ImportDialog(
            window, sample / "baltimore" / "vacant_building_notices.csv"),
        "new workshop": lambda: NewWorkshopDialog(window),
        "PIN": lambda: PinDialog(pack, workshop.id, window),
        "about": lambda: AboutDialog(window, "Data: City of Baltimore, CC BY 4.0"),
        "backup": lambda: RestoreDialog(pack.path, window),
        "export options": lambda: ExportOptionsDialog(window),
        "saved views": lambda: SavedViewsDialog(window, pack),
        "dataset details": lambda: DatasetDetailsDialog(pack.datasets()[0], window),
        "tidy values": lambda: TidyDialog(window.explorer, text_column, window),
        "correct a note": lambda: NoteEditDialog(note, window),
        "withdraw": lambda: WithdrawDialog(pack, workshop.id, window),
        "withdraw, confirm": withdraw_confirm,
        "agenda editor": lambda: AgendaEditor(pack, workshop.id),
        "paper answers": lambda: PaperEntry(pack, station.id),
        "next steps": lambda: NextStepsEditor(pack, workshop.id),
        **message_boxes(window, pack, workshop),
    }


#: headings still cut, left for their dialog's owner: the tidy dialog's "Merge into" column
#: keeps Qt's default 100 px at 150% and 200% text
KNOWN_CUT_HEADINGS: dict[str, tuple[str, ...]] = {}


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_dialogs_fit(qtbot: Any, make_main_window: Callable[..., Any], baltimore_pack: Path,
                     size: str, scale: str) -> None:
    """Each dialog at the size it opens at on the screen (Qt's choice capped at 2/3 of the
    screen, or ours): nothing cut, nothing off-screen, no text scrolling in a strip."""
    text_size(scale)
    window = make_main_window(baltimore_pack)
    window._test_qtbot = qtbot
    wait_idle(qtbot)
    pack = window.pack
    made = create_from_agenda(pack, AGENDA, pin=PIN)
    problems = {}
    for name, build in dialogs(window, pack, made).items():
        dialog = show(qtbot, build())
        wait_idle(qtbot)
        found = fit.fit_window(dialog, fit.SIZES[size], opened=True)
        problems[f"dialog '{name}'"] = [p for p in found if not any(
            p.startswith(f"the heading {cut!r} ") for cut in KNOWN_CUT_HEADINGS.get(name, ()))]
        dialog.close()
    failing = report(problems)
    assert not failing, f"at {size}, {scale} text:\n{failing}"


# -- text-size mechanics ---------------------------------------------------------------------


def test_back_to_100_percent_shrinks_the_window(qtbot: Any, pack: Pack,
                                                workshop: ws.Workshop) -> None:
    """200% grows what must grow; going back to 100% returns to the size chosen before."""
    from tde_desktop.qt.workshop.pin_dialog import PinDialog

    text_size("100%")  # as the app does at start, before any window opens
    dialog = show(qtbot, PinDialog(pack, workshop.id))
    fit.settle()
    small = dialog.minimumSizeHint()
    chosen = small + QSize(40, 30)  # a little room, well within the offscreen 800x800
    dialog.resize(chosen)
    fit.settle()
    assert dialog.size() == chosen
    text_size("200%")
    fit.settle()
    grown = dialog.minimumSizeHint()
    assert grown.width() > chosen.width()  # so 200% had to make the window wider
    assert dialog.width() >= grown.width()
    text_size("100%")
    fit.settle()
    assert dialog.minimumSizeHint().width() < grown.width()
    assert dialog.size() == chosen


def test_windows_open_within_the_screen(qtbot: Any, make_main_window: Callable[..., Any],
                                        baltimore_pack: Path) -> None:
    """Main window, console, projector and kiosk never open larger than the screen
    (offscreen: 800x800), unless their minimum is larger, which the tests above report."""
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole
    from tde_desktop.qt.workshop.kiosk import Kiosk
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    window = make_main_window(baltimore_pack)
    made = create_from_agenda(window.pack, AGENDA, pin=PIN)
    built = {"main window": window,
             "console": show(qtbot, FacilitatorConsole(window.pack, made.id)),
             "projector": show(qtbot, ProjectorWindow(window.pack, made.id)),
             "kiosk": show(qtbot, Kiosk(window.pack, made.id))}
    built["kiosk"].allow_close = True  # type: ignore[attr-defined]
    fit.settle()
    too_big = []
    for name, widget in built.items():
        available = widget.screen().availableGeometry()
        frame = widget.frameGeometry()
        margins = frame.size() - widget.size()
        limit = available.size().expandedTo(widget.minimumSizeHint() + margins)
        if frame.width() > limit.width() or frame.height() > limit.height():
            too_big.append(f"{name} opens at {frame.width()}x{frame.height()}, "
                           f"the screen has {available.width()}x{available.height()}")
    assert not too_big, "\n".join(too_big)


def test_scroll_strips_are_found(qtbot: Any) -> None:
    """The dialog check sees text scrolling in strips, as the welcome dialog's once did."""
    from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    for _n in range(2):
        area = QScrollArea()
        area.setWidgetResizable(True)
        label = QLabel("A long sentence that wraps over many lines. " * 30)
        label.setWordWrap(True)
        area.setWidget(label)
        area.setFixedHeight(60)
        layout.addWidget(area)
    show(qtbot, dialog)
    problems = fit.fit_window(dialog, fit.SIZES["1366x768"], opened=True)
    assert any("2 scrolling strips" in p for p in problems), problems
    assert any("though the window could grow" in p for p in problems), problems


def test_pin_dialog_opened_at_its_minimum_shows_its_whole_prompt(qtbot: Any,
                                                                 pack: Pack) -> None:
    """On X11 the PIN dialog opened at its minimum size, one line tall, and cut the
    console's two-line prompt; shown, it is as tall as its wrapped text needs."""
    from tde_desktop.qt.workshop.pin_dialog import PinDialog

    text_size("100%")
    made = create_from_agenda(pack, AGENDA, pin=PIN)
    dialog = PinDialog(pack, made.id, None, "To come back to the facilitator console, "
                       "type the facilitator PIN. " * 2)
    dialog.resize(dialog.minimumSizeHint())  # the size the window system gave it
    show(qtbot, dialog)
    fit.settle()
    assert not fit.too_short(dialog.prompt), fit.too_short(dialog.prompt)


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_console_phones_tab_fits(qtbot: Any, pack: Pack, workshop: ws.Workshop, size: str,
                                 scale: str) -> None:
    """The Phones tab with phones joining: QR code, address, counts and the answers of
    every exercise (a long agenda scrolls in its list instead of growing the window)."""
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    text_size(scale)
    console = FacilitatorConsole(pack, workshop.id)
    console.timer.stop()
    panel = console.phones
    panel.host, panel.port = "127.0.0.1", 0
    show(qtbot, console)
    console.tabs.setCurrentWidget(panel)
    try:
        panel.start()
        qtbot.waitUntil(lambda: panel.running, timeout=10_000)
        exercises = len(ws.list_exercises(pack, workshop.id))
        qtbot.waitUntil(lambda: panel.answered.count() == exercises, timeout=10_000)
        fit.settle()
        problems = fit.fit_window(console, fit.SIZES[size])
        assert not problems, f"Phones tab at {size}, {scale} text:\n  " + "\n  ".join(
            problems)
        assert panel.qr.pixmap().width() >= 200  # a code phones can scan from a seat
    finally:
        panel.stop_now()


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_projector_with_both_join_codes_fits(qtbot: Any, pack: Pack, workshop: ws.Workshop,
                                             size: str, scale: str) -> None:
    """While phones may join, the projector shows the Wi-Fi code and the join code:
    large on the waiting page, small during an exercise; either way the window fits
    and both codes stay big enough to scan."""
    import io

    import segno

    from tde_desktop.qt.workshop.projector import ProjectorWindow

    text_size(scale)
    screen = fit.SIZES[size]
    projector = ProjectorWindow(pack, workshop.id)
    url, svg = "http://192.168.137.1:8470/j/K7QM", io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=8)
    projector.show_join(url, svg.getvalue().decode())
    projector.show_wifi("Community centre workshop", "vacants2024")
    show(qtbot, projector)
    exercise = ws.list_exercises(pack, workshop.id)[0]
    problems = {}
    for label, shown in (("waiting", None), ("during an exercise", exercise.id)):
        with pack.atomic():
            pack.conn.execute("UPDATE _tde_workshops SET current_exercise_id = ? "
                              "WHERE id = ?", (shown, workshop.id))
        projector.refresh()
        fit.settle()
        badge = projector.join_badge
        found = fit.fit_window(projector, screen)
        for code in (badge.wifi_qr, badge.qr):
            if not code.isVisible() or code.pixmap().width() < 120:
                found.append(f"{code.accessibleName()} is not shown at 120 px or more")
        problems[f"projector {label}"] = found
    failing = report(problems)
    assert not failing, f"at {size}, {scale} text:\n{failing}"
