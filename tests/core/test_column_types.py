"""The quick numeric check in column_types decides exactly as the precise patterns do.

Both import paths rely on it: the fast path (Arrow) runs only the precise patterns,
so any value the quick check judged differently would be stored differently.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tde_desktop.core.importers import column_types as ct

numberish = st.one_of(
    st.from_regex(r"\A[-+]?[0-9]{0,14}[.]?[0-9]{0,3}([eE][-+]?[0-9]{1,5})?\Z"),
    st.floats(allow_nan=False).map(repr),
    st.integers(-10**14, 10**14).map(str),
    st.sampled_from(["", "-", "--", "NA", "-0", "0", "00", "1e5000", "٣", "1\x002"]),
)


def _kinds(chunk: list[str], *, quick: bool, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    state = ct.ColumnState()
    state.observe(["1"])  # a first value, so later chunks may take the quick check
    with monkeypatch.context() as m:
        if not quick:
            m.setattr(ct.ColumnState, "_fast_numeric", lambda self, col: False)
        state.observe(chunk)
    return state.kinds


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # patched per call
@given(chunk=st.lists(numberish, min_size=1, max_size=8))
@example(chunk=["+5"])
@example(chunk=["5."])
@example(chunk=[".5e3"])
@example(chunk=["1e0005"])
@example(chunk=["-0", "5"])
@example(chunk=["1\x002"])
def test_quick_numeric_check_agrees_with_the_patterns(
        chunk: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert _kinds(chunk, quick=True, monkeypatch=monkeypatch) == \
        _kinds(chunk, quick=False, monkeypatch=monkeypatch)


def test_digits_of_other_scripts_are_not_numbers() -> None:
    """SQLite would store them as text, so the column is text, as in the fast path."""
    state = ct.ColumnState()
    state.observe(["١٢٣", "٤٥"])
    assert state.best() == "text"
