"""Windows path quirks in one place: paths longer than MAX_PATH, and names to fall back on.

Windows refuses most paths of 260 characters or more unless the machine has the
``LongPathsEnabled`` setting *and* the program declares itself long-path aware; the
``\\\\?\\`` prefix lifts that limit for one call, whatever the setting. :func:`long_path`
adds it on Windows only, and only to paths that need it, so every other system (and
every short path) goes through untouched. :func:`free_name` picks ``results (2).xlsx``
beside a file that another program holds open, as Windows Explorer names copies.
"""

from __future__ import annotations

import ntpath
import os
from pathlib import Path

#: The longest path every Windows call accepts without the prefix: MAX_PATH (260) less
#: the terminating NUL, less the 12 characters CreateDirectoryW keeps for an 8.3 name.
SHORT_ENOUGH = 247
_PREFIX = "\\\\?\\"
_UNC_PREFIX = _PREFIX + "UNC\\"


def long_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a string that Windows opens however long it is.

    On Windows a path longer than :data:`SHORT_ENOUGH` characters comes back absolute,
    with backslashes and the ``\\\\?\\`` prefix (``\\\\?\\UNC\\`` for a network share);
    a shorter path, a path already prefixed and every path on other systems come back
    unchanged. The result names the same file as ``path``.
    """
    text = os.fspath(path)
    if os.name != "nt" or text.startswith(_PREFIX):
        return text
    # ntpath even when tested elsewhere: the prefix turns off Windows' own clean-up of
    # "/", "." and "..", so the path must already be absolute and normalised.
    full = ntpath.abspath(text)
    if len(full) <= SHORT_ENOUGH:
        return text
    if full.startswith("\\\\"):
        return _UNC_PREFIX + full[2:]
    return _PREFIX + full


def free_name(target: Path, *, limit: int = 1000) -> Path:
    """The first of ``<stem> (2)<suffix>``, ``<stem> (3)<suffix>``... beside ``target``
    that does not exist yet; ``target`` itself is never returned.

    Raises FileExistsError if ``limit`` names are all taken.
    """
    for n in range(2, limit):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not os.path.lexists(long_path(candidate)):
            return candidate
    raise FileExistsError(target)
