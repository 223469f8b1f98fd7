"""Every string the app shows has a Spanish translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tde_desktop.core.i18n import _, catalogue, set_language, translate
from tde_desktop.core.i18n_catalogue import extract, placeholders

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources" / "translations" / "es.po"
PLACEHOLDER_FIELD = re.compile(r"\{[^{}]*\}")  # a whole field with its format spec


def test_every_string_has_a_spanish_translation() -> None:
    strings = extract(ROOT / "tde_desktop")
    assert len(strings) > 50  # the extractor really finds the app's text
    translated = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = [s for s in strings if not translated.get(s)]
    assert missing == [], f"{len(missing)} strings lack Spanish; run scripts/update_translations.py"


def test_placeholders_survive_translation() -> None:
    for entry in polib.pofile(str(PO)):
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


def _live_entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO)) if e.msgstr and not e.obsolete]


def test_translations_format_like_the_english() -> None:
    """Same format specs, and a translation formats wherever the English does."""
    for entry in _live_entries():
        assert sorted(PLACEHOLDER_FIELD.findall(entry.msgid)) == \
            sorted(PLACEHOLDER_FIELD.findall(entry.msgstr)), entry.msgid
        try:
            entry.msgid.format_map(_AnyValue())
        except (ValueError, IndexError, KeyError):
            continue  # not a format string in English either
        entry.msgstr.format_map(_AnyValue())


def test_spaces_and_accelerators_are_kept() -> None:
    for entry in _live_entries():
        en, es = entry.msgid, entry.msgstr
        assert len(en) - len(en.lstrip()) == len(es) - len(es.lstrip()), repr(en)
        assert len(en) - len(en.rstrip()) == len(es) - len(es.rstrip()), repr(en)
        accelerators = es.replace("&&", "").count("&")
        assert accelerators == en.replace("&&", "").count("&"), en
        if accelerators:
            assert es[es.index("&") + 1].isalnum(), es


def test_menu_bar_accelerators_are_unique_in_spanish() -> None:
    """Alt+letter opens one menu only."""
    menus = ["&File", "&Data", "&View", "&Workshop", "&Language", "&Help"]
    letters = [translate(m, "es").split("&")[1][0].lower() for m in menus]
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
