"""The Qt layer: the only place PySide6 is imported.

PySide6 6.12 (built for Python 3.12+, where None is immortal) hands back None
from every void method without a new reference. On Python 3.11 each such call
(``label.setText``, ``item.setHidden``...) drops one reference to None, and
after some tens of thousands of calls the interpreter aborts with
"deallocating None". :func:`_keep_none_alive` gives None enough references
that it can never reach zero, as Python 3.12 does by design.

Start-up cost matters on old laptops. sqlite-utils imports pandas and numpy
(about two seconds) just to register their value types, which the app never
inserts through it. So the first import of the Qt layer imports sqlite-utils
with those two hidden; pandas and numpy still import normally later, when a
chart or an Excel file needs them.
"""

from __future__ import annotations

import sys


def _keep_none_alive() -> None:
    if sys.version_info >= (3, 12):
        return
    import ctypes

    # ob_refcnt is the first field of every object in release builds of CPython.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += 1 << 40


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


_keep_none_alive()
_import_sqlite_utils_lightly()
