"""Portable mode: where settings, backups and logs go, with a fake frozen app folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tde_desktop import portable


@pytest.fixture
def frozen_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake one-folder app: ``sys.frozen`` set and ``sys.executable`` inside ``app/``."""
    folder = tmp_path / "app"
    folder.mkdir()
    exe = folder / ("tde-desktop.exe" if sys.platform == "win32" else "tde-desktop")
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv(portable.DATA_DIR_ENV, raising=False)
    # The profile folder is redirected too, so a failing test never writes to the real one.
    profile = tmp_path / "profile"
    monkeypatch.setattr(portable, "_profile_dir", lambda: profile)
    return folder


def test_installed_app_uses_the_profile(frozen_app: Path, tmp_path: Path) -> None:
    assert not portable.is_portable()
    assert portable.data_dir() == tmp_path / "profile"
    assert (tmp_path / "profile").is_dir()
    assert portable.settings_path() is None
    assert not (frozen_app / "data").exists()


def test_marker_file_makes_it_portable(frozen_app: Path) -> None:
    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    assert portable.is_portable()
    assert portable.data_dir() == frozen_app / "data"
    assert portable.settings_path() == frozen_app / "data" / "settings"
    assert portable.backups_dir() == frozen_app / "data" / "backups"
    assert portable.logs_dir() == frozen_app / "data" / "logs"
    assert (frozen_app / "data" / "logs").is_dir()


def test_data_folder_alone_makes_it_portable(frozen_app: Path, tmp_path: Path) -> None:
    (frozen_app / "data").mkdir()
    assert portable.is_portable()
    assert portable.data_dir() == frozen_app / "data"
    assert not (tmp_path / "profile").exists()


def test_a_folder_named_portable_txt_is_not_the_marker(frozen_app: Path) -> None:
    (frozen_app / "portable.txt").mkdir()
    assert not portable.is_portable()


def test_source_checkout_is_never_portable(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A marker beside the Python interpreter must not switch a developer's run to portable.
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    monkeypatch.delenv(portable.DATA_DIR_ENV, raising=False)
    assert portable.app_dir() is None
    assert not portable.is_portable()
    assert portable.data_dir(create=False) != tmp_path / "data"


def test_environment_override_wins(frozen_app: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    forced = tmp_path / "kiosk"
    monkeypatch.setenv(portable.DATA_DIR_ENV, str(forced))
    assert portable.data_dir() == forced
    assert portable.settings_path() == forced / "settings"
    assert not (frozen_app / "data").exists()


def test_unwritable_portable_folder_falls_back_to_profile(
        frozen_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    real_mkdir = Path.mkdir

    def refuse_on_stick(self: Path, *args: object, **kwargs: object) -> None:
        if self == frozen_app / "data":
            raise PermissionError("read-only stick")
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse_on_stick)
    assert portable.data_dir() == tmp_path / "profile"


def test_macos_bundle_looks_beside_the_app(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    macos = tmp_path / "stick" / "TDE Desktop.app" / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(macos / "tde-desktop"))
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv(portable.DATA_DIR_ENV, raising=False)
    assert portable.app_dir() == tmp_path / "stick"
    (tmp_path / "stick" / "portable.txt").write_text("", encoding="utf-8")
    assert portable.data_dir() == tmp_path / "stick" / "data"
