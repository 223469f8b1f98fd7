"""``python -m tde_desktop`` (and the ``tde-desktop`` launcher): start the desktop app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tde-desktop",
                                     description="Offline community data workshops.")
    parser.add_argument("pack", nargs="?", type=Path, help="a .tdepack file to open")
    parser.add_argument("--lang", choices=["en", "es"], help="language of the interface")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the app until its window closes."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Qt is imported only here, so `--help` stays instant.
    from tde_desktop.qt.app import run

    return run(args.pack, args.lang)


if __name__ == "__main__":
    sys.exit(main())
