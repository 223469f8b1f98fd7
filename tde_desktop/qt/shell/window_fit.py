"""Keeping a window on its screen: the default size, full screen and text-size changes.

Workshops run on ordinary laptops (1366x768) and projectors (1280x720); a
window must fit there frame included, and shrink back when the text gets
smaller again instead of keeping the size it needed at 200%.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: the size a main window opens at when the screen has room for it
PREFERRED = QSize(1200, 740)
#: a title bar and borders, for a window the window manager has not framed yet
FRAME_GUESS = QSize(12, 40)


def available(widget: QWidget) -> QRect:
    """The part of the widget's screen (else the primary screen) that windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def frame_extra(widget: QWidget) -> QSize:
    """How much the window frame adds around the widget's client area."""
    if widget.isVisible():
        extra = widget.frameGeometry().size() - widget.geometry().size()
        if extra.width() > 0 or extra.height() > 0:
            return extra
    return FRAME_GUESS


def fitted_size(widget: QWidget, preferred: QSize = PREFERRED) -> QSize:
    """``preferred`` made small enough that the window, frame included, fits its screen."""
    room, extra = available(widget), frame_extra(widget)
    return QSize(min(preferred.width(), room.width() - extra.width()),
                 min(preferred.height(), room.height() - extra.height()))


def fit_to_screen(widget: QWidget, preferred: QSize = PREFERRED) -> None:
    """Resize a normal (not maximised, not full-screen) window to fit its screen and move
    it back inside the screen if it sticks out. Leaves other windows alone."""
    if widget.isMaximized() or widget.isFullScreen():
        return
    widget.resize(fitted_size(widget, preferred))
    room, frame = available(widget), widget.frameGeometry()
    if not room.contains(frame):
        x = max(room.left(), min(frame.left(), room.right() - frame.width()))
        y = max(room.top(), min(frame.top(), room.bottom() - frame.height()))
        widget.move(x, y)


def shrink_into_screen(widget: QWidget) -> None:
    """After restoring a saved geometry: keep it unless it is bigger than the screen."""
    size = fitted_size(widget, widget.size())
    if size != widget.size():
        fit_to_screen(widget, size)


def toggle_full_screen(widget: QWidget) -> bool:
    """Full screen on, or back to the previous state; True when now full screen."""
    if widget.isFullScreen():
        widget.showNormal()
        return False
    widget.showFullScreen()
    return True
