"""Very long pack text is cut to a bounded amount where it is drawn, and kept whole elsewhere.

A pack can hold a 1 MB column name (an import keeps any header) or a long value in its
data; the grid's header and cells, the card, the dictionary and tooltips show at most a
few hundred (tooltips two thousand) characters of it, while copying cells keeps it whole.
"""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.qt.common.ops import plain_tooltip
from tde_desktop.qt.common.shown_text import SHOWN_LIMIT, TIP_LIMIT, shown_text, shown_tip

LONG = 1_000_000


@given(st.text(max_size=700), st.integers(1, 500))
def test_shown_text_is_bounded_and_keeps_short_text(text: str, limit: int) -> None:
    shown = shown_text(text, limit)
    assert len(shown) <= limit
    if len(text) <= limit:
        assert shown == text
    else:
        assert shown.endswith("\u2026")
        assert text.startswith(shown[:-1])


def test_tooltips_are_bounded_and_escaped() -> None:
    assert len(shown_tip("z" * LONG)) == TIP_LIMIT
    tip = plain_tooltip("<b>" + "z" * LONG)
    assert "&lt;b&gt;" in tip
    assert len(tip) < TIP_LIMIT + 100


def _long_pack(tmp_path: Path) -> Pack:
    """A pack whose first column is headed by 1 MB of text and whose one cell holds 1 MB."""
    source = tmp_path / "long.csv"
    source.write_text(f"{'h' * LONG},b\n{'v' * LONG},2\n", encoding="utf-8")
    pack = Pack.create(tmp_path / "long.tdepack", title="Long")
    import_file(pack, source, title="Long header")
    return pack


def test_the_grid_draws_a_bounded_header_and_cell_but_copies_the_whole(
        qtbot, tmp_path: Path) -> None:
    from tde_desktop.qt.explorer.dataset_table_model import DatasetTableModel
    from tde_desktop.qt.explorer.dataset_view import DatasetView

    pack = _long_pack(tmp_path)
    try:
        info = pack.dataset("Long header")
        assert len(info.columns[0].original_name) == LONG  # the pack keeps it whole
        model = DatasetTableModel(pack.conn, info)
        model.row(0)  # read the first page
        header = model.headerData(0, Qt.Orientation.Horizontal)
        assert len(header) <= SHOWN_LIMIT
        assert header.endswith("\u2026")
        assert len(model.headerData(0, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole)) < TIP_LIMIT + 200
        assert len(model.index(0, 0).data()) == SHOWN_LIMIT
        assert model.cell_text(0, 0) == "v" * LONG  # what Ctrl+C copies
        view = DatasetView()
        qtbot.addWidget(view)
        started = time.process_time()
        view.setModel(model)
        view.show()
        qtbot.wait(10)
        assert time.process_time() - started < 2.0
        view.selectAll()
        assert view.selected_tsv().split("\t")[0] == "v" * LONG
    finally:
        pack.close()


def test_the_card_and_dictionary_show_a_bounded_name(qtbot, tmp_path: Path) -> None:
    from tde_desktop.qt.explorer.dataset_card import card_html
    from tde_desktop.qt.explorer.dictionary_editor import DictionaryEditor

    pack = _long_pack(tmp_path)
    try:
        info = pack.dataset("Long header")
        assert len(card_html(info)) < 10_000
        editor = DictionaryEditor()
        qtbot.addWidget(editor)
        editor.set_dataset(pack, info)
        name = editor.table.item(0, 0).text()
        assert len(name) <= SHOWN_LIMIT
        assert name.startswith("hhh")
    finally:
        pack.close()


def test_a_note_longer_than_anyone_can_type_is_cut_in_the_console_and_on_the_projector(
        qtbot) -> None:
    from tde_desktop.core.workshop import moderation as mod
    from tde_desktop.core.workshop.answer_checks import MAX_TEXT
    from tde_desktop.qt.workshop.moderation import note_text
    from tde_desktop.qt.workshop.projector_panels import plain_label

    note = mod.Note("n1", "e1", "Walk", "note", "Prompt", "o" * LONG, "e" * LONG, mod.APPROVED)
    shown = note_text(note, "1. Walk")
    assert "e" * (MAX_TEXT - 1) + "\u2026" in shown
    assert "o" * (MAX_TEXT - 1) + "\u2026" in shown
    assert len(shown) < 2 * MAX_TEXT + 200
    short = mod.Note("n2", "e1", "Walk", "note", "", "Too many empty houses", "", mod.PENDING)
    assert note_text(short).startswith("Too many empty houses\n")
    label = plain_label("n" * LONG, "note")
    qtbot.addWidget(label)
    assert len(label.text()) == MAX_TEXT


def test_a_kiosk_box_shows_again_at_most_what_a_participant_can_type() -> None:
    from tde_desktop.core.workshop.answer_checks import MAX_TEXT
    from tde_desktop.qt.workshop.kiosk_text import typed

    assert typed("Too many empty houses") == "Too many empty houses"
    assert typed(None) == ""
    assert len(typed("k" * LONG)) == MAX_TEXT
    assert typed("k" * MAX_TEXT) == "k" * MAX_TEXT  # the longest answer comes back whole
