"""File names made from pack content: one helper, used wherever a title or table becomes a file.

A pack may come from a stranger, so a dataset title, a workshop title or a table
name can hold ``../``, a drive letter, NUL, a reserved Windows device name (``CON``,
``NUL``, ``COM1``...) or a trailing dot that Windows silently drops. Every file name
built from such text goes through :func:`safe_file_stem`, and every path built in a
chosen folder goes through :func:`child_path`, which refuses anything that would
land outside that folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _

#: Device names Windows reserves with any extension, in any case (also with ¹ ² ³).
_RESERVED = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])", re.IGNORECASE)
#: What a name may keep besides letters and digits of any script.
_KEPT_PUNCTUATION = frozenset(" -_.,()&'+")
#: Bytes, not characters: most file systems allow 255 bytes per name; room for a suffix.
MAX_STEM_BYTES = 150


def safe_file_stem(text: str, fallback: str = "file") -> str:
    """A file name stem made from ``text`` that is safe on Windows, macOS and Linux.

    Guarantees: no path separator, drive colon, NUL or other control or format
    character; no leading or trailing dot or space (so never ``.``, ``..`` or a
    hidden file); not a reserved Windows device name; at most
    :data:`MAX_STEM_BYTES` bytes in UTF-8; never empty (``fallback``, itself made
    safe, when nothing is left). Letters of every script are kept.
    """
    text = unicodedata.normalize("NFC", str(text))
    kept = "".join(ch if ch.isalnum() or ch in _KEPT_PUNCTUATION else " " for ch in text)
    stem = " ".join(kept.split()).strip(" .")
    encoded = stem.encode("utf-8")[:MAX_STEM_BYTES]
    stem = encoded.decode("utf-8", errors="ignore").strip(" .")
    if _RESERVED.fullmatch(stem.split(".")[0].strip()):
        stem = "_" + stem
    if not stem:
        return safe_file_stem(fallback) if fallback and fallback != text else "file"
    return stem


def child_path(folder: str | Path, name: str) -> Path:
    """``folder / name``, guaranteed to be a direct child of ``folder``.

    ``name`` must already be one plain file name (use :func:`safe_file_stem`);
    anything holding a separator, ``..``, NUL or resolving elsewhere (a symlink
    planted in the folder, say) raises :class:`TdeError` in one sentence.
    """
    base = Path(folder)
    bad = (not name or name in (".", "..") or "\x00" in name or "/" in name
           or "\\" in name or Path(name).name != name or Path(name).is_absolute())
    target = base / name
    if not bad:
        resolved = target.resolve()
        bad = resolved.parent != base.resolve() or resolved.name != name
    if bad:
        raise TdeError(_("{name} is not a safe file name; nothing was written.").format(
            name=repr(name)[:80]))
    return target
