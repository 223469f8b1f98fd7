"""Every string the app shows has a Spanish translation with the same placeholders."""

from __future__ import annotations

from pathlib import Path

import polib

from tde_desktop.core.i18n import _, catalogue, set_language, translate
from tde_desktop.core.i18n_catalogue import extract, placeholders

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources" / "translations" / "es.po"


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
