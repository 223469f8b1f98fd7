"""Every string the app shows is translated in every shipped language (en is the source:
es, zh_CN, ar and any other ``resources/translations/*.po``), completely, with the same
placeholders; the template ``.pot`` holds every string; languages are discovered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from tde_desktop.core import i18n
from tde_desktop.core.i18n import _, catalogue, set_language, translate
from tde_desktop.core.i18n_catalogue import extract, placeholders, wanted

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATES = ROOT / "resources" / "templates"
PO = TRANSLATIONS / "es.po"
SHIPPED = sorted(TRANSLATIONS.glob("*.po"))
PLACEHOLDER_FIELD = re.compile(r"\{[^{}]*\}")  # a whole field with its format spec

per_language = pytest.mark.parametrize("po_path", SHIPPED, ids=lambda p: p.stem)


def test_the_four_first_languages_are_shipped() -> None:
    """Spanish always; Chinese and Arabic once their catalogues are in the folder."""
    assert PO in SHIPPED
    codes = {p.stem for p in SHIPPED}
    assert codes <= set(i18n.SUPPORTED_LANGUAGES)
    assert i18n.SUPPORTED_LANGUAGES["es"] == "Español"
    for code, name in (("zh_CN", "中文（简体）"), ("ar", "العربية")):
        if code in codes:
            assert i18n.SUPPORTED_LANGUAGES[code] == name


@per_language
def test_every_string_is_translated(po_path: Path) -> None:
    """Complete: every string of the code (and every template text the JSON files do not
    give in this language) has a translation that is neither empty nor fuzzy."""
    strings = wanted(ROOT / "tde_desktop", TEMPLATES, po_path.stem)
    assert len(strings) > 50  # the extractor really finds the app's text
    entries = {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}
    missing = [s for s in strings if s not in entries or not entries[s].msgstr]
    fuzzy = [s for s in strings if s in entries and entries[s].fuzzy]
    assert missing == [], (f"{po_path.name}: {len(missing)} strings untranslated, e.g. "
                           f"{missing[:3]}; run scripts/update_translations.py")
    assert fuzzy == [], f"{po_path.name}: {len(fuzzy)} fuzzy entries, e.g. {fuzzy[:3]}"


def test_the_pot_template_holds_every_string() -> None:
    pot = TRANSLATIONS / "tde-desktop.pot"
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(pot))}
    everything = wanted(ROOT / "tde_desktop", TEMPLATES, None)
    assert set(everything) <= set(entries), "run scripts/update_translations.py"
    assert "Which matter most?" in entries  # a template's question, for a city to translate
    assert not any(entries.values())


@per_language
def test_placeholders_survive_translation(po_path: Path) -> None:
    for entry in polib.pofile(str(po_path)):
        if entry.msgstr and not entry.obsolete:
            assert placeholders(entry.msgid) == placeholders(entry.msgstr), entry.msgid


def test_switching_language() -> None:
    text = "The pack is sound."
    try:
        set_language("es")
        assert _(text) == catalogue("es")[text]
        assert _(text) != text
    finally:
        set_language("en")
    assert _(text) == text
    assert translate(text, "es") != text


class _AnyValue(dict[str, float]):
    """Every placeholder gets a number, so ``{n:,}`` and ``{total:,.0f}`` format too."""

    def __missing__(self, key: str) -> float:
        return 1234.5


def _live_entries(po_path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(po_path)) if e.msgstr and not e.obsolete]


@per_language
def test_translations_format_like_the_english(po_path: Path) -> None:
    """Same format specs, and a translation formats wherever the English does."""
    for entry in _live_entries(po_path):
        assert sorted(PLACEHOLDER_FIELD.findall(entry.msgid)) == \
            sorted(PLACEHOLDER_FIELD.findall(entry.msgstr)), entry.msgid
        try:
            entry.msgid.format_map(_AnyValue())
        except (ValueError, IndexError, KeyError):
            continue  # not a format string in English either
        entry.msgstr.format_map(_AnyValue())


@per_language
def test_spaces_and_accelerators_are_kept(po_path: Path) -> None:
    for entry in _live_entries(po_path):
        en, es = entry.msgid, entry.msgstr
        assert len(en) - len(en.lstrip()) == len(es) - len(es.lstrip()), repr(en)
        assert len(en) - len(en.rstrip()) == len(es) - len(es.rstrip()), repr(en)
        accelerators = es.replace("&&", "").count("&")
        assert accelerators == en.replace("&&", "").count("&"), en
        if accelerators:
            assert es[es.index("&") + 1].isalnum(), es


@per_language
def test_menu_bar_accelerators_are_unique(po_path: Path) -> None:
    """Alt+letter opens one menu only (in Chinese and Arabic the letter is Latin, in
    brackets after the word, as Chinese software does)."""
    menus = ["&File", "&Edit", "&Data", "&View", "&Workshop", "&Language", "&Help"]
    letters = [translate(m, po_path.stem).split("&")[1][0].lower() for m in menus]
    assert len(set(letters)) == len(letters), letters


def test_extractor_finds_markers_aliases_and_constants(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text(
        "from x import _, N_, translate\n"
        "HEADERS = (N_('Owner'), N_('Due'))\n"
        "def f(lang):\n"
        "    t = translate\n"
        "    return _('Plain'), translate('Direct', lang), t('Aliased', lang), _(lang)\n",
        encoding="utf-8")
    found = extract(package)
    assert set(found) == {"Owner", "Due", "Plain", "Direct", "Aliased"}
    assert found["Aliased"] == ["pkg/mod.py:5"]


def test_strings_shown_through_variables_are_in_the_catalogue() -> None:
    strings = extract(ROOT / "tde_desktop")
    # paper handout labels, workbook follow-up headers, question kinds, statuses, column types
    for text in ("Who needs it?", "Owner", "dot vote", "running", "datetime", "individual",
                 "Sheet number or code (filled in by the facilitator)"):
        assert text in strings, text
    assert translate("dot vote", "es") == "votación con puntos"


def test_spanish_error_reads_as_a_sentence(tmp_path: Path) -> None:
    from tde_desktop.core.errors import TdeError
    from tde_desktop.core.pack import Pack

    missing = tmp_path / "nada.tdepack"
    set_language("es")
    try:
        with pytest.raises(TdeError) as info:
            Pack.open(missing)
    finally:
        set_language("en")
    assert str(info.value) == f"El archivo {missing} no existe."


VI_PO = '''msgid ""
msgstr ""
"Language: vi\\n"
"X-Language-Name: Tiếng Việt (Baltimore)\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "&File"
msgstr "&Tệp"

msgid "Which matter most?"
msgstr "Điều gì quan trọng nhất?"

msgid "{n} rows"
msgstr "hàng"
'''


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data folder of our own; the languages are looked for again afterwards."""
    monkeypatch.setenv("TDE_DATA_DIR", str(tmp_path / "data"))
    i18n.refresh_languages()
    yield tmp_path / "data"
    monkeypatch.delenv("TDE_DATA_DIR")
    i18n.refresh_languages()
    set_language("en")


