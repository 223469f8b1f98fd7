"""One translation mechanism for every layer (core, command line and Qt).

Strings are marked with ``_("...")`` and looked up in a gettext catalogue
(``<code>.po``); the Qt layer uses the very same function, so Excel headers made
by the core and button labels made by Qt come from one catalogue. Unknown strings
fall back to English.

Languages are discovered, not listed in code: every ``resources/translations/<code>.po``
that ships with the app, plus every ``<code>.po`` a city drops into the data folder's
``languages/`` (see :func:`languages_dir`; such a file wins over a shipped one of the
same code). :data:`SUPPORTED_LANGUAGES` maps each code to the name a reader of that
language recognises; :func:`refresh_languages` looks again. A broken file is skipped
and described in one line (:func:`language_problems`).
"""

from __future__ import annotations

import gettext
import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tde_desktop.paths import resources_dir

log = logging.getLogger(__name__)

#: native names of languages cities serve; a .po header's ``X-Language-Name`` wins
KNOWN_LANGUAGE_NAMES = {
    "en": "English", "es": "Español", "zh_CN": "中文（简体）", "zh_TW": "中文（繁體）",
    "ar": "العربية", "vi": "Tiếng Việt", "tl": "Tagalog", "ko": "한국어",
    "ht": "Kreyòl ayisyen", "fr": "Français", "pt": "Português", "ru": "Русский",
    "fa": "فارسی", "he": "עברית", "ur": "اردو", "so": "Soomaali", "am": "አማርኛ",
}
#: languages written right to left (by their base code)
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ckb", "sd", "ug"})

_FIELD = re.compile(r"\{[^{}]*\}")  # a translation that loses a {field} is not used
_CODE = re.compile(r"^([a-z]{2,3})(?:[_-]([A-Za-z]{2}|[0-9]{3}))?$")

#: code -> display name of every language the interface can use; updated in place
SUPPORTED_LANGUAGES: dict[str, str] = {"en": "English"}

#: the rule of a catalogue without a ``Plural-Forms`` header (English, Spanish...)
_GERMANIC = "nplurals=2; plural=(n != 1);"
_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+)")


class PluralTable:
    """A catalogue's plural rule and its ``msgid_plural`` entries (msgid -> forms)."""

    def __init__(self, header: str | None) -> None:
        self.count, self.rule = plural_rule(header)
        #: msgid -> its ``count`` forms; empty when the rule is not usable
        self.forms: dict[str, list[str]] = {}

    def index(self, n: int) -> int:
        """The form ``n`` takes, always within 0 .. count - 1."""
        if self.rule is None:
            return 0
        try:
            k = int(self.rule(abs(int(n))))
        except (ArithmeticError, TypeError, ValueError):  # a rule dividing by zero
            k = 0
        return min(max(k, 0), self.count - 1)


def plural_rule(header: str | None) -> tuple[int, Callable[[int], int] | None]:
    """(number of forms, n -> form index) from a ``Plural-Forms`` header such as
    ``nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : ...);``; no header gives English's rule.

    The C expression is translated by the standard library's ``gettext.c2py``, which
    accepts only ``n``, whole numbers, comparison, arithmetic, logical operators, ``?:``
    and parentheses (anything else is refused, so a dropped file cannot run code).
    A broken or too complex rule, or a Python without ``c2py``, gives English's rule
    when the header says two forms, else None (the plural entries are then not used),
    with a warning."""
    found = _PLURAL_FORMS.search(header or _GERMANIC)
    count = max(1, int(found.group(1))) if found else 2
    english = (lambda n: int(n != 1)) if count == 2 else None
    c2py = getattr(gettext, "c2py", None)  # undocumented; present in 3.11 to 3.13
    if found is None or c2py is None:
        log.warning("Plural-Forms rule not usable (%s): %s",
                    "no gettext.c2py" if found else "not understood", header)
        return count, english
    try:
        rule: Callable[[int], int] = c2py(found.group(2).strip())
    except (ValueError, SyntaxError, RecursionError) as exc:
        log.warning("Plural-Forms rule refused (%s): %s", exc, header)
        return count, english
    return count, rule


_lock = threading.RLock()
_files: dict[str, Path] = {}
_problems: list[str] = []
_catalogues: dict[str, dict[str, str]] = {}
_plural_tables: dict[str, PluralTable] = {}
_current = "en"
_thread = threading.local()  # a per-thread override, set by thread_language()


