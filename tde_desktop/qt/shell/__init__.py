"""The application shell: the main window, its menus, start-up and the pack's safety."""
