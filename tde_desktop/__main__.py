"""``python -m tde_desktop`` (and the ``tde-desktop`` launcher): start the desktop app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tde-desktop",
                                     description="Offline community data workshops.")
    parser.add_argument("pack", nargs="?", type=Path, help="a .tdepack file to open")
    # Every shipped catalogue and every .po dropped into the data folder's languages/.
    from tde_desktop.core.i18n import SUPPORTED_LANGUAGES

    parser.add_argument("--lang", choices=list(SUPPORTED_LANGUAGES),
                        help="language of the interface")
    parser.add_argument("--sample", action="store_true",
                        help="open the sample pack (your copy of it in the data folder), "
                        "not the pack used last")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the app until its window closes."""
    arguments = sys.argv[1:] if argv is None else argv
    if "--self-test" in arguments:
        from tde_desktop.self_test import main as self_test

        return self_test(arguments)
    args = parse_args(arguments)
    # Portable mode (portable.txt or data/ beside the app): settings live in data/.
    from tde_desktop import portable

    settings_dir = portable.settings_path()
    if settings_dir is not None:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(settings_dir))
    # Qt is imported only here, so `--help` stays instant.
    from tde_desktop.qt.shell.app import run

    return run(args.pack, args.lang, sample=args.sample)


if __name__ == "__main__":
    sys.exit(main())