def shipped_dir() -> Path:
    """Where the catalogues that ship with the app live (and the template ``.pot``)."""
    return resources_dir() / "translations"


def languages_dir(create: bool = False) -> Path:
    """The data folder's ``languages/``, where a city drops its own ``.po`` files."""
    from tde_desktop import portable

    folder = portable.data_dir(create=create) / "languages"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def language_code(path: Path) -> str | None:
    """The language code a ``.po`` file name gives (``zh-cn.po`` -> ``zh_CN``), or None."""
    match = _CODE.match(path.stem)
    if not match:
        return None
    base, region = match.group(1).lower(), match.group(2)
    return f"{base}_{region.upper()}" if region else base


def is_rtl(lang: str) -> bool:
    """True when ``lang`` (``ar``, ``fa_IR``, ``he``, ``ur``...) is written right to left."""
    return lang.replace("-", "_").split("_")[0].lower() in RTL_LANGUAGES


def _header(path: Path, key: str) -> str | None:
    """One field of a ``.po`` header, read cheaply (no e-mail address, no placeholder)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    found = re.search(rf'^"{key}:\s*([^<"\\]*)', head, re.MULTILINE)
    value = found.group(1).strip() if found else ""
    return value if value and "LANGUAGE" not in value else None


def display_name(code: str, path: Path | None = None) -> str:
    """What the language is called in a menu: the .po's ``X-Language-Name``, else the
    native name of a known code, else the ``Language-Team``, else the code itself."""
    if path is None or not path.exists():
        return KNOWN_LANGUAGE_NAMES.get(code, code)
    return (_header(path, "X-Language-Name") or KNOWN_LANGUAGE_NAMES.get(code)
            or _header(path, "Language-Team") or code)


def check_po_file(path: Path) -> str:
    """The language code of a usable ``.po`` file; a ValueError in one plain line if the
    file name is no language code, the file does not read as a catalogue, or it
    translates nothing."""
    import polib  # imported lazily: start-up stays cheap in English

    code = language_code(path)
    if code is None or code == "en":
        raise ValueError(_("{name}: the file name must be a language code, such as vi.po "
                           "or zh_CN.po.").format(name=path.name))
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise ValueError(_("{name}: not a readable translation file ({reason}).").format(
            name=path.name, reason=reason)) from None
    if not any(e.msgstr and not e.obsolete and not e.fuzzy for e in po):
        raise ValueError(_("{name}: it translates no text yet.").format(name=path.name))
    return code


def _discover() -> tuple[dict[str, Path], list[str]]:
    files: dict[str, Path] = {}
    problems: list[str] = []
    shipped = shipped_dir()
    for path in sorted(shipped.glob("*.po")) if shipped.is_dir() else []:
        code = language_code(path)
        if code and code != "en":
            files[code] = path  # tested with the app; parsed when first used
    try:
        dropped = languages_dir()
    except OSError:
        dropped = None
    for path in sorted(dropped.glob("*.po")) if dropped and dropped.is_dir() else []:
        try:
            files[check_po_file(path)] = path
        except ValueError as exc:
            problems.append(str(exc))
    return files, problems


def _order(code: str) -> tuple[int, str]:
    known = list(KNOWN_LANGUAGE_NAMES)
    return (known.index(code) if code in known else len(known), code)


def refresh_languages() -> list[str]:
    """Look for languages again (shipped and dropped); returns one line per file skipped.

    :data:`SUPPORTED_LANGUAGES` is updated in place, so every module holding it sees the
    change; cached catalogues are forgotten. A current language that disappeared falls
    back to English."""
    global _current
    files, problems = _discover()
    names = {"en": "English"}
    for code in sorted(files, key=_order):
        names[code] = display_name(code, files[code])
    with _lock:
        _files.clear()
        _files.update(files)
        SUPPORTED_LANGUAGES.clear()
        SUPPORTED_LANGUAGES.update(names)
        _problems[:] = problems
        _catalogues.clear()
        _plural_tables.clear()
        if _current not in SUPPORTED_LANGUAGES:
            _current = "en"
    for line in problems:
        log.warning("Language file skipped: %s", line)
    return list(problems)


def language_problems() -> list[str]:
    """One line for each dropped ``.po`` skipped at the last look."""
    return list(_problems)


def language_file(lang: str) -> Path | None:
    """The ``.po`` file ``lang`` is read from (None for English or an unknown code)."""
    return _files.get(lang)


def add_language_file(source: Path) -> str:
    """Copy ``source`` into ``languages/`` and make it a language; returns its code.

    A ValueError in one plain line refuses a broken file, and nothing is copied."""
    code = check_po_file(source)
    target = languages_dir(create=True) / f"{code}.po"
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    refresh_languages()
    return code


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text))


def _load(lang: str) -> tuple[dict[str, str], PluralTable]:
    import polib  # imported lazily: start-up stays cheap in English

    path = _files.get(lang)
    if path is None or not path.exists():
        return {}, PluralTable(None)
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.warning("Language file %s cannot be read: %s", path, exc)
        return {}, PluralTable(None)
    table = PluralTable(po.metadata.get("Plural-Forms"))
    plain: dict[str, str] = {}
    for e in po:
        if e.obsolete or e.fuzzy:
            continue
        if e.msgid_plural:
            forms = [e.msgstr_plural.get(k, "") for k in range(table.count)]
            allowed = set(_FIELD.findall(e.msgid)) | set(_FIELD.findall(e.msgid_plural))
            if table.rule and all(forms) and all(set(_FIELD.findall(f)) <= allowed for f in forms):
                table.forms[e.msgid] = forms  # _() of either English form still answers
                plain[e.msgid] = forms[table.index(1)]
                plain[e.msgid_plural] = forms[table.index(100)]
        elif e.msgstr and _fields(e.msgid) == _fields(e.msgstr):
            plain[e.msgid] = e.msgstr
    return plain, table


def _loaded(lang: str) -> tuple[dict[str, str], PluralTable]:
    with _lock:
        if lang not in _catalogues:
            _catalogues[lang], _plural_tables[lang] = _load(lang)
        return _catalogues[lang], _plural_tables[lang]


def catalogue(lang: str) -> dict[str, str]:
    """The msgid -> translation mapping for ``lang`` (empty for English)."""
    if lang == "en":
        return {}
    return _loaded(lang)[0]


def plural_table(lang: str) -> PluralTable:
    """The plural rule of ``lang``'s catalogue (its ``Plural-Forms`` header) and its
    entries with plural forms; English's rule and no entries for English."""
    if lang == "en":
        return PluralTable(None)
    return _loaded(lang)[1]


