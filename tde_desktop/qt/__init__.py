"""The Qt layer: the only place PySide6 is imported.

Start-up cost matters on old laptops: nothing here imports pandas, matplotlib or
openpyxl at module level, and opening a pack does not load sqlite-utils either
(see tde_desktop.core.pack); they load when a chart, a map or an export needs them.
"""
