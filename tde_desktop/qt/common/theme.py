"""How the app looks: Fusion, a calm palette or a high-contrast one, and the text size.

One place decides colours, focus rectangles and the font size, so every screen
(main window, dialogs, kiosk, projector) follows View > Text size and View >
High contrast. Nothing here tells things apart by colour alone: focus is a
thick border, errors are bold words, selected items are also outlined.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from tde_desktop.paths import resources_dir

# The theme's state for the running app; windows built later ask for it.
_state = {"scale": 1.0, "high_contrast": False}
_base_font: QFont | None = None
_screen_fit: QObject | None = None

CALM = {
    "window": "#f4f5f7", "text": "#1f2328", "base": "#ffffff", "alt": "#eef1f5",
    "button": "#ffffff", "border": "#a9b1bb", "accent": "#2b6cb0", "accent_text": "#ffffff",
    "hover": "#e8f0f9", "muted": "#5c6470", "disabled": "#8a9099", "tooltip": "#fffbe6",
    "error": "#a00000", "link": "#1a56a0",
}
HIGH_CONTRAST = {
    "window": "#000000", "text": "#ffffff", "base": "#000000", "alt": "#1a1a1a",
    "button": "#000000", "border": "#ffffff", "accent": "#ffd400", "accent_text": "#000000",
    "hover": "#333300", "muted": "#ffffff", "disabled": "#b0b0b0", "tooltip": "#000000",
    "error": "#ffd400", "link": "#ffd400",
}

STYLE = """
QPushButton {{ background: {button}; color: {text}; border: 1px solid {border};
  border-radius: 4px; padding: 5px 14px; }}
QPushButton:hover {{ background: {hover}; }}
QPushButton:pressed, QPushButton:checked {{ background: {alt}; }}
QPushButton:default {{ border: 2px solid {border}; }}
QPushButton:disabled {{ color: {disabled}; border-style: dashed; }}
QPushButton:focus {{ border: {focus}px solid {accent}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ background: {base}; color: {text};
  border: 1px solid {border}; border-radius: 3px; padding: 3px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractItemView:focus,
QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus, QDateEdit:focus {{
  border: {focus}px solid {accent}; }}
QCheckBox:focus, QRadioButton:focus {{ border: {focus}px solid {accent}; border-radius: 3px; }}
QCheckBox, QRadioButton {{ padding: 2px; border: {focus}px solid transparent; }}
QTabBar::tab:focus {{ border: {focus}px solid {accent}; padding: {tab_v}px {tab_h}px; }}
QToolTip {{ background: {tooltip}; color: {text}; border: 1px solid {border}; }}
QLabel#error, QLabel[error="true"] {{ color: {error}; font-weight: bold; }}
"""

# High contrast only: Fusion draws check boxes in mid grey on black, which nobody can see.
# A thick white box, filled with the accent colour when ticked (the fill, not the hue,
# tells ticked from empty).
INDICATORS = """
QCheckBox::indicator, QAbstractItemView::indicator, QGroupBox::indicator {{
  width: {box}px; height: {box}px; border: 2px solid {text}; background: {base}; }}
QCheckBox::indicator:checked, QAbstractItemView::indicator:checked,
QGroupBox::indicator:checked {{ background: {accent}; border: 2px solid {text}; }}
QCheckBox::indicator:indeterminate, QAbstractItemView::indicator:indeterminate {{
  background: {muted}; }}
QCheckBox::indicator:disabled, QAbstractItemView::indicator:disabled {{
  border: 2px dashed {disabled}; }}
QRadioButton::indicator {{ width: {box}px; height: {box}px; border: 2px solid {text};
  border-radius: {radius}px; background: {base}; }}
QRadioButton::indicator:checked {{ background: {accent}; }}
"""

#: an indicator's side at 100% text, in pixels (Fusion's own)
INDICATOR_PX = 14


class OutlinedIndicators(QProxyStyle):
    """Fusion, with the outline of check boxes and radio buttons drawn in the calm
    theme's muted ink. Fusion draws it a shade darker than the window (about 2:1 against
    it), too faint for many eyes on a projector or an old screen; the muted ink is over
    5:1 against the window and the white box (non-text contrast asks 3:1). Fusion's own
    tick, circle and box stay; high contrast draws its own indicators (style sheet)."""

    _OUTLINED = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                 QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    _SIZES = (QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
              QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
              QStyle.PixelMetric.PM_ExclusiveIndicatorHeight)

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        """Indicators as large as the style sheet draws them (:func:`indicator_side`), so
        that a list's text starts after its tick box instead of under it at 200%."""
        if metric in self._SIZES:
            return indicator_side()
        return int(super().pixelMetric(metric, option, widget))

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self._OUTLINED or is_high_contrast():
            return
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        ink = QColor(CALM["muted"] if enabled else CALM["disabled"])
        rect = QRectF(option.rect)
        width = max(1.0, round(rect.width() / INDICATOR_PX))
        inset = width / 2  # the line on whole pixels: crisp, not blended with the window
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(ink, width))
        box = rect.adjusted(inset, inset, -inset, -inset)
        if element == self._OUTLINED[1]:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, 2.0, 2.0)
        painter.restore()


