"""Languages a city adds itself, and Arabic read right to left, in the main window and
the kiosk: a dropped ``languages/xx.po`` is in the Language menu and translates it, a
broken one is refused in one line, and Arabic mirrors the screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tde_desktop.core import i18n
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common import ops
from tde_desktop.qt.common.qt_translations import install_qt_translations
from tests.qt.conftest import make_workshop
from tests.qt.kiosk_driver import click, make_kiosk

RTL = Qt.LayoutDirection.RightToLeft
LTR = Qt.LayoutDirection.LeftToRight


def po_text(code: str, entries: dict[str, str], name: str = "") -> str:
    header = f'"Language: {code}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    if name:
        header += f'"X-Language-Name: {name}\\n"\n'
    body = "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in entries.items())
    return f'msgid ""\nmsgstr ""\n{header}{body}'


ARABIC = {"&File": "&ملف", "&Language": "&اللغة", "Start": "ابدأ", "Cancel": "إلغاء"}
VIETNAMESE = {"&File": "&Tệp", "&Language": "&Ngôn ngữ", "Start": "Bắt đầu"}


@pytest.fixture
def languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The data folder's ``languages/``, empty; afterwards English, left to right, and
    only the shipped languages again."""
    monkeypatch.setenv("TDE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "languages"
    folder.mkdir(parents=True)
    i18n.refresh_languages()
    yield folder
    i18n.set_language("en")
    install_qt_translations("en")
    monkeypatch.delenv("TDE_DATA_DIR")
    i18n.refresh_languages()


@pytest.fixture
def pack(baltimore_pack: Path) -> Iterator[Pack]:
    with Pack.open(baltimore_pack) as opened:
        yield opened


def menu_titles(window: Any) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_arabic_mirrors_the_main_window(make_main_window: Any, languages: Path) -> None:
    if i18n.language_file("ar") is None:  # until the full Arabic catalogue ships
        (languages / "ar.po").write_text(po_text("ar", ARABIC), encoding="utf-8")
        i18n.refresh_languages()
    window = make_main_window()
    assert window.layoutDirection() == LTR
    window.language_actions["ar"].trigger()
    assert i18n.current_language() == "ar"
    assert QApplication.layoutDirection() == RTL
    assert window.layoutDirection() == RTL
    assert window.menuBar().layoutDirection() == RTL
    assert menu_titles(window)[0] == i18n.translate("&File", "ar") != "&File"
    assert window.language_actions["ar"].text() == "العربية"
    window.language_actions["en"].trigger()
    assert window.layoutDirection() == LTR
    assert menu_titles(window)[0] == "&File"


def test_qt_own_texts_load_for_arabic_and_chinese(qapp: Any) -> None:
    from PySide6.QtCore import QCoreApplication

    try:
        for code, cancel in (("ar", "ألغِ"), ("zh_CN", "取消")):
            assert install_qt_translations(code)
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel
        assert not install_qt_translations("vi")  # Qt ships no Vietnamese: English stays
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        install_qt_translations("en")
    assert QApplication.layoutDirection() == LTR


def test_kiosk_mirrors_for_an_arabic_reader(qtbot: Any, pack: Pack, languages: Path) -> None:
    (languages / "vi.po").write_text(po_text("vi", VIETNAMESE), encoding="utf-8")
    if i18n.language_file("ar") is None:
        (languages / "ar.po").write_text(po_text("ar", ARABIC), encoding="utf-8")
    i18n.refresh_languages()
    kiosk = make_kiosk(qtbot, pack, make_workshop(pack))
    buttons = kiosk.language_buttons
    assert {"en", "es", "ar", "vi"} <= set(buttons)
    assert buttons["vi"].text() == "Tiếng Việt"
    rows = {b.geometry().top() for b in buttons.values()}
    assert len(rows) >= 2, "four or more languages wrap onto a second row"
    assert all(b.height() >= buttons["en"].height() * 0.9 for b in buttons.values())
    assert kiosk.layoutDirection() == LTR
    click(qtbot, buttons["ar"])
    assert kiosk.lang == "ar"
    assert kiosk.layoutDirection() == RTL
    assert kiosk.start_button.text() == i18n.translate("Start", "ar") != "Start"
    # the mirrored page: Start as a table group's button sits right of the group size
    qtbot.waitUntil(lambda: kiosk.group_button.x() > kiosk.group_size.x())
    click(qtbot, buttons["vi"])
    assert kiosk.layoutDirection() == LTR
    qtbot.waitUntil(lambda: kiosk.group_button.x() < kiosk.group_size.x())
    assert kiosk.start_button.text() == "Bắt đầu"


def test_a_dropped_po_is_in_the_language_menu(make_main_window: Any, languages: Path) -> None:
    (languages / "vi.po").write_text(po_text("vi", VIETNAMESE), encoding="utf-8")
    i18n.refresh_languages()
    window = make_main_window()
    assert window.language_actions["vi"].text() == "Tiếng Việt"
    window.language_actions["vi"].trigger()
    assert menu_titles(window)[0] == "&Tệp"
    assert "&Ngôn ngữ" in menu_titles(window)
    assert window.language_actions["vi"].isChecked()
    assert window.layoutDirection() == LTR


def test_a_broken_po_is_refused_in_one_line(make_main_window: Any, languages: Path,
                                            tmp_path: Path) -> None:
    broken = tmp_path / "tl.po"
    broken.write_text('msgid "&File"\nmsgstr "&Talaksan"\nnot a catalogue line\n',
                      encoding="utf-8")
    window = make_main_window()
    assert window.add_language(broken) is None
    message = ops.last_message
    assert message is not None
    assert message.text().startswith("tl.po: not a readable translation file")
    assert "\n" not in message.text()
    assert not (languages / "tl.po").exists()
    assert "tl" not in window.language_actions
    assert menu_titles(window)[0] == "&File"
    # dropped there by hand, it is skipped and the Language menu says why, in one line
    broken.replace(languages / "tl.po")
    (languages / "vi.po").write_text(po_text("vi", VIETNAMESE, "Tiếng Việt (Baltimore)"),
                                     encoding="utf-8")
    i18n.refresh_languages()
    window.retranslate()
    texts = [a.text() for a in window.language_actions["en"].parent().findChildren(
        type(window.add_language_action)) if a.text().startswith("Skipped:")]
    assert texts == [f"Skipped: {i18n.language_problems()[0]}"]
    assert window.language_actions["vi"].text() == "Tiếng Việt (Baltimore)"


def test_a_chosen_po_is_copied_in_and_used(make_main_window: Any, languages: Path,
                                           tmp_path: Path) -> None:
    source = tmp_path / "downloads" / "ko.po"
    source.parent.mkdir()
    source.write_text(po_text("ko", {"&File": "&파일"}), encoding="utf-8")
    window = make_main_window()
    assert window.add_language(source) == "ko"
    assert (languages / "ko.po").is_file()
    assert window.language_actions["ko"].text() == "한국어"
    assert window.language_actions["ko"].isChecked()
    assert menu_titles(window)[0] == "&파일"


def grid(qtbot: Any, direction: Qt.LayoutDirection) -> Any:
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from tde_desktop.qt.explorer.dataset_view import DatasetView

    model = QStandardItemModel(40, 12)
    for row in range(40):
        for col in range(12):
            model.setItem(row, col, QStandardItem(f"r{row} c{col}"))
    view = DatasetView()
    qtbot.addWidget(view)
    view.setLayoutDirection(direction)
    view.setModel(model)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def first_cell_x(view: Any, table: Any, row: int = 3) -> tuple[int, int]:
    """Where the first column's cell of ``row`` spans, in the grid's own coordinates."""
    rect = table.visualRect(table.model().index(row, view.first_column()))
    return (table.viewport().mapTo(view, rect.topLeft()).x(),
            table.viewport().mapTo(view, rect.topRight()).x())


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_frozen_column_covers_the_first_column_in_both_directions(qtbot: Any,
                                                                   direction: Any) -> None:
    view = grid(qtbot, direction)
    frozen = view.frozen.geometry()
    assert frozen.width() == view.columnWidth(0)
    assert first_cell_x(view, view.frozen) == first_cell_x(view, view)  # right on top
    row_numbers = view.verticalHeader().geometry()
    if direction == RTL:  # beside the row numbers, on the right edge
        assert frozen.right() + 1 == row_numbers.left()
        assert frozen.left() > view.width() // 2
    else:
        assert frozen.left() == row_numbers.right() + 1
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    qtbot.wait(10)
    assert view.frozen.geometry() == frozen  # stays while the data scrolls sideways
    assert view.frozen.isVisible()


def test_switching_to_right_to_left_moves_the_frozen_column(qtbot: Any) -> None:
    view = grid(qtbot, LTR)
    left = view.frozen.geometry().left()
    view.setLayoutDirection(RTL)
    qtbot.wait(10)
    assert view.frozen.geometry().left() > left
    assert first_cell_x(view, view.frozen) == first_cell_x(view, view)
    assert "border-left" in view.frozen.styleSheet()


def test_keyboard_back_to_the_start_never_hides_a_cell_under_it_rtl(qtbot: Any) -> None:
    view = grid(qtbot, RTL)
    view.setCurrentIndex(view.model().index(2, 8))
    view.scrollTo(view.currentIndex())
    for _step in range(7):  # Right goes back towards the first column in Arabic
        qtbot.keyClick(view, Qt.Key.Key_Right)
        rect = view.visualRect(view.currentIndex())
        assert rect.right() < view.viewport().width() - view.frozen.width() + 1
    assert view.currentIndex().column() == 1


def test_lang_option_offers_every_discovered_language(languages: Path, capsys: Any) -> None:
    from tde_desktop.__main__ import parse_args
    from tde_desktop.cli.main import build_parser

    (languages / "vi.po").write_text(po_text("vi", VIETNAMESE), encoding="utf-8")
    i18n.refresh_languages()
    assert parse_args(["--lang", "vi"]).lang == "vi"
    for shipped in ("es", "zh_CN", "ar"):
        if i18n.language_file(shipped) is not None:
            assert parse_args(["--lang", shipped]).lang == shipped
    with pytest.raises(SystemExit):
        parse_args(["--lang", "xx"])
    assert "xx" in capsys.readouterr().err
    summary = build_parser().parse_args(["summary", "p.tdepack", "W", "o.pdf", "--lang", "vi"])
    assert summary.lang == "vi"
