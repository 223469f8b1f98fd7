"""Qt fixtures: a temporary settings store, a main-window factory on real packs, the
facilitator's console on a workshop, and the workshop builders and dialog stand-ins
several test modules share (kiosk driving is in ``kiosk_driver.py``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import responses
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template, create_from_agenda
from tests.conftest import sample


@pytest.fixture(autouse=True)
def temp_settings(qapp: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test reads and writes settings in a fresh INI folder, never the real one."""
    from PySide6.QtCore import QSettings

    from tde_desktop.core import i18n
    from tde_desktop.qt.common import theme
    from tde_desktop.qt.shell.app import make_app

    # Every test sees the app as people do: Fusion, the calm theme, 100% text, English.
    theme.apply_theme(make_app(), scale=1.0, high_contrast=False)
    i18n.set_language("en")
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(scope="session")
def baltimore_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run from the bundled sample; tests get a copy (see ``baltimore_pack``)."""
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.pack import Pack

    path = tmp_path_factory.mktemp("template") / "baltimore.tdepack"
    with Pack.create(path, title="Baltimore vacants") as pack:
        import_file(pack, sample("vacant_building_notices.csv"),
                    title="Vacant building notices", publisher="City of Baltimore",
                    licence="CC BY 4.0")
        import_file(pack, sample("demolition_list_clean.csv"),
                    title="Demolition list")
    return path


@pytest.fixture
def baltimore_pack(baltimore_template: Path, tmp_path: Path) -> Path:
    """A pack made by importing the real Baltimore notices and demolition list."""
    path = tmp_path / "baltimore.tdepack"
    shutil.copyfile(baltimore_template, path)
    return path


@pytest.fixture
def make_main_window(qtbot: object) -> Iterator[Callable[..., object]]:
    """Build a MainWindow, optionally open a pack, and clean up after the test."""
    from tde_desktop.qt.common import ops
    from tde_desktop.qt.shell.main_window import MainWindow

    windows: list[MainWindow] = []

    def factory(pack_path: Path | None = None) -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        if pack_path is not None:
            assert window.open_pack(pack_path)
        windows.append(window)
        return window

    yield factory
    ops.wait_for_all()
    qtbot.wait(10)  # type: ignore[attr-defined]  # let queued results arrive before teardown
    for window in windows:
        # qtbot has closed (and so saved and closed) each window; close any pack left open.
        if window.pack is not None:
            window.pack.close()


def wait_idle(qtbot: object) -> None:
    """Wait until no background op is still running."""
    from tde_desktop.qt.common import ops

    qtbot.waitUntil(lambda: not ops.running_ops(), timeout=20_000)  # type: ignore[attr-defined]


# --- workshops on the Baltimore pack, and the results menu's dialogs --------------------

PIN = "2468"
AGENDA = "data_walk_vacant_buildings"


def make_workshop(pack: Pack, *extra: str, open_types: tuple[str, ...] = ()) -> ws.Workshop:
    """The template agenda plus ``extra`` templates; opens exercises of ``open_types``
    (all of them when empty)."""
    workshop = create_from_agenda(pack, AGENDA, pin=PIN)
    for name in extra:
        add_exercise_from_template(pack, workshop.id, name)
    for exercise in ws.list_exercises(pack, workshop.id):
        if not open_types or exercise.type in open_types:
            ws.open_exercise(pack, exercise.id)
    return workshop


def answered_workshop(pack: Pack, notes: list[str], device: str = "laptop-1") -> ws.Workshop:
    """The template workshop with one sticky note per person on the first station."""
    workshop = ws.list_workshops(pack)[0] if ws.list_workshops(pack) else make_workshop(pack)
    station = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "data_walk")
    for note in notes:
        person = ws.add_participant(pack, workshop.id, device_id=device)
        responses.submit_answer(pack, workshop_id=workshop.id, exercise_id=station.id,
                                participant_id=person.id, question_key="note", answer=note)
    return workshop


@pytest.fixture
def console(qtbot: Any, baltimore_pack: Path) -> Iterator[Any]:
    """The facilitator's console, shown, on the template agenda (PIN :data:`PIN`) of a fresh
    Baltimore pack, its Phones tab set to serve on 127.0.0.1 at a free port (``.pack`` and
    ``.workshop_id`` say what it shows). Afterwards the room server, if started, and the
    console's timer stop and the pack closes."""
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    pack = Pack.open(baltimore_pack)
    workshop = create_from_agenda(pack, AGENDA, pin=PIN)
    window = FacilitatorConsole(pack, workshop.id)
    window.phones.host, window.phones.port = "127.0.0.1", 0
    qtbot.addWidget(window)
    window.show()
    yield window
    window.phones.stop_now()
    window.timer.stop()
    pack.close()


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The next Save dialog answers ``path`` at once."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))


def accept_options(monkeypatch: pytest.MonkeyPatch, threshold: int = 5) -> None:
    """The export options dialog is accepted with its defaults checked and ``threshold`` set."""
    from tde_desktop.qt.results.results_actions import ExportOptionsDialog

    def exec_(dialog: Any) -> int:
        assert dialog.threshold.value() == 5  # the default
        assert not dialog.contacts.isChecked()  # contacts stay out unless asked for
        dialog.threshold.setValue(threshold)
        return 1

    monkeypatch.setattr(ExportOptionsDialog, "exec", exec_)