def indicator_side() -> int:
    """The side of a check box or radio button in pixels at the current text size, with
    high contrast's 2 px border on each side."""
    return scaled(INDICATOR_PX) + (4 if is_high_contrast() else 0)


def _fusion() -> QStyle:
    """Fusion with outlined indicators (:class:`OutlinedIndicators`)."""
    return OutlinedIndicators(QStyleFactory.create("Fusion"))


def _palette(colours: dict[str, str]) -> QPalette:
    role = QPalette.ColorRole
    palette = QPalette()
    pairs = {
        role.Window: "window", role.WindowText: "text", role.Base: "base",
        role.AlternateBase: "alt", role.Text: "text", role.Button: "button",
        role.ButtonText: "text", role.Highlight: "accent", role.HighlightedText: "accent_text",
        role.ToolTipBase: "tooltip", role.ToolTipText: "text", role.PlaceholderText: "muted",
        role.Link: "link", role.LinkVisited: "link", role.BrightText: "text",
        role.Mid: "border", role.Dark: "border", role.Light: "base", role.Midlight: "alt",
        role.Shadow: "border",
    }
    for r, key in pairs.items():
        palette.setColor(r, QColor(colours[key]))
    group = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group, r, QColor(colours["disabled"]))
    return palette


def colours() -> dict[str, str]:
    """The colours in use now (calm or high contrast)."""
    return HIGH_CONTRAST if _state["high_contrast"] else CALM


def text_scale() -> float:
    """The text size factor in use now (1.0, 1.5 or 2.0)."""
    return float(_state["scale"])


def is_high_contrast() -> bool:
    return bool(_state["high_contrast"])


def scaled(points: float) -> int:
    """``points`` at the current text size, for screens that set their own big fonts."""
    return round(points * text_scale())


def style_sheet() -> str:
    """The application style sheet for the current theme (focus borders 2 px, 4 px in HC).

    Check boxes and radio buttons grow with the text size in both themes: drawn by Fusion
    in the calm one, at the size :class:`OutlinedIndicators` reports, as thick white boxes
    in high contrast."""
    c = colours()
    focus = 4 if is_high_contrast() else 2
    tab_h, tab_v = _tab_padding(focus)
    sheet = STYLE.format(focus=focus, tab_h=tab_h, tab_v=tab_v, **c)
    box = scaled(INDICATOR_PX)
    if is_high_contrast():
        sheet += INDICATORS.format(box=box, radius=box // 2 + 2, **c)
    return sheet


@functools.cache
def _fusion_tab_space() -> tuple[int, int]:
    """Fusion's horizontal and vertical space around a tab's text (asked once)."""
    fusion = QStyleFactory.create("Fusion")
    return (fusion.pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace),
            fusion.pixelMetric(QStyle.PixelMetric.PM_TabBarTabVSpace))


