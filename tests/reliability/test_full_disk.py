"""Full disk: an import or an export that runs out of room says so and changes nothing.

The child process lowers its own file-size limit (RLIMIT_FSIZE, with SIGXFSZ
ignored so a write past the limit fails with EFBIG instead of killing it): to
SQLite and to the exporters this looks like a disk that filled up. Where this
machine lets root mount a small tmpfs, the same is checked on a real full file
system too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.responses import submit_answer
from tests.reliability.conftest import Scenario, child_env, integrity

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX only")

CHILD = r"""
import json, resource, signal, sys
from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.importers import import_file
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.explore.export_view import export_dataset
pack_path, csv_path, book, data, limit, export_limit, workshop_id = sys.argv[1:8]
pack = Pack.open(pack_path)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
results = {}
for name, job in (("import", lambda: import_file(pack, csv_path, title="Too big")),
                  ("workbook", lambda: export_workbook(pack, workshop_id, book)),
                  ("dataset", lambda: export_dataset(pack, 1, data))):
    # The pack may grow a little under the first limit; an export file is new and small,
    # so the exports run under a limit below the size of any whole workbook.
    cap = int(limit if name == "import" else export_limit)
    if cap:
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, resource.RLIM_INFINITY))
    try:
        job()
        results[name] = "ok"
    except TdeError as exc:
        results[name] = type(exc).__name__ + ": " + str(exc)
    except Exception as exc:  # reported, not raised: the parent decides what it means
        results[name] = "UNEXPECTED " + type(exc).__name__ + ": " + str(exc)
pack.close()
print(json.dumps(results))
"""


def _csv(path: Path, rows: int) -> Path:
    with path.open("w") as f:
        f.write("id,name,notes\n")
        for i in range(rows):
            f.write(f"{i},resident {i},{'a long note about the block ' * 3}{i}\n")
    return path


def _state(path: Path) -> list[tuple[str, int]]:
    with Pack.open(path, read_only=True) as pack:
        return [(d.title, d.row_count) for d in pack.datasets()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _prepare(folder: Path, sources: Path) -> tuple[Path, Path, Path, Path, str]:
    pack_path = folder / "full.tdepack"
    with Pack.create(pack_path, title="Full disk") as pack:
        import_file(pack, _csv(sources / "small.csv", 200), title="Small")
        w = ws.create_workshop(pack, "W")
        ex = add_exercise_from_template(pack, w.id, "data_walk_station")
        person = ws.add_participant(pack, w.id)
        for i in range(30):
            submit_answer(pack, workshop_id=w.id, exercise_id=ex.id, participant_id=person.id,
                          question_key="note", answer=f"note {i}")
    book, data = folder / "results.xlsx", folder / "data.xlsx"
    book.write_bytes(b"the good workbook that stood here before")
    data.write_bytes(b"the good export that stood here before")
    return pack_path, _csv(sources / "big.csv", 60_000), book, data, w.id


def _run(pack_path: Path, src: Path, book: Path, data: Path, limit: int, export_limit: int,
         workshop_id: str) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(pack_path), str(src), str(book),
                           str(data), str(limit), str(export_limit), workshop_id],
                          capture_output=True,
                          text=True, env=child_env(), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _check_refusals(results: dict[str, str], pack_path: Path, before: list[tuple[str, int]],
                    files: dict[Path, str]) -> None:
    """Check that each failure was a one-line error and that nothing changed."""
    assert results["import"].startswith("ImportFailed: "), results
    assert integrity(pack_path) == "ok"
    assert _state(pack_path) == before
    for path, digest in files.items():
        assert _digest(path) == digest, f"{path.name} was changed by a failed export"
    assert not [p for p in pack_path.parent.iterdir() if "partial" in p.name]
    # openpyxl's write-only sheets are spooled through lxml into the system temp folder;
    # lxml reports a full disk there as SerialisationError, which the exporters turn into
    # ExportFailed like any OSError.
    escaped = [n for n in ("workbook", "dataset") if not results[n].startswith("ExportFailed: ")]
    assert escaped == [], results
    for message in results.values():
        assert "\n" not in message


def test_file_size_limit_import_and_exports_fail_cleanly(
        tmp_path: Path, scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("full disk (RLIMIT_FSIZE)", "import -> ImportFailed, workbook and dataset "
                 "export -> ExportFailed, one line each; integrity_check ok; same datasets; "
                 "earlier files byte-identical; no partial file; the pack takes a new import")
    pack_path, src, book, data, wid = _prepare(tmp_path, tmp_path)
    before = _state(pack_path)
    files = {book: _digest(book), data: _digest(data)}
    limit = pack_path.stat().st_size + 256 * 1024
    results = _run(pack_path, src, book, data, limit, 4096, wid)
    _check_refusals(results, pack_path, before, files)
    # Once there is room again, the same import works.
    with Pack.open(pack_path) as pack:
        assert import_file(pack, src, title="Fits now").row_count == 60_000
    s.trial(3)


@contextlib.contextmanager
def _small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="mounting a tmpfs needs root on Linux")
def test_a_really_full_file_system(tmp_path: Path,
                                   scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("full disk (4 MB tmpfs filled up)", "as above, on a real full file system")
    with _small_tmpfs(tmp_path / "stick", "4m") as stick:
        # The files to import live elsewhere: only the pack and the exports are on the stick.
        pack_path, src, book, data, wid = _prepare(stick, tmp_path)
        before = _state(pack_path)
        files = {book: _digest(book), data: _digest(data)}
        filler = stick / "filler.bin"
        with filler.open("wb") as f, contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        # Leave a little room, as a nearly full stick would have.
        with filler.open("r+b") as f:
            f.truncate(max(0, filler.stat().st_size - 96 * 1024))
        results = _run(pack_path, src, book, data, 0, 0, wid)
        _check_refusals(results, pack_path, before, files)
        s.trial(3)
