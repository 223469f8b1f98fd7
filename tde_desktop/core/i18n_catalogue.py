"""Finding every translatable string in the source, for the catalogue and its test.

A string is translatable when it is the literal first argument of ``_()``, of the
no-op marker ``N_()`` (for tuples and dicts defined before the language is known),
of ``translate()``, or of a local alias of one of them (``t = translate``). Some
modules keep plain constants that reach ``_()`` through a variable; those are
listed in ``CONSTANTS`` so that their text is found without touching the modules.
The texts of the exercise templates and agendas (``resources/templates/*.json``) are
catalogue entries too (:func:`template_texts`): a language the JSON files do not carry
(only English and Spanish are written there) gets them from its ``.po``.
The ``update`` function keeps ``resources/translations/<lang>.po`` in step with the
code: new strings are added untranslated, strings no longer used are marked obsolete;
:func:`write_pot` writes the template a city copies to add a language.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")

#: functions whose literal first argument is a translatable string
MARKERS = frozenset({"_", "N_", "translate", "ngettext"})


def _spaced(text: str) -> str:
    return text.replace("_", " ")


def _same(text: str) -> str:
    return text


#: module-level constants (path relative to the package's parent -> names) whose string
#: values are shown through ``_(variable)``; the function gives the text as shown
CONSTANTS: dict[str, tuple[tuple[str, Callable[[str], str]], ...]] = {
    "tde_desktop/core/results/workbook_sheets.py": (("FOLLOW_UP", _same),),
    "tde_desktop/core/workshop/exercises.py": (("MODES", _same), ("QUESTION_KINDS", _spaced)),
    "tde_desktop/core/importers/type_rules.py": (("USER_TYPES", _same),),
    "tde_desktop/qt/workshop/facilitator_console.py": (("COLUMNS", _same),),
    "tde_desktop/qt/workshop/console_people.py": (("COLUMNS", _same),),
    "tde_desktop/qt/workshop/moderation.py": (("STATUS_TEXT", _same),),
    "tde_desktop/qt/workshop/paper.py": (("FIELD_KINDS", _same),),
}

#: values stored in SQL and shown through ``_(workshop.status)`` / ``_(exercise.status)``
RUNTIME = {
    "tde_desktop/core/workshop/workshops.py": (
        "draft", "running", "ended", "waiting", "open", "closed"),
}


def _strings_in(node: ast.AST) -> Iterator[ast.Constant]:
    """String literals in a constant's value; dict keys are codes, not text."""
    if isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings_in(value)
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _strings_in(element)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node


def _aliases(tree: ast.AST) -> set[str]:
    """Names bound to a marker in this module, such as ``t = translate``."""
    names = set(MARKERS)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
                and node.value.id in MARKERS):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _constant_strings(tree: ast.Module, wanted: tuple[tuple[str, Callable[[str], str]], ...],
                      ) -> Iterator[tuple[str, int]]:
    shown = dict(wanted)
    for node in tree.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in shown and value is not None:
            for const in _strings_in(value):
                yield shown[target.id](str(const.value)), const.lineno


def extract(package_dir: Path) -> dict[str, list[str]]:
    """Every translatable literal under ``package_dir`` mapped to where it occurs.

    Guarantees that each string reaching ``_()``, ``N_()`` or ``translate()`` as a
    literal, and each value of the constants in ``CONSTANTS`` and ``RUNTIME``, is a key.
    """
    found: dict[str, list[str]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent).as_posix()
        markers = _aliases(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in markers and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(f"{rel}:{node.lineno}")
                plural = node.args[1] if len(node.args) > 1 else None
                if (node.func.id == "ngettext" and isinstance(plural, ast.Constant)
                        and isinstance(plural.value, str)):  # the plural form too
                    found.setdefault(plural.value, []).append(f"{rel}:{node.lineno}")
        for text, lineno in _constant_strings(tree, CONSTANTS.get(rel, ())):
            found.setdefault(text, []).append(f"{rel}:{lineno}")
        for text in RUNTIME.get(rel, ()):
            found.setdefault(text, []).append(f"{rel}:1")
    return found


def plural_strings(package_dir: Path) -> dict[str, set[str]]:
    """Every literal that reaches ``ngettext()`` under ``package_dir`` (singular and plural
    forms), mapped to where (``path:line``, as :func:`extract` says it): the places where a
    string that :func:`extract` finds already has plural forms."""
    found: dict[str, set[str]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent).as_posix()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "ngettext"):
                for arg in node.args[:2]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, set()).add(f"{rel}:{node.lineno}")
    return found


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a format string uses."""
    return set(PLACEHOLDER.findall(text))


def _labels(value: Any) -> Iterator[dict[str, str]]:
    """Every ``{"en": ..., "es": ...}`` label inside a template's JSON."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str):
            yield {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
            return
        for item in value.values():
            yield from _labels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _labels(item)


def template_texts(templates_dir: Path) -> dict[str, dict[str, str]]:
    """Every English text of the templates and agendas under ``templates_dir``, mapped to
    the translations the JSON files give for it (``{"es": ...}``) and, under ``"#"``, the
    first file it occurs in."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(templates_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for label in _labels(data):
            english = label.pop("en")
            if english.strip():
                given = found.setdefault(english, {"#": f"resources/templates/{path.name}"})
                given.update({k: v for k, v in label.items() if v and k not in given})
    return found


def wanted(package_dir: Path, templates_dir: Path | None, language: str | None,
           ) -> dict[str, list[str]]:
    """The strings a catalogue for ``language`` needs (None: the ``.pot``, all of them):
    the code's, plus the template texts whose JSON does not carry ``language``."""
    strings = extract(package_dir)
    if templates_dir is not None and templates_dir.is_dir():
        for text, given in template_texts(templates_dir).items():
            if language is None or language not in given:
                strings.setdefault(text, []).append(given["#"] + ":1")
    return strings


def _occurrences(where: list[str]) -> list[tuple[str, str]]:
    return [(w.rsplit(":", 1)[0], w.rsplit(":", 1)[1]) for w in where[:3]]


def write_pot(package_dir: Path, pot_path: Path, templates_dir: Path | None = None) -> int:
    """Write the template catalogue (every string, nothing translated); returns its size."""
    import polib

    pot = polib.POFile()
    pot.metadata = {
        "Project-Id-Version": "tde-desktop",
        "Language": "",
        "X-Language-Name": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    pot.header = ("Translation template for TDE Desktop. Copy it to <code>.po (vi.po,\n"
                  "zh_CN.po...), set X-Language-Name to the language's own name, translate\n"
                  "every entry (keep {placeholders} and & as in the English), and drop the\n"
                  "file into the data folder's languages/ (see the facilitator's guide).")
    for msgid, where in wanted(package_dir, templates_dir, None).items():
        pot.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=_occurrences(where)))
    pot_path.parent.mkdir(parents=True, exist_ok=True)
    pot.save(str(pot_path))
    return len(pot)


def update(package_dir: Path, po_path: Path, language: str,
           templates_dir: Path | None = None) -> tuple[int, int]:
    """Bring ``po_path`` in step with the code (and the template texts its language lacks);
    returns (added, still untranslated)."""
    import polib

    strings = wanted(package_dir, templates_dir, language)
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
        entry.occurrences = _occurrences(where)
    for msgid, entry in existing.items():
        if msgid not in strings:
            entry.obsolete = True
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(po_path))
    untranslated = sum(1 for e in po if not e.obsolete and (not e.msgstr or e.fuzzy))
    return added, untranslated
