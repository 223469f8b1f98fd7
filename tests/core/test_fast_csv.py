"""The fast CSV path (Arrow + ADBC) stores exactly what the Python path stores.

Each file is imported twice into packs on disk: once as the app does it (the fast
path when the file allows) and once with the fast path switched off. Catalogue,
dictionary and every stored value with its SQLite storage class must agree.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tde_desktop.core.errors import Cancelled
from tde_desktop.core.importers import fast_csv, import_file, scratch
from tde_desktop.core.pack import DatasetInfo, Pack
from tests.conftest import REPO, shared

CATALOGUE = ("title, source_url, format, sha256, row_count, column_count, import_options,"
             " warnings, crs, latitude_column, longitude_column")


def _import(path: Path, pack_path: Path, *, fast: bool, monkeypatch: pytest.MonkeyPatch,
            **options: Any) -> tuple[Pack, DatasetInfo, list[bool]]:
    """Import ``path`` into a new pack; the list records whether the fast path did it."""
    used: list[bool] = []
    real = fast_csv.import_fast

    def spy(*args: Any, **kwargs: Any) -> DatasetInfo | None:
        info = real(*args, **kwargs) if fast else None
        used.append(info is not None)
        return info

    with monkeypatch.context() as m:
        m.setattr(fast_csv, "import_fast", spy)
        pack = Pack.create(pack_path, title="t")
        return pack, import_file(pack, path, **options), used


def _contents(pack: Pack, info: DatasetInfo) -> tuple[Any, ...]:
    conn = pack.conn
    catalogue = conn.execute(f"SELECT {CATALOGUE} FROM _tde_datasets").fetchall()
    dictionary = conn.execute(
        "SELECT position, name, original_name, type, is_identifier, missing_count"
        " FROM _tde_columns ORDER BY position").fetchall()
    names = [r[1] for r in dictionary]
    typed = ", ".join(f'typeof("{n}"), "{n}"' for n in names)
    rows = conn.execute(f'SELECT {typed} FROM "{info.table_name}" ORDER BY rowid').fetchall()
    return catalogue, dictionary, rows


def assert_same_both_ways(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          **options: Any) -> bool:
    """Import both ways, compare everything; returns whether the fast path did it all."""
    fast_pack, fast_info, used = _import(path, tmp_path / "fast.tdepack", fast=True,
                                         monkeypatch=monkeypatch, **options)
    slow_pack, slow_info, _ = _import(path, tmp_path / "slow.tdepack", fast=False,
                                      monkeypatch=monkeypatch, **options)
    try:
        fast, slow = _contents(fast_pack, fast_info), _contents(slow_pack, slow_info)
        last_warnings[:] = slow_info.warnings
        assert fast[0] == slow[0], "catalogue rows differ"
        assert fast[1] == slow[1], "dictionary rows differ"
        assert len(fast[2]) == len(slow[2])
        for n, (a, b) in enumerate(zip(fast[2], slow[2], strict=True)):
            assert a == b, f"row {n + 1} differs"
    finally:
        fast_pack.close()
        slow_pack.close()
    last_used[:] = used
    return used == [True]


last_used: list[bool] = []  # each try of the fast path in the last import: did it import?
last_warnings: list[str] = []  # the warnings of the last import by the Python path


CLEAN_FILES = [
    "samples/baltimore/vacant_building_notices.csv",
    "samples/baltimore/demolition_list_clean.csv",
    "samples/los_angeles/myla311_service_requests_2017_subset.csv",
    "messy/baltimore_demolition_list_raw_cr_only.csv",
    "messy/nyc_rolling_sales_manhattan_bom_crlf.csv",
    "messy/nyc_nta_acs_2023_wide_973_columns.csv",
]


@pytest.mark.parametrize("relative", CLEAN_FILES)
def test_real_files_take_the_fast_path_and_store_the_same(
        relative: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert assert_same_both_ways(shared(relative), tmp_path, monkeypatch)


def test_montreal_falls_back_for_its_short_rows_and_imports_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Montréal's Latin-1, semicolon-separated export has rows one field short."""
    path = shared("messy/montreal_bike_counts_2012_latin1_semicolon.csv")
    assert not assert_same_both_ways(path, tmp_path, monkeypatch)


