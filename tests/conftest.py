"""Shared fixtures. Qt is told to run offscreen before anything can import it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = SHARED_DATA / "samples"
MESSY = SHARED_DATA / "messy"
LARGE = SHARED_DATA / "large"


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


def shared(relative: str) -> Path:
    """A file of ../shared/data; the test is skipped with a reason if it is missing."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data file missing: {relative}")
    return path
