"""Render the app icon's PNG, ICO and ICNS files from ``tde-desktop.svg``.

Run ``python resources/icons/render_icons.py`` after changing the SVG and commit
the results: the installers use the rendered files and do not need Qt's SVG
support at build time. Qt's QSvgRenderer draws the PNGs; Pillow (installed with
matplotlib) packs them into the Windows .ico and the macOS .icns.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 32, 48, 64, 128, 256)
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "tde-desktop.svg"


def render_pngs() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = HERE / f"tde-desktop-{size}.png"
        if not image.save(str(out)):
            raise SystemExit(f"cannot write {out}")
        written.append(out)
    del app
    return written


def pack_ico_icns() -> None:
    from PIL import Image

    biggest = Image.open(HERE / "tde-desktop-256.png")
    biggest.save(HERE / "tde-desktop.ico", sizes=[(s, s) for s in SIZES])
    # The .icns wants a 512 or 1024 master; upscaling 256 is blurry, so ask Qt for 1024.
    master = HERE / "tde-desktop-1024.tmp.png"
    _render_one(1024, master)
    Image.open(master).save(HERE / "tde-desktop.icns")
    master.unlink()


def _render_one(size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    image.save(str(out))


if __name__ == "__main__":
    for path in render_pngs():
        print(path.name)
    pack_ico_icns()
    print("tde-desktop.ico", "tde-desktop.icns")