def test_a_windows_code_page_file_takes_the_fast_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Excel's "Save as CSV" writes on a Spanish or French Windows laptop."""
    src = tmp_path / "excel_export.csv"
    rows = [f"{i};Peñalolén {i};{i * 1.5};€ {i}\r\n" for i in range(30_000)]
    src.write_bytes(("número;comuna;monto;nota\r\n" + "".join(rows)).encode("cp1252"))
    assert assert_same_both_ways(src, tmp_path, monkeypatch)
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        first = pack.conn.execute(f"SELECT * FROM {info.table_name} LIMIT 1").fetchone()
    assert [c.original_name for c in info.columns] == ["número", "comuna", "monto", "nota"]
    assert first == (0, "Peñalolén 0", 0.0, "€ 0")
    assert info.import_options["encoding"] == "cp1252"
    assert any("not UTF-8" in w for w in info.warnings)


def test_every_kind_of_column_is_converted_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "kinds.csv"
    src.write_text(
        "i,isep,n,nsep,diso,dtiso,mdy,dmy,dtmdy,dtdmy,txt,portal,blank,code_id,odd\n"
        '1,"1,000",1.5,"1,234.5",2023-01-05,2023-01-05T10:00:00,1/5/2023,13/1/2023,'
        "1/5/2023 1:05 PM,13/1/2023 12:00,abc,01/05/2023 01:05:00 PM,,007,+5\n"
        "-0,25,-2e3,.5,NA,2023-01-05 10:00,12/31/99,1/2/23,12/31/2023 12:30:01 am,"
        "31/12/2023 23:59:59,NA,12/31/2023 12:00:00 AM,,12,1.\n"
        "N/A,,,,2024-02-29,,,,,,-,-,,,\n"
        "7,8,1e5,\"2,000\",2024-03-01,2024-03-01T00:00:00Z,2/29/2024,29/2/2024,"
        "2/29/2024 11:59 AM,29/2/2024 00:00:01,x,02/29/2024 12:59:59 PM,,0012,.5e3\n",
        encoding="utf-8")
    assert assert_same_both_ways(src, tmp_path, monkeypatch)
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        types = {c.name: c.type for c in info.columns}
        portal = [r[0] for r in pack.conn.execute(
            f"SELECT portal FROM {info.table_name} ORDER BY rowid")]
    assert [types[n] for n in ("i", "nsep", "odd", "portal", "code_id")] == \
        ["integer", "number", "text", "datetime", "text"]
    assert portal == ["2023-01-05T13:05:00", "2023-12-31T00:00:00", None,
                      "2024-02-29T12:59:59"]


def test_types_are_those_of_the_whole_file_not_the_first_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decimal, a leading zero or a text value far down decides the column's type."""
    src = tmp_path / "late.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["whole_then_decimal", "number_then_zero", "empty_then_number", "text"])
        for i in range(60_000):
            w.writerow([i, i, "", f"t{i}"])
        w.writerow(["2.5", "0123", "42", "end"])
    assert assert_same_both_ways(src, tmp_path, monkeypatch)
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        types = [c.type for c in info.columns]
        first = pack.conn.execute(
            f"SELECT typeof(whole_then_decimal), number_then_zero FROM {info.table_name}"
            " WHERE rowid = 2").fetchone()
    assert types == ["number", "text", "integer", "text"]
    assert first == ("real", "1")


def test_a_ragged_file_falls_back_and_keeps_every_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "ragged.csv"
    src.write_text("a,b\n1,2\n3\n4,5,6\n", encoding="utf-8")
    assert not assert_same_both_ways(src, tmp_path, monkeypatch)
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        assert (info.row_count, len(info.warnings)) == (3, 2)


