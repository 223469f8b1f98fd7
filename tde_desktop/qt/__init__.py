"""The Qt layer: the only place PySide6 is imported.

Start-up cost matters on old laptops. sqlite-utils imports pandas and numpy
(about two seconds) just to register their value types, which the app never
inserts through it. So the first import of the Qt layer imports sqlite-utils
with those two hidden; pandas and numpy still import normally later, when a
chart or an Excel file needs them.
"""

from __future__ import annotations

import sys


def _import_sqlite_utils_lightly() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_sqlite_utils_lightly()
