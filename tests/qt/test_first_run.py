"""First launch: the sample pack is copied (never opened), one welcome dialog, Help > About."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tde_desktop import __version__
from tde_desktop.paths import sample_pack_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bundled() -> Path:
    path = sample_pack_path()
    if not path.is_file():
        pytest.skip("the sample pack is not built")
    return path


def test_first_launch_copies_the_sample_and_leaves_it_unchanged(
        bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        make_main_window: Any, qtbot: Any) -> None:
    from tde_desktop.qt.common import settings
    from tde_desktop.qt.shell.app import choose_start_pack

    monkeypatch.setenv("TDE_DATA_DIR", str(tmp_path / "data"))
    before = digest(bundled)
    beside = sorted(p.name for p in bundled.parent.iterdir())
    start = choose_start_pack(None)
    assert start == tmp_path / "data" / bundled.name
    window = make_main_window(start)
    assert window.pack.path == start
    assert window.dataset_list.count() == 3
    # The person works in the copy: the bundled file's bytes and its folder do not change.
    window.pack.set_meta(title="Our walk")
    window.close_pack()
    assert digest(bundled) == before
    assert sorted(p.name for p in bundled.parent.iterdir()) == beside
    # The next launch opens the recent pack (the copy), not a new copy.
    assert settings.recent_packs() == [start.resolve()]
    assert choose_start_pack(None) == start.resolve()


def test_an_earlier_copy_is_kept(bundled: Path, tmp_path: Path) -> None:
    from tde_desktop.qt.shell.first_run import copy_sample_pack

    first = copy_sample_pack(tmp_path)
    assert first is not None
    first.write_bytes(b"answers of a workshop")
    assert copy_sample_pack(tmp_path) == first
    assert first.read_bytes() == b"answers of a workshop"


def test_welcome_says_what_to_do_and_whose_data(bundled: Path, tmp_path: Path,
                                                 make_main_window: Any, qtbot: Any) -> None:
    from tde_desktop.qt.common import settings
    from tde_desktop.qt.shell.first_run import copy_sample_pack

    window = make_main_window(copy_sample_pack(tmp_path))
    assert settings.show_welcome()
    dialog = window.show_welcome()
    qtbot.waitExposed(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.attribution)))
    for words in ("Vacant buildings in my neighbourhood", "1234", "Workshop menu",
                  "Import data file", "Export results to Excel"):
        assert words in text
    assert "CC BY 4.0" in dialog.attribution.text()
    assert "City of Baltimore" in dialog.attribution.text()
    assert "Code for America" in dialog.attribution.text()
    assert "MIT" in dialog.attribution.text()
    dialog.dont_show.setChecked(True)
    dialog.ok_button.click()
    assert not settings.show_welcome()


def test_about_shows_version_licence_and_attribution(bundled: Path, tmp_path: Path,
                                                     make_main_window: Any) -> None:
    from tde_desktop.qt.shell.first_run import copy_sample_pack

    window = make_main_window(copy_sample_pack(tmp_path))
    dialog = window.show_about()
    assert __version__ in dialog.version.text()
    assert "MIT" in dialog.licence.text()
    assert "The Baltimore Sun" in dialog.attribution.text()
    dialog.close()


def test_sample_opens_the_sample_copy_even_after_other_packs(
        bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``python3 dev.py run`` (``tde-desktop --sample``) starts on the sample pack, as the
    README says, not on whatever pack this machine opened last."""
    from tde_desktop.__main__ import parse_args
    from tde_desktop.qt.common import settings
    from tde_desktop.qt.shell.app import choose_start_pack

    monkeypatch.setenv("TDE_DATA_DIR", str(tmp_path / "data"))
    other = tmp_path / "other.tdepack"
    other.write_bytes(b"")
    settings.add_recent_pack(other)
    assert choose_start_pack(None) == other.resolve()  # without it: the pack used last
    args = parse_args(["--sample"])
    assert args.sample
    assert args.pack is None
    assert choose_start_pack(args.pack, args.sample) == tmp_path / "data" / bundled.name
    assert choose_start_pack(other, True) == other  # a pack named on the command line wins
