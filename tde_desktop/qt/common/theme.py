"""How the app looks: Fusion, a calm palette or a high-contrast one, and the text size.

One place decides colours, focus rectangles and the font size, so every screen
(main window, dialogs, kiosk, projector) follows View > Text size and View >
High contrast. Nothing here tells things apart by colour alone: focus is a
thick border, errors are bold words, selected items are also outlined.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from tde_desktop.paths import resources_dir

# The theme's state for the running app; windows built later ask for it.
_state = {"scale": 1.0, "high_contrast": False}
_base_font: QFont | None = None

CALM = {
    "window": "#f4f5f7", "text": "#1f2328", "base": "#ffffff", "alt": "#eef1f5",
    "button": "#ffffff", "border": "#a9b1bb", "accent": "#2b6cb0", "accent_text": "#ffffff",
    "hover": "#e8f0f9", "muted": "#5c6470", "disabled": "#8a9099", "tooltip": "#fffbe6",
    "error": "#a00000",
}
HIGH_CONTRAST = {
    "window": "#000000", "text": "#ffffff", "base": "#000000", "alt": "#1a1a1a",
    "button": "#000000", "border": "#ffffff", "accent": "#ffd400", "accent_text": "#000000",
    "hover": "#333300", "muted": "#ffffff", "disabled": "#b0b0b0", "tooltip": "#000000",
    "error": "#ffd400",
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
QTabBar::tab:focus {{ border: {focus}px solid {accent}; }}
QToolTip {{ background: {tooltip}; color: {text}; border: 1px solid {border}; }}
QLabel#error, QLabel[error="true"] {{ color: {error}; font-weight: bold; }}
"""


def _palette(colours: dict[str, str]) -> QPalette:
    role = QPalette.ColorRole
    palette = QPalette()
    pairs = {
        role.Window: "window", role.WindowText: "text", role.Base: "base",
        role.AlternateBase: "alt", role.Text: "text", role.Button: "button",
        role.ButtonText: "text", role.Highlight: "accent", role.HighlightedText: "accent_text",
        role.ToolTipBase: "tooltip", role.ToolTipText: "text", role.PlaceholderText: "muted",
        role.Link: "accent", role.BrightText: "text",
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
    """The application style sheet for the current theme (focus borders 2 px, 4 px in HC)."""
    c = colours()
    return STYLE.format(focus=4 if is_high_contrast() else 2, **c)


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
    if scale is not None:
        _state["scale"] = float(scale)
    if high_contrast is not None:
        _state["high_contrast"] = bool(high_contrast)
    app.setStyle("Fusion")
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
    # Screens with their own big fonts (kiosk, projector, console) restyle themselves.
    for widget in app.topLevelWidgets():
        restyle = getattr(widget, "apply_theme", None)
        if callable(restyle):
            restyle()


def is_applied() -> bool:
    """True once :func:`apply_theme` has run in this process."""
    return _base_font is not None


def base_point_size() -> float:
    """The system font size before any scaling (10 pt if unknown)."""
    if _base_font is None or _base_font.pointSizeF() <= 0:
        return 10.0
    return _base_font.pointSizeF()