def test_a_value_holding_nul_makes_the_column_text_both_ways(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "nul.csv"
    # (past the first 4 KB: a NUL at the top marks a file as not text at all)
    src.write_bytes(b"a,b\n" + b"1,2\n" * 2000 + b"1\x002,3\n")
    assert assert_same_both_ways(src, tmp_path, monkeypatch)


def _scratch_files() -> set[Path]:
    """This process's scratch files (other processes may be importing at the same time)."""
    return set(Path(tempfile.gettempdir()).glob(scratch.scratch_prefix() + "-*"))


def test_cancel_during_the_fast_path_leaves_pack_and_disk_as_they_were(
        new_pack: Pack, tmp_path: Path) -> None:
    src = tmp_path / "big.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "value", "when"])
        w.writerows([i, i * 0.5, "01/05/2023 01:05:00 PM"] for i in range(400_000))
    before_tables = new_pack.table_names()
    before_scratch = _scratch_files()
    calls: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        calls.append(message)
        if len(calls) > 30:  # past the first 8 MB: rows are being written
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_file(new_pack, src, progress=progress)
    assert calls[-1].startswith("Imported")
    assert new_pack.table_names() == before_tables
    assert new_pack.datasets() == []
    assert _scratch_files() == before_scratch


def test_old_scratch_files_of_a_killed_import_are_removed(new_pack: Pack,
                                                         tmp_path: Path) -> None:
    stale = Path(tempfile.gettempdir()) / "tde-import-stale-test.sqlite"
    stale.write_bytes(b"left by an import that was killed")
    old = time.time() - 2 * scratch.STALE_SCRATCH_SECONDS
    import os

    os.utime(stale, (old, old))
    fresh = Path(tempfile.gettempdir()) / "tde-import-fresh-test.sqlite"
    fresh.write_bytes(b"another import, still running")
    try:
        src = tmp_path / "small.csv"
        src.write_text("a\n1\n", encoding="utf-8")
        import_file(new_pack, src)
        assert not stale.exists()
        assert fresh.exists()
    finally:
        stale.unlink(missing_ok=True)
        fresh.unlink(missing_ok=True)


def test_scratch_files_whose_process_is_gone_are_removed_whatever_their_age(
        new_pack: Pack, tmp_path: Path) -> None:
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    folder = Path(tempfile.gettempdir())
    killed = folder / f"{scratch.scratch_prefix(dead_pid)}-killedtest.sqlite"
    reused = folder / f"tde-import-{os.getpid()}-1-reusedtest.sqlite"  # same pid, not us
    running = folder / f"{scratch.scratch_prefix()}-runningtest.sqlite"  # this process
    for path in (killed, reused, running):
        path.write_bytes(b"scratch")
    try:
        src = tmp_path / "small.csv"
        src.write_text("a\n1\n", encoding="utf-8")
        import_file(new_pack, src)
        assert not killed.exists()
        if Path("/proc").is_dir():  # where a start time tells a reused pid apart
            assert not reused.exists()
        assert running.exists()
        assert scratch.remove_abandoned_scratch_files() == 0  # nothing else of ours left
    finally:
        for path in (killed, reused, running):
            path.unlink(missing_ok=True)


def test_importing_a_csv_from_the_command_line_does_not_load_pandas(tmp_path: Path) -> None:
    """pandas costs 60 MB and 0.2 s; pyarrow reaches for it at the slightest chance."""
    pack, src = tmp_path / "p.tdepack", tmp_path / "d.csv"
    src.write_text("n,d,t\n1.5,1/5/2023,x\n,12/31/2023,y\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "tde_desktop.cli.main", "new", str(pack), "--title", "t"],
                   check=True, cwd=REPO, capture_output=True)
    script = (
        "import sys\n"
        "from tde_desktop.core.pack import Pack\n"
        "from tde_desktop.core.importers import import_file\n"
        f"pack = Pack.open({str(pack)!r})\n"
        f"info = import_file(pack, {str(src)!r})\n"
        "print(info.row_count, 'pandas' in sys.modules, 'pyarrow' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO,
                         capture_output=True, text=True).stdout.split()
    assert out == ["2", "False", "True"]


# -- random tables ----------------------------------------------------------------------

_CELL_KINDS = [
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=8),
    st.integers(-10**13, 10**13).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.from_regex(r"\A[-+]?[0-9]{0,3}[.]?[0-9]{0,3}([eE][-+]?[0-9]{1,4})?\Z"),
    st.from_regex(r"\A[0-9]{1,2}/[0-9]{1,2}/([0-9]{2}|[0-9]{4})( [0-9]{1,2}:[0-9]{2}"
                  r"(:[0-9]{2})?( ?[AaPp][Mm])?)?\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?\Z"),
    st.from_regex(r"\A[0-9]{1,3}(,[0-9]{3}){0,2}(\.[0-9]{1,2})?\Z"),
    st.sampled_from(sorted({"", "NA", "N/A", "-", "null", "0", "007", "-0"})),
]
_ANY_CELL = st.one_of(*_CELL_KINDS)


