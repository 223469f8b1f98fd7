"""The Qt runtime we ship does not corrupt the interpreter."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_references(qtbot) -> None:
    # PySide6 6.12 wheels on Python 3.11 drop a reference to None on every void call,
    # which aborts the app after some thousands of calls; pyproject pins below it.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText(str(i % 10))
    assert sys.getrefcount(None) >= before - 100
