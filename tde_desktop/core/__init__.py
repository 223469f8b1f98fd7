"""The Qt-free heart of tde-desktop: packs, importers, workshops, exports.

Nothing under this package may import PySide6; an import-linter contract and a
CI run without PySide6 installed both enforce it.
"""
