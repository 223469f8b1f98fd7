"""What the app remembers between runs (QSettings): recent packs, window layout, language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


def settings() -> QSettings:
    """The app's settings store (organisation and app names come from the QApplication)."""
    return QSettings()


def recent_packs() -> list[Path]:
    """Recently opened packs, newest first, leaving out files that no longer exist."""
    value = settings().value("recent_packs", [])
    if isinstance(value, str):  # QSettings gives a str for a one-item list in INI files
        value = [value]
    paths = [Path(str(v)) for v in (value or [])]
    return [p for p in paths if p.exists()]


def add_recent_pack(path: Path) -> None:
    """Put ``path`` at the top of the recent list."""
    path = Path(path).resolve()
    current = [p for p in recent_packs() if p.resolve() != path]
    settings().setValue("recent_packs", [str(p) for p in [path, *current][:MAX_RECENT]])


def clear_recent_packs() -> None:
    settings().setValue("recent_packs", [])


def save_bytes(key: str, value: QByteArray) -> None:
    settings().setValue(key, value)


def load_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    return value if isinstance(value, QByteArray) else None


def language() -> str:
    """The language chosen last time ('en' if none)."""
    return str(settings().value("language", "en"))


def set_language(lang: str) -> None:
    settings().setValue("language", lang)