def set_language(lang: str) -> None:
    """Switch every later ``_()`` call to ``lang`` (a code of :data:`SUPPORTED_LANGUAGES`)."""
    global _current
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    _current = lang


def current_language() -> str:
    """The language ``_()`` answers in on this thread (see :func:`thread_language`)."""
    return getattr(_thread, "lang", None) or _current


@contextmanager
def thread_language(lang: str) -> Iterator[None]:
    """Within the block, ``_()`` on this thread answers in ``lang``; other threads and the
    app's language are untouched (a kiosk's chart counted for a Spanish participant)."""
    previous = getattr(_thread, "lang", None)
    _thread.lang = lang
    try:
        yield
    finally:
        _thread.lang = previous


def _(text: str) -> str:
    """Translate ``text`` into the current language."""
    lang = getattr(_thread, "lang", None) or _current
    if lang == "en":
        return text
    return catalogue(lang).get(text, text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that ``n`` takes in the current language.

    A catalogue entry with ``msgid_plural`` gives ``msgstr[k]``, ``k`` being what the
    catalogue's ``Plural-Forms`` rule says for ``n`` (Arabic has six forms, Chinese one).
    Otherwise each English form is an entry of its own (both are extracted): the
    translation of ``singular`` when ``n`` is 1, else that of ``plural``; untranslated
    text stays English. Callers still ``.format(n=...)`` the result.
    """
    lang = getattr(_thread, "lang", None) or _current
    if lang != "en":
        table = plural_table(lang)
        forms = table.forms.get(singular)
        if forms is not None:
            return forms[table.index(n)]
    return translate(singular if n == 1 else plural, lang)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it yet.

    For tuples and dicts defined at import time, before the language is chosen:
    wrap each literal in ``N_()`` and pass the value through ``_()`` where it is shown.
    """
    return text


def translate(text: str, lang: str) -> str:
    """Translate ``text`` into ``lang`` without changing the current language."""
    if lang == "en":
        return text
    return catalogue(lang).get(text, text)


refresh_languages()
