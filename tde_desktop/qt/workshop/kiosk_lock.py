"""Keeping a participant inside the kiosk, as far as Qt allows.

Full screen, the kiosk window asks to stay on top of every other window and
grabs the keyboard at the window-system level (``QWindow.setKeyboardGrabEnabled``):
on X11 that keeps Alt+Tab and the Windows (Super) key from reaching the window
manager, while keys still reach the kiosk's own controls as usual. Qt cannot stop
Alt+Tab or Ctrl+Alt+Del on Windows, nor Cmd+Tab on macOS; there the console
locks itself while the kiosk is open (the kiosk's ``opened`` signal). Leaving a
full-screen kiosk un-full-screens nothing: the window goes back to full screen
until the facilitator's PIN lets it close.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer

#: how often and how long apart a failed keyboard grab is tried again (ms)
GRAB_TRIES = 10
GRAB_WAIT_MS = 200


def lock_down(kiosk: Any) -> None:
    """Ask for a window that stays on top (set before it is shown)."""
    kiosk.locked_down = True
    kiosk.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)


def grab_keyboard(kiosk: Any, tries: int = GRAB_TRIES) -> bool:
    """Keep the keyboard for the kiosk window; tried again while the window is not
    yet mapped. Returns whether the window system granted the grab now."""
    if not kiosk.locked_down or kiosk.allow_close or not kiosk.isVisible():
        return False
    handle = kiosk.windowHandle()
    granted = bool(handle is not None and handle.setKeyboardGrabEnabled(True))
    kiosk.keyboard_grabbed = granted
    if not granted and tries > 1:
        QTimer.singleShot(GRAB_WAIT_MS, kiosk, lambda: grab_keyboard(kiosk, tries - 1))
    return granted


def release_keyboard(kiosk: Any) -> None:
    """Give the keyboard back (the PIN dialog is a window of its own)."""
    handle = kiosk.windowHandle()
    if handle is not None and getattr(kiosk, "keyboard_grabbed", False):
        handle.setKeyboardGrabEnabled(False)
    kiosk.keyboard_grabbed = False


def keep_full_screen(kiosk: Any) -> None:
    """After a window-state change: a locked-down kiosk goes back to full screen."""
    if (kiosk.locked_down and not kiosk.allow_close and kiosk.isVisible()
            and not kiosk.isFullScreen()):
        QTimer.singleShot(0, kiosk, kiosk.showFullScreen)
