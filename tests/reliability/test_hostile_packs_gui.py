"""Hostile packs opened in the main window, as a person would with File > Open.

The same rewrites as ``test_hostile_packs.py`` (catalogue, dictionary, workshop, response,
moderation and tidy fields; path pieces, markup, SQL fragments, NUL, 10 MB of text, wrong
types) are written into a copy of a small whole pack, which the real main window then
opens offscreen through its File > Open action. Either:

* the pack is refused: one message box whose text is one plain sentence (no traceback,
  shown as plain text), nothing left open, the file not changed by a byte, and the window
  still opens a good pack afterwards; or
* it is accepted: the dataset list, the dataset card, the dictionary and the grid's first
  page show it; with a workshop, the console's moderation list shows its notes and the
  projector opens; no label or tooltip anywhere renders the pack's markup; and after
  closing, every table's rows and schema are as before.

What opening legitimately writes, and is therefore allowed to change the file's bytes:
the switch to WAL journal mode (the header's two journal bytes) and ``PRAGMA optimize``
at close (``sqlite_stat1``); the lock file ``<pack>.lock`` beside it, removed at close.
The run's counts go to RELIABILITY.md ("Packs from strangers").
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, seed, settings

from tests.reliability.conftest import LONG, SEED, Scenario
from tests.reliability.hostile_fields import (
    BIG_MARK,
    HOSTILE_TEXT,
    Mutation,
    PackTimer,
    apply,
    mutations,
)
from tests.reliability.stranger_pack import build, digest

pytest.importorskip("PySide6")

EXAMPLES = 300 if LONG else 60
#: CPU seconds (this process, all threads) that opening a pack and looking at everything
#: may take. Text the app itself writes without a limit (an import keeps any header, a tidy
#: step any value of the data) can be 10 MB; the screens draw only a bounded part of it
#: (qt/common/shown_text.py), where a 10 MB column name once held the window 88 s.
OPEN_CPU = 2.0
#: Those fields, each given 10 MB in every run (besides the random draws).
UNBOUNDED = [("_tde_columns", "original_name"), ("_tde_columns", "name"),
             ("_tde_tidy", "from_value"), ("_tde_tidy", "to_value")]
#: Markup from HOSTILE_TEXT that would change what a rich-text label draws (whole strings:
#: the app's own rich labels use tags like <b> too, never these).
MARKUP = [t for t in HOSTILE_TEXT if t.startswith("<") and ">" in t]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile_gui") / "template.tdepack"
    build(path)
    return path


@pytest.fixture
def main_window(qtbot: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app's main window, as people see it (Fusion, 100%, English), with settings in
    a temporary folder so no test touches the real ones."""
    from PySide6.QtCore import QSettings

    from tde_desktop.core import i18n
    from tde_desktop.qt.common import ops, theme
    from tde_desktop.qt.shell.app import make_app
    from tde_desktop.qt.shell.main_window import MainWindow

    theme.apply_theme(make_app(), scale=1.0, high_contrast=False)
    i18n.set_language("en")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("settings")))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    ops.wait_for_all()
    window.close_pack()
    window.close()
    window.deleteLater()
    _delete_closed_windows()


def _delete_closed_windows() -> None:
    """Delete what was closed with deleteLater now: no event loop runs between examples,
    and every live widget is restyled when the next test applies the theme."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _wait_idle(qtbot: Any) -> None:
    from tde_desktop.qt.common import ops

    qtbot.waitUntil(lambda: not ops.running_ops(), timeout=30_000)


def _open_as_a_person(window: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File > Open, with the file dialog answering ``path``."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    window.open_action.trigger()


def _contents(path: Path) -> dict[str, str]:
    """Each table's and index's schema text and a hash of its rows (SQLite's own
    statistics left out): what a person's data is, whatever the bytes on disk."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        found: dict[str, str] = {}
        for kind, name, sql in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                "ORDER BY name"):
            h = hashlib.sha256(str(sql).encode())
            if kind == "table" and not str(sql).upper().startswith("CREATE VIRTUAL"):
                quoted = name.replace('"', '""')
                for row in conn.execute(f'SELECT * FROM "{quoted}" ORDER BY rowid'):
                    h.update(repr(row).encode())
            found[f"{kind} {name}"] = h.hexdigest()
        return found
    finally:
        conn.close()


