"""The `tde` command: a thin skin over tde_desktop.core, no Qt."""
