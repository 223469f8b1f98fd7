"""The bundled Baltimore sample is the same data as the shared copy tests used to read."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import BUNDLED, SAMPLE_DATA, SHARED_DATA, missing_shared


def test_every_bundled_file_stands_in_for_a_shared_one() -> None:
    names = {p.name for p in SAMPLE_DATA.iterdir()}
    assert names == {"vacant_building_notices.csv", "demolition_list_clean.csv",
                     "neighborhoods.geojson"}
    assert sorted(BUNDLED) == sorted(f"samples/baltimore/{n}" for n in names)


@pytest.mark.parametrize("relative", sorted(BUNDLED))
def test_bundled_file_is_byte_for_byte_the_shared_file(relative: str) -> None:
    original = SHARED_DATA / relative
    if not original.exists():
        missing_shared(relative)
    assert (hashlib.sha256(BUNDLED[relative].read_bytes()).hexdigest()
            == hashlib.sha256(original.read_bytes()).hexdigest())