def _squashed(text: str) -> str:
    """``text`` as compared on screen: line breaks, tabs and other control or space
    characters as one space (the card shows "0\r0" as "0 0"), no zero-width break hints."""
    spaced = "".join(" " if unicodedata.category(c)[0] in "CZ" else c
                     for c in text.replace("\u200b", ""))
    return " ".join(spaced.split())


def _label_problems(widgets: list[Any]) -> list[str]:
    """Labels and tooltips, in ``widgets`` and their children, that would draw pack markup
    as rich text (the markup appears unescaped in text Qt reads as rich)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtWidgets import QLabel, QWidget

    problems = []
    for top in widgets:
        for widget in [top, *top.findChildren(QWidget)]:
            texts = [("tooltip", widget.toolTip())]
            if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText:
                texts.append(("label", widget.text()))
            for what, text in texts:
                if text and GuiQt.mightBeRichText(text) and any(m in text for m in MARKUP):
                    problems.append(f"{what} {widget.accessibleName()!r}: {text[:80]!r}")
    return problems


def _look_at_everything(window: Any, qtbot: Any, tally: Counter[str]) -> None:
    """What a person sees of an accepted pack: datasets, card, dictionary, grid, and the
    console's moderation list and the projector of every workshop."""
    from tde_desktop.core.workshop import moderation
    from tde_desktop.core.workshop import workshops as ws
    from tests.qt.test_plain_text_markup import shown

    pack = window.pack
    _wait_idle(qtbot)
    datasets = pack.datasets()
    assert window.dataset_list.count() == len(datasets)
    explorer = window.explorer
    if datasets:
        info = explorer.dataset
        assert info is not None
        card = _squashed(shown(explorer.card.label))
        assert _squashed(info.title)[:20] in card, card[:200]
        assert explorer.dictionary.table.rowCount() == len(info.columns)
        model = explorer.model
        assert model.rowCount() == min(info.row_count, model.rowCount())
        if model.rowCount() and model.columnCount():
            first = model.data(model.index(0, 0))
            assert isinstance(first, str)
        tally["datasets shown"] += 1
    windows = [window]
    for workshop in ws.list_workshops(pack):
        console = window.workshop_menu.open_console_unlocked(workshop.id)
        _wait_idle(qtbot)
        notes = moderation.notes(pack, workshop.id)
        assert console.moderation.notes_list.count() == len(notes)
        projector = window.workshop_menu.ask_projector(workshop.id)
        assert projector is not None
        _wait_idle(qtbot)
        windows += [console, projector]
        tally["workshops shown"] += 1
    problems = _label_problems(windows)
    assert not problems, problems


