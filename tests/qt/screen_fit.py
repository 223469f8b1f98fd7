"""Measuring whether a window fits a screen: the checks behind tests/qt/test_screen_fit.py.

Offscreen there is no real 1366x768 screen, so a "screen" is a target size: a
top-level window is resized to it (a dialog to the size it opens at on that
screen, see :func:`opening_size`) and must then be exactly that size (it needs
no more), with every visible interactive widget inside it, no widget squeezed
below its minimum size, no word-wrapped label cut, no table heading cut (measured
in bold, as Qt draws the heading of the current cell's column, see
:func:`cut_headings`), and no text scrolling in a strip of its own (see
:func:`scroll_strips`).
Each check returns plain sentences naming the widget, so one failing run
says everything that does not fit.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tde_desktop.qt.common.theme import FRAME_GUESS

#: (width, height) of the screens workshops meet: the common laptop and projectors
SIZES = {"1366x768": QSize(1366, 768), "1280x720": QSize(1280, 720)}
#: View > Text size
SCALES = {"100%": 1.0, "150%": 1.5, "200%": 2.0}
#: pixels a widget may lack before it counts as squeezed (style sheet rounding)
SLACK = 2
INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QTextEdit, QPlainTextEdit, QAbstractSlider, QTabBar)
# Scroll bars and the buttons Qt puts inside item views and tab bars are parts of
# another control, not controls of their own.
PARTS = ("qt_scrollarea_hcontainer", "qt_scrollarea_vcontainer", "ScrollLeftButton",
         "ScrollRightButton", "qt_spinbox_lineedit", "qt_tabwidget_tabbar")


def settle() -> None:
    """Let layouts, style polish and deferred deletes run."""
    for _i in range(3):
        QApplication.processEvents()


def describe(widget: QWidget) -> str:
    """A short name a developer can find in the code: class, object or accessible name, text."""
    words = [type(widget).__name__]
    name = widget.objectName() or widget.accessibleName()
    if name and not name.startswith("qt_"):
        words.append(repr(name[:40]))
    text = getattr(widget, "text", None)
    if callable(text) and not isinstance(widget, QTextEdit | QPlainTextEdit):
        value = str(text()).replace("\n", " ")
        if value and value[:40] != name[:40]:
            words.append(f"text={value[:40]!r}")
    return " ".join(words)


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    """``widget``'s rectangle in ``ancestor``'s coordinates."""
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def _show(rect: QRect) -> str:
    return f"({rect.x()},{rect.y()} {rect.width()}x{rect.height()})"


def in_scroll_area(widget: QWidget, window: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose content holds ``widget`` (below ``window``), if any."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return grand
        parent = grand
    return None


def is_part(widget: QWidget) -> bool:
    """True for Qt's own sub-controls (scroll bars, spin box line edits, tab scrollers)."""
    if widget.objectName() in PARTS:
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if parent.objectName() in PARTS[:2]:
            return True
        parent = parent.parentWidget()
    return False


