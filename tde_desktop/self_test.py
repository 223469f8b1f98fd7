"""``tde-desktop --self-test``: prove an installed copy works, without a person at the screen.

Run by the installer checks (``installers/check_frozen.sh``, the CI workflow) on
the frozen app, and by a facilitator who wants to know a borrowed laptop is
ready. Every step prints one line; the exit status is 0 only if every step
passed. All writing happens in a temporary folder: the bundled sample pack,
the user's settings and the user's recent-files list are never touched.

The module itself imports no Qt; only the window step imports the Qt layer,
lazily, so the other steps still report when Qt is missing.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop import APP_TITLE, __version__

SELF_TEST_NOTE = "Self-test: this note was written by the installer check."
SELF_TEST_PHONE_NOTE = "Self-test: this note came from a phone."
# Every line printed, kept for --report: a windowed Windows app has no console to print to.
_lines: list[str] = []


def say(line: str) -> None:
    """Print one line of the report (and keep it for ``--report``)."""
    _lines.append(line)
    print(line, flush=True)


@dataclass
class _State:
    """What one step hands to the next."""

    work: Path
    bundled: Path | None = None
    bundled_digest: str = ""
    copy: Path | None = None
    workshop_id: str = ""
    workbook: Path | None = None
    sheets: list[str] = field(default_factory=list)


class StepFailed(Exception):
    """A step did not do what it should; the message says what was seen."""


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(str(path) + suffix)
        if part.exists():
            sha.update(part.read_bytes())
    return sha.hexdigest()


def step_sample_pack(state: _State) -> str:
    from tde_desktop.paths import sample_pack_path

    bundled = sample_pack_path()
    if bundled.exists():
        state.bundled = bundled
        state.bundled_digest = _digest(bundled)
        return f"bundled at {bundled} ({bundled.stat().st_size // 1024} KB)"
    from tde_desktop import sample_pack

    built = sample_pack.build(out=state.work / "built" / bundled.name)
    state.bundled = built
    state.bundled_digest = _digest(built)
    return f"not bundled; built a fresh one at {built}"


def step_copy(state: _State) -> str:
    assert state.bundled is not None
    copy = state.work / "pack" / state.bundled.name
    copy.parent.mkdir(parents=True)
    # The file and its write-ahead log together are the whole pack; the shared-memory
    # index is rebuilt by SQLite. Copying (not opening) keeps the bundled folder untouched.
    for suffix in ("", "-wal"):
        source = Path(str(state.bundled) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(copy) + suffix))
    state.copy = copy

    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import workshops
    from tde_desktop.core.workshop.agenda import create_from_agenda

    with Pack.open(copy) as pack:
        datasets = pack.datasets()
        if not datasets:
            raise StepFailed("the sample pack has no datasets")
        found = workshops.list_workshops(pack)
        if found:
            state.workshop_id = found[0].id
        else:
            state.workshop_id = create_from_agenda(pack, "data_walk_vacant_buildings").id
        rows = sum(d.row_count for d in datasets)
    return f"{len(datasets)} datasets, {rows} rows, demo workshop ready"


def _wait_for_ops(app: Any, seconds: float) -> None:
    from tde_desktop.qt.common import ops

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if not ops.running_ops():
            return
        time.sleep(0.02)
    raise StepFailed(f"background work still running after {seconds:.0f} s")


def step_window(state: _State) -> str:
    assert state.copy is not None
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        # Settings go to the temporary folder, so the test leaves no recent file behind.
        from PySide6.QtCore import QSettings

        from tde_desktop.qt.shell.app import make_app
        from tde_desktop.qt.shell.main_window import MainWindow
    except ImportError as exc:
        raise StepFailed(f"the Qt main window cannot be imported: {exc}") from exc
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(state.work / "settings"))
    app = make_app([sys.argv[0] if sys.argv else "tde-desktop"])
    window = MainWindow()
    try:
        window.resize(1200, 760)
        if not window.open_pack(state.copy):
            raise StepFailed("the main window could not open the sample pack")
        _wait_for_ops(app, 60)
        pixmap = window.grab()
        if pixmap.isNull() or pixmap.width() < 100:
            raise StepFailed("the main window rendered an empty picture")
        shot = state.work / "main_window.png"
        if not pixmap.save(str(shot)):
            raise StepFailed("the window picture could not be saved")
        colours = {pixmap.toImage().pixel(x, y) for x in range(0, pixmap.width(), 37)
                   for y in range(0, pixmap.height(), 29)}
        if len(colours) < 3:
            raise StepFailed("the main window rendered a blank picture")
        platform_name = app.platformName()
    finally:
        window.close()
        _wait_for_ops(app, 30)
        window.deleteLater()
        app.processEvents()
    return (f"{pixmap.width()}x{pixmap.height()} on '{platform_name}', "
            f"{len(colours)} colours sampled")


def step_answer(state: _State) -> str:
    assert state.copy is not None
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import moderation, responses, workshops

    with Pack.open(state.copy) as pack:
        # A data-walk sticky note is the answer a workshop collects most; any written
        # question will do if the demo agenda changes.
        candidates = [(exercise, question)
                      for exercise in workshops.list_exercises(pack, state.workshop_id)
                      for question in exercise.questions
                      if question.kind in ("sticky_note", "open_text")]
        candidates.sort(key=lambda pair: pair[1].kind != "sticky_note")
        target = candidates[0] if candidates else None
        if target is None:
            raise StepFailed("the demo workshop has no exercise that takes a written note")
        exercise, question = target
        before = len(responses.list_responses(pack, state.workshop_id))
        person = workshops.add_participant(pack, state.workshop_id, device_id="self-test")
        stored = responses.submit_answer(
            pack, workshop_id=state.workshop_id, exercise_id=exercise.id,
            participant_id=person.id, question_key=question.key, answer=SELF_TEST_NOTE,
            device_id="self-test", lang="en")  # the note is written in English
        after = len(responses.list_responses(pack, state.workshop_id))
        # As the facilitator does before exporting: only approved words leave the laptop.
        moderation.set_status(pack, stored.id, moderation.APPROVED)
    if after != before + 1 or stored.answer_text != SELF_TEST_NOTE:
        raise StepFailed(f"expected one more stored answer, found {after - before}")
    return f"one note stored in '{exercise.title}' by participant {person.code}, approved"


def step_export(state: _State) -> str:
    assert state.copy is not None
    from tde_desktop.core.pack import Pack

    try:
        from tde_desktop.core.results.workbook import export_workbook
    except ImportError:
        export_workbook = None  # type: ignore[assignment]
    out_dir = state.work / "export"
    out_dir.mkdir()
    with Pack.open(state.copy) as pack:
        if export_workbook is not None:
            out = out_dir / "results.xlsx"
            state.sheets = list(export_workbook(pack, state.workshop_id, out))
            state.workbook = out
            return f"results workbook, {len(state.sheets)} sheets, {out.stat().st_size} bytes"
        from tde_desktop.core.explore.export_view import export_dataset

        first = pack.datasets()[0]
        out = out_dir / "dataset.xlsx"
        export_dataset(pack, first.id, out)
        state.workbook = out
        say("  (the results workbook is not available yet: the workbook step was skipped "
            "and a dataset was exported instead)")
        return f"dataset '{first.title}' exported, {out.stat().st_size} bytes"


def step_reopen(state: _State) -> str:
    assert state.workbook is not None
    import openpyxl

    book = openpyxl.load_workbook(state.workbook, read_only=True)
    try:
        names = list(book.sheetnames)
        cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows(max_row=5)
                    for cell in row if cell.value is not None)
    finally:
        book.close()
    if state.sheets and names != state.sheets:
        raise StepFailed(f"sheets differ: wrote {state.sheets}, read {names}")
    if not cells:
        raise StepFailed("the workbook opens but is empty")
    if state.sheets and SELF_TEST_NOTE not in _all_text(state.workbook):
        raise StepFailed("the scripted answer is not in the workbook")
    return f"openpyxl reads {len(names)} sheets"


def _all_text(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(str(cell.value) for sheet in book.worksheets
                         for row in sheet.iter_rows() for cell in row if cell.value is not None)
    finally:
        book.close()


def step_chart(state: _State) -> str:
    """A chart of the sample data is drawn and saved (matplotlib and numpy load)."""
    assert state.copy is not None
    from tde_desktop.core.explore import charts
    from tde_desktop.core.pack import Pack

    with Pack.open(state.copy, read_only=True) as pack:
        dataset = pack.datasets()[0]
        column = next((c.name for c in dataset.columns if c.type == "text"),
                      dataset.columns[0].name)
        spec = charts.ChartSpec(kind="bar", x=column)
        data = charts.chart_data(pack.conn, dataset.table_name, spec)
    out = charts.save_chart(data, spec, state.work / "chart.png")
    if out.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise StepFailed("the saved chart is not a PNG image")
    return f"bar chart of {column}: {out.stat().st_size // 1024} KB PNG"


def step_fast_import(state: _State) -> str:
    """The compiled CSV importer (pyarrow and the ADBC SQLite driver) loads and runs."""
    from tde_desktop.self_test_imports import ImportStepFailed, fast_csv_import

    try:
        return fast_csv_import(state.work)
    except ImportStepFailed as exc:
        raise StepFailed(str(exc)) from exc


def step_sheet_import(state: _State) -> str:
    """An .xlsx is read by the streaming reader (python-calamine-plus) and imported."""
    from tde_desktop.self_test_imports import ImportStepFailed, sheet_import

    try:
        return sheet_import(state.work)
    except ImportStepFailed as exc:
        raise StepFailed(str(exc)) from exc


def step_phone(state: _State) -> str:
    """One phone answers through room mode over HTTP (web server, pages, static files)."""
    assert state.copy is not None
    from tde_desktop.self_test_phone import PhoneStepFailed, phone_round_trip

    try:
        return phone_round_trip(state.copy, state.workshop_id, SELF_TEST_PHONE_NOTE)
    except PhoneStepFailed as exc:
        raise StepFailed(str(exc)) from exc


def step_untouched(state: _State) -> str:
    assert state.bundled is not None
    if _digest(state.bundled) != state.bundled_digest:
        raise StepFailed("the bundled sample pack changed during the test")
    return "the bundled sample pack is unchanged"


STEPS: list[tuple[str, Callable[[_State], str]]] = [
    ("sample pack", step_sample_pack),
    ("open a copy", step_copy),
    ("main window", step_window),
    ("submit answer", step_answer),
    ("export", step_export),
    ("re-open workbook", step_reopen),
    ("chart", step_chart),
    ("fast import", step_fast_import),
    ("sheet import", step_sheet_import),
    ("phone", step_phone),
    ("bundle untouched", step_untouched),
]


def main(argv: list[str] | None = None) -> int:
    """Run every step, print one line each; 0 only if all passed.

    A step that fails stops the steps that depend on it (they report as not run),
    so the first failure is the one to read. ``--report FILE`` also writes the
    lines to FILE (the windowed Windows app has no console to print to).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    report = Path(args[args.index("--report") + 1]) if "--report" in args[:-1] else None
    _lines.clear()
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    say(f"{APP_TITLE} {__version__} self-test ({frozen}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()})")
    failed = 0
    work = Path(tempfile.mkdtemp(prefix="tde-self-test-"))
    # Anything that asks where the app keeps its files gets the temporary folder.
    previous = os.environ.get("TDE_DATA_DIR")
    os.environ["TDE_DATA_DIR"] = str(work / "data")
    state = _State(work=work)
    blocked = False
    try:
        for name, step in STEPS:
            if blocked and step is not step_untouched:
                say(f"NOT RUN  {name}")
                failed += 1
                continue
            started = time.perf_counter()
            try:
                detail = step(state)
            except Exception as exc:  # noqa: BLE001 - every failure becomes one line
                failed += 1
                # The window is checked on its own: the core steps can still run without it.
                blocked = blocked or step is not step_window
                say(f"FAIL     {name}: {type(exc).__name__}: {exc}")
                continue
            say(f"ok       {name}: {detail} ({time.perf_counter() - started:.1f} s)")
    finally:
        if previous is None:
            os.environ.pop("TDE_DATA_DIR", None)
        else:
            os.environ["TDE_DATA_DIR"] = previous
        shutil.rmtree(work, ignore_errors=True)
    total = len(STEPS)
    say(f"self-test: {total - failed} of {total} steps passed" if failed
        else f"self-test: all {total} steps passed")
    if report is not None:
        report.write_text("\n".join(_lines) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