def _tab_padding(focus: int) -> tuple[int, int]:
    """(horizontal, vertical) padding that keeps a focused tab, drawn with a ``focus`` px
    border, as large as Fusion draws it unfocused. Without it the tab shrank to its text
    plus the border when it took the focus, and kept that size: at 200% the Phones tab
    showed "hone" cut on both sides."""
    h, v = _fusion_tab_space()
    return max(0, h // 2 - focus), max(0, v // 2 - focus)


def chart_rc() -> dict[str, str]:
    """matplotlib rcParams colours for charts and maps drawn now: empty in the calm theme
    (matplotlib's white), light ink on black in high contrast (bars and lines in the
    accent colour). Passed to :func:`~tde_desktop.core.explore.figure_look.apply_colours`."""
    if not is_high_contrast():
        return {}
    c = colours()
    return {
        "figure.facecolor": c["window"], "axes.facecolor": c["base"],
        "axes.edgecolor": c["text"], "text.color": c["text"], "axes.labelcolor": c["text"],
        "xtick.color": c["text"], "ytick.color": c["text"], "patch.facecolor": c["accent"],
        "lines.color": c["accent"], "legend.facecolor": c["window"],
        "legend.edgecolor": c["text"],
    }


def app_icon() -> QIcon:
    """The app icon (a map pin over a small bar chart) at every size that was drawn."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in (16, 32, 48, 64, 128, 256):
        path = folder / f"tde-desktop-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def apply_theme(app: QApplication, *, scale: float | None = None,
                high_contrast: bool | None = None) -> None:
    """Apply Fusion, the palette, the style sheet and the font size to the whole app.

    Arguments left as None keep their current value. The font scales from the
    system font seen the first time this runs, so 150% then 100% returns to
    exactly the original size.
    """
    global _base_font
    if _base_font is None:
        _base_font = QFont(app.font())
    chosen = _chosen_sizes(app)  # before the new font makes windows grow
    if scale is not None:
        _state["scale"] = float(scale)
    if high_contrast is not None:
        _state["high_contrast"] = bool(high_contrast)
    if not isinstance(app.style(), OutlinedIndicators):
        app.setStyle(_fusion())
    app.setPalette(_palette(colours()))
    font = QFont(_base_font)
    size = _base_font.pointSizeF() if _base_font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * text_scale())
    app.setFont(font)
    app.setStyleSheet(style_sheet())
    if app.windowIcon().isNull():
        icon = app_icon()
        if not icon.isNull():
            app.setWindowIcon(icon)
    global _screen_fit
    if _screen_fit is None:
        _screen_fit = _ScreenFit(app)
        app.installEventFilter(_screen_fit)
    # Screens with their own big fonts (kiosk, projector, console) restyle themselves.
    for widget in app.topLevelWidgets():
        restyle = getattr(widget, "apply_theme", None)
        if callable(restyle):
            restyle()
    _restore_sizes(chosen)


#: a title bar and borders, for a window the window manager has not framed yet
FRAME_GUESS = QSize(12, 40)


def fit_to_screen(window: QWidget) -> None:
    """Make ``window`` no larger than its screen's available area (never below its
    minimum size) and, if it was placed, move it back onto that area.

    Full-screen and maximized windows are left alone: the screen sizes them.
    """
    if window.isFullScreen() or window.isMaximized():
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    if extra.isNull() and not window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        # Shown but not yet framed by the window manager: allow for a title bar and
        # borders, or the bottom row of buttons ends up below the screen.
        extra = FRAME_GUESS
    room = QSize(area.width() - extra.width(), area.height() - extra.height())
    if window.width() > room.width() or window.height() > room.height():
        window.resize(window.size().boundedTo(room))
    if window.testAttribute(Qt.WidgetAttribute.WA_Moved):
        keep_on_screen(window)


def keep_on_screen(window: QWidget) -> None:
    """Move ``window`` back onto its screen's available area if part of its frame is off
    it. A window as tall as the screen that the window manager cascades below another
    (Windows and openbox both do) would otherwise lose its bottom row, or the status
    line under it, below the screen's edge or behind the taskbar."""
    if not window.isVisible() or window.isFullScreen() or window.isMaximized():
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area, frame = screen.availableGeometry(), window.frameGeometry()
    if area.contains(frame):
        return
    x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
    y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
    window.move(x, y)


#: milliseconds after a window shows before it is checked for being placed off the screen
#: (the window manager places and frames it meanwhile)
PLACED_MS = 250


class _ScreenFit(QObject):
    """Every window, as it is shown, fits the screen it opens on (see :func:`fit_to_screen`),
    and once the window manager has placed it, stays on it (:func:`keep_on_screen`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow()
                and watched.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)):
            fit_to_screen(watched)
            QTimer.singleShot(PLACED_MS, watched, lambda: keep_on_screen(watched))
        return False


def _chosen_sizes(app: QApplication) -> dict[QWidget, QSize]:
    """The size each visible window had before the text size changed.

    A window that larger text made bigger, and that nobody resized since, keeps
    the size chosen before, so 200% then 100% returns to the same window.
    """
    chosen = {}
    for window in app.topLevelWidgets():
        if not window.isVisible() or window.isFullScreen() or window.isMaximized():
            continue
        grown, before = window.property("tde_theme_size"), window.property("tde_chosen_size")
        keep = isinstance(before, QSize) and grown == window.size()
        chosen[window] = before if keep else window.size()
    return chosen


def _restore_sizes(chosen: dict[QWidget, QSize]) -> None:
    """Back to the chosen sizes, grown only as far as the new text needs and the screen allows."""
    for _round in range(3):  # nested layouts ask their parents in turn
        # The minimums for the new text size, now rather than at the next event loop turn.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
    for window, size in chosen.items():
        window.resize(size.expandedTo(window.minimumSizeHint()))
        fit_to_screen(window)
        window.setProperty("tde_theme_size", window.size())
        window.setProperty("tde_chosen_size", size)


def is_applied() -> bool:
    """True once :func:`apply_theme` has run in this process."""
    return _base_font is not None


def base_point_size() -> float:
    """The system font size before any scaling (10 pt if unknown)."""
    if _base_font is None or _base_font.pointSizeF() <= 0:
        return 10.0
    return _base_font.pointSizeF()