@st.composite
def _tables(draw: st.DrawFn) -> list[list[str]]:
    ncols = draw(st.integers(1, 4))
    per_column = [draw(st.sampled_from([_ANY_CELL, *_CELL_KINDS])) for _ in range(ncols)]
    nrows = draw(st.integers(1, 30))
    return [[draw(kind) for kind in per_column] for _ in range(nrows)]


def _write(table: list[list[str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([f"col{i}" for i in range(len(table[0]))])
        w.writerows(table)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(table=_tables())
@example(table=[["12/31/2017 11:59:42 PM"], ["01/01/2018 12:00:00 AM"], [""]])
@example(table=[["+5"], ["1."], [".5e3"], ["1e0005"]])
def test_random_tables_store_the_same_both_ways(table: list[list[str]],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "t.csv"
        _write(table, src)
        # written as a comma CSV and read as one: values with ';' or '|' in a one-column
        # table could be another dialect's rows (test_dialects covers telling them apart)
        took_fast = assert_same_both_ways(src, Path(tmp), monkeypatch, delimiter=",")
        # A blank row with a title and names under it starts a second table: the fast path
        # hands such a file to the Python path, which cuts the table there with a note.
        assert took_fast or any(w.startswith("Another table starts") for w in last_warnings), \
            "the fast path gave up"


@pytest.fixture(autouse=True)
def _no_leftover_scratch() -> Iterator[None]:
    before = _scratch_files()
    yield
    assert _scratch_files() <= before, "a scratch file was left behind"


@pytest.mark.parametrize("problem", [ImportError, FileNotFoundError])
def test_without_pyarrow_or_adbc_the_python_path_imports(
        new_pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        problem: type[Exception]) -> None:
    """An installation missing the compiled parts (or a file they read) still imports."""
    import builtins

    real_import = builtins.__import__

    def missing(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("pyarrow", "adbc_driver_manager", "adbc_driver_sqlite"):
            raise problem(f"{name} is not here")
        return real_import(name, *args, **kwargs)

    src = tmp_path / "d.csv"
    src.write_text("n,when\n1.5,1/5/2023\n2,12/31/2023\n", encoding="utf-8")
    monkeypatch.setattr(builtins, "__import__", missing)
    info = import_file(new_pack, src)
    assert [c.type for c in info.columns] == ["number", "date"]
    assert new_pack.conn.execute(f"SELECT * FROM {info.table_name}").fetchall() == [
        (1.5, "2023-01-05"), (2.0, "2023-12-31")]


def test_progress_rises_steadily_through_both_passes_to_the_end(
        new_pack: Pack, tmp_path: Path) -> None:
    src = tmp_path / "rows.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["n", "x"])
        w.writerows([i, i / 3] for i in range(150_000))
    calls: list[tuple[int, int, str]] = []
    import_file(new_pack, src, progress=lambda d, t, m: calls.append((d, t, m)))
    done = [d for d, _t, _m in calls]
    assert done == sorted(done)
    assert {t for _d, t, _m in calls} == {src.stat().st_size}  # one pass over the file
    assert calls[-1][0] == calls[-1][1]
    assert calls[-1][2] == "Imported 150,000 rows"
    assert len(calls) > 3


def test_a_type_changed_far_down_writes_again_and_says_so_in_the_progress(
        new_pack: Pack, tmp_path: Path) -> None:
    """The first 8 MB say whole numbers; a decimal at the end makes the column decimal."""
    src = tmp_path / "late_decimal.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["amount", "label"])
        w.writerows([i, f"row number {i} of a rather long file"] for i in range(500_000))
        w.writerow(["2.5", "the last row"])
    assert src.stat().st_size > 2 * fast_csv.CHOOSE_TYPES_BYTES
    calls: list[tuple[int, int, str]] = []
    info = import_file(new_pack, src, progress=lambda d, t, m: calls.append((d, t, m)))
    assert [c.type for c in info.columns] == ["number", "text"]
    stored = new_pack.conn.execute(
        f"SELECT typeof(amount), amount FROM {info.table_name} WHERE rowid IN (2, 500001)"
        " ORDER BY rowid").fetchall()
    assert stored == [("real", 1.0), ("real", 2.5)]
    totals = [t for _d, t, _m in calls]
    assert totals[0] == src.stat().st_size
    assert totals[-1] == 2 * src.stat().st_size  # the second pass is counted too
    assert calls[-1][0] == calls[-1][1]


def test_a_header_alone_gives_an_empty_dataset_both_ways(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "header.csv"
    src.write_text("a,b,c\n\n\n", encoding="utf-8")
    assert assert_same_both_ways(src, tmp_path, monkeypatch)


def test_a_legacy_byte_past_the_first_megabyte_falls_back_to_cp1252(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UTF-8 at the top, one cp1252 byte far down: Arrow stops, the Python path reads it."""
    src = tmp_path / "late.csv"
    with src.open("wb") as f:
        f.write(b"name,n\n")
        f.writelines(b"plain text %d,%d\n" % (i, i) for i in range(120_000))
        f.write(b"Caf\xe9,5\n")
    assert src.stat().st_size > 1 << 21
    assert not assert_same_both_ways(src, tmp_path, monkeypatch)
    assert last_used == [False, True]  # UTF-8 stopped at the byte; cp1252 went through
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        last = pack.conn.execute(
            f"SELECT name FROM {info.table_name} ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert last == "Café"
    assert json.loads(pack_options(tmp_path / "fast.tdepack"))["encoding"] == "cp1252"


def pack_options(path: Path) -> str:
    with Pack.open(path) as pack:
        return str(pack.conn.execute("SELECT import_options FROM _tde_datasets").fetchone()[0])


def test_columns_forced_to_text_or_dates_take_the_fast_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A facilitator keeps a code column as text, or a column of dates as written."""
    src = tmp_path / "forced.csv"
    src.write_text("ward,opened,amount\n7,2023-01-05,1.5\n12,NA,2\n,1/5/2023,\n",
                   encoding="utf-8")
    overrides = {"ward": "text", "opened": "date"}
    assert assert_same_both_ways(src, tmp_path, monkeypatch, type_overrides=overrides)
    with Pack.open(tmp_path / "fast.tdepack") as pack:
        info = pack.datasets()[0]
        rows = pack.conn.execute(f"SELECT * FROM {info.table_name}").fetchall()
    assert [c.type for c in info.columns] == ["text", "date", "number"]
    assert rows == [("7", "2023-01-05", 1.5), ("12", None, 2.0), (None, "1/5/2023", None)]


@pytest.mark.parametrize("forced", ["integer", "number"])
def test_a_column_forced_to_a_number_is_left_to_the_python_path(
        forced: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "forced.csv"
    src.write_text("n,label\n1,a\nx,b\n2.5,c\n", encoding="utf-8")
    assert not assert_same_both_ways(src, tmp_path, monkeypatch, type_overrides={"n": forced})
    assert last_used == [False]


@pytest.mark.parametrize("gap", ["\n", ",,\n", " , ,\n"])
def test_a_title_and_names_under_a_gap_start_a_second_table_on_both_paths(
        gap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty line (which Arrow skips) or a blank row, then a title and a row of names."""
    src = tmp_path / "two.csv"
    src.write_text("name,kind,count\nelm,tree,3\noak,tree,5\n" + gap
                   + "Shrubs\nplant,type,number\nrose,bush,2\n", encoding="utf-8")
    assert not assert_same_both_ways(src, tmp_path, monkeypatch)
    assert any(w.startswith("Another table starts at row 5;") for w in last_warnings)


@pytest.mark.parametrize("gap", ["\n", ",,\n", "\r\n"])
def test_a_gap_without_a_title_under_it_keeps_the_fast_path(
        gap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "gap.csv"
    src.write_text("name,kind,count\nelm,tree,3\n" + gap + "oak,tree,5\nrose,bush,2\n",
                   encoding="utf-8", newline="")
    assert assert_same_both_ways(src, tmp_path, monkeypatch)
