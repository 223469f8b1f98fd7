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
    paths = [Path(str(v)) for v in (value if isinstance(value, list) else [])]
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


#: the text sizes offered in View > Text size (a factor of the system font)
TEXT_SCALES = (1.0, 1.5, 2.0)


def text_scale() -> float:
    """The remembered text size factor (1.0, 1.5 or 2.0)."""
    try:
        value = float(settings().value("view/text_scale", 1.0))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return value if value in TEXT_SCALES else 1.0


def set_text_scale(scale: float) -> None:
    settings().setValue("view/text_scale", float(scale))


def _flag(key: str, default: bool) -> bool:
    value = settings().value(key, default)
    # INI files give strings back ("true"/"false"); the registry gives bools.
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def high_contrast() -> bool:
    """True when the person chose View > High contrast."""
    return _flag("view/high_contrast", False)


def set_high_contrast(on: bool) -> None:
    settings().setValue("view/high_contrast", bool(on))


def show_welcome() -> bool:
    """False once the person ticked "Don't show this again" on the welcome dialog."""
    return _flag("welcome/show", True)


def set_show_welcome(show: bool) -> None:
    settings().setValue("welcome/show", bool(show))


def last_folder() -> Path | None:
    """The folder a file was last saved to or opened from, if it still exists."""
    value = settings().value("files/last_folder", "", str)
    path = Path(str(value)) if value else None
    return path if path is not None and path.is_dir() else None


def set_last_folder(folder: Path) -> None:
    settings().setValue("files/last_folder", str(folder))


def last_provenance() -> tuple[str, str]:
    """(publisher, licence) typed in the last import or details dialog, offered again."""
    return (str(settings().value("import/publisher", "") or ""),
            str(settings().value("import/licence", "") or ""))


def set_last_provenance(publisher: str, licence: str) -> None:
    settings().setValue("import/publisher", publisher)
    settings().setValue("import/licence", licence)


def suppress_below() -> int:
    """The "Hide counts below" value chosen in the last export (workbook, PDF or CSV), 5
    at first; always within 1..100."""
    try:
        value = int(str(settings().value("export/suppress_below", 5)))
    except (TypeError, ValueError):
        return 5
    return min(100, max(1, value))


def set_suppress_below(value: int) -> None:
    settings().setValue("export/suppress_below", int(value))
