"""How fast does the data explorer answer on 2.5 million rows, next to bare SQL?

Builds (once, cached in ``--workdir``) a pack holding the three NYC tax-lot files of
shared/data/large appended into ONE dataset (2,559,554 rows) with our importer, and
records what the build cost. Then, in one offscreen Qt process, drives the real
main window (MainWindow, Explorer, DatasetTableModel in its DatasetView, FacetPanel,
ChartView), each action through the app's own code path (``ops.run_op`` where the
app uses it), and runs the SAME query as bare SQL on a fresh ``sqlite3`` connection
to the same file, interleaved, three times each:

1. first rows shown after the dataset is selected (and after the pack is opened);
2. the last row shown after jumping to the end (also while sorted and filtered);
3. sort by a column, with the index the app builds first (both reported);
4. a filter by equality, until the count and the first page are shown;
5. the values of a column with about 60 distinct values (facet panel);
6. a per-category bar chart (chart panel), until the canvas has painted.

For each action it prints the median wall time, the bare-SQL time, their ratio,
the longest time the UI thread was blocked (a 10 ms QTimer logs the largest gap
between its ticks) and whether the targets hold: "within 1.5x bare SQL + 50 ms",
"first rows within 150 ms", "UI blocked < 100 ms". It also reports which indexes
exist, when they were built, and what they cost in time and file size.

    python benchmarks/explore_bench.py --quick                 # one file, 855k rows
    python benchmarks/explore_bench.py --json explore.json     # all three, 2.56M rows
    python benchmarks/explore_bench.py --workdir /data/bench   # keep the pack there
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import _measure  # noqa: E402
import _ui_probe  # noqa: E402

LARGE = REPO.parent / "shared" / "data" / "large"
NYC_YEARS = ("2011", "2016", "2023")
QUICK_YEARS = ("2023",)
FULL_ROWS = 2_559_554
QUICK_ROWS = 855_552


def _gz(year: str) -> Path:
    return LARGE / f"nyc_bbl_population_estimates_{year}.csv.gz"


# -- the pack (built once, outside every timing) ------------------------------------------


def concatenate(years: tuple[str, ...], out: Path) -> int:
    """Gunzip the files of ``years`` into one CSV with one header; returns the data rows.

    Splitting on lines is safe: none of these files has a newline inside a field
    (the row check after the import would show it).
    """
    tmp = out.with_suffix(".partial")
    rows = 0
    with tmp.open("wb") as dst:
        for i, year in enumerate(years):
            with gzip.open(_gz(year), "rb") as src:
                header = src.readline()
                if i == 0:
                    dst.write(header)
                for line in src:
                    dst.write(line if line.endswith(b"\n") else line + b"\n")
                    rows += 1
    tmp.replace(out)
    return rows


def build_worker(source: Path, pack_path: Path) -> dict[str, object]:
    """Import ``source`` into a new pack (run in a child process); what the catalogue says."""
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.pack import Pack

    pack = Pack.create(pack_path, title="Explorer benchmark")
    try:
        info = import_file(pack, source, title="NYC tax lots 2011 2016 2023")
    finally:
        pack.close()
    return {"dataset_id": info.id, "table": info.table_name, "rows": info.row_count,
            "types": {c.name: c.type for c in info.columns}}


def build_pack(workdir: Path, quick: bool) -> tuple[Path, dict[str, object]]:
    """The pristine pack for this run (built and timed once, then reused) and its record."""
    name = "nyc2023" if quick else "nyc_all"
    pack = workdir / f"{name}.tdepack"
    record_path = workdir / f"{name}.build.json"
    if pack.exists() and record_path.exists():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        print(f"  reusing {pack} (built {record['built_at']} in {record['wall_s']:.1f} s)")
        return pack, record
    years = QUICK_YEARS if quick else NYC_YEARS
    csv_path = workdir / f"{name}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        rows = concatenate(years, csv_path)
        print(f"  wrote {csv_path.name} ({rows:,} rows) in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    for stale in workdir.glob(pack.name + "*"):
        stale.unlink()
    print(f"  importing {csv_path.name} with import_file ...", end=" ", flush=True)
    m = _measure.measure([sys.executable, str(Path(__file__).resolve()), "--build-worker",
                          str(csv_path), str(pack)])
    if not m.ok:
        raise SystemExit(f"the import failed:\n{m.stderr[-3000:]}")
    report = json.loads(m.stdout.strip().splitlines()[-1])
    print(f"{m.wall_s:.1f} s", flush=True)
    expected = QUICK_ROWS if quick else FULL_ROWS
    record = {
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "csv": str(csv_path),
        "csv_mb": round(csv_path.stat().st_size / 1e6, 1), "years": list(years),
        "wall_s": round(m.wall_s, 2), "cpu_s": round(m.cpu_s, 2),
        "peak_mb": round(m.peak_mb, 1), "load_before": [round(x, 2) for x in m.load_before],
        "pack_mb": round(pack.stat().st_size / 1e6, 1), "expected_rows": expected,
        **report,
    }
    if report["rows"] != expected:
        raise SystemExit(f"the pack holds {report['rows']:,} rows, expected {expected:,}")
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return pack, record



# -- bare SQL: the same query on a fresh sqlite3 connection ---------------------------------

PAGE = 200  # DatasetTableModel.PAGE_SIZE, checked against the model at start


def bare(pack_path: Path, work: object) -> tuple[float, object]:
    """Seconds to connect, run ``work(conn)`` and close; and its result."""
    started = time.perf_counter()
    conn = sqlite3.connect(str(pack_path))
    try:
        result = work(conn)  # type: ignore[operator]
    finally:
        conn.close()
    return time.perf_counter() - started, result


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class BareSql:
    """The statements the app issues for each action, written out as plain SQL."""

    def __init__(self, table: str, columns: list[str]) -> None:
        self.t = q(table)
        self.cols = "".join(", " + q(c) for c in columns)

    def page(self, offset: int) -> object:
        sql = f"SELECT rowid{self.cols} FROM {self.t} WHERE rowid > ? ORDER BY rowid LIMIT ?"
        return lambda conn: conn.execute(sql, (offset, PAGE)).fetchall()

    def sorted_page(self, key: str, offset: int) -> object:
        sql = (f"SELECT rowid{self.cols}, {q(key)} FROM {self.t} "
               f"ORDER BY {q(key)}, rowid LIMIT ? OFFSET ?")
        return lambda conn: conn.execute(sql, (PAGE, offset)).fetchall()

    def create_index_and_page(self, index: str, key: str) -> object:
        page = self.sorted_page(key, 0)

        def work(conn: sqlite3.Connection) -> object:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {q(index)} ON {self.t} ({q(key)})")
            conn.commit()
            return page(conn)  # type: ignore[operator]
        return work

    def count_and_page(self, column: str, value: object, offset: int = 0) -> object:
        count = f"SELECT count(*) FROM {self.t} WHERE {q(column)} = ?"
        page = (f"SELECT rowid{self.cols} FROM {self.t} WHERE {q(column)} = ? "
                f"ORDER BY rowid LIMIT ? OFFSET ?")

        def work(conn: sqlite3.Connection) -> object:
            n = conn.execute(count, (value,)).fetchone()[0]
            return n, conn.execute(page, (value, PAGE, offset)).fetchall()
        return work

    def filtered_page(self, column: str, value: object, offset: int) -> object:
        page = (f"SELECT rowid{self.cols} FROM {self.t} WHERE {q(column)} = ? "
                f"ORDER BY rowid LIMIT ? OFFSET ?")
        return lambda conn: conn.execute(page, (value, PAGE, offset)).fetchall()

    def numeric_buckets(self, column: str, buckets: int = 20) -> object:
        c = q(column)
        where = f"WHERE typeof({c}) IN ('integer', 'real')"

        def work(conn: sqlite3.Connection) -> object:
            lo, hi, _is_int = conn.execute(
                f"SELECT min({c}), max({c}), min(typeof({c}) = 'integer') FROM {self.t} "
                f"{where}").fetchone()
            width = (float(hi) - float(lo)) / buckets
            return conn.execute(
                f"SELECT min(CAST(({c} - ?) / ? AS INTEGER), ?), count(*) FROM {self.t} "
                f"{where} GROUP BY 1", (float(lo), width, buckets - 1)).fetchall()
        return work

    def value_counts(self, column: str) -> object:
        c = q(column)
        sql = f"SELECT {c}, count(*) FROM {self.t} GROUP BY {c}"
        return lambda conn: conn.execute(sql).fetchall()

    def bar(self, column: str, top: int = 15) -> object:
        c = q(column)
        sql = (f"SELECT {c}, count(*) AS m, count(*) OVER () FROM {self.t} "
               f"GROUP BY {c} ORDER BY m DESC, {c} LIMIT ?")
        return lambda conn: conn.execute(sql, (top,)).fetchall()


# -- the app, offscreen ------------------------------------------------------------------------


class Session:
    """The real main window on a copy of the pack, and helpers to reset it between runs."""

    def __init__(self, pack_path: Path, workdir: Path) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QSettings

        from tde_desktop.qt.shell.app import make_app

        self.app = make_app(["explore_bench"])
        # Settings go to the work folder, never to the person's real settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(workdir / "settings"))
        from tde_desktop.qt.explorer import dataset_table_model
        from tde_desktop.qt.shell.main_window import MainWindow

        assert dataset_table_model.PAGE_SIZE == PAGE, "the model's page size changed"
        self.pack_path = pack_path
        self.window = MainWindow()
        self.window.resize(1280, 800)
        self.window.show()
        self.app.processEvents()

    @property
    def explorer(self):  # type: ignore[no-untyped-def]
        return self.window.explorer

    @property
    def model(self):  # type: ignore[no-untyped-def]
        return self.window.explorer.model

    def reset_caches(self) -> None:
        """Forget cached counts and paging anchors, as after starting the app."""
        from tde_desktop.core.explore import paging

        paging.forget_cached_pages()

    def idle(self) -> None:
        """Wait (outside any timing) until no background work is left."""
        import _ui_probe
        from PySide6.QtCore import QThreadPool

        from tde_desktop.qt.common import ops

        _ui_probe.wait_until(lambda: not ops.running_ops())
        QThreadPool.globalInstance().waitForDone()
        self.app.processEvents()

    def paint_grid(self) -> None:
        """Lay out and repaint the grid and its frozen column now (they call data())."""
        self.app.processEvents()
        view = self.explorer.view
        view.viewport().repaint()
        view.frozen.viewport().repaint()

    def cell(self, row: int) -> object:
        model = self.model
        return model.data(model.index(row, 0)) if model is not None else None

    def deselect(self) -> None:
        self.explorer.set_dataset(None, None)
        self.window.dataset_list.setCurrentRow(-1)
        self.reset_caches()
        self.idle()

    def reselect(self) -> None:
        """A fresh grid on the dataset with nothing cached, first rows already shown."""
        self.deselect()
        self.window.dataset_list.setCurrentRow(0)
        self.paint_grid()
        self.idle()

    def column_index(self, name: str) -> int:
        return [c.name for c in self.model.columns].index(name)

    def close(self) -> None:
        self.idle()
        self.window.close()
        self.app.processEvents()


# -- the actions ---------------------------------------------------------------------------

FILTERS = (("councildist_2023", "33", 33), ("borough", "BK", "BK"))
SORT_COLUMN = "bbl_population_estimate"
FACET_COLUMN = "communitydist"  # 71 distinct values; policeprct has 77
CHART_COLUMNS = ("borough", "communitydist")
#: the targets of the issue
FIRST_ROWS_S = 0.150
RATIO, SLACK_S = 1.5, 0.050
BLOCK_S = 0.100


@dataclass
class Action:
    """One thing a person does in the explorer, and the bare SQL that answers it."""

    key: str
    label: str
    prepare: Callable[[], None]
    start: Callable[[], None]
    done: Callable[[], bool]
    finish: Callable[[], None]
    bare: object
    check: Callable[[object], str] = lambda _result: ""
    bare_prepare: Callable[[], None] | None = None
    first_rows: bool = False
    note: str = ""


def _same(shown: object, expected: object, what: str) -> str:
    return "" if shown == expected else f"{what}: app shows {shown!r}, bare SQL {expected!r}"


def build_actions(s: Session, table: str) -> list[Action]:
    """Every measured action, in the order they run (the sort ones build the index)."""
    from PySide6.QtCore import Qt

    from tde_desktop.core.explore.filters import Filter

    sql = BareSql(table, [c.name for c in s.model.columns])
    rows = s.model.count
    last_offset = (rows - 1) // PAGE * PAGE
    explorer = s.explorer
    header = explorer.view.horizontalHeader()
    out: list[Action] = []

    from tde_desktop.qt.explorer.dataset_table_model import PLACEHOLDER

    # Deep pages of a filtered or sorted table arrive from a background read, with
    # placeholders shown meanwhile: an action is done when the real row is there.
    def first_row_real() -> bool:
        return s.cell(0) not in (None, "", PLACEHOLDER)

    def last_row_real() -> bool:
        return s.cell(s.model.count - 1) not in (None, PLACEHOLDER)

    def show_first() -> None:
        s.paint_grid()
        assert s.cell(0) not in (None, ""), "row 0 is not shown"

    def show_last() -> None:
        s.paint_grid()
        assert s.cell(s.model.count - 1) is not None, "the last row is not shown"

    def first_row_is(result: object) -> str:
        return _same(s.model.row(0), tuple(result[0]), "row 1")  # type: ignore[index]

    def last_row_is(result: object, width: int | None = None) -> str:
        shown = s.model.row(s.model.count - 1)
        return _same(shown, tuple(result[-1])[:width], "last row")  # type: ignore[index]

    def reopen() -> None:
        s.window.close_pack()
        s.reset_caches()
        s.idle()

    out.append(Action(
        "open_pack", "open the pack -> first rows", reopen,
        lambda: s.window.open_pack(s.pack_path), first_row_real, show_first, sql.page(0),
        first_row_is, first_rows=True,
        note="MainWindow.open_pack: Pack.open, the dataset list, then the grid"))
    out.append(Action(
        "select_dataset", "select the dataset -> first rows", s.deselect,
        lambda: s.window.dataset_list.setCurrentRow(0), first_row_real, show_first, sql.page(0),
        first_row_is, first_rows=True, note="dataset list -> Explorer.set_dataset"))
    out.append(Action(
        "jump_end", "jump to the last row", s.reselect,
        lambda: explorer.view.scrollToBottom(), last_row_real, show_last, sql.page(last_offset),
        last_row_is, note="DatasetView.scrollToBottom"))

    for column, typed, value in FILTERS:
        def prepare_filter(column: str = column, typed: str = typed) -> None:
            s.reselect()
            bar = explorer.filter_bar
            bar.column_box.setCurrentIndex(bar.column_box.findData(column))
            bar.op_box.setCurrentIndex(bar.op_box.findData("is"))
            bar.value_edit.setText(typed)

        def filter_checked(result: object) -> str:
            n, page = result  # type: ignore[misc]
            return _same(s.model.count, n, "count") or first_row_is(page)

        out.append(Action(
            f"filter_{column}", f"filter {column} is {typed} -> count + first rows",
            prepare_filter, lambda: explorer.filter_bar.add_button.click(),
            lambda: bool(s.model.filters) and explorer.count == s.model.count,
            show_first, sql.count_and_page(column, value), filter_checked,
            note="filter bar Add -> run_op(count_rows) -> model.set_filters"))

    column, _typed, value = FILTERS[1]
    f_rows = {"n": 0}

    def prepare_filtered_jump() -> None:
        s.reselect()
        explorer.apply_filters([Filter(column, "is", value)])
        _ui_probe.wait_until(lambda: bool(s.model.filters))
        s.paint_grid()
        f_rows["n"] = s.model.count

    out.append(Action(
        "jump_end_filtered", f"jump to the last row, {column} is {value}",
        prepare_filtered_jump, lambda: explorer.view.scrollToBottom(), last_row_real, show_last,
        lambda conn: sql.filtered_page(column, value, (f_rows["n"] - 1) // PAGE * PAGE)(conn),  # type: ignore[operator]
        last_row_is, note="keyset paging from the nearest anchor (none near the end)"))

    facet_state: dict[str, Any] = {}

    def prepare_facet() -> None:
        s.reselect()
        panel = explorer.show_panel("FacetPanel")
        s.idle()
        panel.entries = None
        facet_state["panel"] = panel

    def facet_checked(result: object) -> str:
        entries = facet_state["panel"].entries or []
        shown = sorted(n for _label, n, _f in entries if n)
        return _same(shown, sorted(n for _v, n in result if n), "value counts")  # type: ignore[union-attr]

    out.append(Action(
        "facet", f"values of {FACET_COLUMN} (facet panel)", prepare_facet,
        lambda: facet_state["panel"].set_column(FACET_COLUMN),
        lambda: facet_state["panel"].entries is not None,
        lambda: facet_state["panel"].list.viewport().repaint(),
        sql.value_counts(FACET_COLUMN), facet_checked,
        note="integer code column with under 100 values: the panel lists each value (GROUP BY)"))

    for x in CHART_COLUMNS:
        def prepare_chart(x: str = x) -> None:
            s.reselect()
            view = explorer.show_panel("ChartView")
            s.idle()
            box = view.x_box
            other = 0 if box.itemData(0) != x else 1
            if box.currentIndex() != other:
                box.setCurrentIndex(other)
                s.idle()
            _ui_probe.wait_until(lambda: not view.canvas._draw_pending)
            view.data = None
            facet_state["chart"] = view

        def chart_drawn(x: str = x) -> bool:
            view = facet_state["chart"]
            return (view.data is not None and view.spec is not None and view.spec.x == x
                    and not view.canvas._draw_pending)

        def chart_checked(result: object) -> str:
            data = facet_state["chart"].data
            return _same(data.values, [float(r[1]) for r in result], "bar values")  # type: ignore[union-attr]

        out.append(Action(
            f"chart_{x}", f"bar chart: rows per {x}", prepare_chart,
            lambda x=x: facet_state["chart"].x_box.setCurrentIndex(
                facet_state["chart"].x_box.findData(x)),
            chart_drawn, lambda: facet_state["chart"].canvas.repaint(), sql.bar(x),
            chart_checked,
            note="X box -> run_op(charts.chart_data) -> draw_chart on the UI thread"))

    index = f"idx_{table}_{SORT_COLUMN}"
    sort_col = s.column_index(SORT_COLUMN)

    def drop_index() -> None:
        s.idle()
        conn = sqlite3.connect(str(s.pack_path))
        try:
            conn.execute(f"DROP INDEX IF EXISTS {q(index)}")
            conn.commit()
        finally:
            conn.close()

    def prepare_sort(drop: bool) -> None:
        if drop:
            drop_index()
        s.reselect()

    def sorted_done() -> bool:
        return s.model.order_by == SORT_COLUMN

    def sorted_first(result: object) -> str:
        return _same(s.model.row(0), tuple(result[0])[:-1], "row 1")  # type: ignore[index]

    out.append(Action(
        "sort_build", f"sort by {SORT_COLUMN}, building its index", lambda: prepare_sort(True),
        lambda: header.setSortIndicator(sort_col, Qt.SortOrder.AscendingOrder), sorted_done,
        show_first, sql.create_index_and_page(index, SORT_COLUMN), sorted_first,
        bare_prepare=drop_index,
        note="header click -> run_op(ensure_index) -> model.sort; bare: CREATE INDEX + page"))
    out.append(Action(
        "sort_indexed", f"sort by {SORT_COLUMN}, index already built",
        lambda: prepare_sort(False),
        lambda: header.setSortIndicator(sort_col, Qt.SortOrder.AscendingOrder), sorted_done,
        show_first, sql.sorted_page(SORT_COLUMN, 0), sorted_first,
        note="the app still runs ensure_index through run_op"))

    def prepare_sorted_jump() -> None:
        s.reselect()
        header.setSortIndicator(sort_col, Qt.SortOrder.AscendingOrder)
        _ui_probe.wait_until(sorted_done)
        s.paint_grid()

    out.append(Action(
        "jump_end_sorted", f"jump to the last row, sorted by {SORT_COLUMN}",
        prepare_sorted_jump, lambda: explorer.view.scrollToBottom(), last_row_real, show_last,
        sql.sorted_page(SORT_COLUMN, last_offset),
        lambda result: last_row_is(result, -1),
        note="LIMIT 200 OFFSET n over the index, on the UI thread"))
    return out


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def measure_action(s: Session, action: Action, reps: int) -> dict[str, Any]:
    """Run ``action`` through the app and its bare SQL, interleaved, ``reps`` times."""
    runs = []
    print(f"  {action.label}:", end="", flush=True)
    for _i in range(reps):
        action.prepare()
        timing = _ui_probe.run_action(action.start, action.done, action.finish)
        s.idle()
        if action.bare_prepare is not None:
            action.bare_prepare()
        bare_s, result = bare(s.pack_path, action.bare)
        problem = "timed out" if timing.timed_out else action.check(result)
        runs.append({"app_s": round(timing.wall_s, 4), "ui_block_s": round(timing.max_gap_s, 4),
                     "bare_s": round(bare_s, 4), "problem": problem})
        print(f" {timing.wall_s * 1000:,.0f}/{bare_s * 1000:,.0f} ms", end="", flush=True)
    print()
    app = _median([r["app_s"] for r in runs])
    base = _median([r["bare_s"] for r in runs])
    block = _median([r["ui_block_s"] for r in runs])
    return {
        "key": action.key, "label": action.label, "note": action.note, "runs": runs,
        "app_s": round(app, 4), "bare_s": round(base, 4),
        "ratio": round(app / base, 2) if base > 0 else None,
        "ui_block_s": round(block, 4),
        "ui_block_max_s": round(max(r["ui_block_s"] for r in runs), 4),
        "app_min_s": round(min(r["app_s"] for r in runs), 4),
        "app_max_s": round(max(r["app_s"] for r in runs), 4),
        "ratio_target_met": app <= RATIO * base + SLACK_S,
        "first_rows_target_met": (app <= FIRST_ROWS_S) if action.first_rows else None,
        "ui_block_target_met": block < BLOCK_S,
        "problems": sorted({r["problem"] for r in runs if r["problem"]}),
    }


# -- indexes and diagnostics --------------------------------------------------------------


def file_sizes(pack: Path) -> dict[str, int]:
    """Bytes of the pack and its write-ahead log (an index lands in the log first)."""
    wal = pack.with_name(pack.name + "-wal")
    return {"db": pack.stat().st_size, "wal": wal.stat().st_size if wal.exists() else 0}


def indexes(pack: Path, table: str) -> list[dict[str, Any]]:
    """Indexes on the dataset table, each with its size on disk where dbstat can tell."""
    conn = sqlite3.connect(str(pack))
    try:
        found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                             "tbl_name = ?", (table,)).fetchall()
        out = []
        for name, sql_text in found:
            try:
                size = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?",
                                    (name,)).fetchone()[0]
            except sqlite3.Error:
                size = None
            out.append({"name": name, "sql": sql_text, "bytes": size})
        return out
    finally:
        conn.close()


def diagnostics(pack: Path, table: str, reps: int) -> dict[str, float]:
    """Median seconds of the pieces the app adds around its queries (fresh connections)."""
    from tde_desktop.core.pack import Pack

    def timed(fn: Callable[[], object]) -> float:
        times = []
        for _i in range(reps):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return round(_median(times), 4)

    def pack_open_close() -> None:
        Pack.open(pack).close()

    t = q(table)
    return {
        "pack_open_close_s": timed(pack_open_close),
        "quick_check_s": timed(lambda: bare(pack, lambda c: c.execute(
            "PRAGMA quick_check").fetchone())),
        "count_all_s": timed(lambda: bare(pack, lambda c: c.execute(
            f"SELECT count(*) FROM {t}").fetchone())),
        # Two statements, as paging.py does: together in one SELECT they scan the table.
        "min_then_max_rowid_s": timed(lambda: bare(pack, lambda c: (
            c.execute(f"SELECT min(rowid) FROM {t}").fetchone(),
            c.execute(f"SELECT max(rowid) FROM {t}").fetchone()))),
    }


def chart_draw_s(s: Session, reps: int) -> float:
    """Median seconds to draw the last chart again on the UI thread (draw_chart + canvas)."""
    from tde_desktop.core.explore import charts

    view = s.explorer.show_panel("ChartView")
    s.idle()
    times = []
    for _i in range(reps):
        started = time.perf_counter()
        charts.draw_chart(view.figure, view.data, view.spec)
        view.canvas.draw()
        view.canvas.repaint()
        times.append(time.perf_counter() - started)
    return round(_median(times), 4)


# -- reporting ------------------------------------------------------------------------------


def _mark(flag: bool | None) -> str:
    return "-" if flag is None else ("met" if flag else "MISSED")


def print_table(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        rows.append([r["label"], round(r["app_s"] * 1000), round(r["bare_s"] * 1000),
                     f"{r['ratio']:.1f}x" if r["ratio"] is not None else "-",
                     _mark(r["ratio_target_met"]), round(r["ui_block_s"] * 1000),
                     _mark(r["ui_block_target_met"]), _mark(r["first_rows_target_met"])])
    print(_measure.format_table(
        ["action (median of runs)", "app ms", "bare SQL ms", "ratio", "<=1.5x+50ms",
         "UI blocked ms", "<100ms", "first rows <=150ms"], rows))


def _versions() -> dict[str, str]:
    import PySide6

    try:
        describe = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                                  capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        describe = "unknown"
    return {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "pyside6": PySide6.__version__, "tde_desktop": describe,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores"}


def _mb(n: int | None) -> str:
    return "?" if n is None else f"{n / 1e6:,.1f} MB"


def run(args: argparse.Namespace) -> int:
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    uptime_before = _measure.uptime_line()
    print(f"machine: {uptime_before}")
    print(f"preparing the pack in {workdir}", flush=True)
    pristine, record = build_pack(workdir, args.quick)
    table = str(record["table"])
    # Every run starts from the pack as imported: no index left by an earlier run.
    copy = workdir / f"{pristine.stem}.run.tdepack"
    for stale in workdir.glob(copy.name + "*"):
        stale.unlink()
    shutil.copyfile(pristine, copy)
    sizes_before = file_sizes(copy)
    indexes_before = indexes(copy, table)
    versions = _versions()
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"pack: {record['rows']:,} rows, {_mb(sizes_before['db'])}; import took "
          f"{record['wall_s']:.1f} s (cpu {record['cpu_s']:.1f} s, peak {record['peak_mb']} MB)")
    print(f"indexes on the dataset after import: "
          f"{', '.join(i['name'] for i in indexes_before) or 'none'}")

    s = Session(copy, workdir)
    assert s.window.open_pack(copy)
    s.paint_grid()
    s.idle()
    results: list[dict[str, Any]] = []
    index_log: list[dict[str, Any]] = []
    chosen = set(args.only.split(",")) if args.only else None
    print(f"measuring ({args.reps} runs each: app ms / bare SQL ms)", flush=True)
    for action in build_actions(s, table):
        if chosen is not None and action.key not in chosen:
            continue
        before = file_sizes(copy)
        had = {i["name"] for i in indexes(copy, table)}
        started_at = time.strftime("%H:%M:%S")
        results.append(measure_action(s, action, args.reps))
        s.idle()
        new = [i for i in indexes(copy, table) if i["name"] not in had]
        if new:
            after = file_sizes(copy)
            conn = sqlite3.connect(str(copy))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            index_log.append({
                "built_by": action.key, "at": started_at, "indexes": new,
                "app_build_and_sort_s": results[-1]["app_s"],
                "bare_create_and_page_s": results[-1]["bare_s"],
                "files_before": before, "files_after": after,
                "files_after_checkpoint": file_sizes(copy)})
    diag = diagnostics(copy, table, args.reps)
    if chosen is None or any(k.startswith("chart") for k in chosen):
        diag["chart_redraw_on_ui_thread_s"] = chart_draw_s(s, args.reps)
    s.close()
    uptime_after = _measure.uptime_line()

    print()
    print_table(results)
    print()
    for r in results:
        if r["problems"]:
            print(f"  CHECK FAILED {r['label']}: {'; '.join(r['problems'])}")
    print("indexes:")
    for i in indexes_before:
        print(f"  {i['name']}: made by the import, {_mb(i['bytes'])}")
    for event in index_log:
        for i in event["indexes"]:
            b, a, c = (event["files_before"], event["files_after"],
                       event["files_after_checkpoint"])
            print(f"  {i['name']}: built on the first sort ({event['built_by']}, "
                  f"{event['at']}); app {event['app_build_and_sort_s']:.2f} s to build and "
                  f"show, bare CREATE INDEX + page {event['bare_create_and_page_s']:.2f} s; "
                  f"index {_mb(i['bytes'])}; file {_mb(b['db'])} + WAL {_mb(b['wal'])} -> "
                  f"{_mb(a['db'])} + WAL {_mb(a['wal'])}, after checkpoint {_mb(c['db'])}")
    if not indexes_before and not index_log:
        print("  none")
    print("pieces (median, fresh connection): " + ", ".join(
        f"{k} {v * 1000:,.0f} ms" for k, v in diag.items()))
    print(f"machine after: {uptime_after}")
    if args.json:
        args.json.write_text(json.dumps({
            "quick": args.quick, "reps": args.reps, "versions": versions,
            "uptime_before": uptime_before, "uptime_after": uptime_after,
            "build": record, "targets": {"first_rows_s": FIRST_ROWS_S, "ratio": RATIO,
                                         "slack_s": SLACK_S, "ui_block_s": BLOCK_S},
            "results": results, "indexes_after_import": indexes_before,
            "index_builds": index_log, "diagnostics": diag}, indent=2) + "\n",
            encoding="utf-8")
        print(f"figures written to {args.json}")
    ok = all(not r["problems"] for r in results)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--build-worker":
        print(json.dumps(build_worker(Path(argv[1]), Path(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"one file only ({QUICK_ROWS:,} rows), for a smoke run")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "tde-explore-bench",
                        help="where the CSV and the pack are built once and reused "
                             "(default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--reps", type=int, default=3,
                        help="runs of each measurement; the median is reported")
    parser.add_argument("--only", help="comma-separated action keys (default: all)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
