"""Entry script for the frozen ``tde`` command (PyInstaller needs a script)."""

import sys

from tde_desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