def test_a_dropped_po_becomes_a_language(data_folder: Path) -> None:
    from tde_desktop.core.workshop.exercises import label_text
    from tde_desktop.core.workshop.templates import template

    assert "vi" not in i18n.SUPPORTED_LANGUAGES
    (data_folder / "languages").mkdir(parents=True)
    (data_folder / "languages" / "vi.po").write_text(VI_PO, encoding="utf-8")
    assert i18n.refresh_languages() == []
    assert i18n.SUPPORTED_LANGUAGES["vi"] == "Tiếng Việt (Baltimore)"  # X-Language-Name
    assert translate("&File", "vi") == "&Tệp"
    assert translate("{n} rows", "vi") == "{n} rows"  # lost its {n}: English instead
    # an exercise template the JSON gives only in English and Spanish
    question = template("dot_vote").questions[0]
    assert label_text(question.text, "vi") == "Điều gì quan trọng nhất?"
    assert label_text(question.text, "es") == "¿Qué es lo más importante?"


def test_known_codes_get_their_native_name(tmp_path: Path) -> None:
    po = tmp_path / "ko.po"
    po.write_text(VI_PO.replace('"X-Language-Name: Tiếng Việt (Baltimore)\\n"\n', "")
                  .replace('"Language: vi\\n"', '"Language-Team: Korean <ko@li.org>\\n"'),
                  encoding="utf-8")
    assert i18n.display_name("ko", po) == "한국어"
    assert i18n.display_name("xx", po) == "Korean"  # the team, without its address
    assert i18n.is_rtl("ar")
    assert i18n.is_rtl("fa_IR")
    assert not i18n.is_rtl("zh_CN")


def test_a_broken_po_is_skipped_with_one_line(data_folder: Path, tmp_path: Path) -> None:
    folder = data_folder / "languages"
    folder.mkdir(parents=True)
    (folder / "tl.po").write_text('msgid "&File"\nmsgstr "&Talaksan"\nnot a catalogue line\n',
                                  encoding="utf-8")
    (folder / "notes.po").write_text(VI_PO, encoding="utf-8")
    problems = i18n.refresh_languages()
    assert len(problems) == 2, problems
    assert all("\n" not in p for p in problems), problems
    assert problems[0].startswith("notes.po: the file name must be a language code")
    assert problems[1].startswith("tl.po: not a readable translation file")
    assert "tl" not in i18n.SUPPORTED_LANGUAGES
    with pytest.raises(ValueError, match=r"^tl\.po: "):
        i18n.add_language_file(folder / "tl.po")
    good = tmp_path / "vi.po"
    good.write_text(VI_PO, encoding="utf-8")
    assert i18n.add_language_file(good) == "vi"
    assert (folder / "vi.po").is_file()
    assert "vi" in i18n.SUPPORTED_LANGUAGES
