#!/usr/bin/env python3
"""Refresh the translation catalogues after changing text (run from anywhere).

Writes resources/translations/tde-desktop.pot (every string, for a city adding a
language) and brings every resources/translations/<code>.po in step with the code:
new strings are added untranslated, strings no longer used are marked obsolete.
With file arguments, those .po files (a city's languages/xx.po) are updated instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tde_desktop.core.i18n import language_code  # noqa: E402
from tde_desktop.core.i18n_catalogue import update, write_pot  # noqa: E402

PACKAGE = ROOT / "tde_desktop"
TEMPLATES = ROOT / "resources" / "templates"
TRANSLATIONS = ROOT / "resources" / "translations"


def main(args: list[str]) -> int:
    """Write the .pot, update the .po files; 1 when a file name is no language code."""
    if not args:
        size = write_pot(PACKAGE, TRANSLATIONS / "tde-desktop.pot", TEMPLATES)
        print(f"tde-desktop.pot: {size} strings")
    paths = [Path(a) for a in args] or sorted(TRANSLATIONS.glob("*.po"))
    for path in paths:
        code = language_code(path)
        if code is None:
            print(f"{path.name}: the file name must be a language code (vi.po, zh_CN.po)")
            return 1
        added, missing = update(PACKAGE, path, code, TEMPLATES)
        print(f"{path.name}: {added} new strings, {missing} still untranslated or fuzzy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
