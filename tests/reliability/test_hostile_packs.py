"""Hostile packs: a stranger's pack with any field rewritten runs through every ``tde`` command.

Hypothesis rewrites catalogue, dictionary, workshop, exercise, participant, response,
moderation and tidy-step fields (and renames tables and columns to match, so some
tampering passes the checks at open) with path pieces, markup, SQL fragments, NUL,
10 MB of text and values of the wrong type. Each case then runs ``info``, ``check``,
``export``, ``export-csv``, ``summary``, ``publish``, ``results-only`` and ``merge``
both ways through ``tde_desktop.cli.main.main`` in this process. Every command must end in a correct
result (exit 0, its file whole) or a one-line refusal (exit 1, one ``Error:`` line);
never exit 2 (an unexpected exception), never a traceback; and the listing of the
whole work folder may gain only the command's own target. The source pack is never
changed. Counts go to RELIABILITY.md ("Packs from strangers").
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from tde_desktop.cli.main import main
from tde_desktop.core.pack import Pack
from tests.reliability.conftest import LONG, SEED, Scenario
from tests.reliability.hostile_fields import Mutation, PackTimer, apply, mutations
from tests.reliability.stranger_pack import build, digest, listing

EXAMPLES = 300 if LONG else 30
def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _whole(kind: str, path: Path) -> bool:
    """A quick check that a written file is a whole file of its kind."""
    if kind == "pack":
        with Pack.open(path, read_only=True) as pack:
            return pack.title is not None
    head = path.read_bytes()[:8]
    return {"xlsx": head.startswith(b"PK"), "pdf": head.startswith(b"%PDF"),
            "db": head.startswith(b"SQLite f")}[kind]


def _commands(work: Path, stranger: Path, clean: Path) -> list[tuple[str, list[str], set[str],
                                                                     list[tuple[str, Path]]]]:
    """(name, argv, paths it may add under work/, files to check when it succeeds)."""
    mine = work / "merge_in" / "mine.tdepack"
    theirs = work / "merge_out" / "theirs.tdepack"
    for target, source in ((mine, clean), (theirs, stranger)):
        target.parent.mkdir()
        shutil.copyfile(source, target)
    out = work / "out"
    outs = {name: out / name for name in ("xlsx", "pdf", "csv", "pub", "ro")}
    for folder in outs.values():
        folder.mkdir(parents=True)
    src = str(stranger)

    def sidecars(p: Path) -> set[str]:
        rel = str(p.relative_to(work))
        return {rel + "-wal", rel + "-shm", rel + "-journal"}

    return [
        ("info", ["info", src], set(), []),
        ("info --json", ["info", src, "--json"], set(), []),
        ("check", ["check", src], set(), []),
        ("export", ["export", src, str(outs["xlsx"] / "r.xlsx")], {"out/xlsx/r.xlsx"},
         [("xlsx", outs["xlsx"] / "r.xlsx")]),
        ("summary", ["summary", src, str(outs["pdf"] / "s.pdf")], {"out/pdf/s.pdf"},
         [("pdf", outs["pdf"] / "s.pdf")]),
        ("export-csv", ["export-csv", src, str(outs["csv"] / "sub")], {"out/csv/sub"}, []),
        ("publish", ["publish", src, str(outs["pub"] / "p.db")],
         {"out/pub/p.db", "out/pub/metadata.json"}, [("db", outs["pub"] / "p.db")]),
        ("results-only", ["results-only", src, str(outs["ro"] / "r.tdepack")],
         {"out/ro/r.tdepack"}, [("pack", outs["ro"] / "r.tdepack")]),
        ("merge stranger into mine", ["merge", str(mine), src], sidecars(mine),
         [("pack", mine)]),
        ("merge mine into stranger", ["merge", str(theirs), str(clean)], sidecars(theirs),
         [("pack", theirs)]),
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "template.tdepack"
    build(path)
    return path


def test_hostile_packs_through_every_command(
        template: Path, scenario: Callable[[str, str], Scenario]) -> None:
    checked = ("each command ends in a correct result (exit 0, a whole file) or a one-line "
               "refusal; never an unexpected exception; the work folder gains only the "
               "command's own target; the source pack unchanged")
    runs = scenario("strangers: hostile packs, every command", checked)
    tally: Counter[str] = Counter()
    timer = PackTimer()

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(changes=mutations())
    def one(changes: list[Mutation]) -> None:
        with timer.timed(changes, tally), tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "pack").mkdir()
            stranger = work / "pack" / "stranger.tdepack"
            shutil.copyfile(template, stranger)
            apply(stranger, changes)
            before_hash = digest(stranger)
            for name, argv, may_add, files in _commands(work, stranger, template):
                before = listing(work)
                code, out, err = _run(argv)
                lines = err.strip().splitlines()
                assert "Traceback" not in err + out, (name, err)
                assert code in (0, 1), (name, changes, err)
                if code == 1 and not (name == "check" and not err):
                    assert len(lines) == 1, (name, err)
                    assert lines[0].startswith("Error: "), (name, err)
                    tally["refused"] += 1
                else:
                    for kind, path in files:
                        assert _whole(kind, path), (name, path)
                    tally["passed"] += 1
                added = listing(work) - before
                outside = {p for p in added if not any(
                    p == allowed or p.startswith(allowed + "/") for allowed in may_add)}
                assert not outside, (name, outside)
                tally["commands"] += 1
                if name == "info" and code == 1:
                    tally["packs refused at open"] += 1
            assert digest(stranger) == before_hash, "a command changed the source pack"
            tally["packs"] += 1
            runs.trial()

    one()
    print(f"hostile packs: {tally['packs']} packs ({tally['packs refused at open']} refused "
          f"at open), {tally['commands']} commands, "
          f"{tally['refused']} refused in one line, {tally['passed']} passed, "
          f"0 written outside the target; slowest pack {timer.slowest:.1f} s")
