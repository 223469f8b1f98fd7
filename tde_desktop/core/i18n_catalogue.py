"""Finding every translatable string in the source, for the catalogue and its test.

A string is translatable when it is the literal first argument of ``_()``. The
``update`` function keeps ``resources/translations/<lang>.po`` in step with the
code: new strings are added untranslated, strings no longer used are marked obsolete.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


def extract(package_dir: Path) -> dict[str, list[str]]:
    """Every ``_("...")`` literal under ``package_dir`` mapped to where it occurs."""
    found: dict[str, list[str]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                where = f"{path.relative_to(package_dir.parent)}:{node.lineno}"
                found.setdefault(node.args[0].value, []).append(where)
    return found


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a format string uses."""
    return set(PLACEHOLDER.findall(text))


def update(package_dir: Path, po_path: Path, language: str) -> tuple[int, int]:
    """Bring ``po_path`` in step with the code; returns (added, still untranslated)."""
    import polib

    strings = extract(package_dir)
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    po.metadata.setdefault("Content-Type", "text/plain; charset=UTF-8")
    po.metadata["Language"] = language
    existing = {e.msgid: e for e in po}
    added = 0
    for msgid, where in strings.items():
        entry = existing.get(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr="")
            po.append(entry)
            added += 1
        entry.obsolete = False
        entry.occurrences = [(w.rsplit(":", 1)[0], w.rsplit(":", 1)[1]) for w in where[:3]]
    for msgid, entry in existing.items():
        if msgid not in strings:
            entry.obsolete = True
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(po_path))
    untranslated = sum(1 for e in po if not e.obsolete and not e.msgstr)
    return added, untranslated
