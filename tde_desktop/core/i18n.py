"""One translation mechanism for every layer (core, command line and Qt).

Strings are marked with ``_("...")`` and looked up in
``resources/translations/<lang>.po``; the Qt layer uses the very same function,
so Excel headers made by the core and button labels made by Qt come from one
catalogue. Unknown strings fall back to English.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tde_desktop.paths import resources_dir

SUPPORTED_LANGUAGES = {"en": "English", "es": "Español"}

_lock = threading.Lock()
_catalogues: dict[str, dict[str, str]] = {}
_current = "en"
_thread = threading.local()  # a per-thread override, set by thread_language()


def _load(lang: str) -> dict[str, str]:
    import polib  # imported lazily: start-up stays cheap in English

    path = resources_dir() / "translations" / f"{lang}.po"
    if not path.exists():
        return {}
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete}


def catalogue(lang: str) -> dict[str, str]:
    """The msgid -> translation mapping for ``lang`` (empty for English)."""
    if lang == "en":
        return {}
    with _lock:
        if lang not in _catalogues:
            _catalogues[lang] = _load(lang)
        return _catalogues[lang]


def set_language(lang: str) -> None:
    """Switch every later ``_()`` call to ``lang`` (``en`` or ``es``)."""
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
    """``singular`` translated when ``n`` is 1, else ``plural`` translated.

    English and Spanish both use one form for 1 and another for every other
    number, so each form is a catalogue entry of its own (both are extracted).
    Callers still ``.format(n=...)`` the result.
    """
    return _(singular if n == 1 else plural)


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
