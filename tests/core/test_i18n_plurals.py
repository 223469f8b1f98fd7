"""Plural forms follow each catalogue's ``Plural-Forms`` rule: Arabic's six forms,
Chinese's one, Spanish's two; a rule that is not a plain C expression is refused."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest

from tde_desktop.core import i18n

ARABIC_RULE = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
               "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);")
#: "{n} row" in Arabic: zero, one, two, few (3-10), many (11-99), other (100-102...)
ARABIC_ROWS = ["لا صفوف", "صف واحد", "صفان", "{n} صفوف", "{n} صفًا", "{n} صف"]


def po_file(folder: Path, code: str, rule: str | None,
            plurals: dict[tuple[str, str], list[str]],
            plain: dict[str, str] | None = None) -> Path:
    """A real ``.po`` file in ``folder`` with ``msgid_plural`` entries."""
    header = f'"Language: {code}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    if rule is not None:
        header += f'"Plural-Forms: {rule}\\n"\n'
    body = ""
    for (singular, plural), forms in plurals.items():
        body += f'\nmsgid "{singular}"\nmsgid_plural "{plural}"\n'
        body += "".join(f'msgstr[{k}] "{form}"\n' for k, form in enumerate(forms))
    for msgid, msgstr in (plain or {"Start": "x"}).items():
        body += f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n'
    path = folder / f"{code}.po"
    path.write_text(f'msgid ""\nmsgstr ""\n{header}{body}', encoding="utf-8")
    return path


@pytest.fixture
def languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty ``languages/`` in a scratch data folder; the shipped languages after."""
    monkeypatch.setenv("TDE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "languages"
    folder.mkdir(parents=True)
    i18n.refresh_languages()
    yield folder
    monkeypatch.delenv("TDE_DATA_DIR")
    i18n.refresh_languages()


def counted(lang: str, n: int, singular: str = "{n} row", plural: str = "{n} rows") -> str:
    with i18n.thread_language(lang):
        return i18n.ngettext(singular, plural, n).format(n=n)


def test_the_standard_library_still_translates_plural_rules() -> None:
    # Python 3.11 to 3.13 have it; when a release drops it, plurals fall back to
    # English's rule and this test says why.
    assert callable(getattr(gettext, "c2py", None))


@pytest.mark.parametrize(("n", "form"), [(0, 0), (1, 1), (2, 2), (3, 3), (11, 4), (100, 5),
                                         (102, 5), (103, 3), (111, 4), (1000, 5)])
def test_arabic_rule_of_the_shipped_catalogue(n: int, form: int) -> None:
    if i18n.language_file("ar") is None:
        pytest.skip("no Arabic catalogue ships")
    table = i18n.plural_table("ar")
    assert table.count == 6
    assert table.index(n) == form


def test_arabic_six_forms(languages: Path) -> None:
    po_file(languages, "ar", ARABIC_RULE, {("{n} row", "{n} rows"): ARABIC_ROWS})
    i18n.refresh_languages()
    got = [counted("ar", n) for n in (0, 1, 2, 3, 11, 100)]
    assert got == ["لا صفوف", "صف واحد", "صفان", "3 صفوف", "11 صفًا", "100 صف"]
    # _() of an English form alone answers too: one, and the general plural
    assert i18n.translate("{n} row", "ar") == "صف واحد"
    assert i18n.translate("{n} rows", "ar") == "{n} صف"


def test_chinese_has_one_form(languages: Path) -> None:
    po_file(languages, "zh_CN", "nplurals=1; plural=0;", {("{n} row", "{n} rows"): ["{n} 行"]})
    i18n.refresh_languages()
    assert [counted("zh_CN", n) for n in (0, 1, 2, 5)] == ["0 行", "1 行", "2 行", "5 行"]
    assert i18n.plural_table("zh_CN").count == 1


def test_shipped_chinese_rule_has_one_form() -> None:
    if i18n.language_file("zh_CN") is None:
        pytest.skip("no Chinese catalogue ships")
    table = i18n.plural_table("zh_CN")
    assert (table.count, {table.index(n) for n in range(0, 30)}) == (1, {0})


@pytest.mark.parametrize("rule", ["nplurals=2; plural=(n != 1);", None])
def test_spanish_has_two_forms(languages: Path, rule: str | None) -> None:
    po_file(languages, "es", rule, {("{n} row", "{n} rows"): ["{n} fila", "{n} filas"]})
    i18n.refresh_languages()
    assert [counted("es", n) for n in (0, 1, 2, 21)] == ["0 filas", "1 fila", "2 filas",
                                                         "21 filas"]


def test_separate_entries_still_count_the_english_way(languages: Path) -> None:
    # catalogues written before msgid_plural: one entry per English form
    po_file(languages, "ar", ARABIC_RULE, {},
            plain={"{n} row": "{n} صف", "{n} rows": "{n} صفوف"})
    i18n.refresh_languages()
    assert [counted("ar", n) for n in (0, 1, 3)] == ["0 صفوف", "1 صف", "3 صفوف"]


def test_an_incomplete_plural_entry_is_not_used(languages: Path) -> None:
    po_file(languages, "ar", ARABIC_RULE, {("{n} row", "{n} rows"): ARABIC_ROWS[:5] + [""],
                                           ("{n} dot", "{n} dots"): ["{x}"] * 6})
    i18n.refresh_languages()
    assert counted("ar", 100) == "100 rows"  # English, never an empty or broken form
    assert counted("ar", 2, "{n} dot", "{n} dots") == "2 dots"


@pytest.mark.parametrize("rule", [
    "nplurals=2; plural=__import__('os').getcwd();",
    "nplurals=2; plural=n.__class__;",
    "nplurals=2; plural=" + "(" * 40 + "n" + ")" * 40 + ";",
    "plurals please",
])
def test_a_rule_that_is_no_plain_expression_is_refused(languages: Path, rule: str) -> None:
    po_file(languages, "vi", rule, {("{n} row", "{n} rows"): ["một {n}", "nhiều {n}"]})
    i18n.refresh_languages()
    assert [counted("vi", n) for n in (1, 4)] == ["một 1", "nhiều 4"]  # English's rule


def test_a_rule_out_of_range_stays_in_range(languages: Path) -> None:
    po_file(languages, "vi", "nplurals=2; plural=n*7;",
            {("{n} row", "{n} rows"): ["một {n}", "nhiều {n}"]})
    i18n.refresh_languages()
    assert [counted("vi", n) for n in (0, 1, 5)] == ["một 0", "nhiều 1", "nhiều 5"]


def test_without_c2py_no_wrong_form_is_shown(languages: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(gettext, "c2py")
    po_file(languages, "ar", ARABIC_RULE, {("{n} row", "{n} rows"): ARABIC_ROWS})
    po_file(languages, "es", None, {("{n} row", "{n} rows"): ["{n} fila", "{n} filas"]})
    i18n.refresh_languages()
    assert [counted("ar", n) for n in (1, 2)] == ["1 row", "2 rows"]  # six forms: unknown
    assert [counted("es", n) for n in (1, 2)] == ["1 fila", "2 filas"]  # two: English's
