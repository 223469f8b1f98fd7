"""tde-desktop: offline community data workshops.

This module is the single source of the application's name and version; the
installers and the pack format read them from here.
"""

__version__ = "0.1.0"
APP_NAME = "tde-desktop"
APP_TITLE = "TDE Desktop"
ORG_NAME = "tde-desktop"
