"""An import that fails, is cancelled or is killed leaves the pack exactly as before."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tde_desktop.core.errors import Cancelled
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack

REPO = Path(__file__).resolve().parents[2]


def big_csv(path: Path, rows: int) -> Path:
    with path.open("w") as f:
        f.write("id,name,value,when\n")
        for i in range(rows):
            f.write(f"{i},name {i % 97},{i * 0.5},2023-01-{1 + i % 28:02d}\n")
    return path


def snapshot(pack: Pack) -> tuple[object, ...]:
    tables = sorted(pack.table_names())
    catalogue = pack.conn.execute("SELECT id, table_name, row_count FROM _tde_datasets").fetchall()
    columns = pack.conn.execute("SELECT count(*) FROM _tde_columns").fetchone()
    return tables, catalogue, columns


def test_cancel_half_way_leaves_nothing(new_pack: Pack, tmp_path: Path) -> None:
    import_file(new_pack, big_csv(tmp_path / "small.csv", 10), title="Kept")
    before = snapshot(new_pack)
    src = big_csv(tmp_path / "big.csv", 200_000)
    calls = []

    def progress(done: int, total: int, message: str) -> None:
        calls.append(done)
        if done > total // 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_file(new_pack, src, progress=progress)
    assert len(calls) >= 2
    assert snapshot(new_pack) == before
    assert new_pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and the pack still takes a new import
    info = import_file(new_pack, big_csv(tmp_path / "after.csv", 5))
    assert info.row_count == 5


IMPORTER = """
import sys
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
pack = Pack.open(sys.argv[1])
def progress(done, total, message):
    print("progress", done, flush=True)
import_file(pack, sys.argv[2], progress=progress)
print("committed", flush=True)
"""


def test_sigkill_during_import_leaves_nothing(pack_path: Path, tmp_path: Path) -> None:
    trials = int(os.environ.get("TDE_KILL_TRIALS", "5"))
    Pack.create(pack_path, title="Kill test").close()
    src = big_csv(tmp_path / "big.csv", 300_000)
    rng = random.Random(7)
    committed = 0
    for trial in range(trials):
        proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(pack_path), str(src)],
                                stdout=subprocess.PIPE, text=True, cwd=REPO)
        assert proc.stdout is not None
        proc.stdout.readline()  # the import has started writing
        time.sleep(rng.uniform(0.0, 1.0))
        proc.send_signal(signal.SIGKILL)
        out = proc.communicate()[0]
        committed += "committed" in out
        conn = sqlite3.connect(pack_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        with Pack.open(pack_path) as pack:
            datasets = pack.datasets()
            # all or nothing: every catalogued dataset is complete, no orphan table
            ds_tables = {t for t in pack.table_names() if t.startswith("ds_")}
            assert ds_tables == {d.table_name for d in datasets}
            for d in datasets:
                assert d.row_count == 300_000
            # every acknowledged import is there; a kill between COMMIT and the
            # acknowledgement may leave one more, complete, dataset
            assert committed <= len(datasets) <= trial + 1