def opening_size(window: QWidget, screen: QSize) -> QSize:
    """The size ``window`` opens at on a ``screen`` of that size, with a title bar.

    A size our code chose (``resize``, ``setFixedSize``) is kept. Otherwise Qt
    chooses, as ``QWidget::adjustSize`` does for a window: the size hint, the
    layout's height for that width, each at most 2/3 of the screen, never below
    the minimum size. Either way ``theme.fit_to_screen`` then caps it to the
    screen less a title bar and borders.
    """
    from PySide6.QtCore import Qt

    if window.testAttribute(Qt.WidgetAttribute.WA_Resized):
        size = window.size()
    else:
        size = window.sizeHint()
        layout = window.layout()
        if layout is not None and layout.hasHeightForWidth():
            size.setHeight(layout.totalHeightForWidth(size.width()))
        size = size.boundedTo(QSize(screen.width() * 2 // 3, screen.height() * 2 // 3))
        size = size.expandedTo(window.minimumSize())
    room = QSize(screen.width() - FRAME_GUESS.width(), screen.height() - FRAME_GUESS.height())
    return size.boundedTo(room).expandedTo(window.minimumSize())


def fit_window(window: QWidget, screen: QSize, *, opened: bool = False) -> list[str]:
    """Resize ``window`` to ``screen`` (to the size it opens at on ``screen`` when
    ``opened``, as for dialogs) and return what does not fit."""
    problems: list[str] = []
    settle()
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    if need.width() > screen.width() or need.height() > screen.height():
        problems.append(f"the window needs at least {need.width()}x{need.height()}")
    target = opening_size(window, screen) if opened else screen
    target = target.expandedTo(QSize(1, 1))
    window.resize(target)
    settle()
    if window.size() != target:
        problems.append(f"the window is {window.width()}x{window.height()} after resizing "
                        f"to {target.width()}x{target.height()}")
    problems += widget_problems(window, QRect(QPoint(0, 0), screen))
    if opened:
        problems += cut_headings(window)
        problems += scroll_strips(window, screen)
    return problems


def cut_headings(window: QWidget) -> list[str]:
    """Column headings of ``window``'s tables that are narrower than their text.

    Qt elides a heading to fit the plain font (its size hint): a Stretch column
    of 200 px cut "How participants will be told" to "How participa...". It
    then draws the heading of the current cell's column in bold, centred and
    clipped to the section, so each heading must also hold its bold text and
    the style's header margin. Left out: headings on two lines, headings whose
    whole text is in their tooltip, and columns capped on purpose (a maximum
    section size).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontMetrics

    problems: list[str] = []
    horizontal = Qt.Orientation.Horizontal
    for header in window.findChildren(QHeaderView):
        model = header.model()
        if (not header.isVisible() or header.window() is not window or model is None
                or header.orientation() != horizontal):
            continue
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        bold_font = QFont(header.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        for section in range(header.count()):
            text = str(model.headerData(section, horizontal) or "")
            if (header.isSectionHidden(section) or not text or "\n" in text
                    or model.headerData(section, horizontal, Qt.ItemDataRole.ToolTipRole)):
                continue
            # Qt elides for the plain font (the size hint), then draws in bold, centred and
            # clipped to the section: bold text needs its width and a little margin.
            need = header.sectionSizeHint(section)
            if header.highlightSections():
                need = max(need, bold.horizontalAdvance(text) + margin)
            if header.sectionSize(section) + SLACK < min(need, header.maximumSectionSize()):
                owner = header.parentWidget() or header
                problems.append(f"the heading {text[:40]!r} of {describe(owner)} is "
                                f"{header.sectionSize(section)} px wide, its bold text "
                                f"needs {need} px (cut)")
    return problems


def widget_problems(window: QWidget, screen: QRect) -> list[str]:
    """Visible interactive widgets outside ``screen``, and widgets below their minimum size."""
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window or is_part(widget):
            continue
        where = rect_in(widget, window)
        if (isinstance(widget, INTERACTIVE) and in_scroll_area(widget, window) is None
                and not screen.contains(where)):
            problems.append(f"{describe(widget)} at {_show(where)} is outside the screen "
                            f"{screen.width()}x{screen.height()}")
        short = too_short(widget)
        if short:
            problems.append(f"{describe(widget)} is {short}")
    return problems


def too_short(widget: QWidget) -> str:
    """How ``widget`` is squeezed below what it needs ("" when it is not).

    A header's minimum size hint is not about its height (the view sizes it from
    its size hint), so headers are left out; a style sheet's padding can leave a
    line edit SLACK px below a hint polished later, which nobody sees.
    """
    policy = widget.sizePolicy().verticalPolicy()
    if policy == QSizePolicy.Policy.Ignored or isinstance(widget, QHeaderView):
        return ""
    if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
        need = widget.heightForWidth(widget.width())
        if need > widget.height() + SLACK:
            return f"{widget.height()} px tall, its text needs {need} px (cut)"
        return ""
    hint = widget.minimumSizeHint()
    if hint.isValid() and widget.height() + SLACK < hint.height():
        return f"{widget.height()} px tall, below its minimum {hint.height()} px"
    return ""


def visible_in_viewport(widget: QWidget, area: QAbstractScrollArea) -> bool:
    """True if the whole of ``widget`` shows in ``area``'s viewport without scrolling."""
    viewport = area.viewport()
    where = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return viewport.rect().contains(where)


def hidden_controls(content: QWidget, area: QScrollArea) -> list[str]:
    """The interactive widgets of ``content`` that need scrolling to be seen."""
    return [describe(w) for w in content.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisible() and not is_part(w)
            and in_scroll_area(w, content.window()) is area
            and not visible_in_viewport(w, area)]


def scroll_strips(window: QWidget, screen: QSize) -> list[str]:
    """Text that scrolls in a strip of its own: a scroll area inside another one,
    more than one scroll area that needs scrolling, or one that scrolls while the
    window could still grow on ``screen`` to show all of it."""
    problems: list[str] = []
    scrolling: list[QScrollArea] = []
    for area in window.findChildren(QScrollArea):
        if not area.isVisible() or area.window() is not window:
            continue
        outer = in_scroll_area(area, window)
        if outer is not None:
            problems.append(f"{describe(area)} scrolls inside {describe(outer)}")
        content = area.widget()
        if content is None:
            continue
        missing = content.height() - area.viewport().height()
        if missing > SLACK:
            scrolling.append(area)
            room = screen.height() - FRAME_GUESS.height() - window.height()
            if missing <= room:
                problems.append(f"{describe(area)} scrolls {missing} px of its content in a "
                                f"{area.viewport().height()} px strip, though the window "
                                f"could grow by {room} px")
    if len(scrolling) > 1:
        problems.append(f"{len(scrolling)} scrolling strips: "
                        + ", ".join(describe(a) for a in scrolling))
    return problems
