"""Shared fixtures and data files. Qt is told to run offscreen before anything can import it.

Test data comes from two places:

* ``resources/sample/data``: the Baltimore sample bundled with the app (vacant building
  notices, demolition list, neighbourhoods). Every clone has it; use :func:`sample`.
* ``../shared/data``: the larger collection of real and messy files beside the checkout
  (``TDE_SHARED_DATA`` may point elsewhere); use :func:`shared`. A clone without it skips
  the tests that need it, except under ``CI=true``, where a missing file fails the run
  unless ``TDE_SHARED_DATA_OPTIONAL=1`` says this CI has no shared data (our GitHub
  workflow: it runs everything that needs only the bundled sample).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "resources" / "sample" / "data"
SHARED_DATA = Path(os.environ.get("TDE_SHARED_DATA") or REPO.parent / "shared" / "data")
#: Files of ../shared/data that are the same bytes as the bundled sample (checked by a test).
BUNDLED = {f"samples/baltimore/{p.name}": p for p in sorted(SAMPLE_DATA.iterdir())}


def on_ci() -> bool:
    """True when the run is a CI run (``CI=true``, as GitHub Actions and most CI set it)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_shared(what: str) -> None:
    """Skip the current test because ``what`` is missing; under ``CI=true`` fail it instead,
    unless ``TDE_SHARED_DATA_OPTIONAL=1``."""
    message = (f"shared data missing: {what} (looked in {SHARED_DATA}; clone the shared "
               "folder beside the checkout or set TDE_SHARED_DATA)")
    if on_ci() and os.environ.get("TDE_SHARED_DATA_OPTIONAL") != "1":
        pytest.fail(message + "; CI must run every test", pytrace=False)
    pytest.skip(message)


def sample(name: str) -> Path:
    """A file of the bundled Baltimore sample (``resources/sample/data``); always present."""
    path = SAMPLE_DATA / name
    assert path.is_file(), f"bundled sample file missing: {path}"
    return path


def shared(relative: str) -> Path:
    """A file of ../shared/data, or the bundled copy of it when the repository has one.

    A missing file skips the test with a reason, or fails it under ``CI=true``.
    """
    if relative in BUNDLED:
        return BUNDLED[relative]
    path = SHARED_DATA / relative
    if not path.exists():
        missing_shared(relative)
    return path


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.shared_data("messy/x.csv", ...)``: skip (fail on CI) if a file is missing."""
    for mark in item.iter_markers("shared_data"):
        for relative in mark.args:
            shared(relative)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English and leaves the app in English, whatever it switched to,
    so a test never depends on the language the test before it left behind."""
    from tde_desktop.core import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def pack_path(tmp_path: Path) -> Path:
    """A path where a new pack may be created."""
    return tmp_path / "test.tdepack"


@pytest.fixture
def new_pack(pack_path: Path) -> Iterator[object]:
    """A new, empty pack on disk, closed after the test."""
    from tde_desktop.core.pack import Pack

    pack = Pack.create(pack_path, title="Test pack")
    yield pack
    pack.close()
