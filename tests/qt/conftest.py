"""Qt fixtures: a temporary settings store and a main-window factory on real packs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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
