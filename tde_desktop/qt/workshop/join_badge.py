"""The room's join badge on the projector: the QR codes phones scan, in large type.

:class:`JoinBadge` shows the join address and its QR code while phones may join (the
console's Phones tab, :mod:`.console_room`, says when), large on the projector's
waiting page and a small corner badge during an exercise. With the room's Wi-Fi
name it shows two steps: a code that joins the Wi-Fi, then the join address.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QWidget

from tde_desktop.core.i18n import _


def qr_pixmap(svg: str, side: int) -> QPixmap:
    """The QR code ``svg`` drawn on white, ``side`` pixels square."""
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("white"))
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    return pixmap


def plain_text(text: str = "", points: int = 0, name: str = "") -> QLabel:
    """A label that shows ``text`` as text (never markup), wrapped and selectable."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if points:
        label.setStyleSheet(f"font-size: {points}pt; font-weight: bold;")
    if name:
        label.setAccessibleName(name)
    return label


class JoinBadge(QWidget):
    """The QR codes and the address, for the projector: large while the room waits for
    the first exercise, a small corner badge after; hidden while phones cannot join.

    With a Wi-Fi name (typed by the facilitator in the Phones tab) it shows two steps:
    a code that joins the phone to the room's Wi-Fi with its name and password, then
    the code of the join address."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self.svg = ""
        self.wifi: tuple[str, str] = ("", "")
        self.big = True
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.wifi_qr, self.wifi_text, self.wifi_box = self._step(
            layout, _("QR code to join the Wi-Fi"), _("Wi-Fi to join"))
        self.qr, self.address, self.join_box = self._step(
            layout, _("QR code to join from a phone"), _("Address to join from a phone"))
        self.hide()

    @staticmethod
    def _step(layout: QHBoxLayout, code_name: str, text_name: str
              ) -> tuple[QLabel, QLabel, QBoxLayout]:
        box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        qr = QLabel()
        qr.setTextFormat(Qt.TextFormat.PlainText)  # a picture; never markup
        qr.setAccessibleName(code_name)
        box.addWidget(qr, 0, Qt.AlignmentFlag.AlignCenter)
        text = plain_text("", 0, text_name)
        text.setWordWrap(False)
        box.addWidget(text, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addLayout(box)
        layout.setAlignment(box, Qt.AlignmentFlag.AlignTop)  # the two steps side by side
        return qr, text, box

    def set_join(self, url: str, svg: str) -> None:
        """Show ``url`` and its QR code ``svg``; an empty ``url`` hides the badge."""
        self.url, self.svg = url, svg
        self._draw()

    def set_wifi(self, name: str, password: str) -> None:
        """The room's Wi-Fi, shown as a first step while phones may join (``""``: none)."""
        self.wifi = (name.strip(), password)
        self._draw()

    def set_big(self, big: bool) -> None:
        """Large (the room is waiting) or a small corner badge."""
        if big != self.big:
            self.big = big
            self._draw()

    def _draw(self) -> None:
        if not self.url:
            self.hide()
            return
        name, password = self.wifi
        two = bool(name)
        side = (300 if two else 360) if self.big else 140
        # Large: each code above its words; small: beside them, to keep the corner low.
        direction = (QBoxLayout.Direction.TopToBottom if self.big
                     else QBoxLayout.Direction.LeftToRight)
        for box in (self.wifi_box, self.join_box):
            box.setDirection(direction)
        style = f"font-size: {(28 if two else 32) if self.big else 16}pt;"
        self.qr.setPixmap(qr_pixmap(self.svg, side))
        self.address.setText((_("2. Open the page:") if two else _("Join from your phone:"))
                             + "\n" + self.url)
        self.address.setStyleSheet(style)
        self.wifi_qr.setVisible(two)
        self.wifi_text.setVisible(two)
        if two:
            from tde_desktop.room.server import wifi_qr_svg

            self.wifi_qr.setPixmap(qr_pixmap(wifi_qr_svg(name, password), side))
            lines = [_("1. Join the Wi-Fi:"), name]
            if password:
                lines.append(_("Password: {password}").format(password=password))
            self.wifi_text.setText("\n".join(lines))
            self.wifi_text.setStyleSheet(style)
        self.show()
