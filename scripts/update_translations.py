#!/usr/bin/env python3
"""Add new translatable strings to resources/translations/*.po (run after changing text)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tde_desktop.core.i18n_catalogue import update  # noqa: E402

for lang in ("es",):
    added, missing = update(ROOT / "tde_desktop", ROOT / "resources" / "translations" /
                            f"{lang}.po", lang)
    print(f"{lang}: {added} new strings, {missing} still untranslated")
