"""Entry script for the frozen ``tde-desktop`` executable (PyInstaller needs a script)."""

import sys

from tde_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
