"""Numbers in the person's language: 16.747 in Spanish, 16,747 in English, Chinese and Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tde_desktop.core import i18n
from tde_desktop.core.numbers import format_number, marks


@pytest.fixture
def interface_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


@pytest.mark.parametrize(("lang", "rows", "few", "share"), [
    ("en", "16,747", "1,850", "2.5"),
    ("es", "16.747", "1850", "2,5"),
    ("zh_CN", "16,747", "1,850", "2.5"),
    ("ar", "16,747", "1,850", "2.5"),
])
def test_counts_follow_the_interface_language(interface_language: None, lang: str, rows: str,
                                              few: str, share: str) -> None:
    i18n.set_language(lang)
    assert format_number(16747) == rows
    assert format_number(1850) == few  # Spanish leaves four digits alone, as the RAE does
    assert format_number(2.5) == share


def test_digits_stay_western_in_arabic(interface_language: None) -> None:
    i18n.set_language("ar")
    assert format_number(1234567.5) == "1,234,567.5"
    assert all(c in "0123456789,." for c in format_number(9876543210))


def test_a_kiosk_language_wins_over_the_interface(interface_language: None) -> None:
    i18n.set_language("en")
    assert format_number(16747, lang="es") == "16.747"
    assert format_number(16747, lang="es_MX") == "16.747"
    with i18n.thread_language("es"):
        assert format_number(16747) == "16.747"
    assert format_number(16747) == "16,747"


@pytest.mark.parametrize(("value", "decimals", "english", "spanish"), [
    (3.0, None, "3", "3"),
    (2.25, None, "2.25", "2,25"),
    (2.125, None, "2.12", "2,12"),  # at most two decimals
    (1234.5, 1, "1,234.5", "1234,5"),
    (12345.0, 2, "12,345.00", "12.345,00"),
    (1500.0, 0, "1,500", "1500"),
    (-12345, None, "-12,345", "-12.345"),
    (-0.001, None, "0", "0"),  # never "-0"
    (0, None, "0", "0"),
    (10 ** 20, None, "100,000,000,000,000,000,000", "100.000.000.000.000.000.000"),
])
def test_decimals_and_signs(value: float, decimals: int | None, english: str,
                            spanish: str) -> None:
    assert format_number(value, decimals, lang="en") == english
    assert format_number(value, decimals, lang="es") == spanish


def test_not_a_number_is_shown_as_python_writes_it() -> None:
    assert format_number(float("nan"), lang="es") == "nan"
    assert format_number(float("inf"), lang="es") == "inf"


def test_unknown_languages_read_as_english() -> None:
    assert marks("xx") == marks("en")
    assert format_number(16747, lang="pt_BR") == "16.747"


@given(st.integers(min_value=-10 ** 15, max_value=10 ** 15), st.sampled_from(
    ["en", "es", "zh_CN", "ar", "fr"]))
def test_a_count_reads_back_as_the_same_number(n: int, lang: str) -> None:
    thousands, _decimal, _grouping = marks(lang)
    text = format_number(n, lang=lang)
    assert int(text.replace(thousands, "")) == n
    assert "." not in text.replace(thousands, "")  # a count never shows decimals


@given(st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=2, allow_nan=False),
       st.sampled_from(["en", "es"]))
def test_two_decimals_read_back(value: object, lang: str) -> None:
    thousands, decimal, _grouping = marks(lang)
    number = float(value)  # type: ignore[arg-type]
    text = format_number(number, 2, lang=lang)
    back = float(text.replace(thousands, "").replace(decimal, "."))
    assert back == pytest.approx(number, abs=0.005)


def test_messages_that_say_comma_format_follow_the_language() -> None:
    from tde_desktop.core.numbers import LocalNumber

    assert "{n:,} filas".format(n=LocalNumber(16747, "es")) == "16.747 filas"
    assert "{cost:,.0f}".format(cost=LocalNumber(25000.0, "es")) == "25.000"
    assert "{cost:,.0f}".format(cost=LocalNumber(25000.0, "en")) == "25,000"
    assert "{n:>6}".format(n=LocalNumber(42, "es")) == "    42"  # other specs are Python's
    assert str(LocalNumber(1234567, "es")) == "1.234.567"