def test_hostile_packs_opened_in_the_main_window(
        template: Path, main_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        scenario: Callable[[str, str], Scenario]) -> None:
    from tde_desktop.core.pack.lock import lock_path
    from tde_desktop.qt.common import ops

    checked = ("File > Open in the main window: a refusal is one plain sentence in one "
               "message box, the file unchanged and the window still usable; an accepted "
               "pack shows its datasets, card, dictionary, grid, moderation list and "
               "projector with no markup rendered, its tables unchanged")
    runs = scenario("strangers: hostile packs opened in the main window", checked)
    tally: Counter[str] = Counter()
    timer, slowest_cpu = PackTimer(), [0.0]
    window = main_window

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(changes=mutations())
    def one(changes: list[Mutation]) -> None:
        with timer.timed(changes, tally), tempfile.TemporaryDirectory() as tmp:
            stranger = Path(tmp) / "stranger.tdepack"
            shutil.copyfile(template, stranger)
            apply(stranger, changes)
            before, rows_before = digest(stranger), _contents(stranger)
            ops.last_message = None
            window.close_pack()  # a failed example (hypothesis replays it) may leave one open
            cpu = time.process_time()
            _open_as_a_person(window, stranger, monkeypatch)
            if window.pack is None:
                box = ops.last_message
                assert box is not None, "refused without a word"
                text = box.text()
                assert "\n" not in text, text
                assert "Traceback" not in text, text
                assert text.endswith("."), text
                from PySide6.QtCore import Qt

                assert box.textFormat() == Qt.TextFormat.PlainText
                box.close()
                assert digest(stranger) == before, "a refused pack was changed"
                assert not lock_path(stranger).exists()
                # the window is still usable: the good pack opens
                good = Path(tmp) / "good.tdepack"
                shutil.copyfile(template, good)
                _open_as_a_person(window, good, monkeypatch)
                assert window.pack is not None
                assert window.pack.path == good
                tally["refused"] += 1
            else:
                assert window.pack.path == stranger
                _look_at_everything(window, qtbot, tally)
                tally["accepted"] += 1
            cpu = time.process_time() - cpu
            slowest_cpu[0] = max(slowest_cpu[0], cpu)
            assert cpu < OPEN_CPU, f"opening and looking took {cpu:.1f} s of CPU"
            ops.wait_for_all()
            window.close_pack()
            _delete_closed_windows()
            assert _contents(stranger) == rows_before or digest(stranger) == before
            if digest(stranger) != before:
                tally["bytes changed by legitimate writes"] += 1
            assert not lock_path(stranger).exists()
            tally["packs"] += 1
            runs.trial()

    for table, column in UNBOUNDED:
        one = example(changes=[Mutation(table, column, BIG_MARK, True)])(one)
    t0 = time.monotonic()
    one()
    print(f"hostile packs in the GUI: {tally['packs']} packs, {tally['refused']} refused "
          f"with one sentence, {tally['accepted']} accepted and shown "
          f"({tally['workshops shown']} with console and projector); "
          f"{tally['bytes changed by legitimate writes']} changed only by legitimate writes; "
          f"slowest pack {timer.slowest:.1f} s ({slowest_cpu[0]:.2f} s of CPU to open and look), "
          f"all {time.monotonic() - t0:.1f} s")


def test_a_good_pack_writes_only_what_opening_writes(template: Path, main_window: Any,
                                                     qtbot: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The untouched pack: its rows and schema are unchanged by opening and looking; only
    the journal mode in the header and SQLite's statistics differ, if anything."""
    path = tmp_path / "good.tdepack"
    shutil.copyfile(template, path)
    before = _contents(path)
    raw = path.read_bytes()
    _open_as_a_person(main_window, path, monkeypatch)
    counts: Counter[str] = Counter()
    _look_at_everything(main_window, qtbot, counts)
    assert counts == {"datasets shown": 1, "workshops shown": 1}
    main_window.close_pack()
    assert _contents(path) == before
    after = path.read_bytes()
    assert after[18:20] == b"\x02\x02"  # WAL from now on (was rollback journal: 1, 1)
    assert raw[18:20] == b"\x01\x01"
    conn = sqlite3.connect(path)
    stats = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                        "WHERE name LIKE 'sqlite_stat%'")}
    conn.close()
    assert stats <= {"sqlite_stat1", "sqlite_stat4"}


def test_the_markup_check_sees_rendered_markup(qtbot: Any) -> None:
    """The check above would catch a label drawing pack markup, and passes a plain one."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    rich, plain = QLabel("<b>bold</b>"), QLabel("<b>bold</b>")
    plain.setTextFormat(Qt.TextFormat.PlainText)
    tip = QLabel("x")
    tip.setToolTip('<span style="font-size:90pt">HUGE</span> note')
    for label in (rich, plain, tip):
        qtbot.addWidget(label)
    assert len(_label_problems([rich, tip])) == 2
    assert _label_problems([plain]) == []
